// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ICarbonPool, Criteria} from "../interfaces/ICarbonPool.sol";
import {ProjectStatus} from "../interfaces/IGreenProjectRegistry.sol";
import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {PoolBook} from "./PoolBook.sol";
import {BatchQueue} from "../libraries/BatchQueue.sol";
import {PoolWalk} from "../libraries/PoolWalk.sol";
import {Labels} from "../libraries/Labels.sol";

/// @title CarbonPool
/// @notice Fungible carbon index token (ERC-20 + ERC-2612 permit) backed 1:1 by eligible CarbonCredit units held by
/// the pool. 1 kg CO2e deposited mints 1e15 pool-token wei (1e18 = 1 tonne). Invariant:
/// `totalSupply() == Σ heldKg(batch) × 1e15` — fees are paid in pool tokens to the treasury, so they stay backed.
/// @dev The pool's batches form a doubly linked FIFO queue ordered by when each batch last entered it. A batch
/// leaves in O(1) when its pool balance reaches zero and re-enters at the tail on its next deposit. Auto paths
/// (`redeemAuto`, `retireFromPool(0, …)`) walk from the head and touch at most MAX_BATCHES_PER_CALL batches,
/// skips of batches whose project is not Active included: nothing ever loops over every batch deposited. Anyone may
/// move a batch of a project that is not Active out of the FIFO (`unqueue`, O(1)) so it can never crowd the auto
/// paths out (audit A-16); it stays redeemable by id and returns to the tail when its project is Active again
/// (`requeue`, or its next deposit).
/// Pausing (GuardianPausable) stops deposits only (pull and push); redeem, redeemAuto, retireFromPool and
/// pool-token transfers keep working so holders can always exit.
/// The bounds, configuration, queue and views are PoolBook's.
contract CarbonPool is PoolBook, ReentrancyGuardTransient, IERC1155Receiver {
    using BatchQueue for BatchQueue.Queue;
    using BatchQueue for BatchQueue.Node;
    using PoolWalk for BatchQueue.Queue;

    /// @param admin receives DEFAULT_ADMIN_ROLE (grants POOL_ADMIN_ROLE and PAUSER_ROLE).
    /// @param credit_ the CarbonCredit contract.
    /// @param name_ ERC-20 name (also the EIP-712 domain name of permits).
    /// @param symbol_ ERC-20 symbol.
    /// @dev Starts with an empty category mask (deposits closed) and no fees until a pool admin configures it.
    constructor(
        address admin,
        ICarbonCredit credit_,
        string memory name_,
        string memory symbol_
    ) ERC20(name_, symbol_) ERC20Permit(name_) PoolBook(credit_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ───────────────────────────── deposits ─────────────────────────────

    /// @inheritdoc ICarbonPool
    function deposit(uint256 batchId, uint256 amountKg) external whenNotPaused nonReentrant returns (uint256 minted) {
        if (amountKg == 0) revert ZeroAmount();
        uint256 projectId = _requireEligible(batchId);
        minted = _book(msg.sender, batchId, projectId, amountKg);
        // the pool is the operator of this pull, which `onERC1155Received` recognises (no second booking)
        credit.safeTransferFrom(msg.sender, address(this), batchId, amountKg, "");
    }

    /// @notice ERC-1155 hook. The pool's own pull in `deposit` is accepted as is; credits pushed straight to the
    /// pool with `safeTransferFrom` count as a deposit for their previous owner `from` when eligible (and not paused),
    /// otherwise the transfer reverts. Tokens of any other contract are refused.
    function onERC1155Received(
        address operator,
        address from,
        uint256 id,
        uint256 value,
        bytes calldata
    ) external returns (bytes4) {
        if (msg.sender != address(credit)) revert UnsupportedToken(msg.sender);
        if (operator != address(this)) _acceptPush(from, id, value);
        return this.onERC1155Received.selector;
    }

    /// @notice ERC-1155 batch hook: every pushed batch counts as a deposit for `from` when eligible, or all revert.
    function onERC1155BatchReceived(
        address,
        address from,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata
    ) external returns (bytes4) {
        if (msg.sender != address(credit)) revert UnsupportedToken(msg.sender);
        _acceptPushBatch(from, ids, values);
        return this.onERC1155BatchReceived.selector;
    }

    // ───────────────────────────── exits ─────────────────────────────

    /// @inheritdoc ICarbonPool
    function redeem(uint256 batchId, uint256 amountKg) external nonReentrant returns (uint256 burned) {
        if (amountKg == 0) revert ZeroAmount();
        _requireHeld(batchId, amountKg);
        uint256 fee;
        (burned, fee) = _charge(msg.sender, amountKg, _config.redeemFeeBps);
        _debit(batchId, amountKg);
        emit Redeemed(msg.sender, batchId, amountKg, burned, fee);
        credit.safeTransferFrom(address(this), msg.sender, batchId, amountKg, "");
    }

    /// @inheritdoc ICarbonPool
    function redeemAuto(
        uint256 amountKg
    ) external nonReentrant returns (uint256[] memory batchIds, uint256[] memory amountsKg) {
        if (amountKg == 0) revert ZeroAmount();
        PoolWalk.Plan memory p = _planChecked(amountKg);
        uint256 bps = _config.redeemFeeBps;
        _charge(msg.sender, amountKg, bps);
        _takePlan(p);
        for (uint256 i; i < p.count; ++i) {
            uint256 kg = p.amounts[i];
            emit Redeemed(msg.sender, p.ids[i], kg, kg * TOKEN_PER_KG, kg * bps * FEE_PER_KG_BPS);
        }
        credit.safeBatchTransferFrom(address(this), msg.sender, p.ids, p.amounts, "");
        return (p.ids, p.amounts);
    }

    /// @inheritdoc ICarbonPool
    function retireFromPool(
        uint256 batchId,
        uint256 amountKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external nonReentrant returns (uint256 certificateId) {
        if (amountKg == 0) revert ZeroAmount();
        if (beneficiary == address(this)) revert InvalidBeneficiary(beneficiary);
        address to = beneficiary == address(0) ? msg.sender : beneficiary;
        uint256 bps = _config.retireFeeBps;
        if (batchId != 0) {
            _requireHeld(batchId, amountKg);
            _charge(msg.sender, amountKg, bps);
            _debit(batchId, amountKg);
            certificateId = credit.retire(batchId, amountKg, to, beneficiaryName, reason);
            _emitRetired(batchId, amountKg, certificateId, to, bps);
        } else {
            certificateId = _retireAuto(amountKg, to, bps, beneficiaryName, reason);
        }
    }

    // ───────────────────────────── FIFO upkeep ─────────────────────────────

    /// @inheritdoc ICarbonPool
    function unqueue(uint256 batchId) external {
        BatchQueue.Node memory n = _batches.nodes[batchId];
        if (n.balanceKg == 0 || n.isParked()) revert BatchNotQueued(batchId);
        ProjectStatus status = registry.statusOf(n.projectId);
        if (status == ProjectStatus.Active) revert WrongProjectStatus(batchId, status);
        _batches.move(batchId, true);
        emit BatchUnqueued(batchId, n.projectId, status);
    }

    /// @inheritdoc ICarbonPool
    function requeue(uint256 batchId) external {
        BatchQueue.Node memory n = _batches.nodes[batchId];
        if (n.balanceKg == 0 || !n.isParked()) revert BatchNotUnqueued(batchId);
        uint256 projectId = n.projectOf();
        ProjectStatus status = registry.statusOf(projectId);
        if (status != ProjectStatus.Active) revert WrongProjectStatus(batchId, status);
        _batches.move(batchId, false);
        emit BatchRequeued(batchId, projectId);
    }

    // ───────────────────────────── admin ─────────────────────────────

    /// @inheritdoc ICarbonPool
    function setCriteria(Criteria calldata c) external onlyRole(POOL_ADMIN_ROLE) {
        uint256 n = c.standards.length;
        if (n > MAX_STANDARDS) revert TooManyStandards(n, MAX_STANDARDS);
        for (uint256 i; i < n; ++i) {
            if (c.standards[i] == bytes32(0)) revert InvalidStandard(i);
        }
        _config.minVintage = c.minVintage;
        _categoryMask = c.categoryMask;
        _standards = c.standards;
        emit CriteriaUpdated(c.minVintage, c.categoryMask, c.standards);
    }

    /// @inheritdoc ICarbonPool
    function setFees(uint16 redeemFeeBps_, uint16 retireFeeBps_, address treasury_) external onlyRole(POOL_ADMIN_ROLE) {
        if (redeemFeeBps_ > MAX_FEE_BPS) revert FeeTooHigh(redeemFeeBps_, uint16(MAX_FEE_BPS));
        if (retireFeeBps_ > MAX_FEE_BPS) revert FeeTooHigh(retireFeeBps_, uint16(MAX_FEE_BPS));
        if (treasury_ == address(0) || treasury_ == address(this)) revert InvalidTreasury(treasury_);
        Config storage c = _config;
        c.redeemFeeBps = redeemFeeBps_;
        c.retireFeeBps = retireFeeBps_;
        c.treasury = treasury_;
        emit FeesUpdated(redeemFeeBps_, retireFeeBps_, treasury_);
    }

    /// @inheritdoc ICarbonPool
    function setRequiredLabels(uint32 mask) external onlyRole(POOL_ADMIN_ROLE) {
        if (!Labels.isKnown(mask)) revert UnknownLabels(mask);
        _config.requiredLabels = mask;
        emit RequiredLabelsSet(mask);
    }

    /// @notice What an auto path would take for `amountKg` now: batches, amounts and how much is covered within the
    /// cap (less than `amountKg` means redeemAuto / auto retirement would revert).
    function previewAuto(
        uint256 amountKg
    ) external view returns (uint256[] memory batchIds, uint256[] memory amountsKg, uint256 coveredKg) {
        PoolWalk.Plan memory p = _plan(amountKg);
        return (p.ids, p.amounts, p.coveredKg);
    }

    /// @notice ERC-165: AccessControl and IERC1155Receiver.
    function supportsInterface(bytes4 interfaceId) public view override(AccessControl, IERC165) returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || super.supportsInterface(interfaceId);
    }

    // ───────────────────────────── internals: deposits ─────────────────────────────

    function _acceptPush(address from, uint256 batchId, uint256 amountKg) private whenNotPaused nonReentrant {
        _acceptOne(from, batchId, amountKg);
    }

    function _acceptPushBatch(
        address from,
        uint256[] calldata ids,
        uint256[] calldata values
    ) private whenNotPaused nonReentrant {
        for (uint256 i; i < ids.length; ++i) _acceptOne(from, ids[i], values[i]);
    }

    /// @dev A push: the credits already sit in the pool; book them for their previous owner or revert.
    function _acceptOne(address from, uint256 batchId, uint256 amountKg) private {
        if (from == address(0)) revert MintToPoolNotAccepted(batchId);
        if (amountKg == 0) revert ZeroAmount();
        _book(from, batchId, _requireEligible(batchId), amountKg);
    }

    /// @dev Adds units to a batch (appending it to the queue when it held none) and mints the pool tokens.
    function _book(
        address account,
        uint256 batchId,
        uint256 projectId,
        uint256 amountKg
    ) private returns (uint256 minted) {
        BatchQueue.Node storage n = _batches.nodes[batchId];
        uint256 balance = n.balanceKg;
        if (balance == 0) {
            // eligible ⇒ batchId ≤ credit.batchCount() < 2^48; the credit contract stores project ids as uint64
            _batches.pushNew(batchId, SafeCast.toUint96(amountKg), uint64(projectId));
        } else {
            if (n.projectId & BatchQueue.PARKED != 0) {
                // an unqueued batch whose project is eligible again returns to the FIFO tail
                _batches.move(batchId, false);
                emit BatchRequeued(batchId, projectId);
            }
            // cast the amount first: a hostile max-uint amount reverts SafeCastOverflowedUintDowncast, not a Panic
            n.balanceKg = SafeCast.toUint96(balance + SafeCast.toUint96(amountKg));
        }
        minted = amountKg * TOKEN_PER_KG;
        _mint(account, minted);
        emit Deposited(account, batchId, amountKg, minted);
    }

    // ───────────────────────────── internals: exits ─────────────────────────────

    /// @dev Burns `amountKg × 1e15` from `account` and moves the fee (pool tokens) from `account` to the treasury.
    function _charge(address account, uint256 amountKg, uint256 bps) private returns (uint256 burned, uint256 fee) {
        burned = amountKg * TOKEN_PER_KG;
        fee = amountKg * bps * FEE_PER_KG_BPS;
        uint256 balance = balanceOf(account);
        if (balance < burned + fee) revert ERC20InsufficientBalance(account, balance, burned + fee);
        _burn(account, burned);
        if (fee != 0) _transfer(account, _config.treasury, fee);
    }

    /// @dev Removes units of a batch; the batch leaves its list (O(1)) when it reaches zero.
    function _debit(uint256 batchId, uint256 amountKg) private {
        _batches.debit(batchId, amountKg); // callers checked amountKg ≤ balance
    }

    /// @dev Walks the queue from the head: takes from batches of Active projects, skips the others, stops when the
    /// amount is covered, the queue ends or MAX_BATCHES_PER_CALL batches were touched.
    function _plan(uint256 amountKg) private view returns (PoolWalk.Plan memory p) {
        p.ids = new uint256[](MAX_BATCHES_PER_CALL);
        p.amounts = new uint256[](MAX_BATCHES_PER_CALL);
        p.skipped = new uint256[](MAX_BATCHES_PER_CALL);
        p.skippedStatus = new ProjectStatus[](MAX_BATCHES_PER_CALL);
        uint256 remaining = amountKg;
        uint256 id = _batches.live.head;
        uint256 lastProject; // project ids start at 1
        ProjectStatus lastStatus;
        for (uint256 touched; remaining != 0 && id != 0 && touched < MAX_BATCHES_PER_CALL; ++touched) {
            BatchQueue.Node memory n = _batches.nodes[id];
            if (n.projectId != lastProject) {
                lastProject = n.projectId;
                lastStatus = registry.statusOf(lastProject);
            }
            if (lastStatus == ProjectStatus.Active) {
                uint256 take = n.balanceKg < remaining ? n.balanceKg : remaining;
                p.ids[p.count] = id;
                p.amounts[p.count] = take;
                ++p.count;
                remaining -= take;
            } else {
                p.skipped[p.skippedCount] = id;
                p.skippedStatus[p.skippedCount] = lastStatus;
                ++p.skippedCount;
            }
            id = n.next;
        }
        p.coveredKg = amountKg - remaining;
        p.stoppedAt = id;
        PoolWalk.shrink(p.ids, p.count);
        PoolWalk.shrink(p.amounts, p.count);
    }

    function _planChecked(uint256 amountKg) private view returns (PoolWalk.Plan memory p) {
        p = _plan(amountKg);
        if (p.coveredKg < amountKg) {
            if (p.stoppedAt != 0) revert AmountExceedsBatchesPerCall(amountKg, p.coveredKg, MAX_BATCHES_PER_CALL);
            revert NotEnoughActiveCredits(amountKg, p.coveredKg);
        }
    }

    /// @dev Books a plan: reports skipped batches, debits the taken ones.
    function _takePlan(PoolWalk.Plan memory p) private {
        for (uint256 i; i < p.skippedCount; ++i) {
            uint256 id = p.skipped[i];
            emit BatchSkipped(id, _batches.nodes[id].projectId, p.skippedStatus[i]);
        }
        for (uint256 i; i < p.count; ++i) _debit(p.ids[i], p.amounts[i]);
    }

    function _retireAuto(
        uint256 amountKg,
        address to,
        uint256 bps,
        string memory beneficiaryName,
        string memory reason
    ) private returns (uint256 certificateId) {
        PoolWalk.Plan memory p = _planChecked(amountKg);
        _charge(msg.sender, amountKg, bps);
        _takePlan(p);
        if (p.count == 1) {
            certificateId = credit.retire(p.ids[0], p.amounts[0], to, beneficiaryName, reason);
        } else {
            certificateId = credit.retireBatch(p.ids, p.amounts, to, beneficiaryName, reason);
        }
        for (uint256 i; i < p.count; ++i) _emitRetired(p.ids[i], p.amounts[i], certificateId, to, bps);
    }

    function _emitRetired(uint256 batchId, uint256 kg, uint256 certificateId, address to, uint256 bps) private {
        emit RetiredFromPool(msg.sender, batchId, certificateId, to, kg, kg * TOKEN_PER_KG, kg * bps * FEE_PER_KG_BPS);
    }

    /// @dev Pool tokens sent to the pool itself would be stranded: refuse them.
    function _update(address from, address to, uint256 value) internal override {
        if (to == address(this)) revert ERC20InvalidReceiver(to);
        super._update(from, to, value);
    }
}
