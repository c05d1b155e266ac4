// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProjectStatus} from "./IGreenProjectRegistry.sol";
import {ICreditReceiver} from "./ICreditReceiver.sol";

/// @title IBufferPool
/// @notice The non-permanence buffer: every project's withheld credits (minted here by CarbonCredit at issuance) plus
/// compensation credits. A reported reversal cancels buffer credits (the project's own first, then the pooled rest,
/// oldest first), never credits that anyone holds or retired. An avoidable reversal is owed back by compensation;
/// until then the project cannot be issued again. Amounts in kg CO2e (1 unit = 1 kg).
/// @dev UnsolicitedTransfer (ICreditReceiver): credits the buffer did not ask for (only buffer mints and its own
/// compensation pulls are accepted).
interface IBufferPool is ICreditReceiver {
    /// @notice A verifier reported a reversal of `amountKg` of `projectId` (fire, logging, …), backed by `evidence`.
    event ReversalReported(
        uint256 indexed reversalId,
        uint256 indexed projectId,
        uint256 amountKg,
        bool avoidable,
        bytes32 evidence
    );
    /// @notice The reversal cancelled `amountKg` of the buffer's units of `batchId`. `fromProjectId` is the project
    /// whose own buffer they were, or 0 for pooled (compensation) credits.
    event BufferCancelled(
        uint256 indexed reversalId,
        uint256 indexed batchId,
        uint256 indexed fromProjectId,
        uint256 amountKg
    );
    /// @notice The whole buffer was spent: `amountKg` of the reversal stays uncovered.
    event BufferShortfall(uint256 indexed reversalId, uint256 amountKg);
    /// @notice Nothing of the reversal is left to cancel (`cancelledKg` cancelled, `uncoveredKg` uncovered).
    event ReversalSettled(uint256 indexed reversalId, uint256 cancelledKg, uint256 uncoveredKg);
    /// @notice `from` moved `amountKg` of `batchId` into the buffer (pooled) against what the reversal's project owes.
    event Compensated(uint256 indexed reversalId, address indexed from, uint256 indexed batchId, uint256 amountKg);

    /// @dev The caller lacks the registry's VERIFIER_ROLE.
    error VerifierRoleMissing(address account);
    /// @dev A zero amount.
    error ZeroAmount();
    /// @dev The evidence hash is zero.
    error MissingEvidence();
    /// @dev No reversal with this id.
    error ReversalNotFound(uint256 reversalId);
    /// @dev The reversal has nothing left to cancel.
    error ReversalAlreadySettled(uint256 reversalId);
    /// @dev The reversal owes nothing (unavoidable, or fully compensated).
    error NothingToCompensate(uint256 reversalId);
    /// @dev The compensation is larger than what is still owed.
    error CompensationExceedsOwed(uint256 reversalId, uint256 owedKg, uint256 amountKg);
    /// @dev Compensation must come from a batch of an Active project.
    error ProjectNotActive(uint256 projectId, ProjectStatus status);
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);

    /// @notice Records a reversal and cancels up to `amountKg` of buffer credits at once (at most
    /// MAX_BATCHES_PER_CALL batches; `settleReversal` continues). Callers need the registry's VERIFIER_ROLE.
    /// An avoidable reversal makes the project owe `amountKg`, which blocks its issuance until compensated.
    /// Not while paused.
    function reportReversal(
        uint256 projectId,
        uint256 amountKg,
        bool avoidable,
        bytes32 evidence
    ) external returns (uint256 reversalId);

    /// @notice Continues cancelling an open reversal (at most MAX_BATCHES_PER_CALL batches); anyone. Returns what is
    /// still left to cancel. Not while paused.
    function settleReversal(uint256 reversalId) external returns (uint256 leftKg);

    /// @notice Moves `amountKg` of the caller's `batchId` (an Active project's; needs setApprovalForAll) into the
    /// buffer as pooled credits and reduces what the reversal's project owes. Works while paused.
    function compensate(uint256 reversalId, uint256 batchId, uint256 amountKg) external;

    /// @notice A reversal: project, amount reported, cancelled and uncovered so far, still owed, avoidable, evidence,
    /// report time. Left to cancel = amountKg − cancelledKg − uncoveredKg.
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
        );

    /// @notice Kg of the project's own buffer (withheld from its issuance) left.
    function bufferOf(uint256 projectId) external view returns (uint256);

    /// @notice Kg the buffer holds: every project's own buffer plus pooled compensation credits.
    function totalBufferKg() external view returns (uint256);
}
