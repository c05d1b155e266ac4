// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProjectStatus} from "./IGreenProjectRegistry.sol";

/// @notice What a pool accepts. Applies to deposits made after it is set.
/// @param minVintage oldest accepted vintage (0 = any).
/// @param categoryMask bit `i` set = `Category(i)` accepted (0 = nothing accepted: deposits closed).
/// @param standards keccak256 of the accepted standard strings (e.g. keccak256("Verra VCS")); empty = any; ≤ 16.
struct Criteria {
    uint16 minVintage;
    uint256 categoryMask;
    bytes32[] standards;
}

/// @notice Why a batch is not eligible for a pool (`None` = eligible).
enum Ineligibility {
    None,
    UnknownBatch,
    ProjectNotActive,
    VintageTooOld,
    CategoryNotAllowed,
    StandardNotAllowed,
    LabelsMissing
}

/// @title ICarbonPool
/// @notice Fungible carbon index token (ERC-20 + ERC-2612) backed 1:1 by eligible ERC-1155 credits held by the
/// pool: 1 kg CO2e deposited = 1e15 pool-token wei (1e18 = 1 tonne).
interface ICarbonPool {
    /// @notice `account` deposited `amountKg` of `batchId` and received `minted` pool tokens.
    event Deposited(address indexed account, uint256 indexed batchId, uint256 amountKg, uint256 minted);
    /// @notice `account` redeemed `amountKg` of `batchId`: `burned` pool tokens burned, `fee` paid to the treasury.
    event Redeemed(address indexed account, uint256 indexed batchId, uint256 amountKg, uint256 burned, uint256 fee);
    /// @notice `account` retired `amountKg` of the pool's `batchId` for `beneficiary` under `certificateId`.
    event RetiredFromPool(
        address indexed account,
        uint256 indexed batchId,
        uint256 indexed certificateId,
        address beneficiary,
        uint256 amountKg,
        uint256 burned,
        uint256 fee
    );
    /// @notice An auto path (redeemAuto / retireFromPool with batch 0) skipped a batch whose project is not Active.
    event BatchSkipped(uint256 indexed batchId, uint256 indexed projectId, ProjectStatus status);
    /// @notice A batch of a project that is not Active left the FIFO (still held, redeemable by id).
    event BatchUnqueued(uint256 indexed batchId, uint256 indexed projectId, ProjectStatus status);
    /// @notice An unqueued batch whose project is Active again re-entered the FIFO at the tail.
    event BatchRequeued(uint256 indexed batchId, uint256 indexed projectId);
    /// @notice The eligibility criteria changed (later deposits only).
    event CriteriaUpdated(uint16 minVintage, uint256 categoryMask, bytes32[] standards);
    /// @notice Fees or treasury changed.
    event FeesUpdated(uint16 redeemFeeBps, uint16 retireFeeBps, address indexed treasury);
    /// @notice The quality labels every deposited batch must carry changed (later deposits only).
    event RequiredLabelsSet(uint32 mask);

    /// @dev The batch cannot enter the pool.
    error BatchNotEligible(uint256 batchId, Ineligibility reason);
    /// @dev A zero amount.
    error ZeroAmount();
    /// @dev The pool holds less of `batchId` than requested.
    error InsufficientPoolBalance(uint256 batchId, uint256 heldKg, uint256 requestedKg);
    /// @dev An auto path would need more than `maxBatches` batches (skips included); `coveredKg` fit in the cap.
    error AmountExceedsBatchesPerCall(uint256 requestedKg, uint256 coveredKg, uint256 maxBatches);
    /// @dev The pool's batches of Active projects hold less than requested.
    error NotEnoughActiveCredits(uint256 requestedKg, uint256 availableKg);
    /// @dev A fee above MAX_FEE_BPS.
    error FeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    /// @dev The treasury is the zero address or the pool itself.
    error InvalidTreasury(address treasury);
    /// @dev The batch is not held in the FIFO (not held, or unqueued already).
    error BatchNotQueued(uint256 batchId);
    /// @dev The batch is not a held, unqueued batch.
    error BatchNotUnqueued(uint256 batchId);
    /// @dev unqueue needs a project that is not Active, requeue an Active one.
    error WrongProjectStatus(uint256 batchId, ProjectStatus status);
    /// @dev More standards than MAX_STANDARDS.
    error TooManyStandards(uint256 count, uint256 maxCount);
    /// @dev A zero standard hash.
    error InvalidStandard(uint256 index);
    /// @dev The pool only accepts its own CarbonCredit contract's tokens.
    error UnsupportedToken(address token);
    /// @dev Credits minted straight to the pool (no owner to credit).
    error MintToPoolNotAccepted(uint256 batchId);
    /// @dev The pool itself cannot be the beneficiary of a retirement.
    error InvalidBeneficiary(address beneficiary);
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    /// @dev Bits outside the Labels library.
    error UnknownLabels(uint32 labels);

    /// @notice Pulls `amountKg` units of `batchId` from the caller (needs setApprovalForAll) and mints
    /// `amountKg * 1e15` pool tokens to the caller. Reverts BatchNotEligible when the batch does not meet the criteria
    /// or its project is not Active. Not while paused.
    function deposit(uint256 batchId, uint256 amountKg) external returns (uint256 minted);

    /// @notice Burns `amountKg * 1e15` pool tokens of the caller, moves the redeem fee (in pool tokens) from the caller
    /// to the treasury and delivers `amountKg` units of `batchId` to the caller. Works while paused and for batches
    /// of suspended or closed projects (holders can always exit).
    function redeem(uint256 batchId, uint256 amountKg) external returns (uint256 burned);

    /// @notice Like `redeem`, taking the oldest batches first (FIFO by when a batch last entered the queue),
    /// skipping batches whose project is not Active; at most MAX_BATCHES_PER_CALL batches touched (skips count).
    function redeemAuto(uint256 amountKg) external returns (uint256[] memory batchIds, uint256[] memory amountsKg);

    /// @notice Burns the caller's pool tokens (+ retire fee to the treasury) and retires the pool's credits of
    /// `batchId` (0 = FIFO across batches, one certificate) for `beneficiary` (the caller when zero).
    function retireFromPool(
        uint256 batchId,
        uint256 amountKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 certificateId);

    /// @notice Moves a held batch whose project is not Active out of the FIFO in O(1), so the auto paths never
    /// touch it (it stays redeemable by id; `holdings` lists it after the queue). Anyone; works while paused.
    function unqueue(uint256 batchId) external;

    /// @notice Puts an unqueued batch whose project is Active again back at the FIFO tail. Anyone; works while paused.
    function requeue(uint256 batchId) external;

    /// @notice Whether `batchId` may be deposited now (criteria and project Active).
    function isEligible(uint256 batchId) external view returns (bool);

    /// @notice Sets the eligibility criteria (later deposits only). POOL_ADMIN_ROLE.
    function setCriteria(Criteria calldata c) external;

    /// @notice Sets the quality labels (Labels bits) a batch must all carry to be deposited (0 = none).
    /// POOL_ADMIN_ROLE.
    function setRequiredLabels(uint32 mask) external;

    /// @notice The quality labels a batch must carry (0 = none).
    function requiredLabels() external view returns (uint32);

    /// @notice Sets the fees (each ≤ MAX_FEE_BPS) and the treasury (non-zero). POOL_ADMIN_ROLE.
    function setFees(uint16 redeemFeeBps, uint16 retireFeeBps, address treasury) external;
}
