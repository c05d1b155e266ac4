// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EscrowOps} from "./EscrowOps.sol";
import {GreenBond} from "../../../contracts/bonds/GreenBond.sol";
import {BondStatus, KpiStatus} from "../../../contracts/interfaces/IGreenBond.sol";
import {MilestoneState, MilestoneView, DealStatus} from "../../../contracts/interfaces/IMilestoneEscrow.sol";

/// @title BondOps
/// @notice One GreenBond through its whole life: subscriptions, closing (issued or refunding), transfers, coupons
/// and claims, KPI report or step-up, the proceeds' escrow milestones (released or refunded and pulled back),
/// principal, redemption, default and recovery. A call whose step does not fit the bond's state moves the bond's
/// life on by one step instead (`_bondProgress`), so every call does work. Ghosts: coupons funded and claimed,
/// principal paid in and out, refunds, recoveries.
abstract contract BondOps is EscrowOps {
    GreenBond internal immutable _bond;
    address internal immutable _issuer;

    uint256 public ghostCouponsFunded;
    uint256 public ghostCouponsClaimed;
    uint256 public ghostPrincipalIn;
    uint256 public ghostPrincipalOut;
    uint256 public ghostRefundsPaid;
    uint256 public ghostRecoveryPaid;
    uint256 public ghostSurplusPaid;
    /// @notice Per holder in a default: units it has claimed recovery for, and what it was paid.
    mapping(address holder => uint256) public ghostRecoveryUnits;
    mapping(address holder => uint256) public ghostRecoveredBy;
    /// @notice Per holder: Σ over funded coupons of (units held at funding × coupon amount) — its exact coupon
    /// entitlement times the units outstanding — and the coupons it has claimed.
    mapping(address holder => uint256) public ghostCouponScaled;
    mapping(address holder => uint256) public ghostClaimedBy;
    /// @notice The refund pot when the subscription closed without reaching the soft cap.
    uint256 public ghostRefundPotAtClose;

    constructor(GreenBond bond_) {
        _bond = bond_;
        _issuer = bond_.issuer();
        vm.prank(_issuer);
        _escrowToken.approve(address(bond_), type(uint256).max);
        for (uint256 i; i < _actors.length; ++i) {
            vm.prank(_actors[i]);
            _escrowToken.approve(address(bond_), type(uint256).max);
        }
    }

    /// @notice An actor subscribes units during the subscription window.
    function bondSubscribe(uint256 actorSeed, uint256 unitsSeed) public timed {
        if (_bond.status() != BondStatus.Subscription || block.timestamp >= _bond.subscriptionEnd()) {
            return _bondProgress(actorSeed);
        }
        uint256 left = _bond.cap() - _bond.totalSupply();
        if (left == 0) return _bondProgress(actorSeed);
        address a = _actor(actorSeed);
        uint256 units = bound(unitsSeed, 1, left < 200e18 ? left : 200e18);
        uint256 price = (units * _bond.unitPrice() + 1e18 - 1) / 1e18;
        if (_escrowToken.balanceOf(a) < price) _mintEscrowToken(a, price);
        vm.prank(a);
        _bond.subscribe(units);
    }

    /// @notice Bond units move between holders (Active or Defaulted bonds).
    function bondTransfer(uint256 fromSeed, uint256 toSeed, uint256 unitsSeed) public timed {
        BondStatus s = _bond.status();
        (address from, uint256 bal) = _bondHolder(fromSeed);
        if ((s != BondStatus.Active && s != BondStatus.Defaulted) || bal == 0) return _bondProgress(fromSeed);
        address to = _other(from, toSeed);
        vm.prank(from);
        _bond.transfer(to, bound(unitsSeed, 1, bal));
    }

    /// @notice A holder claims the coupons it has accrued.
    function bondClaim(uint256 actorSeed) public timed {
        uint256 n = _actors.length;
        for (uint256 k; k < n; ++k) {
            address a = _actors[(actorSeed + k) % n];
            uint256 due = _bond.claimable(a);
            if (due == 0) continue;
            uint256 before = _escrowToken.balanceOf(a);
            vm.prank(a);
            _bond.claimCoupon();
            _check(_escrowToken.balanceOf(a) == before + due, "claim paid other than claimable");
            ghostCouponsClaimed += due;
            ghostClaimedBy[a] += due;
            return;
        }
        _bondProgress(actorSeed);
    }

    /// @notice A verifier reports the KPI (met or missed) before its deadline, or anyone applies the step-up after.
    function bondKpi(bool met) public timed {
        if (_bond.status() != BondStatus.Active || _bond.kpiStatus() != KpiStatus.Pending || _bond.steppedUp()) {
            return _bondProgress(met ? 1 : 0);
        }
        if (block.timestamp < _bond.kpiDeadline()) {
            vm.prank(_verifiers[0]);
            _bond.reportKpi(met, keccak256("kpi"));
        } else {
            _bond.applyStepUp();
        }
    }

    /// @notice The proceeds' escrow deal: verifiers release a milestone to the issuer, or (late) it is refunded
    /// and the bond pulls the refund back (into the principal pot first, the rest is the issuer's surplus).
    function bondProceeds(uint256 indexSeed, bool release) public timed {
        uint256 dealId = _bond.escrowDealId();
        if (dealId == 0) return _bondProgress(indexSeed);
        uint256 n = _escrow.deal(dealId).milestoneCount;
        for (uint256 j; j < n; ++j) {
            uint256 i = (indexSeed + j) % n;
            MilestoneView memory m = _escrow.milestone(dealId, i);
            if (m.state > MilestoneState.Disputed) continue;
            if (release && block.timestamp <= m.deadline) {
                vm.prank(_verifiers[0]);
                _escrow.attest(dealId, i, "ok");
                vm.prank(_verifiers[1]);
                _escrow.attest(dealId, i, "ok");
                _ghostRelease(dealId, i);
            } else {
                uint256 after_ = uint256(m.deadline) + WINDOW;
                if (block.timestamp <= after_) _advance(after_ + 1 - block.timestamp);
                _escrow.refundExpired(dealId, i);
                _settle(dealId, i, MilestoneState.Refunded);
                ghostOwed[address(_bond)] += m.amount;
                _pullEscrowRefunds();
            }
            return;
        }
        if (_escrow.owed(address(_bond), address(_escrowToken)) != 0) return _pullEscrowRefunds();
        _bondProgress(indexSeed);
    }

    /// @notice The issuer withdraws its surplus (escrow refunds beyond the principal).
    function bondWithdrawSurplus(uint256 seed) public timed {
        uint256 amount = _bond.issuerSurplus();
        if (amount == 0) return bondProceeds(seed, false);
        vm.prank(_issuer);
        _bond.withdrawIssuerSurplus();
        ghostSurplusPaid += amount;
    }

    /// @notice The issuer misses a payment and anyone declares the default after the grace period (one call in
    /// four; the others move the bond's life on as usual).
    function bondDefault(uint256 seed) public timed {
        if (_bond.status() != BondStatus.Active || seed % 4 != 0) return _bondProgress(seed);
        uint256 next = uint256(_bond.couponsFunded()) + 1;
        uint256 graceEnd;
        if (next <= _bond.couponCount()) graceEnd = uint256(_bond.couponDueAt(next)) + _bond.gracePeriod();
        else if (!_bond.principalFunded()) graceEnd = uint256(_bond.maturity()) + _bond.gracePeriod();
        else return _bondProgress(seed);
        if (block.timestamp <= graceEnd) _advance(graceEnd + 1 - block.timestamp);
        _bond.declareDefault();
    }

    /// @notice Moves the bond's life on by one step: subscribe / close, coupon, principal, redeem, refund, recover.
    function bondStep(uint256 seed) public timed {
        _bondProgress(seed);
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _bondProgress(uint256 seed) internal {
        BondStatus s = _bond.status();
        if (s == BondStatus.Subscription) {
            if (_bond.totalSupply() < _bond.softCap() && seed % 8 != 0 && block.timestamp < _bond.subscriptionEnd()) {
                return bondSubscribe(seed, _bond.softCap());
            }
            if (block.timestamp < _bond.subscriptionEnd()) _advance(_bond.subscriptionEnd() - block.timestamp);
            _bond.closeSubscription();
            if (_bond.status() == BondStatus.Refunding) ghostRefundPotAtClose = _bond.refundPot();
            else _trackBondDeal();
            return;
        }
        if (s == BondStatus.Refunding || s == BondStatus.Defaulted || block.timestamp >= _bond.maturity()) {
            if (_redeemOrRefund(seed)) return;
        }
        if (s != BondStatus.Active) return; // nothing left to do in a refunding or defaulted bond: all paid out
        uint256 next = uint256(_bond.couponsFunded()) + 1;
        if (next <= _bond.couponCount()) {
            uint256 due = _bond.couponDueAt(next);
            if (block.timestamp < due) _advance(due - block.timestamp);
            uint256 amount = _bond.couponAmount(_bond.currentRateBps());
            if (_kpiStepsUpNow()) amount = _bond.couponAmount(_bond.currentRateBps() + _bond.stepUpBps());
            _mintEscrowToken(_issuer, amount);
            vm.prank(_issuer);
            _bond.depositCoupon(next);
            ghostCouponsFunded += amount;
            for (uint256 i; i < _actors.length; ++i)
                ghostCouponScaled[_actors[i]] += _bond.balanceOf(_actors[i]) * amount;
            return;
        }
        if (!_bond.principalFunded()) {
            uint256 amount = _bond.faceValue() - _bond.principalPot();
            _mintEscrowToken(_issuer, amount);
            vm.prank(_issuer);
            _bond.depositPrincipal();
            ghostPrincipalIn += amount;
            return;
        }
        if (block.timestamp < _bond.maturity()) _advance(_bond.maturity() - block.timestamp);
        _redeemOrRefund(seed);
    }

    function _kpiStepsUpNow() private view returns (bool) {
        return
            _bond.kpiDeadline() != 0 &&
            !_bond.steppedUp() &&
            _bond.kpiStatus() != KpiStatus.Met &&
            block.timestamp >= _bond.kpiDeadline();
    }

    /// @dev A holder redeems (Active after maturity, or Defaulted) or takes its refund (Refunding).
    function _redeemOrRefund(uint256 seed) private returns (bool) {
        BondStatus s = _bond.status();
        (address a, uint256 bal) = _bondHolder(seed);
        if (s == BondStatus.Refunding) {
            if (bal == 0) return false;
            uint256 expected = (bal * _bond.refundPot()) / _bond.totalSupply();
            vm.prank(a);
            uint256 paid = _bond.refund();
            _check(paid == expected, "refund is not pro rata");
            ghostRefundsPaid += paid;
            return true;
        }
        if (s == BondStatus.Defaulted) {
            for (uint256 k; k < _actors.length; ++k) {
                address h = _actors[(seed + k) % _actors.length];
                uint256 units = _bond.balanceOf(h);
                vm.prank(h);
                (bool ok, bytes memory ret) = address(_bond).call(abi.encodeCall(GreenBond.redeem, ()));
                if (!ok) continue;
                uint256 paid = abi.decode(ret, (uint256));
                ghostRecoveryPaid += paid;
                ghostRecoveryUnits[h] += units;
                ghostRecoveredBy[h] += paid;
                // pro rata: never more than its units' share of everything recovered so far
                uint256 share = (ghostRecoveryUnits[h] * _bond.principalRecovered()) / _bond.issuedUnits();
                _check(ghostRecoveredBy[h] <= share, "default recovery paid a holder more than its pro-rata share");
                return true;
            }
            return false;
        }
        if (bal == 0 || _bond.couponsFunded() < _bond.couponCount() || !_bond.principalFunded()) return false;
        uint256 owedShare = (bal * _bond.principalPot()) / _bond.totalSupply();
        vm.prank(a);
        uint256 got = _bond.redeem();
        _check(got == owedShare, "redemption is not its units' share of the principal pot");
        ghostPrincipalOut += got;
        return true;
    }

    function _pullEscrowRefunds() private {
        uint256 pot = _bond.principalPot();
        uint256 surplus = _bond.issuerSurplus();
        uint256 recovered = _bond.principalRecovered();
        _bond.pullEscrowRefunds();
        ghostOwed[address(_bond)] = 0;
        if (_bond.status() == BondStatus.Defaulted) {
            _check(_bond.principalRecovered() > recovered, "refund pulled into a defaulted bond is not recovered");
        }
        ghostPrincipalIn += _bond.principalPot() - pot;
        _check(_bond.issuerSurplus() >= surplus, "surplus shrank on a pull");
    }

    /// @dev The proceeds' deal joins the escrow books the invariants check (not the deals the escrow actions pick).
    function _trackBondDeal() private {
        uint256 dealId = _bond.escrowDealId();
        _trackedDeals.push(dealId);
        uint256 n = _escrow.deal(dealId).milestoneCount;
        ghostDeal[dealId] = GhostDeal(
            address(_bond),
            _issuer,
            uint8(n),
            _escrow.deal(dealId).feeBps,
            _escrow.deal(dealId).threshold,
            DealStatus.Funded
        );
        for (uint256 i; i < n; ++i) ghostMilestoneAmount[dealId][i] = _escrow.milestone(dealId, i).amount;
    }

    /// @inheritdoc EscrowOps
    function escrowPayees() public view override returns (address[] memory all) {
        all = new address[](_actors.length + 3);
        for (uint256 i; i < _actors.length; ++i) all[i] = _actors[i];
        all[_actors.length] = _escrowTreasury;
        all[_actors.length + 1] = _issuer;
        all[_actors.length + 2] = address(_bond);
    }

    function _bondHolder(uint256 seed) internal view returns (address, uint256) {
        uint256 n = _actors.length;
        for (uint256 k; k < n; ++k) {
            address a = _actors[(seed + k) % n];
            uint256 b = _bond.balanceOf(a);
            if (b != 0) return (a, b);
        }
        return (_actor(seed), 0);
    }

    /// @notice Every account that may hold the bond's payment token (actors, issuer, escrow treasury, bond, escrow).
    function bondMoneyHolders() external view returns (address[] memory all) {
        all = new address[](_actors.length + 4);
        for (uint256 i; i < _actors.length; ++i) all[i] = _actors[i];
        all[_actors.length] = _issuer;
        all[_actors.length + 1] = _escrowTreasury;
        all[_actors.length + 2] = address(_bond);
        all[_actors.length + 3] = address(_escrow);
    }
}
