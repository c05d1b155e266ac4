// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IGreenProjectRegistry, ProjectStatus} from "./IGreenProjectRegistry.sol";

/// @notice One milestone of a deal. `description` is the hash of the off-chain milestone document.
struct MilestoneInput {
    uint256 amount;
    uint64 deadline;
    bytes32 description;
}

/// @notice What a funder submits to create a deal.
struct DealInput {
    uint256 projectId;
    address beneficiary;
    address token;
    MilestoneInput[] milestones;
    address[] verifiers;
    uint8 threshold;
    address arbiter;
    uint64 disputeWindow;
}

/// @notice Lifecycle of a deal.
enum DealStatus {
    None, // no such deal
    Created, // terms fixed, not funded yet
    Funded, // the total is locked; milestones settle one by one
    Cancelled // cancelled (before funding by the funder, after funding by both parties)
}

/// @notice Lifecycle of a milestone. Pending and Disputed hold money ("locked"); the others are terminal.
enum MilestoneState {
    Pending,
    Disputed,
    Released, // threshold of attestations reached: beneficiary (minus fee) and treasury (fee) are owed
    Refunded, // expired without release (or dispute left unresolved): funder is owed
    Resolved, // the arbiter split it
    Cancelled // the deal was cancelled while the milestone was locked: funder is owed
}

/// @notice A deal as returned by `deal()`.
struct DealView {
    uint256 projectId;
    address funder;
    address beneficiary;
    address token;
    address arbiter;
    uint256 total;
    uint64 disputeWindow;
    uint16 feeBps;
    uint8 threshold;
    uint8 milestoneCount;
    uint8 verifierCount;
    uint8 openMilestones;
    DealStatus status;
    bool funderConsentsToCancel;
    bool beneficiaryConsentsToCancel;
}

/// @notice A milestone as returned by `milestone()`. `disputedAt` is 0 unless a dispute was raised.
struct MilestoneView {
    uint256 amount;
    uint64 deadline;
    uint64 disputedAt;
    MilestoneState state;
    uint8 attestations;
    uint16 attestedMask;
}

/// @title IMilestoneEscrow
/// @notice Funds locked per deal, released per milestone on M-of-N verifier attestation,
/// refunded after deadlines, disputes resolved by an arbiter; all payouts are pull payments.
interface IMilestoneEscrow {
    event DealCreated(
        uint256 indexed dealId,
        uint256 indexed projectId,
        address indexed funder,
        address beneficiary,
        address token,
        uint256 total,
        uint8 threshold
    );
    event DealFunded(uint256 indexed dealId, uint256 amount);
    event MilestoneAttested(
        uint256 indexed dealId,
        uint256 indexed index,
        address indexed verifier,
        bytes32 evidence,
        uint8 attestations
    );
    event MilestoneReleased(uint256 indexed dealId, uint256 indexed index, uint256 toBeneficiary, uint256 fee);
    event MilestoneRefunded(uint256 indexed dealId, uint256 indexed index, uint256 amount);
    event DisputeRaised(uint256 indexed dealId, uint256 indexed index, address indexed by, bytes32 reason);
    event DisputeResolved(uint256 indexed dealId, uint256 indexed index, uint16 releaseBps);
    event Withdrawn(address indexed account, address indexed token, uint256 amount);

    /// @notice Full terms of a new deal (emitted with DealCreated): verifiers, milestones, arbiter, window, fee.
    event DealTerms(
        uint256 indexed dealId,
        address arbiter,
        uint64 disputeWindow,
        uint16 feeBps,
        address[] verifiers,
        MilestoneInput[] milestones
    );
    /// @notice Amounts of a resolved dispute (emitted with DisputeResolved).
    event DisputeSettled(
        uint256 indexed dealId,
        uint256 indexed index,
        uint256 toBeneficiary,
        uint256 fee,
        uint256 toFunder
    );
    /// @notice One party consented to cancel a funded deal; the other party's `cancel` completes it.
    event CancelConsent(uint256 indexed dealId, address indexed by);
    /// @notice A party withdrew its consent to cancel a funded deal.
    event CancelConsentRevoked(uint256 indexed dealId, address indexed by);
    /// @notice The deal was cancelled; `refunded` (every still-locked milestone) is owed to the funder.
    event DealCancelled(uint256 indexed dealId, address indexed by, uint256 refunded);
    /// @notice A locked milestone was returned to the funder because the deal was cancelled.
    event MilestoneCancelled(uint256 indexed dealId, uint256 indexed index, uint256 amount);
    /// @notice The platform fee for deals created from now on changed.
    event EscrowFeeUpdated(uint16 oldFeeBps, uint16 newFeeBps);
    /// @notice The treasury that receives platform fees changed.
    event TreasuryUpdated(address indexed oldTreasury, address indexed newTreasury);

