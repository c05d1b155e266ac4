// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ICarbonPool, Criteria, Ineligibility} from "../interfaces/ICarbonPool.sol";
import {IGreenProjectRegistry, ProjectStatus} from "../interfaces/IGreenProjectRegistry.sol";
import {ICarbonCredit, Batch} from "../interfaces/ICarbonCredit.sol";
import {GuardianPausable} from "../governance/GuardianPausable.sol";
import {Roles} from "../libraries/Roles.sol";
import {BatchQueue} from "../libraries/BatchQueue.sol";
import {PoolWalk} from "../libraries/PoolWalk.sol";

/// @title PoolBook
/// @notice The book of CarbonPool: its bounds, configuration (criteria, fees, treasury, required labels), the FIFO
/// queue of held batches, and the read side (eligibility, configuration, holdings and queue views) with the checks
/// the deposit and exit paths share. CarbonPool holds every state change and the auto-path walk.
/// @dev Abstract: only CarbonPool derives from it. It declares all of CarbonPool's storage,
/// laid out right after the OpenZeppelin bases'.
abstract contract PoolBook is ICarbonPool, ERC20Permit, GuardianPausable {
    using BatchQueue for BatchQueue.Node;
    using PoolWalk for BatchQueue.Queue;

    /// @notice Role that sets criteria and fees.
    bytes32 public constant POOL_ADMIN_ROLE = Roles.POOL_ADMIN;

    /// @notice Pool-token wei per kg CO2e (1e18 = 1 tonne).
    uint256 public constant TOKEN_PER_KG = 1e15;
    /// @notice Cap of each fee, in basis points (10 %).
    uint256 public constant MAX_FEE_BPS = 1_000;
    /// @notice Cap of the accepted-standards list.
    uint256 public constant MAX_STANDARDS = 16;
    /// @notice Batches an auto path touches at most per call (skips included).
    uint256 public constant MAX_BATCHES_PER_CALL = 20;

    /// @dev Fee per kg per basis point, in pool-token wei: TOKEN_PER_KG / 10,000 (exact, so fees never round).
    uint256 internal constant FEE_PER_KG_BPS = TOKEN_PER_KG / 10_000;

    /// @dev Fees, treasury, the vintage criterion and the required labels (one slot).
    struct Config {
        address treasury;
        uint16 redeemFeeBps;
        uint16 retireFeeBps;
        uint16 minVintage;
        uint32 requiredLabels;
    }

    /// @notice The credit contract whose batches this pool holds.
    ICarbonCredit public immutable credit;
    /// @notice The project registry (the credit contract's).
    IGreenProjectRegistry public immutable registry;

    Config internal _config;
    uint256 internal _categoryMask;
    bytes32[] internal _standards;
    BatchQueue.Queue internal _batches;

    /// @param credit_ the CarbonCredit contract (its registry is the pool's).
    constructor(ICarbonCredit credit_) {
        if (address(credit_) == address(0)) revert ZeroAddress("credit");
        credit = credit_;
        registry = credit_.registry();
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc ICarbonPool
    function isEligible(uint256 batchId) external view returns (bool) {
        (Ineligibility reason, ) = _eligibility(batchId);
        return reason == Ineligibility.None;
    }

    /// @notice Why `batchId` cannot be deposited now (`None` = it can).
    function eligibility(uint256 batchId) external view returns (Ineligibility reason) {
        (reason, ) = _eligibility(batchId);
    }

    /// @notice The current eligibility criteria.
    function criteria() external view returns (Criteria memory c) {
        c.minVintage = _config.minVintage;
        c.categoryMask = _categoryMask;
        c.standards = _standards;
    }

    /// @inheritdoc ICarbonPool
    function requiredLabels() external view returns (uint32) {
        return _config.requiredLabels;
    }

    /// @notice Redeem fee in basis points.
    function redeemFeeBps() external view returns (uint16) {
        return _config.redeemFeeBps;
    }

    /// @notice Retire fee in basis points.
    function retireFeeBps() external view returns (uint16) {
        return _config.retireFeeBps;
    }

    /// @notice Where fees (pool tokens) go.
    function treasury() external view returns (address) {
        return _config.treasury;
    }

    /// @notice Units of `batchId` the pool holds (kg).
    function heldKg(uint256 batchId) external view returns (uint256) {
        return _batches.nodes[batchId].balanceKg;
    }

    /// @notice The FIFO queue: oldest batch, newest batch, number of batches in it (`count`).
    function queue() external view returns (uint256 head, uint256 tail, uint256 count) {
        BatchQueue.List memory ends = _batches.live;
        return (ends.head, ends.tail, ends.length);
    }

    /// @notice The held batches moved out of the FIFO (`unqueue`): first, last, number.
    function unqueuedBatches() external view returns (uint256 head, uint256 tail, uint256 count) {
        BatchQueue.List memory ends = _batches.parked;
        return (ends.head, ends.tail, ends.length);
    }

    /// @notice Whether `batchId` is held and in the FIFO (false for an unqueued batch or one not held).
    function isQueued(uint256 batchId) external view returns (bool) {
        BatchQueue.Node memory n = _batches.nodes[batchId];
        return n.balanceKg != 0 && !n.isParked();
    }

    /// @notice Neighbours of `batchId` in its list, the queue or the unqueued batches (0 = none / not held).
    function neighbours(uint256 batchId) external view returns (uint256 prev, uint256 next) {
        BatchQueue.Node memory n = _batches.nodes[batchId];
        return (n.prev, n.next);
    }

    /// @notice Up to `maxCount` held batches from `startBatchId` (0 = the head): the queue in order, then the
    /// unqueued batches; with the batch to continue from (0 = end). A start that is not held returns nothing.
    /// Paginate for large pools.
    function holdings(
        uint256 startBatchId,
        uint256 maxCount
    ) external view returns (uint256[] memory batchIds, uint256[] memory amountsKg, uint256 nextBatchId) {
        return _batches.page(startBatchId, maxCount);
    }

    // ───────────────────────────── internals: checks ─────────────────────────────

    function _requireEligible(uint256 batchId) internal view returns (uint256 projectId) {
        Ineligibility reason;
        (reason, projectId) = _eligibility(batchId);
        if (reason != Ineligibility.None) revert BatchNotEligible(batchId, reason);
    }

    function _eligibility(uint256 batchId) internal view returns (Ineligibility, uint256 projectId) {
        if (batchId == 0 || batchId > credit.batchCount()) return (Ineligibility.UnknownBatch, 0);
        Batch memory b = credit.batch(batchId);
        projectId = b.projectId;
        if (registry.statusOf(projectId) != ProjectStatus.Active) return (Ineligibility.ProjectNotActive, projectId);
        (uint16 minVintage, uint32 required) = (_config.minVintage, _config.requiredLabels); // one slot
        if (b.vintage < minVintage) return (Ineligibility.VintageTooOld, projectId);
        if ((_categoryMask >> uint8(registry.categoryOf(projectId))) & 1 == 0) {
            return (Ineligibility.CategoryNotAllowed, projectId);
        }
        if (required != 0 && credit.labelsOf(batchId) & required != required) {
            return (Ineligibility.LabelsMissing, projectId);
        }
        uint256 n = _standards.length;
        if (n == 0) return (Ineligibility.None, projectId);
        bytes32 h = keccak256(bytes(registry.standardOf(projectId)));
        for (uint256 i; i < n; ++i) {
            if (_standards[i] == h) return (Ineligibility.None, projectId);
        }
        return (Ineligibility.StandardNotAllowed, projectId);
    }

    function _requireHeld(uint256 batchId, uint256 amountKg) internal view {
        uint256 held = _batches.nodes[batchId].balanceKg;
        if (held < amountKg) revert InsufficientPoolBalance(batchId, held, amountKg);
    }
}
