// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IBufferPool} from "../interfaces/IBufferPool.sol";
import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {IGreenProjectRegistry, ProjectStatus} from "../interfaces/IGreenProjectRegistry.sol";
import {GuardianPausable} from "../governance/GuardianPausable.sol";
import {PullOnlyReceiver} from "../credits/PullOnlyReceiver.sol";

/// @title BufferPool
/// @notice The non-permanence buffer of the suite. CarbonCredit mints the withheld share of every issuance here (the
/// project's own buffer); compensations for avoidable reversals add pooled credits. A verifier's reversal report
/// cancels buffer credits through `CarbonCredit.cancel`: the project's own buffer first (oldest first), then the
/// pooled rest (every other project's buffer and the compensation credits, oldest first). What the whole buffer
/// cannot cover is recorded as uncovered. Credits held or retired by anyone are never touched. Nothing leaves this
/// contract except by cancellation.
/// @dev Entries are keyed `batchId << 1 | pooled`: one FIFO queue of every entry (the pooled order) and one FIFO
/// list per project of its own entries, both doubly linked, so taking from either end and removing an emptied
/// entry are O(1). A report or settlement touches at most MAX_BATCHES_PER_CALL entries; nothing loops over
/// history. Pausing (GuardianPausable: the guardian pauses, only the admin unpauses) stops reports and settlements;
/// compensation always stays open.
contract BufferPool is IBufferPool, GuardianPausable, ReentrancyGuardTransient, PullOnlyReceiver {
    /// @notice Buffer entries (batches) one report or settlement cancels from at most.
    uint256 public constant MAX_BATCHES_PER_CALL = 20;

    /// @dev One buffer entry and its links in the global queue: 80 + 64 + 56 + 56 = 256 bits. `projectId` is the
    /// project whose own buffer the units are, 0 for pooled (compensation) units. A batch holds at most
    /// 2^64 tonnes = 1.8e22 kg < 2^80.
    struct Entry {
        uint80 balanceKg;
        uint64 projectId;
        uint56 prev;
        uint56 next;
    }

    /// @dev Links of an own entry in its project's list.
    struct OwnLinks {
        uint56 prev;
        uint56 next;
    }

    /// @dev A project's own buffer: list ends and the kg left.
    struct OwnList {
        uint56 head;
        uint56 tail;
        uint128 kg;
    }

    /// @dev The global queue's ends and its number of entries.
    struct Queue {
        uint56 head;
        uint56 tail;
        uint128 length;
    }

    /// @dev Slot 0: identity and amounts; slot 1: outcome; slot 2: evidence; slot 3: the project's owing list.
    struct ReversalData {
        uint64 projectId;
        uint96 amountKg;
        uint96 cancelledKg;
        uint96 uncoveredKg;
        uint96 owedKg;
        uint40 reportedAt;
        bool avoidable;
        bytes32 evidence;
        uint64 prevOwing;
        uint64 nextOwing;
    }

    /// @dev A project's avoidable reversals that still owe, oldest first, and the kg owed in all.
    struct OwingList {
        uint64 head;
        uint64 tail;
        uint128 owedKg;
    }

    /// @notice The credit contract whose credits the buffer holds and cancels.
    ICarbonCredit public immutable credit;
    /// @notice The project registry (verifiers, project status).
    IGreenProjectRegistry public immutable registry;

    Queue private _queue;
    uint128 private _ownKg;
    uint128 private _pooledKg;
    uint256 private _reversalCount;
    mapping(uint256 key => Entry) private _entries;
    mapping(uint256 key => OwnLinks) private _ownLinks;
    mapping(uint256 projectId => OwnList) private _own;
    mapping(uint256 reversalId => ReversalData) private _reversals;
    mapping(uint256 projectId => OwingList) private _owing;

    /// @param admin receives DEFAULT_ADMIN_ROLE (grants PAUSER_ROLE).
    /// @param credit_ the CarbonCredit contract (wire it with `CarbonCredit.setBufferPool(this)`).
    /// @param registry_ the project registry of that credit contract.
    constructor(address admin, ICarbonCredit credit_, IGreenProjectRegistry registry_) {
        if (address(credit_) == address(0)) revert ZeroAddress("credit");
        if (address(registry_) == address(0)) revert ZeroAddress("registry");
        credit = credit_;
        registry = registry_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ───────────────────────────── reversals ─────────────────────────────

    /// @inheritdoc IBufferPool
    function reportReversal(
        uint256 projectId,
        uint256 amountKg,
        bool avoidable,
        bytes32 evidence
    ) external whenNotPaused nonReentrant returns (uint256 reversalId) {
        if (!registry.isVerifier(msg.sender)) revert VerifierRoleMissing(msg.sender);
        if (amountKg == 0) revert ZeroAmount();
        if (evidence == bytes32(0)) revert MissingEvidence();
        registry.statusOf(projectId); // reverts ProjectNotFound; any status may be reversed
        reversalId = ++_reversalCount;
        ReversalData storage r = _reversals[reversalId];
        r.projectId = SafeCast.toUint64(projectId);
        r.amountKg = SafeCast.toUint96(amountKg);
        r.reportedAt = uint40(block.timestamp);
        r.avoidable = avoidable;
        r.evidence = evidence;
        emit ReversalReported(reversalId, projectId, amountKg, avoidable, evidence);
        if (avoidable) {
            r.owedKg = uint96(amountKg);
            _pushOwing(projectId, reversalId, r, amountKg);
        }
        _settle(reversalId, r);
    }

    /// @inheritdoc IBufferPool
    function settleReversal(uint256 reversalId) external whenNotPaused nonReentrant returns (uint256 leftKg) {
        ReversalData storage r = _existing(reversalId);
        if (r.amountKg == r.cancelledKg + r.uncoveredKg) revert ReversalAlreadySettled(reversalId);
        return _settle(reversalId, r);
    }

    /// @inheritdoc IBufferPool
    function compensate(uint256 reversalId, uint256 batchId, uint256 amountKg) external nonReentrant {
        ReversalData storage r = _existing(reversalId);
        uint256 owed = r.owedKg;
        if (owed == 0) revert NothingToCompensate(reversalId);
        if (amountKg == 0) revert ZeroAmount();
        if (amountKg > owed) revert CompensationExceedsOwed(reversalId, owed, amountKg);
        uint256 batchProject = credit.projectOf(batchId); // reverts BatchNotFound
        ProjectStatus status = registry.statusOf(batchProject);
        if (status != ProjectStatus.Active) revert ProjectNotActive(batchProject, status);

        uint256 projectId = r.projectId;
        r.owedKg = uint96(owed - amountKg);
        _owing[projectId].owedKg -= uint128(amountKg);
        _book((batchId << 1) | 1, 0, amountKg);
        if (owed == amountKg) _removeOwing(projectId, r);
        emit Compensated(reversalId, msg.sender, batchId, amountKg);
        // the buffer is the operator of this pull, which the receiver hook recognises (booked above)
        IERC1155(address(credit)).safeTransferFrom(msg.sender, address(this), batchId, amountKg, "");
    }

    /// @notice ERC-1155 hook: accepts CarbonCredit's buffer mints (from 0, the project id as data) and this
    /// contract's own compensation pulls; anything else reverts UnsolicitedTransfer.
    function onERC1155Received(
        address operator,
        address from,
        uint256 id,
        uint256 value,
        bytes calldata data
    ) external returns (bytes4) {
        if (msg.sender == address(credit)) {
            if (operator == address(this)) return this.onERC1155Received.selector; // compensate booked it
            if (from == address(0) && data.length == 32) {
                _book(id << 1, abi.decode(data, (uint256)), value);
                return this.onERC1155Received.selector;
            }
        }
        revert UnsolicitedTransfer(msg.sender, operator, from);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc IBufferPool
    function reversal(
        uint256 id
    )
        external
        view
        returns (
            uint256 projectId,
            uint256 amountKg,
            uint256 cancelledKg,
            uint256 uncoveredKg,
            uint256 owedKg,
            bool avoidable,
            bytes32 evidence,
            uint64 reportedAt
        )
    {
        ReversalData storage r = _existing(id);
        return (r.projectId, r.amountKg, r.cancelledKg, r.uncoveredKg, r.owedKg, r.avoidable, r.evidence, r.reportedAt);
    }

    /// @notice Kg of the reversal still to cancel (0 = settled).
    function remainingKg(uint256 reversalId) external view returns (uint256) {
        ReversalData storage r = _existing(reversalId);
        return uint256(r.amountKg) - r.cancelledKg - r.uncoveredKg;
    }

    /// @notice Number of reversals reported (the highest id).
    function reversalCount() external view returns (uint256) {
        return _reversalCount;
    }

    /// @inheritdoc IBufferPool
    function bufferOf(uint256 projectId) external view returns (uint256) {
        return _own[projectId].kg;
    }

    /// @inheritdoc IBufferPool
    function totalBufferKg() external view returns (uint256) {
        return uint256(_ownKg) + _pooledKg;
    }

    /// @notice Kg of pooled compensation credits (part of totalBufferKg, no project's own buffer).
    function pooledBufferKg() external view returns (uint256) {
        return _pooledKg;
    }

    /// @notice Units of `batchId` the buffer holds: withheld from its issuance (`ownKg`) and from compensations.
    function heldKg(uint256 batchId) external view returns (uint256 ownKg, uint256 pooledKg) {
        return (_entries[batchId << 1].balanceKg, _entries[(batchId << 1) | 1].balanceKg);
    }

    /// @notice Kg the project owes back in all, and its oldest reversal that still owes (0 = none).
    function owedBy(uint256 projectId) external view returns (uint256 owedKg, uint256 oldestReversalId) {
        OwingList memory o = _owing[projectId];
        return (o.owedKg, o.head);
    }

    /// @notice Number of buffer entries (a batch's withheld units, or a batch's compensation units) held.
    function entryCount() external view returns (uint256) {
        return _queue.length;
    }

    /// @inheritdoc PullOnlyReceiver
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(AccessControl, PullOnlyReceiver) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _existing(uint256 reversalId) private view returns (ReversalData storage r) {
        r = _reversals[reversalId];
        if (r.amountKg == 0) revert ReversalNotFound(reversalId);
    }

    /// @dev Cancels what is left of a reversal from the buffer, touching at most MAX_BATCHES_PER_CALL entries: the
    /// project's own list first, then the global queue. Records a shortfall when the buffer is empty.
    function _settle(uint256 reversalId, ReversalData storage r) private returns (uint256 remaining) {
        remaining = uint256(r.amountKg) - r.cancelledKg - r.uncoveredKg;
        OwnList storage own = _own[r.projectId];
        bytes32 reason = r.evidence;
        for (uint256 touched; remaining != 0 && touched < MAX_BATCHES_PER_CALL; ++touched) {
            uint256 key = own.head;
            if (key == 0) key = _queue.head; // own buffer spent: the pooled rest, oldest first
            if (key == 0) break; // the whole buffer is spent
            Entry memory e = _entries[key];
            uint256 take = e.balanceKg < remaining ? e.balanceKg : remaining;
            _debit(key, e, take);
            remaining -= take;
            r.cancelledKg += uint96(take); // take ≤ remaining ≤ amountKg < 2^96
            emit BufferCancelled(reversalId, key >> 1, e.projectId, take);
            credit.cancel(key >> 1, take, reason);
        }
        if (remaining != 0 && _queue.head == 0) {
            r.uncoveredKg += uint96(remaining);
            emit BufferShortfall(reversalId, remaining);
            remaining = 0;
        }
        if (remaining == 0) emit ReversalSettled(reversalId, r.cancelledKg, r.uncoveredKg);
    }

    /// @dev Adds units to an entry; a new entry joins the tail of the queue (and of its project's list when own).
    function _book(uint256 key, uint256 projectId, uint256 amountKg) private {
        Entry storage e = _entries[key];
        uint256 balance = e.balanceKg;
        if (projectId == 0) _pooledKg += SafeCast.toUint128(amountKg);
        else {
            _ownKg += SafeCast.toUint128(amountKg);
            _own[projectId].kg += uint128(amountKg);
        }
        if (balance != 0) {
            e.balanceKg = SafeCast.toUint80(balance + amountKg);
            return;
        }
        uint56 k = SafeCast.toUint56(key);
        Queue memory q = _queue;
        if (q.tail == 0) q.head = k;
        else _entries[q.tail].next = k;
        _entries[key] = Entry({
            balanceKg: SafeCast.toUint80(amountKg),
            projectId: SafeCast.toUint64(projectId),
            prev: q.tail,
            next: 0
        });
        q.tail = k;
        ++q.length;
        _queue = q;
        if (projectId != 0) {
            OwnList storage own = _own[projectId];
            uint56 tail = own.tail;
            if (tail == 0) own.head = k;
            else _ownLinks[tail].next = k;
            _ownLinks[key] = OwnLinks({prev: tail, next: 0});
            own.tail = k;
        }
    }

    /// @dev Removes `amountKg` (≤ balance) from an entry; an emptied entry leaves the queue and its project's list.
    function _debit(uint256 key, Entry memory e, uint256 amountKg) private {
        if (e.projectId == 0) _pooledKg -= uint128(amountKg);
        else {
            _ownKg -= uint128(amountKg);
            _own[e.projectId].kg -= uint128(amountKg);
        }
        if (amountKg < e.balanceKg) {
            _entries[key].balanceKg = uint80(e.balanceKg - amountKg);
            return;
        }
        Queue memory q = _queue;
        if (e.prev == 0) q.head = e.next;
        else _entries[e.prev].next = e.next;
        if (e.next == 0) q.tail = e.prev;
        else _entries[e.next].prev = e.prev;
        --q.length;
        _queue = q;
        delete _entries[key];
        if (e.projectId != 0) {
            OwnList storage own = _own[e.projectId];
            OwnLinks memory links = _ownLinks[key];
            if (links.prev == 0) own.head = links.next;
            else _ownLinks[links.prev].next = links.next;
            if (links.next == 0) own.tail = links.prev;
            else _ownLinks[links.next].prev = links.prev;
            delete _ownLinks[key];
        }
    }

    /// @dev Appends an avoidable reversal to its project's owing list; the first one blocks issuance.
    function _pushOwing(uint256 projectId, uint256 reversalId, ReversalData storage r, uint256 amountKg) private {
        OwingList storage o = _owing[projectId];
        o.owedKg += uint128(amountKg);
        uint64 id = uint64(reversalId); // ids count up from 1 and never reach 2^64
        uint64 tail = o.tail;
        r.prevOwing = tail;
        o.tail = id;
        if (tail != 0) {
            _reversals[tail].nextOwing = id;
            return;
        }
        o.head = id;
        credit.setOutstandingReversal(projectId, reversalId);
    }

    /// @dev Removes a fully compensated reversal from its project's owing list; issuance then reports the next
    /// oldest one, or is unblocked when none is left.
    function _removeOwing(uint256 projectId, ReversalData storage r) private {
        OwingList storage o = _owing[projectId];
        (uint64 prev, uint64 next) = (r.prevOwing, r.nextOwing);
        if (prev == 0) o.head = next;
        else _reversals[prev].nextOwing = next;
        if (next == 0) o.tail = prev;
        else _reversals[next].prevOwing = prev;
        (r.prevOwing, r.nextOwing) = (0, 0);
        if (prev == 0) credit.setOutstandingReversal(projectId, next);
    }
}