    /// @dev No deal with this id.
    error DealNotFound(uint256 dealId);
    /// @dev The project is not Active in the registry (`status` is its status there).
    error ProjectNotActive(uint256 projectId, ProjectStatus status);
    /// @dev No such project in the registry (the registry's own error, bubbled up).
    error ProjectNotFound(uint256 projectId);
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    /// @dev The token address has no code.
    error TokenNotContract(address token);
    /// @dev The treasury is the zero address or the escrow itself.
    error InvalidTreasury(address treasury);
    /// @dev The arbiter is the funder or the beneficiary.
    error ArbiterNotIndependent(address arbiter);
    /// @dev A verifier is the zero address, the funder or the beneficiary.
    error VerifierNotIndependent(address verifier);
    /// @dev The same verifier appears twice.
    error DuplicateVerifier(address verifier);
    /// @dev Verifier list length is 0 or above the maximum.
    error InvalidVerifierCount(uint256 count, uint256 max);
    /// @dev Threshold is 0 or above the number of verifiers.
    error InvalidThreshold(uint8 threshold, uint256 verifierCount);
    /// @dev Milestone count is 0 or above the maximum.
    error InvalidMilestoneCount(uint256 count, uint256 max);
    /// @dev A milestone amount is 0 or does not fit 128 bits.
    error InvalidMilestoneAmount(uint256 index, uint256 amount);
    /// @dev The first deadline is not in the future.
    error DeadlineNotInFuture(uint256 index, uint64 deadline, uint256 nowTs);
    /// @dev Deadlines are not strictly increasing.
    error DeadlinesNotIncreasing(uint256 index, uint64 previous, uint64 deadline);
    /// @dev The dispute window is outside [min, max].
    error InvalidDisputeWindow(uint64 window, uint64 min, uint64 max);
    /// @dev Fee above the cap.
    error FeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    /// @dev Caller is not the deal's funder.
    error NotFunder(uint256 dealId, address account);
    /// @dev Caller is neither the funder nor the beneficiary.
    error NotParty(uint256 dealId, address account);
    /// @dev Caller is not the deal's arbiter.
    error NotArbiter(uint256 dealId, address account);
    /// @dev Caller is not in the deal's verifier list.
    error NotDealVerifier(uint256 dealId, address account);
    /// @dev Caller is listed but does not hold VERIFIER_ROLE in the registry now.
    error VerifierRoleMissing(address account);
    /// @dev The deal is funded already.
    error DealAlreadyFunded(uint256 dealId);
    /// @dev The deal is not funded yet.
    error DealNotFunded(uint256 dealId);
    /// @dev The deal is cancelled.
    error DealIsCancelled(uint256 dealId);
    /// @dev Every milestone of the deal is settled: nothing left to cancel.
    error DealSettled(uint256 dealId);
    /// @dev Milestone index beyond the deal's milestones.
    error MilestoneOutOfRange(uint256 dealId, uint256 index, uint256 count);
    /// @dev Attestation after the milestone deadline.
    error MilestoneExpired(uint256 dealId, uint256 index, uint64 deadline);
    /// @dev The milestone already reached a terminal state.
    error MilestoneAlreadySettled(uint256 dealId, uint256 index, MilestoneState state);
    /// @dev The milestone is disputed already.
    error MilestoneAlreadyDisputed(uint256 dealId, uint256 index);
    /// @dev The milestone is not disputed.
    error MilestoneNotDisputed(uint256 dealId, uint256 index);
    /// @dev Fewer valid attestations (by listed verifiers holding VERIFIER_ROLE now) than the threshold.
    error NotEnoughAttestations(uint256 dealId, uint256 index, uint256 valid, uint256 threshold);
    /// @dev This verifier already attested this milestone.
    error AlreadyAttested(uint256 dealId, uint256 index, address verifier);
    /// @dev Disputes open only after the deadline.
    error DisputeTooEarly(uint256 dealId, uint256 index, uint64 deadline);
    /// @dev The dispute window of this milestone ended at `closedAt`.
    error DisputeWindowClosed(uint256 dealId, uint256 index, uint256 closedAt);
    /// @dev The refund is possible only after `availableAfter`.
    error RefundNotAvailable(uint256 dealId, uint256 index, uint256 availableAfter);
    /// @dev The arbiter's window for this dispute ended at `closedAt` (the funder can take the refund).
    error ArbitrationClosed(uint256 dealId, uint256 index, uint256 closedAt);
    /// @dev releaseBps above 10000.
    error InvalidReleaseBps(uint16 releaseBps);
    /// @dev The caller already consented to cancel this deal.
    error CancelAlreadyConsented(uint256 dealId, address account);
    /// @dev The caller has no standing consent to revoke.
    error NoCancelConsent(uint256 dealId, address account);
    /// @dev Nothing is owed to this account in this token.
    error NothingOwed(address account, address token);

