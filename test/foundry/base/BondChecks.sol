// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SuiteFixture} from "./SuiteFixture.sol";
import {BondOps} from "../handlers/BondOps.sol";
import {GreenBond} from "../../../contracts/bonds/GreenBond.sol";
import {BondTerms, UseOfProceeds, ProceedsMilestone, BondStatus} from "../../../contracts/interfaces/IGreenBond.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title BondChecks
/// @notice A sustainability-linked green bond over the fixture's escrow, and the bond invariants.
abstract contract BondChecks is SuiteFixture {
    GreenBond internal bond;
    address internal issuer = address(uint160(uint256(keccak256("issuer"))));
    address internal arbiter = address(uint160(uint256(keccak256("arbiter"))));

    /// @dev 100 tUSD a unit, 10–1,000 units, 10-day subscription, 4 monthly coupons at 5 % (+1 % if the KPI is
    /// missed by day 45), proceeds released in two escrow milestones.
    function _deployBond(uint256 projectId, address[] memory holders) internal {
        uint64 t = uint64(block.timestamp);
        uint64 end = t + 10 days;
        ProceedsMilestone[] memory ms = new ProceedsMilestone[](2);
        ms[0] = ProceedsMilestone(6_000, end + 7 days + 10 days, "build");
        ms[1] = ProceedsMilestone(4_000, end + 7 days + 40 days, "operate");
        BondTerms memory terms = BondTerms({
            paymentToken: address(usd),
            issuer: issuer,
            compliance: address(compliance),
            escrow: address(escrow),
            unitPrice: 100e6,
            cap: 1_000e18,
            softCap: 10e18,
            subscriptionStart: t,
            subscriptionEnd: end,
            maturity: end + 4 * 30 days,
            couponPeriod: 30 days,
            kpiDeadline: end + 45 days,
            gracePeriod: 7 days,
            couponRateBps: 500,
            stepUpBps: 100,
            proceeds: UseOfProceeds({
                projectId: projectId,
                verifiers: verifiers,
                threshold: 2,
                arbiter: arbiter,
                disputeWindow: 1 days,
                milestones: ms
            })
        });
        bond = new GreenBond(terms, "Treelion Green Bond", "TGB", address(this), address(this), address(this));
        compliance.grantRole(Roles.COMPLIANCE, address(this));
        for (uint256 i; i < holders.length; ++i) compliance.setInvestor(holders[i], true, "DE", 0);
    }

    /// @dev Coupons: Σ claimed + Σ claimable ≤ Σ funded (and the shortfall is rounding dust only); principal and
    /// recoveries never pay out more than came in; refunds stay within the refund pot; the bond holds at least what
    /// it has reserved; its books equal the ghosts.
    function _checkBondBooks(BondOps h, address[] memory holders) internal view {
        uint256 claimable;
        for (uint256 i; i < holders.length; ++i) claimable += bond.claimable(holders[i]);
        uint256 funded = bond.couponsFundedTotal();
        assertEq(funded, h.ghostCouponsFunded(), "coupons funded differ from the ghost");
        assertEq(bond.couponsClaimedTotal(), h.ghostCouponsClaimed(), "coupons claimed differ from the ghost");
        assertLe(bond.couponsClaimedTotal() + claimable, funded, "claimed + claimable > coupons funded");
        // rounding leaves at most one base unit per settlement (≤ 2 per call, 64 calls a run) and holder
        assertLe(funded - bond.couponsClaimedTotal() - claimable, 2 * 64 + holders.length, "coupon dust too large");
        // per holder: claimed + claimable never above its exact share Σ (units at funding × coupon) / units issued
        // (units outstanding while coupons are funded: redemptions need every coupon funded, a default stops them)
        for (uint256 i; i < holders.length; ++i) {
            uint256 exact = bond.issuedUnits() == 0 ? 0 : h.ghostCouponScaled(holders[i]) / bond.issuedUnits();
            uint256 got = h.ghostClaimedBy(holders[i]) + bond.claimable(holders[i]);
            assertLe(got, exact, "a holder accrued more coupons than its exact pro-rata share");
        }
        assertGe(usd.balanceOf(address(bond)), bond.reserved(), "bond holds less than it reserved");
        assertLe(h.ghostPrincipalOut(), h.ghostPrincipalIn(), "principal paid out > principal paid in");
        if (bond.status() == BondStatus.Defaulted) {
            assertLe(h.ghostRecoveryPaid(), bond.principalRecovered(), "default recovery overpaid");
            assertEq(
                bond.principalPot(),
                bond.principalRecovered() - h.ghostRecoveryPaid(),
                "recovery pot != recovered - paid"
            );
        } else {
            assertEq(bond.principalPot(), h.ghostPrincipalIn() - h.ghostPrincipalOut(), "principal pot");
        }
        if (bond.status() == BondStatus.Refunding) {
            assertEq(bond.refundPot() + h.ghostRefundsPaid(), h.ghostRefundPotAtClose(), "refunds + pot != raised");
        }
    }
}
