// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {ERC1155Pausable} from "@openzeppelin/contracts/token/ERC1155/extensions/ERC1155Pausable.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {ICarbonCredit, IssueParams, Batch} from "../interfaces/ICarbonCredit.sol";
import {ProjectStatus} from "../interfaces/IGreenProjectRegistry.sol";
import {IRetirementCertificate} from "../interfaces/IRetirementCertificate.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IGreenProjectRegistry} from "../interfaces/IGreenProjectRegistry.sol";
import {DateTimeLib} from "../libraries/DateTimeLib.sol";
import {GuardianPausable} from "../governance/GuardianPausable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Labels} from "../libraries/Labels.sol";
import {JsonMetadata} from "../libraries/JsonMetadata.sol";

/// @title CarbonCredit
/// @notice ERC-1155 carbon credits, one token id per verified issuance batch. 1 unit = 1 kg CO2e;
/// issuance is in whole tonnes (one off-chain serial number per tonne). Retiring burns units and
/// mints a non-transferable RetirementCertificate. Projects with a buffer rate (registry) have a share of every
/// issuance withheld into the BufferPool, which alone may cancel credits (its own) when a reversal is reported.
/// Conservation per batch: Σ balances + retiredKg + cancelledKg = issuedKg.
/// @dev Each project's serial ranges form a sorted singly linked list (lowest → highest), so an
/// overlap is detected by comparing with the two neighbours only: no loop over earlier batches.
/// Pausing (GuardianPausable) stops issuance, transfers and retirements.
contract CarbonCredit is ICarbonCredit, ERC1155Pausable, GuardianPausable, ReentrancyGuardTransient {
    using Strings for uint256;

    /// @notice Role that mints credit batches.
    bytes32 public constant ISSUER_ROLE = Roles.ISSUER;

    /// @notice Units per tonne (1 unit = 1 kg).
    uint256 public constant KG_PER_TONNE = 1000;
    /// @notice Oldest accepted vintage.
    uint16 public constant MIN_VINTAGE = 1990;
    /// @notice Cap on beneficiary name and reason length (bytes) so retirements have bounded gas.
    uint256 public constant MAX_TEXT_LENGTH = 256;
    /// @notice Bound of `retireBatch`.
    uint256 public constant MAX_BATCHES_PER_RETIREMENT = 20;

    /// @dev Slot 0: identity + linked-list pointer; slot 1: amounts; slot 2: attestation.
    struct BatchData {
        uint64 projectId;
        uint16 vintage;
        uint64 serialStart;
        uint64 serialEnd;
        uint48 next; // batch of the same project whose range lies just above; 0 = none
        uint128 issuedKg;
        uint128 retiredKg;
        bytes32 attestation;
    }

    /// @dev Ends of a project's sorted range list, and the avoidable reversal it owes (0 = none): one slot that
    /// issuance reads anyway, so the reversal check costs nothing extra.
    struct RangeList {
        uint48 lowest;
        uint48 highest;
        uint48 outstandingReversal;
    }

    /// @dev Basis points of the whole (buffer rates).
    uint256 private constant BPS = 10_000;
    /// @dev Seconds in a 366-day year (the longest calendar year).
    uint256 private constant SECONDS_PER_LEAP_YEAR = 366 days;

    /// @notice The project registry this contract checks.
    IGreenProjectRegistry public immutable registry;
    /// @notice The certificate NFT minted on each retirement.
    IRetirementCertificate public immutable certificate;

    /// @notice The BufferPool (zero until wired): receives withheld credits and is the only canceller.
    address public bufferPool;

    uint48 private _batchCount;
    mapping(uint256 batchId => BatchData) private _batches;
    mapping(uint256 projectId => RangeList) private _ranges;
    mapping(uint256 batchId => uint256) private _cancelledKg;
    mapping(uint256 batchId => uint32) private _labels;

    /// @param admin receives DEFAULT_ADMIN_ROLE.
    /// @param registry_ the GreenProjectRegistry.
    /// @param certificate_ the RetirementCertificate (its minter must be set to this contract).
    constructor(address admin, IGreenProjectRegistry registry_, IRetirementCertificate certificate_) ERC1155("") {
        registry = registry_;
        certificate = certificate_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ───────────────────────────── issuance ─────────────────────────────

    /// @inheritdoc ICarbonCredit
    function issue(IssueParams calldata p) external onlyRole(ISSUER_ROLE) nonReentrant returns (uint256 batchId) {
        uint256 bufferBps = _validateIssue(p);
        RangeList memory list = _ranges[p.projectId];
        if (list.outstandingReversal != 0) revert ReversalOutstanding(p.projectId, list.outstandingReversal);
        if (list.highest != 0) {
            BatchData storage top = _batches[list.highest];
            if (p.serialStart <= top.serialEnd) {
                if (p.serialEnd >= top.serialStart) {
                    revert SerialRangeOverlap(p.projectId, list.highest, top.serialStart, top.serialEnd);
                }
                revert SerialRangeHintRequired(p.projectId, list.highest);
            }
        }
        batchId = _store(p, list.highest, list, bufferBps);
    }

    /// @inheritdoc ICarbonCredit
    function issueWithHint(
        IssueParams calldata p,
        uint256 prevBatchId
    ) external onlyRole(ISSUER_ROLE) nonReentrant returns (uint256 batchId) {
        uint256 bufferBps = _validateIssue(p);
        RangeList memory list = _ranges[p.projectId];
        if (list.outstandingReversal != 0) revert ReversalOutstanding(p.projectId, list.outstandingReversal);
        uint256 nextId;
        if (prevBatchId == 0) {
            nextId = list.lowest;
        } else {
            BatchData storage prev = _batches[prevBatchId];
            if (prev.issuedKg == 0 || prev.projectId != p.projectId) revert InvalidSerialHint(p.projectId, prevBatchId);
            if (prev.serialEnd >= p.serialStart) {
                if (prev.serialStart <= p.serialEnd) {
                    revert SerialRangeOverlap(p.projectId, prevBatchId, prev.serialStart, prev.serialEnd);
                }
                revert InvalidSerialHint(p.projectId, prevBatchId); // the hint lies above the new range
            }
            nextId = prev.next;
        }
        if (nextId != 0) {
            BatchData storage nxt = _batches[nextId];
            if (nxt.serialStart <= p.serialEnd) {
                if (nxt.serialEnd >= p.serialStart) {
                    revert SerialRangeOverlap(p.projectId, nextId, nxt.serialStart, nxt.serialEnd);
                }
                revert InvalidSerialHint(p.projectId, prevBatchId); // the new range lies further up
            }
        }
        batchId = _store(p, prevBatchId, list, bufferBps);
    }

    // ───────────────────────────── retirement ─────────────────────────────

    /// @inheritdoc ICarbonCredit
    function retire(
        uint256 batchId,
        uint256 amountKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external nonReentrant returns (uint256 certificateId) {
        return _retireOne(msg.sender, batchId, amountKg, beneficiary, beneficiaryName, reason);
    }

    /// @inheritdoc ICarbonCredit
    function retireFrom(
        address account,
        uint256 batchId,
        uint256 amountKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external nonReentrant returns (uint256 certificateId) {
        if (account != msg.sender && !isApprovedForAll(account, msg.sender)) {
            revert ERC1155MissingApprovalForAll(msg.sender, account);
        }
        return _retireOne(account, batchId, amountKg, beneficiary, beneficiaryName, reason);
    }

    /// @inheritdoc ICarbonCredit
    function retireBatch(
        uint256[] calldata batchIds,
        uint256[] calldata amountsKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external nonReentrant returns (uint256 certificateId) {
        _checkText(beneficiaryName, reason);
        // strings go to memory (one stack slot each) to keep the multi-batch path within stack limits
        return _retireMultiple(batchIds, amountsKg, beneficiary, beneficiaryName, reason);
    }

    // ───────────────────────────── buffer and labels ─────────────────────────────

    /// @inheritdoc ICarbonCredit
    function setBufferPool(address bufferPool_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bufferPool != address(0)) revert BufferPoolAlreadySet(bufferPool);
        if (bufferPool_ == address(0)) revert ZeroAddress("bufferPool");
        bufferPool = bufferPool_;
        emit BufferPoolSet(bufferPool_);
    }

    /// @inheritdoc ICarbonCredit
    function cancel(uint256 batchId, uint256 amountKg, bytes32 reason) external nonReentrant {
        if (msg.sender != bufferPool) revert NotBufferPool(msg.sender);
        if (amountKg == 0) revert ZeroAmount();
        _existing(batchId);
        _burn(msg.sender, batchId, amountKg); // reverts ERC1155InsufficientBalance before anything is booked
        _cancelledKg[batchId] += amountKg; // bounded by issuedKg
        emit CreditsCancelled(batchId, msg.sender, amountKg, reason);
    }

    /// @inheritdoc ICarbonCredit
    function setOutstandingReversal(uint256 projectId, uint256 reversalId) external {
        if (msg.sender != bufferPool) revert NotBufferPool(msg.sender);
        _ranges[projectId].outstandingReversal = SafeCast.toUint48(reversalId);
        emit OutstandingReversalSet(projectId, reversalId);
    }

    /// @inheritdoc ICarbonCredit
    function setLabels(uint256 batchId, uint32 labels) external onlyRole(ISSUER_ROLE) {
        _existing(batchId);
        if (!Labels.isKnown(labels)) revert UnknownLabels(labels);
        _labels[batchId] = labels;
        emit LabelsSet(batchId, labels);
    }

    // ───────────────────────────── admin ─────────────────────────────

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc ICarbonCredit
    function batch(uint256 batchId) external view returns (Batch memory b) {
        BatchData storage d = _existing(batchId);
        b = Batch({
            projectId: d.projectId,
            vintage: d.vintage,
            serialStart: d.serialStart,
            serialEnd: d.serialEnd,
            issuedKg: d.issuedKg,
            retiredKg: d.retiredKg,
            attestation: d.attestation
        });
    }

    /// @inheritdoc ICarbonCredit
    function projectOf(uint256 batchId) external view returns (uint256) {
        return _existing(batchId).projectId;
    }

    /// @inheritdoc ICarbonCredit
    function cancelledKg(uint256 batchId) external view returns (uint256) {
        return _cancelledKg[batchId];
    }

    /// @inheritdoc ICarbonCredit
    function labelsOf(uint256 batchId) external view returns (uint32) {
        return _labels[batchId];
    }

    /// @inheritdoc ICarbonCredit
    function outstandingReversalOf(uint256 projectId) external view returns (uint256) {
        return _ranges[projectId].outstandingReversal;
    }

    /// @inheritdoc ICarbonCredit
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /// @notice The batches with the lowest and highest serial ranges of a project (0 when none).
    function rangeEnds(uint256 projectId) external view returns (uint256 lowest, uint256 highest) {
        RangeList memory ends = _ranges[projectId];
        return (ends.lowest, ends.highest);
    }

    /// @notice The batch of the same project whose serial range lies just above `batchId`'s (0 = none).
    function nextBatchAbove(uint256 batchId) external view returns (uint256) {
        return _existing(batchId).next;
    }

    /// @notice On-chain JSON metadata of a batch: project, vintage, serial range, cancelled kg and one "Label"
    /// attribute per quality label (ERC-1155 metadata URI).
    function uri(uint256 batchId) public view override returns (string memory) {
        BatchData storage d = _existing(batchId);
        bytes memory json = abi.encodePacked(
            '{"name":"Treelion carbon credit batch #',
            batchId.toString(),
            '","description":"Verified carbon credits, 1 unit = 1 kg CO2e.","decimals":3,"attributes":['
        );
        json = abi.encodePacked(json, JsonMetadata.textAttr("Project", registry.nameOf(d.projectId)), ",");
        json = abi.encodePacked(json, JsonMetadata.numberAttr("Project id", d.projectId), ",");
        json = abi.encodePacked(json, JsonMetadata.numberAttr("Vintage", d.vintage), ",");
        json = abi.encodePacked(json, JsonMetadata.numberAttr("Serial start", d.serialStart), ",");
        json = abi.encodePacked(json, JsonMetadata.numberAttr("Serial end", d.serialEnd), ",");
        json = abi.encodePacked(json, JsonMetadata.numberAttr("Issued kg", d.issuedKg), ",");
        json = abi.encodePacked(json, JsonMetadata.numberAttr("Cancelled kg", _cancelledKg[batchId]));
        json = abi.encodePacked(json, Labels.jsonAttributes(_labels[batchId]), "]}");
        return JsonMetadata.dataURI(json);
    }

    /// @inheritdoc ERC1155
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC1155, AccessControl, IERC165) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    // ───────────────────────────── internals ─────────────────────────────

    /// @dev Checks the parameters and the project; returns the project's buffer rate (bps).
    function _validateIssue(IssueParams calldata p) private view returns (uint256 bufferBps) {
        if (p.to == address(0)) revert InvalidRecipient(p.to);
        if (p.attestation == bytes32(0)) revert MissingAttestation();
        if (p.serialStart > p.serialEnd) revert InvalidSerialRange(p.serialStart, p.serialEnd);
        // Every year has at most 366 days, so the current year is at least 1970 + ⌊now / 366 days⌋: a vintage up to
        // that bound needs no calendar computation (which stays exact for the rest, and for the error).
        if (p.vintage < MIN_VINTAGE || p.vintage > 1970 + block.timestamp / SECONDS_PER_LEAP_YEAR) {
            uint256 year = DateTimeLib.yearOf(block.timestamp);
            if (p.vintage < MIN_VINTAGE || p.vintage > year) revert InvalidVintage(p.vintage, year);
        }
        ProjectStatus status;
        (status, bufferBps) = registry.issuanceTermsOf(p.projectId);
        if (status != ProjectStatus.Active) revert ProjectNotActive(p.projectId, status);
        if (bufferBps != 0 && bufferPool == address(0)) revert BufferPoolNotSet();
    }

    /// @dev Stores the batch after `prevBatchId` in the project's list and mints its units: the buffer share
    /// (whole tonnes, rounded up) to the BufferPool, the rest to `p.to`.
    function _store(
        IssueParams calldata p,
        uint256 prevBatchId,
        RangeList memory list,
        uint256 bufferBps
    ) private returns (uint256 id) {
        id = ++_batchCount;
        uint256 tonnes = uint256(p.serialEnd) - p.serialStart + 1;
        uint256 amount = tonnes * KG_PER_TONNE;
        uint48 next;
        if (prevBatchId == 0) {
            next = list.lowest;
            list.lowest = uint48(id);
        } else {
            BatchData storage prev = _batches[prevBatchId];
            next = prev.next;
            prev.next = uint48(id);
        }
        if (next == 0) list.highest = uint48(id);
        RangeList storage ends = _ranges[p.projectId];
        (ends.lowest, ends.highest) = (list.lowest, list.highest); // outstandingReversal is left as it is
        _batches[id] = BatchData({
            projectId: SafeCast.toUint64(p.projectId),
            vintage: p.vintage,
            serialStart: p.serialStart,
            serialEnd: p.serialEnd,
            next: next,
            issuedKg: uint128(amount),
            retiredKg: 0,
            attestation: p.attestation
        });
        emit BatchIssued(id, p.projectId, p.vintage, p.serialStart, p.serialEnd, p.to, p.attestation);
        if (bufferBps == 0) {
            _mint(p.to, id, amount, "");
        } else {
            _mintWithBuffer(p, id, amount, ((tonnes * bufferBps + BPS - 1) / BPS) * KG_PER_TONNE);
        }
    }

    /// @dev Mints `bufferKg` to the BufferPool (the hook data names the project, which marks a buffer mint) and the
    /// rest, if any, to `p.to`.
    function _mintWithBuffer(IssueParams calldata p, uint256 id, uint256 amount, uint256 bufferKg) private {
        emit BufferWithheld(id, p.projectId, bufferKg);
        _mint(bufferPool, id, bufferKg, abi.encode(p.projectId));
        if (amount > bufferKg) _mint(p.to, id, amount - bufferKg, "");
    }

    function _retireOne(
        address account,
        uint256 batchId,
        uint256 amountKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) private returns (uint256 certificateId) {
        _checkText(beneficiaryName, reason);
        address to = beneficiary == address(0) ? account : beneficiary;
        BatchData storage d = _checkRetirable(batchId, amountKg);
        _burn(account, batchId, amountKg); // reverts ERC1155InsufficientBalance before anything is booked
        d.retiredKg += uint128(amountKg); // amountKg <= burned balance <= issuedKg < 2^128
        certificateId = certificate.mint(to, account, batchId, amountKg, beneficiaryName, reason);
        emit Retired(certificateId, batchId, account, to, amountKg, beneficiaryName, reason);
    }

    /// @dev Checks that a batch exists, its project is Active and the amount is non-zero.
    function _checkRetirable(uint256 batchId, uint256 amountKg) private view returns (BatchData storage d) {
        if (amountKg == 0) revert ZeroAmount();
        d = _existing(batchId);
        ProjectStatus status = registry.statusOf(d.projectId);
        if (status != ProjectStatus.Active) revert ProjectNotActive(d.projectId, status);
    }

    /// @dev Checks every batch, burns the caller's units in one batch burn, books the retired amounts.
    function _retireMany(uint256[] calldata batchIds, uint256[] calldata amountsKg) private returns (uint256 total) {
        uint256 n = batchIds.length;
        if (n == 0 || n > MAX_BATCHES_PER_RETIREMENT) revert InvalidBatchCount(n, MAX_BATCHES_PER_RETIREMENT);
        if (amountsKg.length != n) revert ArrayLengthMismatch(n, amountsKg.length);
        for (uint256 i; i < n; ++i) {
            _checkRetirable(batchIds[i], amountsKg[i]);
        }
        // burn first: it reverts ERC1155InsufficientBalance on any excessive amount, so the sum below is bounded by
        // the caller's balances and cannot overflow (summing before the burn would panic on huge amounts)
        _burnBatch(msg.sender, batchIds, amountsKg);
        for (uint256 i; i < n; ++i) {
            total += amountsKg[i];
            _batches[batchIds[i]].retiredKg += uint128(amountsKg[i]); // bounded by issuedKg
        }
    }

    function _retireMultiple(
        uint256[] calldata batchIds,
        uint256[] calldata amountsKg,
        address beneficiary,
        string memory beneficiaryName,
        string memory reason
    ) private returns (uint256 certificateId) {
        address to = beneficiary == address(0) ? msg.sender : beneficiary;
        uint256 total = _retireMany(batchIds, amountsKg);
        certificateId = certificate.mintMulti(to, msg.sender, batchIds, total, beneficiaryName, reason);
        for (uint256 i; i < batchIds.length; ++i) {
            emit Retired(certificateId, batchIds[i], msg.sender, to, amountsKg[i], beneficiaryName, reason);
        }
    }

    function _checkText(string calldata beneficiaryName, string calldata reason) private pure {
        if (bytes(beneficiaryName).length > MAX_TEXT_LENGTH) {
            revert BeneficiaryNameTooLong(bytes(beneficiaryName).length, MAX_TEXT_LENGTH);
        }
        if (bytes(reason).length > MAX_TEXT_LENGTH) revert ReasonTooLong(bytes(reason).length, MAX_TEXT_LENGTH);
    }

    function _existing(uint256 batchId) private view returns (BatchData storage d) {
        d = _batches[batchId];
        if (d.issuedKg == 0) revert BatchNotFound(batchId);
    }
}
