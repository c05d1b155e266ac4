// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    IMilestoneEscrow,
    DealStatus,
    MilestoneState,
    DealView,
    MilestoneView
} from "../interfaces/IMilestoneEscrow.sol";
import {IGreenProjectRegistry} from "../interfaces/IGreenProjectRegistry.sol";
import {GuardianPausable} from "../governance/GuardianPausable.sol";

/// @title EscrowBook
/// @notice The book of MilestoneEscrow: its bounds, the packed deal and milestone records, the money owed, and the
/// read side (every view of IMilestoneEscrow) with the lookups and checks the state machine shares. MilestoneEscrow
/// holds every state change.
/// @dev Abstract: only MilestoneEscrow derives from it. It declares all of MilestoneEscrow's storage,
/// laid out right after the OpenZeppelin bases'.
abstract contract EscrowBook is IMilestoneEscrow, GuardianPausable {
    /// @notice Basis-point denominator.
    uint16 public constant BPS = 10_000;
    /// @notice Highest platform fee the admin may set (10 %).
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Most verifiers per deal (attestations are a 16-bit mask).
    uint256 public constant MAX_VERIFIERS = 16;
    /// @notice Most milestones per deal (bounds the cancel loop).
    uint256 public constant MAX_MILESTONES = 32;
    /// @notice Shortest dispute window.
    uint64 public constant MIN_DISPUTE_WINDOW = 1 hours;
    /// @notice Longest dispute window (keeps the dispute offset within 32 bits).
    uint64 public constant MAX_DISPUTE_WINDOW = 365 days;

    uint8 internal constant CONSENT_FUNDER = 1;
    uint8 internal constant CONSENT_BENEFICIARY = 2;

    /// @dev 5 slots. Slot 0 is read by every operation.
    struct Deal {
        address funder; // slot 0
        uint16 feeBps;
        uint8 threshold;
        uint8 milestoneCount;
        uint8 verifierCount;
        uint8 openMilestones; // milestones still Pending or Disputed (after funding)
        DealStatus status;
        uint8 consent; // bit 0 funder, bit 1 beneficiary
        address beneficiary; // slot 1
        uint64 disputeWindow;
        address token; // slot 2
        uint96 projectId;
        address arbiter; // slot 3
        uint256 total; // slot 4
    }

    /// @dev Exactly one slot.
    struct Milestone {
        uint128 amount;
        uint64 deadline;
        MilestoneState state;
        uint8 attestations;
        uint16 attestedMask; // bit i = verifiers[i] attested
        uint32 disputeOffset; // seconds after the deadline the dispute was raised (0 = none)
    }

    /// @notice The project registry (project status and VERIFIER_ROLE).
    IGreenProjectRegistry public immutable registry;

    /// @notice Receives platform fees (owed, pulled with `withdraw`).
    address public treasury;
    /// @notice Platform fee for deals created from now on.
    uint16 public feeBps;

    uint256 internal _dealCount;
    mapping(uint256 dealId => Deal) internal _deals;
    mapping(uint256 dealId => mapping(uint256 index => Milestone)) internal _milestones;
    mapping(uint256 dealId => address[16]) internal _verifierList;
    mapping(uint256 dealId => mapping(address verifier => uint8 slot)) internal _verifierSlot; // index + 1
    mapping(address account => mapping(address token => uint256)) internal _owed;
    mapping(address token => uint256) internal _liabilities;

    /// @param registry_ the GreenProjectRegistry.
    constructor(IGreenProjectRegistry registry_) {
        registry = registry_;
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc IMilestoneEscrow
    function owed(address account, address token) external view returns (uint256) {
        return _owed[account][token];
    }

    /// @inheritdoc IMilestoneEscrow
    function deal(uint256 dealId) external view returns (DealView memory v) {
        Deal storage s = _existing(dealId);
        v.projectId = s.projectId;
        v.funder = s.funder;
        v.beneficiary = s.beneficiary;
        v.token = s.token;
        v.arbiter = s.arbiter;
        v.total = s.total;
        v.disputeWindow = s.disputeWindow;
        v.feeBps = s.feeBps;
        v.threshold = s.threshold;
        v.milestoneCount = s.milestoneCount;
        v.verifierCount = s.verifierCount;
        v.openMilestones = s.openMilestones;
        v.status = s.status;
        v.funderConsentsToCancel = s.consent & CONSENT_FUNDER != 0;
        v.beneficiaryConsentsToCancel = s.consent & CONSENT_BENEFICIARY != 0;
    }

    /// @inheritdoc IMilestoneEscrow
    function milestone(uint256 dealId, uint256 index) external view returns (MilestoneView memory v) {
        Milestone storage m = _milestone(dealId, _existing(dealId), index);
        v.amount = m.amount;
        v.deadline = m.deadline;
        v.disputedAt = m.disputeOffset == 0 ? 0 : m.deadline + m.disputeOffset;
        v.state = m.state;
        v.attestations = m.attestations;
        v.attestedMask = m.attestedMask;
    }

    /// @inheritdoc IMilestoneEscrow
    function verifiers(uint256 dealId) external view returns (address[] memory list) {
        Deal storage s = _existing(dealId);
        uint256 n = s.verifierCount;
        list = new address[](n);
        address[16] storage stored = _verifierList[dealId];
        for (uint256 i; i < n; ++i) list[i] = stored[i];
    }

    /// @inheritdoc IMilestoneEscrow
    function hasAttested(uint256 dealId, uint256 index, address verifier) external view returns (bool) {
        Milestone storage m = _milestone(dealId, _existing(dealId), index);
        uint8 slot = _verifierSlot[dealId][verifier];
        return slot != 0 && m.attestedMask & (uint16(1) << (slot - 1)) != 0;
    }

    /// @inheritdoc IMilestoneEscrow
    function validAttestations(uint256 dealId, uint256 index) external view returns (uint8) {
        Milestone storage m = _milestone(dealId, _existing(dealId), index);
        return _validCount(dealId, m.attestedMask, address(0), type(uint8).max);
    }

    /// @inheritdoc IMilestoneEscrow
    function totalLiabilities(address token) external view returns (uint256) {
        return _liabilities[token];
    }

    /// @inheritdoc IMilestoneEscrow
    function dealCount() external view returns (uint256) {
        return _dealCount;
    }

    // ───────────────────────────── internals ─────────────────────────────

    /// @dev Counts attestations in `mask` by verifiers holding VERIFIER_ROLE now (`known` is known to hold it),
    /// stopping at `enough`. At most 16 iterations.
    function _validCount(uint256 dealId, uint16 mask, address known, uint8 enough) internal view returns (uint8 n) {
        address[16] storage list = _verifierList[dealId];
        for (uint256 i; mask != 0 && n < enough; ++i) {
            if ((mask & 1) != 0) {
                address v = list[i];
                if (v == known || registry.isVerifier(v)) ++n;
            }
            mask >>= 1;
        }
    }

    /// @dev The project must be Active; an unknown id reverts the registry's ProjectNotFound.
    function _requireActive(uint256 projectId) internal view {
        if (!registry.isActive(projectId)) revert ProjectNotActive(projectId, registry.statusOf(projectId));
    }

    function _existing(uint256 dealId) internal view returns (Deal storage s) {
        s = _deals[dealId];
        if (s.status == DealStatus.None) revert DealNotFound(dealId);
    }

    function _funded(uint256 dealId) internal view returns (Deal storage s) {
        s = _deals[dealId];
        DealStatus status = s.status;
        if (status == DealStatus.Funded) return s;
        if (status == DealStatus.None) revert DealNotFound(dealId);
        if (status == DealStatus.Created) revert DealNotFunded(dealId);
        revert DealIsCancelled(dealId);
    }

    function _milestone(uint256 dealId, Deal storage s, uint256 index) internal view returns (Milestone storage) {
        uint256 n = s.milestoneCount;
        if (index >= n) revert MilestoneOutOfRange(dealId, index, n);
        return _milestones[dealId][index];
    }
}
