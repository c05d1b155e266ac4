// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {
    IMilestoneEscrow,
    MilestoneInput,
    DealInput,
    DealStatus,
    MilestoneState
} from "../interfaces/IMilestoneEscrow.sol";
import {IGreenProjectRegistry} from "../interfaces/IGreenProjectRegistry.sol";
import {EscrowBook} from "./EscrowBook.sol";
import {ExactTransfer} from "../libraries/ExactTransfer.sol";

/// @title MilestoneEscrow
/// @notice A funder locks money for a green project; each milestone is released to the beneficiary when
/// `threshold` of the deal's verifiers (each holding VERIFIER_ROLE in the registry) attest it before its
/// deadline. Unreleased milestones return to the funder after deadline + dispute window; either party may
/// dispute within that window and the deal's arbiter splits the milestone. Every payout is a pull payment
/// (`withdraw`). A platform fee (bps, fixed per deal at creation) is taken from released amounts only.
/// @dev Gas: createDeal is O(milestones + verifiers) of its own input (≤ 32 + 16); attest, dispute, resolve,
/// refundExpired, fund and withdraw are O(1) (a final attest re-checks the roles of the verifiers that attested,
/// ≤ 16); cancel after funding loops over the deal's own milestones (≤ 32). Nothing loops over deals.
/// Pausing (GuardianPausable) stops createDeal, fund, attest and dispute; withdraw, refundExpired, resolve and
/// cancel stay open. The bounds, records and views are EscrowBook's.
contract MilestoneEscrow is EscrowBook, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @param admin receives DEFAULT_ADMIN_ROLE (fee, treasury, roles).
    /// @param registry_ the GreenProjectRegistry.
    /// @param treasury_ receives platform fees.
    /// @param feeBps_ initial platform fee (≤ MAX_FEE_BPS).
    constructor(
        address admin,
        IGreenProjectRegistry registry_,
        address treasury_,
        uint16 feeBps_
    ) EscrowBook(registry_) {
        _checkTreasury(treasury_);
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_, MAX_FEE_BPS);
        treasury = treasury_;
        feeBps = feeBps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TreasuryUpdated(address(0), treasury_);
        emit EscrowFeeUpdated(0, feeBps_);
    }

    // ───────────────────────────── deal lifecycle ─────────────────────────────

    /// @inheritdoc IMilestoneEscrow
    function createDeal(DealInput calldata d) external whenNotPaused returns (uint256 dealId) {
        if (d.projectId > type(uint96).max) revert ProjectNotFound(d.projectId);
        _requireActive(d.projectId);
        if (d.beneficiary == address(0)) revert ZeroAddress("beneficiary");
        if (d.token == address(0)) revert ZeroAddress("token");
        if (d.token.code.length == 0) revert TokenNotContract(d.token);
        if (d.arbiter == address(0)) revert ZeroAddress("arbiter");
        if (d.arbiter == msg.sender || d.arbiter == d.beneficiary) revert ArbiterNotIndependent(d.arbiter);
        if (d.disputeWindow < MIN_DISPUTE_WINDOW || d.disputeWindow > MAX_DISPUTE_WINDOW) {
            revert InvalidDisputeWindow(d.disputeWindow, MIN_DISPUTE_WINDOW, MAX_DISPUTE_WINDOW);
        }
        uint256 nv = d.verifiers.length;
        if (nv == 0 || nv > MAX_VERIFIERS) revert InvalidVerifierCount(nv, MAX_VERIFIERS);
        if (d.threshold == 0 || d.threshold > nv) revert InvalidThreshold(d.threshold, nv);

        dealId = ++_dealCount;
        uint256 total = _storeMilestones(dealId, d.milestones);
        _storeVerifiers(dealId, d.verifiers, d.beneficiary);

        Deal storage s = _deals[dealId];
        uint16 fee = feeBps;
        s.funder = msg.sender;
        s.feeBps = fee;
        s.threshold = d.threshold;
        s.milestoneCount = uint8(d.milestones.length);
        s.verifierCount = uint8(nv);
        s.openMilestones = uint8(d.milestones.length);
        s.status = DealStatus.Created;
        s.beneficiary = d.beneficiary;
        s.disputeWindow = d.disputeWindow;
        s.token = d.token;
        s.projectId = uint96(d.projectId);
        s.arbiter = d.arbiter;
        s.total = total;

        emit DealCreated(dealId, d.projectId, msg.sender, d.beneficiary, d.token, total, d.threshold);
        emit DealTerms(dealId, d.arbiter, d.disputeWindow, fee, d.verifiers, d.milestones);
    }

    /// @inheritdoc IMilestoneEscrow
    function fund(uint256 dealId) external nonReentrant whenNotPaused {
        _fund(dealId);
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev A failing permit (e.g. front-run by someone submitting the same signature) is ignored: the pull
    /// then succeeds on the allowance the permit already set, or reverts in the token.
    function fundWithPermit(
        uint256 dealId,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        Deal storage d = _existing(dealId);
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(d.token).permit(msg.sender, address(this), d.total, deadline, v, r, s) {} catch {}
        _fund(dealId);
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev The caller must be listed AND hold VERIFIER_ROLE now. Release needs `threshold` attestations by
    /// listed verifiers that still hold the role (re-checked, ≤ 16 calls, only when the raw count reaches it).
    function attest(uint256 dealId, uint256 index, bytes32 evidence) external whenNotPaused {
        Deal storage s = _funded(dealId);
        Milestone storage m = _milestone(dealId, s, index);
        uint8 slot = _verifierSlot[dealId][msg.sender];
        if (slot == 0) revert NotDealVerifier(dealId, msg.sender);
        if (!registry.isVerifier(msg.sender)) revert VerifierRoleMissing(msg.sender);
        _requireActive(s.projectId);
        if (m.state > MilestoneState.Disputed) revert MilestoneAlreadySettled(dealId, index, m.state);
        if (block.timestamp > m.deadline) revert MilestoneExpired(dealId, index, m.deadline);
        uint16 bit = uint16(1) << (slot - 1);
        uint16 mask = m.attestedMask;
        if ((mask & bit) != 0) revert AlreadyAttested(dealId, index, msg.sender);
        mask |= bit;
        uint8 count = m.attestations + 1;
        m.attestedMask = mask;
        m.attestations = count;
        emit MilestoneAttested(dealId, index, msg.sender, evidence, count);

        uint8 threshold = s.threshold;
        if (count >= threshold && _validCount(dealId, mask, msg.sender, threshold) >= threshold) {
            _release(dealId, index, s, m);
        }
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev Same window and pause as `attest`; the valid count re-checks the roles of the verifiers that attested
    /// (≤ 16 calls). Audit A-17.
    function release(uint256 dealId, uint256 index) external whenNotPaused {
        Deal storage s = _funded(dealId);
        Milestone storage m = _milestone(dealId, s, index);
        _requireActive(s.projectId);
        if (m.state > MilestoneState.Disputed) revert MilestoneAlreadySettled(dealId, index, m.state);
        if (block.timestamp > m.deadline) revert MilestoneExpired(dealId, index, m.deadline);
        uint8 threshold = s.threshold;
        uint8 valid = _validCount(dealId, m.attestedMask, address(0), threshold);
        if (valid < threshold) revert NotEnoughAttestations(dealId, index, valid, threshold);
        _release(dealId, index, s, m);
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev Not disputed: after deadline + disputeWindow. Disputed and not resolved: after disputedAt + disputeWindow.
    function refundExpired(uint256 dealId, uint256 index) external {
        Deal storage s = _funded(dealId);
        Milestone storage m = _milestone(dealId, s, index);
        MilestoneState st = m.state;
        if (st > MilestoneState.Disputed) revert MilestoneAlreadySettled(dealId, index, st);
        uint256 availableAfter = uint256(m.deadline) + m.disputeOffset + s.disputeWindow;
        if (block.timestamp <= availableAfter) revert RefundNotAvailable(dealId, index, availableAfter);
        m.state = MilestoneState.Refunded;
        --s.openMilestones;
        uint256 amount = m.amount;
        _owed[s.funder][s.token] += amount;
        emit MilestoneRefunded(dealId, index, amount);
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev Open in (deadline, deadline + disputeWindow] for a milestone that was not released.
    function dispute(uint256 dealId, uint256 index, bytes32 reason) external whenNotPaused {
        Deal storage s = _funded(dealId);
        if (msg.sender != s.funder && msg.sender != s.beneficiary) revert NotParty(dealId, msg.sender);
        Milestone storage m = _milestone(dealId, s, index);
        MilestoneState st = m.state;
        if (st == MilestoneState.Disputed) revert MilestoneAlreadyDisputed(dealId, index);
        if (st != MilestoneState.Pending) revert MilestoneAlreadySettled(dealId, index, st);
        uint64 deadline = m.deadline;
        if (block.timestamp <= deadline) revert DisputeTooEarly(dealId, index, deadline);
        uint256 closedAt = uint256(deadline) + s.disputeWindow;
        if (block.timestamp > closedAt) revert DisputeWindowClosed(dealId, index, closedAt);
        m.state = MilestoneState.Disputed;
        m.disputeOffset = uint32(block.timestamp - deadline); // ≤ MAX_DISPUTE_WINDOW < 2^32
        emit DisputeRaised(dealId, index, msg.sender, reason);
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev Only a disputed milestone, within disputeWindow after the dispute was raised.
    function resolve(uint256 dealId, uint256 index, uint16 releaseBps) external {
        Deal storage s = _funded(dealId);
        if (msg.sender != s.arbiter) revert NotArbiter(dealId, msg.sender);
        if (releaseBps > BPS) revert InvalidReleaseBps(releaseBps);
        Milestone storage m = _milestone(dealId, s, index);
        MilestoneState st = m.state;
        if (st == MilestoneState.Pending) revert MilestoneNotDisputed(dealId, index);
        if (st != MilestoneState.Disputed) revert MilestoneAlreadySettled(dealId, index, st);
        uint256 closedAt = uint256(m.deadline) + m.disputeOffset + s.disputeWindow;
        if (block.timestamp > closedAt) revert ArbitrationClosed(dealId, index, closedAt);
        m.state = MilestoneState.Resolved;
        --s.openMilestones;
        uint256 amount = m.amount;
        uint256 released = (amount * releaseBps) / BPS;
        (uint256 toBeneficiary, uint256 fee) = _payRelease(s, released);
        uint256 toFunder = amount - released;
        if (toFunder != 0) _owed[s.funder][s.token] += toFunder;
        emit DisputeResolved(dealId, index, releaseBps);
        emit DisputeSettled(dealId, index, toBeneficiary, fee, toFunder);
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev After funding: the first party's call records consent, the other party's call cancels and
    /// loops over the deal's milestones (≤ MAX_MILESTONES = 32) returning every locked one to the funder.
    function cancel(uint256 dealId) external {
        Deal storage s = _existing(dealId);
        DealStatus status = s.status;
        if (status == DealStatus.Cancelled) revert DealIsCancelled(dealId);
        if (status == DealStatus.Created) {
            if (msg.sender != s.funder) revert NotFunder(dealId, msg.sender);
            s.status = DealStatus.Cancelled;
            emit DealCancelled(dealId, msg.sender, 0);
            return;
        }
        uint8 bit = _partyBit(dealId, s);
        if (s.openMilestones == 0) revert DealSettled(dealId);
        uint8 consent = s.consent;
        if ((consent & bit) != 0) revert CancelAlreadyConsented(dealId, msg.sender);
        consent |= bit;
        s.consent = consent;
        if (consent != (CONSENT_FUNDER | CONSENT_BENEFICIARY)) {
            emit CancelConsent(dealId, msg.sender);
            return;
        }
        s.status = DealStatus.Cancelled;
        s.openMilestones = 0;
        uint256 refunded;
        uint256 n = s.milestoneCount;
        for (uint256 i; i < n; ++i) {
            Milestone storage m = _milestones[dealId][i];
            if (m.state <= MilestoneState.Disputed) {
                m.state = MilestoneState.Cancelled;
                refunded += m.amount;
                emit MilestoneCancelled(dealId, i, m.amount);
            }
        }
        _owed[s.funder][s.token] += refunded;
        emit DealCancelled(dealId, msg.sender, refunded);
    }

    /// @inheritdoc IMilestoneEscrow
    function revokeCancelConsent(uint256 dealId) external {
        Deal storage s = _funded(dealId);
        uint8 bit = _partyBit(dealId, s);
        if ((s.consent & bit) == 0) revert NoCancelConsent(dealId, msg.sender);
        s.consent &= ~bit;
        emit CancelConsentRevoked(dealId, msg.sender);
    }

    /// @inheritdoc IMilestoneEscrow
    /// @dev Never paused: money owed can always leave. Checks-effects-interactions and nonReentrant.
    function withdraw(address token) external nonReentrant returns (uint256 amount) {
        amount = _owed[msg.sender][token];
        if (amount == 0) revert NothingOwed(msg.sender, token);
        _owed[msg.sender][token] = 0;
        _liabilities[token] -= amount;
        emit Withdrawn(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    // ───────────────────────────── admin ─────────────────────────────

    /// @notice Sets the platform fee for deals created from now on (existing deals keep theirs).
    /// @param newFeeBps fee in basis points, ≤ MAX_FEE_BPS.
    function setFeeBps(uint16 newFeeBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newFeeBps > MAX_FEE_BPS) revert FeeTooHigh(newFeeBps, MAX_FEE_BPS);
        emit EscrowFeeUpdated(feeBps, newFeeBps);
        feeBps = newFeeBps;
    }

    /// @notice Sets the treasury credited with fees of future releases (amounts owed already stay owed).
    /// @param newTreasury the new treasury (non-zero, not the escrow: fees owed to it could never be withdrawn).
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _checkTreasury(newTreasury);
        emit TreasuryUpdated(treasury, newTreasury);
        treasury = newTreasury;
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _fund(uint256 dealId) private {
        Deal storage s = _existing(dealId);
        if (msg.sender != s.funder) revert NotFunder(dealId, msg.sender);
        DealStatus status = s.status;
        if (status == DealStatus.Funded) revert DealAlreadyFunded(dealId);
        if (status == DealStatus.Cancelled) revert DealIsCancelled(dealId);
        _requireActive(s.projectId);
        uint64 firstDeadline = _milestones[dealId][0].deadline;
        if (block.timestamp >= firstDeadline) revert MilestoneExpired(dealId, 0, firstDeadline);
        IERC20 token = IERC20(s.token);
        uint256 total = s.total;
        s.status = DealStatus.Funded;
        _liabilities[address(token)] += total;
        emit DealFunded(dealId, total);

        ExactTransfer.pull(token, msg.sender, address(this), total);
    }

    function _storeMilestones(uint256 dealId, MilestoneInput[] calldata ms) private returns (uint256 total) {
        uint256 n = ms.length;
        if (n == 0 || n > MAX_MILESTONES) revert InvalidMilestoneCount(n, MAX_MILESTONES);
        uint64 previous;
        mapping(uint256 => Milestone) storage stored = _milestones[dealId];
        for (uint256 i; i < n; ++i) {
            uint256 amount = ms[i].amount;
            uint64 deadline = ms[i].deadline;
            if (amount == 0 || amount > type(uint128).max) revert InvalidMilestoneAmount(i, amount);
            if (i == 0) {
                if (deadline <= block.timestamp) revert DeadlineNotInFuture(0, deadline, block.timestamp);
            } else if (deadline <= previous) {
                revert DeadlinesNotIncreasing(i, previous, deadline);
            }
            previous = deadline;
            total += amount;
            stored[i] = Milestone({
                amount: uint128(amount),
                deadline: deadline,
                state: MilestoneState.Pending,
                attestations: 0,
                attestedMask: 0,
                disputeOffset: 0
            });
        }
    }

    function _storeVerifiers(uint256 dealId, address[] calldata list, address beneficiary) private {
        address[16] storage stored = _verifierList[dealId];
        mapping(address => uint8) storage slots = _verifierSlot[dealId];
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            address v = list[i];
            if (v == address(0) || v == msg.sender || v == beneficiary) revert VerifierNotIndependent(v);
            if (slots[v] != 0) revert DuplicateVerifier(v);
            if (!registry.isVerifier(v)) revert VerifierRoleMissing(v); // else it could never attest
            slots[v] = uint8(i + 1);
            stored[i] = v;
        }
    }

    function _release(uint256 dealId, uint256 index, Deal storage s, Milestone storage m) private {
        m.state = MilestoneState.Released;
        --s.openMilestones;
        (uint256 toBeneficiary, uint256 fee) = _payRelease(s, m.amount);
        emit MilestoneReleased(dealId, index, toBeneficiary, fee);
    }

    function _checkTreasury(address t) private view {
        if (t == address(0) || t == address(this)) revert InvalidTreasury(t);
    }

    /// @dev Credits `amount` minus the deal's fee to the beneficiary and the fee to the treasury.
    function _payRelease(Deal storage s, uint256 amount) private returns (uint256 toBeneficiary, uint256 fee) {
        fee = (amount * s.feeBps) / BPS;
        toBeneficiary = amount - fee;
        address token = s.token;
        if (toBeneficiary != 0) _owed[s.beneficiary][token] += toBeneficiary;
        if (fee != 0) _owed[treasury][token] += fee;
    }

    function _partyBit(uint256 dealId, Deal storage s) private view returns (uint8) {
        if (msg.sender == s.funder) return CONSENT_FUNDER;
        if (msg.sender == s.beneficiary) return CONSENT_BENEFICIARY;
        revert NotParty(dealId, msg.sender);
    }
}
