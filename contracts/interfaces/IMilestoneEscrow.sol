// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

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

    /// @notice Creates a deal; the caller becomes the funder.
    function createDeal(DealInput calldata d) external returns (uint256 dealId);

    /// @notice Pulls the deal's total from the funder (once).
    function fund(uint256 dealId) external;

    /// @notice Funds with an ERC-2612 permit for the deal's total.
    function fundWithPermit(uint256 dealId, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice A deal verifier attests a milestone; at threshold it is released.
    function attest(uint256 dealId, uint256 index, bytes32 evidence) external;

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
}