    /// @notice Creates a deal; the caller becomes the funder.
    function createDeal(DealInput calldata d) external returns (uint256 dealId);

    /// @notice Pulls the deal's total from the funder (once).
    function fund(uint256 dealId) external;

    /// @notice Funds with an ERC-2612 permit for the deal's total.
    function fundWithPermit(uint256 dealId, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice A deal verifier attests a milestone; at threshold it is released.
    function attest(uint256 dealId, uint256 index, bytes32 evidence) external;

    /// @notice Anyone releases a Pending milestone, before its deadline, once the valid attestations reach the
    /// threshold (a verifier's role restored after every listed verifier attested leaves no attestation to trigger it).
    function release(uint256 dealId, uint256 index) external;

    /// @notice After deadline + disputeWindow (or an unresolved dispute's window), the funder is owed the milestone.
    function refundExpired(uint256 dealId, uint256 index) external;

    /// @notice Funder or beneficiary disputes a milestone within the dispute window after its deadline.
    function dispute(uint256 dealId, uint256 index, bytes32 reason) external;

    /// @notice The deal's arbiter splits a disputed milestone: releaseBps to the beneficiary, the rest to the funder.
    function resolve(uint256 dealId, uint256 index, uint16 releaseBps) external;

    /// @notice Cancels a deal: the funder before funding, or both parties' consent after.
    function cancel(uint256 dealId) external;

    /// @notice Pulls everything owed to the caller in `token`.
    function withdraw(address token) external returns (uint256 amount);

    /// @notice Amount owed to `account` in `token`.
    function owed(address account, address token) external view returns (uint256);

    /// @notice Withdraws the caller's standing consent to cancel a funded deal.
    function revokeCancelConsent(uint256 dealId) external;

    /// @notice A deal's terms and state.
    function deal(uint256 dealId) external view returns (DealView memory);

    /// @notice One milestone of a deal.
    function milestone(uint256 dealId, uint256 index) external view returns (MilestoneView memory);

    /// @notice The deal's verifier list (attestation bit `i` belongs to `verifiers(dealId)[i]`).
    function verifiers(uint256 dealId) external view returns (address[] memory);

    /// @notice Whether `verifier` attested milestone `index` of the deal.
    function hasAttested(uint256 dealId, uint256 index, address verifier) external view returns (bool);

    /// @notice Attestations on a milestone by listed verifiers who hold VERIFIER_ROLE now (what counts to release).
    function validAttestations(uint256 dealId, uint256 index) external view returns (uint8);

    /// @notice Everything the escrow owes in `token`: Σ locked milestones + Σ owed (its balance must cover it).
    function totalLiabilities(address token) external view returns (uint256);

    /// @notice The project registry (project status and VERIFIER_ROLE).
    function registry() external view returns (IGreenProjectRegistry);

    /// @notice Number of deals created (ids are 1..dealCount).
    function dealCount() external view returns (uint256);
}
