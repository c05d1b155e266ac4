// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IGreenProjectRegistry, ProjectStatus} from "./IGreenProjectRegistry.sol";

/// @notice Parameters of one issuance batch. Serials are per tonne, inclusive.
struct IssueParams {
    uint256 projectId;
    uint16 vintage;
    uint64 serialStart;
    uint64 serialEnd;
    address to;
    bytes32 attestation;
}

/// @notice A credit batch as returned by `batch()`. Amounts in kg CO2e (1 unit = 1 kg).
struct Batch {
    uint256 projectId;
    uint16 vintage;
    uint64 serialStart;
    uint64 serialEnd;
    uint256 issuedKg;
    uint256 retiredKg;
    bytes32 attestation;
}

/// @title ICarbonCredit
/// @notice ERC-1155 carbon credits: one id per verified issuance batch; retirement burns and certifies.
interface ICarbonCredit is IERC1155 {
    /// @notice A batch was issued (minted to `to`).
    event BatchIssued(
        uint256 indexed batchId,
        uint256 indexed projectId,
        uint16 vintage,
        uint64 serialStart,
        uint64 serialEnd,
        address indexed to,
        bytes32 attestation
    );
    /// @notice Units of a batch were retired (burned) by `account` for `beneficiary`.
    event Retired(
        uint256 indexed certificateId,
        uint256 indexed batchId,
        address indexed account,
        address beneficiary,
        uint256 amountKg,
        string beneficiaryName,
        string reason
    );
    /// @notice Issuance of `batchId` withheld `amountKg` (whole tonnes) into the BufferPool (the project's buffer).
    event BufferWithheld(uint256 indexed batchId, uint256 indexed projectId, uint256 amountKg);
    /// @notice The BufferPool was wired (once).
    event BufferPoolSet(address indexed bufferPool);
    /// @notice `amountKg` of `account`'s units of `batchId` were cancelled (burned, booked in `cancelledKg`).
    event CreditsCancelled(uint256 indexed batchId, address indexed account, uint256 amountKg, bytes32 reason);
    /// @notice The quality labels of a batch changed (bits of the Labels library).
    event LabelsSet(uint256 indexed batchId, uint32 labels);
    /// @notice The BufferPool marked (`reversalId` ≠ 0) or cleared (0) an avoidable reversal the project still owes:
    /// while marked, the project cannot be issued.
    event OutstandingReversalSet(uint256 indexed projectId, uint256 reversalId);

    /// @dev Issuance needs an Active project; retirement too.
    error ProjectNotActive(uint256 projectId, ProjectStatus status);
    /// @dev Vintage outside [MIN_VINTAGE, current year].
    error InvalidVintage(uint16 vintage, uint256 currentYear);
    /// @dev serialStart > serialEnd.
    error InvalidSerialRange(uint64 serialStart, uint64 serialEnd);
    /// @dev The range overlaps an earlier batch of the same project.
    error SerialRangeOverlap(uint256 projectId, uint256 existingBatchId, uint64 existingStart, uint64 existingEnd);
    /// @dev The range lies below the project's highest range: use issueWithHint.
    error SerialRangeHintRequired(uint256 projectId, uint256 highestBatchId);
    /// @dev The hint is not the batch whose range lies just below the new range.
    error InvalidSerialHint(uint256 projectId, uint256 prevBatchId);
    /// @dev The attestation hash is zero.
    error MissingAttestation();
    /// @dev The recipient is the zero address.
    error InvalidRecipient(address to);
    /// @dev No batch with this id.
    error BatchNotFound(uint256 batchId);
    /// @dev A zero amount.
    error ZeroAmount();
    /// @dev Beneficiary name over the cap.
    error BeneficiaryNameTooLong(uint256 length, uint256 maxLength);
    /// @dev Retirement reason over the cap.
    error ReasonTooLong(uint256 length, uint256 maxLength);
    /// @dev retireBatch with no batches or more than the bound.
    error InvalidBatchCount(uint256 count, uint256 maxCount);
    /// @dev Array lengths differ.
    error ArrayLengthMismatch(uint256 batchIds, uint256 amounts);
    /// @dev The project has a buffer rate but no BufferPool is wired yet.
    error BufferPoolNotSet();
    /// @dev The BufferPool is wired once.
    error BufferPoolAlreadySet(address bufferPool);
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    /// @dev Only the BufferPool may do this.
    error NotBufferPool(address caller);
    /// @dev Bits outside the Labels library.
    error UnknownLabels(uint32 labels);
    /// @dev The project owes an avoidable reversal back to the buffer: no new issuance until it is compensated.
    error ReversalOutstanding(uint256 projectId, uint256 reversalId);

    /// @notice Issues a batch whose serial range lies above all earlier ranges of the project. ISSUER_ROLE.
    /// Withholds `ceil(tonnes × bufferRate / 10,000)` whole tonnes into the BufferPool when the project has a rate.
    function issue(IssueParams calldata p) external returns (uint256 batchId);

    /// @notice Issues a batch whose range fits just above `prevBatchId` (0 = below all). ISSUER_ROLE.
    function issueWithHint(IssueParams calldata p, uint256 prevBatchId) external returns (uint256 batchId);

    /// @notice The batch record.
    function batch(uint256 batchId) external view returns (Batch memory);

    /// @notice Number of batches issued (ids are 1..batchCount: the highest batch id).
    function batchCount() external view returns (uint256);

    /// @notice The project registry this contract checks.
    function registry() external view returns (IGreenProjectRegistry);

    /// @notice Project id of a batch (reverts BatchNotFound).
    function projectOf(uint256 batchId) external view returns (uint256);

    /// @notice Retires the caller's units; mints a certificate to `beneficiary` (caller when zero).
    function retire(
        uint256 batchId,
        uint256 amountKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 certificateId);

    /// @notice Retires `account`'s units; caller must be `account` or approved for all by it.
    function retireFrom(
        address account,
        uint256 batchId,
        uint256 amountKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 certificateId);

    /// @notice Retires units of several batches under one certificate (≤ MAX_BATCHES_PER_RETIREMENT).
    function retireBatch(
        uint256[] calldata batchIds,
        uint256[] calldata amountsKg,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 certificateId);

    /// @notice Wires the BufferPool that receives withheld credits and may cancel them. Once; DEFAULT_ADMIN_ROLE.
    function setBufferPool(address bufferPool) external;

    /// @notice Burns `amountKg` of the BufferPool's units of `batchId` and books them as cancelled. BufferPool only.
    function cancel(uint256 batchId, uint256 amountKg, bytes32 reason) external;

    /// @notice Units of `batchId` cancelled so far. Per batch: Σ balances + retiredKg + cancelledKg = issuedKg.
    function cancelledKg(uint256 batchId) external view returns (uint256);

    /// @notice Sets the quality labels of a batch (bits of the Labels library; others revert). ISSUER_ROLE.
    function setLabels(uint256 batchId, uint32 labels) external;

    /// @notice The quality labels of a batch (0 = none).
    function labelsOf(uint256 batchId) external view returns (uint32);

    /// @notice Marks (`reversalId` ≠ 0) or clears (0) the avoidable reversal a project owes. BufferPool only.
    function setOutstandingReversal(uint256 projectId, uint256 reversalId) external;

    /// @notice The avoidable reversal blocking the project's issuance (0 = none).
    function outstandingReversalOf(uint256 projectId) external view returns (uint256);
}
