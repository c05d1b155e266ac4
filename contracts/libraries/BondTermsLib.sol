// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IGreenBond, BondTerms, UseOfProceeds, ProceedsMilestone} from "../interfaces/IGreenBond.sol";
import {IGreenBondFactory} from "../interfaces/IGreenBondFactory.sol";
import {IGreenProjectRegistry, ProjectStatus} from "../interfaces/IGreenProjectRegistry.sol";
import {IMilestoneEscrow} from "../interfaces/IMilestoneEscrow.sol";
import {IComplianceRegistry, InvestorRecord} from "../interfaces/IComplianceRegistry.sol";

/// @title BondTermsLib
/// @notice The one place bond terms are validated, with the one copy of their limits. An EXTERNAL library (linked
/// into GreenBond at deploy, so GreenBondDeployer carries the bond's creation code without it): the bond's
/// constructor calls `validate` with its own address, so a bond created by the factory or deployed directly obeys
/// the same rules. The use-of-proceeds deal is checked against the MilestoneEscrow it will be created in (project
/// Active and registry verifiers in the escrow's registry, its dispute-window bounds), so the deal can never be
/// refused at close.
library BondTermsLib {
    /// @notice Most milestones / verifiers of the use-of-proceeds deal.
    uint256 internal constant MAX_MILESTONES = 20;
    uint256 internal constant MAX_VERIFIERS = 16;
    /// @notice Dispute-window bounds of MilestoneEscrow.
    uint64 internal constant MIN_DISPUTE_WINDOW = 1 hours;
    uint64 internal constant MAX_DISPUTE_WINDOW = 365 days;
    /// @notice Longest grace period (money raised waits at most this long after the subscription for the close).
    uint64 internal constant MAX_GRACE_PERIOD = 90 days;
    uint256 private constant BPS = 10_000;

    /// @notice Reverts with the named error of the first rule `t` breaks for the bond at `bond`.
    function validate(BondTerms memory t, address bond) external view {
        if (t.paymentToken == address(0)) revert IGreenBond.ZeroAddress("paymentToken");
        if (t.issuer == address(0)) revert IGreenBond.ZeroAddress("issuer");
        if (t.compliance == address(0)) revert IGreenBond.ZeroAddress("compliance");
        if (t.escrow == address(0)) revert IGreenBond.ZeroAddress("escrow");
        if (t.gracePeriod > MAX_GRACE_PERIOD) revert IGreenBondFactory.GracePeriodTooLong(t.gracePeriod);
        if (t.unitPrice == 0) revert IGreenBond.ZeroUnitPrice();
        if (t.softCap == 0 || t.softCap > t.cap) revert IGreenBond.InvalidCaps(t.softCap, t.cap);
        if (t.cap > type(uint256).max / t.unitPrice) revert IGreenBond.FaceValueOverflow(t.cap, t.unitPrice);
        if (t.subscriptionStart >= t.subscriptionEnd || t.subscriptionEnd <= block.timestamp) {
            revert IGreenBond.InvalidSubscriptionWindow(t.subscriptionStart, t.subscriptionEnd);
        }
        if (uint256(t.subscriptionEnd) + t.gracePeriod > type(uint64).max) {
            revert IGreenBondFactory.GracePeriodTooLong(t.gracePeriod);
        }
        if (
            t.couponPeriod == 0 ||
            t.maturity <= t.subscriptionEnd ||
            (t.maturity - t.subscriptionEnd) % t.couponPeriod != 0
        ) revert IGreenBond.InvalidCouponSchedule(t.couponPeriod, t.subscriptionEnd, t.maturity);
        if (t.couponRateBps == 0 || uint256(t.couponRateBps) + t.stepUpBps > BPS) {
            revert IGreenBond.InvalidCouponRate(t.couponRateBps, t.stepUpBps);
        }
        if (
            (t.stepUpBps == 0) != (t.kpiDeadline == 0) ||
            (t.kpiDeadline != 0 && (t.kpiDeadline <= t.subscriptionEnd || t.kpiDeadline >= t.maturity))
        ) revert IGreenBond.InvalidKpiTerms(t.stepUpBps, t.kpiDeadline);
        if (t.gracePeriod == 0) revert IGreenBond.ZeroGracePeriod();
        // the deal last: it reads the escrow's registry (the fields above need no call)
        _validateDeal(t.proceeds, t.issuer, bond, IMilestoneEscrow(t.escrow).registry());
        _validateMilestones(t.proceeds.milestones, t.subscriptionEnd + t.gracePeriod);
    }

    /// @notice Names why the compliance registry refuses `account` (called only once it did): unverified, expired
    /// or blocked. Always reverts.
    function revertIneligible(IComplianceRegistry compliance, address account) external view {
        InvestorRecord memory r = compliance.investor(account);
        if (!r.verified) revert IGreenBond.NotVerified(account);
        if (r.expiresAt != 0 && block.timestamp >= r.expiresAt) {
            revert IGreenBond.VerificationExpired(account, r.expiresAt);
        }
        revert IGreenBond.CountryBlocked(account, r.country);
    }

    /// @dev The deal's parties: the bond funds it at close and the issuer is its beneficiary, so neither may be the
    /// arbiter or a verifier (audit A-1, A-14); verifiers must be registry verifiers, listed once.
    function _validateDeal(
        UseOfProceeds memory u,
        address issuer,
        address bond,
        IGreenProjectRegistry registry
    ) private view {
        ProjectStatus status = registry.statusOf(u.projectId); // unknown ids: the registry's ProjectNotFound
        if (status != ProjectStatus.Active) revert IGreenBondFactory.ProjectNotActive(u.projectId, status);
        uint256 n = u.verifiers.length;
        if (n == 0 || n > MAX_VERIFIERS) revert IGreenBond.InvalidVerifierCount(n, MAX_VERIFIERS);
        if (u.threshold == 0 || u.threshold > n) revert IGreenBondFactory.InvalidThreshold(u.threshold, n);
        address arbiter = u.arbiter;
        if (arbiter == address(0) || arbiter == issuer || arbiter == bond) {
            revert IGreenBondFactory.ArbiterNotIndependent(arbiter);
        }
        uint64 window = u.disputeWindow;
        if (window < MIN_DISPUTE_WINDOW || window > MAX_DISPUTE_WINDOW) {
            revert IGreenBondFactory.InvalidDisputeWindow(window, MIN_DISPUTE_WINDOW, MAX_DISPUTE_WINDOW);
        }
        for (uint256 i = 0; i < n; ++i) {
            address v = u.verifiers[i];
            if (v == issuer) revert IGreenBondFactory.VerifierIsIssuer(v);
            if (v == bond) revert IGreenBondFactory.VerifierNotIndependent(v);
            if (!registry.isVerifier(v)) revert IGreenBondFactory.NotRegistryVerifier(v);
            for (uint256 j = 0; j < i; ++j) if (u.verifiers[j] == v) revert IGreenBondFactory.DuplicateVerifier(v);
        }
    }

    /// @dev 1–20 milestones with non-zero shares summing to 100 %, deadlines strictly increasing after `earliest`.
    function _validateMilestones(ProceedsMilestone[] memory ms, uint64 earliest) private pure {
        uint256 n = ms.length;
        if (n == 0 || n > MAX_MILESTONES) revert IGreenBond.InvalidMilestoneCount(n, MAX_MILESTONES);
        uint256 sum;
        uint64 prev = earliest;
        for (uint256 i = 0; i < n; ++i) {
            ProceedsMilestone memory m = ms[i];
            if (m.bps == 0) revert IGreenBond.ZeroMilestoneBps(i);
            if (m.deadline <= prev) revert IGreenBond.MilestoneTooEarly(i, m.deadline, prev);
            prev = m.deadline;
            sum += m.bps;
        }
        if (sum != BPS) revert IGreenBond.MilestoneBpsSum(sum);
    }
}
