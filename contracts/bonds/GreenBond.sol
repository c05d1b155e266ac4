// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IGreenBond, BondTerms, BondStatus, KpiStatus} from "../interfaces/IGreenBond.sol";
import {BondBook} from "./BondBook.sol";
import {BondProceedsLib} from "../libraries/BondProceedsLib.sol";
import {CouponAccumulator} from "../libraries/CouponAccumulator.sol";
import {ExactTransfer} from "../libraries/ExactTransfer.sol";

/// @title GreenBond
/// @notice One tokenized green bond (ERC-20, 18 decimals, permissioned). Verified investors subscribe during a
/// window; at close the proceeds are locked in a MilestoneEscrow deal (the bond is the funder, the issuer the
/// beneficiary) or, below the soft cap, refunded. The issuer funds coupons period by period and the principal;
/// holders pull coupons (O(1) per holder through a cumulative coupon-per-unit accumulator settled on every
/// transfer, mint and burn) and redeem after maturity. A sustainability-linked bond steps its coupon rate up when
/// the KPI is reported missed, or not reported met by the KPI deadline. A coupon or the principal unfunded past the
/// grace period lets anyone declare a default; holders then keep every coupon funded so far and each issued unit gets
/// its pro-rata share of everything recovered for the principal (the pot at the default plus every escrow refund
/// pulled later), whenever its holder redeems.
/// @dev Rounding is always in favour of the contract:
/// - subscription price `ceil(units * unitPrice / 1e18)`; coupon and principal deposits rounded up;
/// - the accumulator increment `floor(amount * 1e36 / supply)` and every holder settlement
///   `floor(balance * Δacc / 1e36)` round down: each funded coupon leaves < 1 wei unallocated and each settlement
///   of a holder (transfer leg, mint, burn, claim) < 1 wei, which stays in the bond as dust;
/// - refunds and redemptions at maturity pay `floor(units * pot / supply)` of a pot; the last unit out takes the
///   remainder, so these pots leave no dust;
/// - after a default each holder's cumulative principal is `floor(unitsRedeemed * principalRecovered / issuedUnits)`:
///   < 1 wei per redeeming holder stays in `principalPot` as dust (in total, not per recovery).
/// Solvency: `token.balanceOf(bond) >= reserved()` = raised + refundPot + (couponsFunded − couponsClaimed)
/// + principalPot + issuerSurplus, and Σ claimable(holders) <= couponsFunded − couponsClaimed; after a default
/// principalPot = principalRecovered − Σ principal paid since, and Σ entitlements <= principalRecovered.
/// Pausing (GuardianPausable) stops subscriptions and ordinary transfers, never claims, refunds or redemptions.
/// The terms, the book and the views are BondBook's.
contract GreenBond is BondBook, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using CouponAccumulator for CouponAccumulator.Account;

    /// @param t the bond terms (validated by the linked BondTermsLib; see the errors in IGreenBond and
    /// IGreenBondFactory)
    /// @param name_ ERC-20 name
    /// @param symbol_ ERC-20 symbol
    /// @param admin receives DEFAULT_ADMIN_ROLE and PAUSER_ROLE
    /// @param agent receives AGENT_ROLE
    /// @param pauser also receives PAUSER_ROLE (the guardian: it can stop the bond at once, never resume it)
    /// @dev Every use-of-proceeds verifier receives VERIFIER_ROLE (KPI reporting).
    constructor(
        BondTerms memory t,
        string memory name_,
        string memory symbol_,
        address admin,
        address agent,
        address pauser
    ) ERC20(name_, symbol_) BondBook(t) {
        for (uint256 i = 0; i < t.proceeds.verifiers.length; ++i) _grantRole(VERIFIER_ROLE, t.proceeds.verifiers[i]);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(PAUSER_ROLE, pauser);
        _grantRole(AGENT_ROLE, agent);
    }

    // ------------------------------------------------------------------ subscription

    /// @inheritdoc IGreenBond
    function subscribe(uint256 units) external whenNotPaused nonReentrant {
        _requireStatus(BondStatus.Subscription);
        if (block.timestamp < subscriptionStart || block.timestamp >= subscriptionEnd) {
            revert OutsideSubscriptionWindow(block.timestamp, subscriptionStart, subscriptionEnd);
        }
        if (units == 0) revert ZeroUnits();
        uint256 remaining = cap - totalSupply();
        if (units > remaining) revert CapExceeded(units, remaining);
        _checkEligible(msg.sender);
        uint256 paid = Math.mulDiv(units, unitPrice, UNIT, Math.Rounding.Ceil);
        raised += paid;
        _mint(msg.sender, units);
        _pullExact(msg.sender, paid);
        emit Subscribed(msg.sender, units, paid);
    }

    /// @inheritdoc IGreenBond
    /// @dev Anyone may close once the window has ended. Success needs totalSupply >= softCap and must happen before
    /// `subscriptionEnd + gracePeriod` (the first milestone deadline is later, so the escrow accepts the deal); after
    /// that, or below the soft cap, the offering is cancelled and refunds open.
    function closeSubscription() external nonReentrant {
        _requireStatus(BondStatus.Subscription);
        if (block.timestamp < subscriptionEnd) revert SubscriptionStillOpen(subscriptionEnd);
        uint256 units = totalSupply();
        uint256 amount = raised;
        raised = 0;
        if (units >= softCap && block.timestamp < uint256(subscriptionEnd) + gracePeriod) {
            status = BondStatus.Active;
            issuedUnits = units;
            proceeds = amount;
            uint256 dealId = BondProceedsLib.fund(_useOfProceeds, escrow, paymentToken, issuer, amount);
            escrowDealId = dealId;
            emit SubscriptionClosed(true, units, amount, dealId);
        } else {
            status = BondStatus.Refunding;
            refundPot = amount;
            emit SubscriptionClosed(false, units, amount, 0);
        }
    }

    /// @inheritdoc IGreenBond
    /// @dev Pays `floor(units * refundPot / totalSupply)`; the last refund takes the remainder. Works when paused.
    function refund() external nonReentrant returns (uint256 paid) {
        _requireStatus(BondStatus.Refunding);
        uint256 units = balanceOf(msg.sender);
        if (units == 0) revert NothingToRedeem(msg.sender);
        paid = Math.mulDiv(units, refundPot, totalSupply());
        refundPot -= paid;
        _burn(msg.sender, units);
        paymentToken.safeTransfer(msg.sender, paid);
        emit Refunded(msg.sender, units, paid);
    }

    // ------------------------------------------------------------------ coupons

    /// @inheritdoc IGreenBond
    /// @dev Amount = ceil(issuedUnits * unitPrice * rateBps * couponPeriod / (1e18 * 10_000 * 365 days)) at the rate
    /// in force when funded (a pending step-up is applied first). Funding is possible from the period's due date
    /// until a default is declared; the coupon goes to the units held at funding time.
    function depositCoupon(uint256 period) external nonReentrant {
        _requireStatus(BondStatus.Active);
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        if (period == 0 || period > couponCount) revert NoSuchCouponPeriod(period, couponCount);
        uint256 expected = uint256(couponsFunded) + 1;
        if (period != expected) revert CouponPeriodOutOfOrder(period, expected);
        uint64 due = couponDueAt(period);
        if (block.timestamp < due) revert CouponNotDue(period, due);
        _maybeStepUp();
        uint16 rate = currentRateBps;
        uint256 amount = couponAmount(rate);
        couponsFunded = uint32(period);
        couponsFundedTotal += amount;
        couponPerUnit += CouponAccumulator.increment(amount, totalSupply());
        _pullExact(msg.sender, amount);
        emit CouponFunded(period, amount, rate);
    }

    /// @inheritdoc IGreenBond
    /// @dev Works when paused and for frozen accounts (freezing stops transfers, not payments owed).
    function claimCoupon() external nonReentrant returns (uint256 paid) {
        _settle(msg.sender, couponPerUnit);
        paid = _holders[msg.sender].take();
        if (paid == 0) revert NothingToClaim(msg.sender);
        couponsClaimedTotal += paid;
        paymentToken.safeTransfer(msg.sender, paid);
        emit CouponClaimed(msg.sender, paid);
    }

    // ------------------------------------------------------------------ sustainability-linked step-up

    /// @inheritdoc IGreenBond
    /// @dev VERIFIER_ROLE on this bond (granted at creation to the use-of-proceeds verifiers). Once, before the KPI
    /// deadline, while Active. A missed report steps the rate up immediately.
    /// The reporter must also hold the registry's VERIFIER_ROLE now (as the escrow requires of attestations).
    function reportKpi(bool met, bytes32 evidence) external onlyRole(VERIFIER_ROLE) {
        if (kpiDeadline == 0) revert NotSustainabilityLinked();
        if (!escrow.registry().isVerifier(msg.sender)) revert VerifierRoleMissing(msg.sender);
        _requireStatus(BondStatus.Active);
        if (block.timestamp >= kpiDeadline) revert KpiDeadlinePassed(kpiDeadline);
        if (kpiStatus != KpiStatus.Pending) revert KpiAlreadyReported(kpiStatus);
        kpiStatus = met ? KpiStatus.Met : KpiStatus.Missed;
        emit KpiReported(met, evidence);
        if (!met) _stepUp();
    }

    /// @inheritdoc IGreenBond
    /// @dev Also applied lazily by depositCoupon. An unreported KPI at the deadline counts as missed. Active only: an
    /// offering that never issued, or a defaulted bond, has no coupons left to step up.
    function applyStepUp() external {
        if (kpiDeadline == 0) revert NotSustainabilityLinked();
        _requireStatus(BondStatus.Active);
        if (kpiStatus == KpiStatus.Missed) revert AlreadySteppedUp(currentRateBps);
        if (kpiStatus == KpiStatus.Met) revert KpiAlreadyReported(KpiStatus.Met);
        if (block.timestamp < kpiDeadline) revert KpiDeadlineNotReached(kpiDeadline);
        kpiStatus = KpiStatus.Missed;
        _stepUp();
    }

    // ------------------------------------------------------------------ principal, redemption, default

    /// @inheritdoc IGreenBond
    /// @dev Pulls faceValue − principalPot (escrow refunds already in the pot count). Expected before maturity;
    /// accepted until a default is declared.
    function depositPrincipal() external nonReentrant {
        _requireStatus(BondStatus.Active);
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        if (principalFunded) revert PrincipalAlreadyFunded();
        uint256 face = faceValue();
        uint256 amount = face - principalPot;
        principalPot = face;
        _markPrincipalFunded(amount, face);
        _pullExact(msg.sender, amount);
    }

    /// @inheritdoc IGreenBond
    /// @dev At maturity: pays `floor(units * principalPot / totalSupply)` (the last redeemer takes the remainder).
    /// After a default every issued unit keeps its share of everything ever recovered, whenever it redeems: the
    /// caller's units redeemed after the default (these burned now plus earlier ones) are entitled to
    /// `floor(units * principalRecovered / issuedUnits)` in total, and the call pays that minus what it already
    /// received. A holder who redeemed before a later escrow recovery calls again (with 0 units) to take its share;
    /// `BondRedeemed` then reports 0 units. Cumulative rounding down leaves < 1 wei per redeeming holder in the pot, in
    /// total, however many recoveries. Coupons accrued to the units are settled by the burn and stay claimable.
    /// Works when paused and for frozen accounts.
    function redeem() external nonReentrant returns (uint256 paid) {
        uint256 units = balanceOf(msg.sender);
        BondStatus s = status;
        if (s == BondStatus.Defaulted) {
            Recovery storage r = _recoveries[msg.sender];
            uint256 entitled = r.units + units;
            r.units = entitled;
            paid = Math.mulDiv(entitled, principalRecovered, issuedUnits) - r.paid;
            r.paid += paid;
        } else {
            if (s != BondStatus.Active) revert WrongStatus(s, BondStatus.Active);
            if (block.timestamp < maturity) revert NotMatured(maturity);
            if (couponsFunded < couponCount) revert CouponsOutstanding(couponsFunded, couponCount);
            if (!principalFunded) revert PrincipalNotFunded(principalPot, faceValue());
            if (units != 0) paid = Math.mulDiv(units, principalPot, totalSupply());
        }
        if (paid == 0) revert NothingToRedeem(msg.sender);
        principalPot -= paid;
        if (units != 0) _burn(msg.sender, units);
        paymentToken.safeTransfer(msg.sender, paid);
        emit BondRedeemed(msg.sender, units, paid);
    }

    /// @inheritdoc IGreenBond
    /// @dev Default when the next unfunded coupon is past `dueAt + gracePeriod`, or every coupon is funded but the
    /// principal is not past `maturity + gracePeriod`. After it: no more deposits, coupons funded so far stay
    /// claimable, and every holder may redeem at once its share of the pot, then of every later recovery (see redeem).
    /// No unit was burned before a default (redemption needs every coupon and the principal funded), so the units
    /// outstanding are `issuedUnits`.
    function declareDefault() external {
        _requireStatus(BondStatus.Active);
        (bool due, uint256 period, uint256 graceEnd) = _defaultCondition();
        if (!due) revert NoDefault(period, graceEnd);
        _default(period);
    }

    /// @notice Pulls money the escrow owes the bond (milestones refunded to the funder) into the principal pot.
    /// Anyone. While Active it fills the pot up to faceValue (lowering what the issuer must deposit), the rest is
    /// issuer surplus; after a default everything goes to the holders' pot, shared by every issued unit (redeemed
    /// ones included: see redeem). When a default is already declarable it is declared first (audit A-15), so the
    /// refunds reach the holders whoever moves first.
    function pullEscrowRefunds() external nonReentrant returns (uint256 received) {
        BondStatus s = _defaultIfDue();
        if (s != BondStatus.Defaulted) _requireStatus(BondStatus.Active);
        uint256 before = paymentToken.balanceOf(address(this));
        escrow.withdraw(address(paymentToken));
        received = paymentToken.balanceOf(address(this)) - before;
        if (received == 0) revert NothingToPull();
        uint256 toPrincipal;
        if (s == BondStatus.Defaulted) {
            toPrincipal = received;
            principalRecovered += received;
        } else if (!principalFunded) {
            uint256 face = faceValue();
            toPrincipal = Math.min(received, face - principalPot);
            if (principalPot + toPrincipal == face) _markPrincipalFunded(toPrincipal, face);
        }
        principalPot += toPrincipal;
        issuerSurplus += received - toPrincipal;
        emit EscrowRefundsPulled(received, toPrincipal, received - toPrincipal);
    }

    /// @notice The issuer withdraws escrow refunds that exceed the principal.
    /// @dev A default already declarable is declared first (audit A-15); the surplus booked before it stays the
    /// issuer's, as it would if anyone had called declareDefault first.
    function withdrawIssuerSurplus() external nonReentrant returns (uint256 amount) {
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        _defaultIfDue();
        amount = issuerSurplus;
        if (amount == 0) revert NothingToClaim(msg.sender);
        issuerSurplus = 0;
        paymentToken.safeTransfer(msg.sender, amount);
        emit IssuerSurplusWithdrawn(msg.sender, amount);
    }

    // ------------------------------------------------------------------ agent and pauser

    /// @inheritdoc IGreenBond
    function freeze(address account, bool frozen) external onlyRole(AGENT_ROLE) {
        _frozen[account] = frozen;
        emit Frozen(account, frozen, msg.sender);
    }

    /// @inheritdoc IGreenBond
    /// @dev `from` may be frozen or unverified (lost keys, sanctions); `to` must be an eligible, unfrozen investor.
    /// Accrued coupons stay with `from` (settled before the move). Works when paused and in every status.
    function forcedTransfer(address from, address to, uint256 units) external onlyRole(AGENT_ROLE) {
        if (units == 0) revert ZeroUnits();
        _checkEligible(to);
        _transfer(from, to, units);
        emit ForcedTransfer(from, to, units, msg.sender);
    }

    // ------------------------------------------------------------------ ERC-20 with restrictions

    /// @notice ERC-20 transfer, only between eligible, unfrozen investors once the bond is issued.
    function transfer(address to, uint256 value) public override whenNotPaused returns (bool) {
        _checkTransfer(msg.sender, to);
        return super.transfer(to, value);
    }

    /// @notice ERC-20 transferFrom, only between eligible, unfrozen investors once the bond is issued.
    function transferFrom(address from, address to, uint256 value) public override whenNotPaused returns (bool) {
        _checkTransfer(from, to);
        return super.transferFrom(from, to, value);
    }

    // ------------------------------------------------------------------ internals

    /// @dev Settles the coupon accumulator of both sides before every balance change (mint, burn, transfer).
    function _update(address from, address to, uint256 value) internal override {
        uint256 acc = couponPerUnit;
        if (from != address(0)) _settle(from, acc);
        if (to != address(0) && to != from) _settle(to, acc);
        super._update(from, to, value);
    }

    /// @dev CouponAccumulator's settlement (`settleFrom`) written inline, its rounding from `accrued`: the library call
    /// frame cost ~48 gas per transfer. Reads the balance only when the accumulator moved since the last settlement.
    function _settle(address account, uint256 acc) private {
        CouponAccumulator.Account storage h = _holders[account];
        uint256 snap = h.snapshot;
        if (snap == acc) return;
        uint256 bal = balanceOf(account);
        if (bal != 0) h.owed += CouponAccumulator.accrued(bal, snap, acc);
        h.snapshot = acc;
    }

    /// @dev The one place the principal becomes funded (issuer deposit or escrow refunds): the flag and its event
    /// cannot be set apart. `amount` is what completed the pot, now equal to `face`.
    function _markPrincipalFunded(uint256 amount, uint256 face) private {
        principalFunded = true;
        emit PrincipalFunded(amount, face);
    }

    function _default(uint256 period) private {
        status = BondStatus.Defaulted;
        defaultedPeriod = uint32(period);
        principalRecovered = principalPot;
        emit Defaulted(period);
    }

    /// @dev Declares the default of an Active bond whose default condition holds; returns the status after.
    function _defaultIfDue() private returns (BondStatus s) {
        s = status;
        if (s != BondStatus.Active) return s;
        (bool due, uint256 period, ) = _defaultCondition();
        if (!due) return s;
        _default(period);
        return BondStatus.Defaulted;
    }

    function _maybeStepUp() private {
        if (kpiDeadline != 0 && kpiStatus == KpiStatus.Pending && block.timestamp >= kpiDeadline) {
            kpiStatus = KpiStatus.Missed;
            _stepUp();
        }
    }

    function _stepUp() private {
        uint16 rate = currentRateBps + stepUpBps;
        currentRateBps = rate;
        emit CouponStepUp(rate);
    }

    /// @dev Pulls exactly `amount` (never 0: prices, coupons and face value round up) from `from` (ExactTransfer:
    /// fee-on-transfer tokens are refused with TokenTransferShortfall).
    function _pullExact(address from, uint256 amount) private {
        ExactTransfer.pull(paymentToken, from, address(this), amount);
    }
}
