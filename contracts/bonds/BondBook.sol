// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IGreenBond, BondTerms, UseOfProceeds, BondStatus, KpiStatus} from "../interfaces/IGreenBond.sol";
import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IMilestoneEscrow} from "../interfaces/IMilestoneEscrow.sol";
import {GuardianPausable} from "../governance/GuardianPausable.sol";
import {Roles} from "../libraries/Roles.sol";
import {BondTermsLib} from "../libraries/BondTermsLib.sol";
import {BondProceedsLib} from "../libraries/BondProceedsLib.sol";
import {CouponAccumulator} from "../libraries/CouponAccumulator.sol";

/// @title BondBook
/// @notice The book of GreenBond: its terms (validated, immutable), every figure of its accounts (lifecycle, pots,
/// coupon accumulator, holders, freezes, recoveries), the read side (schedule, amounts owed, solvency floor) and the
/// checks the state machine shares (status, eligibility, transfer rules, default condition). GreenBond holds every
/// state change.
/// @dev Abstract: only GreenBond derives from it. It declares all of GreenBond's storage,
/// laid out right after the OpenZeppelin bases'.
// Every figure of the bond's book is its own public, indexer-readable variable (packed where hot); grouping them in
// structs would only trade the auto-generated getters for hand-written ones in a contract close to the size limit.
// solhint-disable-next-line max-states-count
abstract contract BondBook is IGreenBond, ERC20, GuardianPausable {
    using CouponAccumulator for CouponAccumulator.Account;

    /// @notice Freezes accounts and moves units by force (recovery, court orders).
    bytes32 public constant AGENT_ROLE = Roles.AGENT;
    /// @notice Reports the sustainability KPI.
    bytes32 public constant VERIFIER_ROLE = Roles.VERIFIER;

    /// @notice Precision of the coupon-per-unit accumulator (payment-token wei per bond unit, scaled).
    uint256 public constant ACC_SCALE = CouponAccumulator.SCALE;
    uint256 internal constant UNIT = 1e18;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant YEAR = 365 days;
    /// @notice Bounds of the use-of-proceeds deal (BondTermsLib's).
    uint256 public constant MAX_MILESTONES = BondTermsLib.MAX_MILESTONES;
    uint256 public constant MAX_VERIFIERS = BondTermsLib.MAX_VERIFIERS;

    IERC20 public immutable paymentToken;
    address public immutable issuer;
    IComplianceRegistry public immutable compliance;
    IMilestoneEscrow public immutable escrow;
    uint256 public immutable unitPrice;
    uint256 public immutable cap;
    uint256 public immutable softCap;
    uint64 public immutable subscriptionStart;
    uint64 public immutable subscriptionEnd;
    uint64 public immutable maturity;
    uint64 public immutable couponPeriod;
    uint64 public immutable kpiDeadline;
    uint64 public immutable gracePeriod;
    uint16 public immutable baseRateBps;
    uint16 public immutable stepUpBps;
    /// @notice Number of coupon periods: (maturity − subscriptionEnd) / couponPeriod.
    uint256 public immutable couponCount;

    /// @dev Units a holder redeemed after the default (burned, still entitled to later recoveries) and the principal
    /// paid to it after the default.
    struct Recovery {
        uint256 units;
        uint256 paid;
    }

    // slot: lifecycle (packed)
    BondStatus public status;
    KpiStatus public kpiStatus;
    bool public principalFunded;
    uint16 public currentRateBps;
    uint32 public couponsFunded;
    uint32 public defaultedPeriod;

    /// @notice Units outstanding when the subscription closed successfully (fixed until redemptions).
    uint256 public issuedUnits;
    /// @notice Money paid in by subscribers while the subscription is open.
    uint256 public raised;
    /// @notice Money held for refunds (below soft cap).
    uint256 public refundPot;
    /// @notice Money sent into the escrow deal at close.
    uint256 public proceeds;
    /// @notice The MilestoneEscrow deal holding the proceeds (0 before a successful close).
    uint256 public escrowDealId;
    /// @notice Σ coupon amounts deposited / Σ coupon amounts paid out.
    uint256 public couponsFundedTotal;
    uint256 public couponsClaimedTotal;
    /// @notice Principal held for holders (deposits + escrow refunds − redemptions).
    uint256 public principalPot;
    /// @notice Escrow refunds beyond the principal, owed to the issuer.
    uint256 public issuerSurplus;
    /// @notice Cumulative coupon per bond unit, scaled by ACC_SCALE.
    uint256 public couponPerUnit;
    /// @notice After a default: everything recovered for the holders' principal (the pot at the default plus every
    /// escrow refund pulled since). Every issued unit, redeemed or not, is entitled to `recovered / issuedUnits`.
    uint256 public principalRecovered;

    mapping(address account => CouponAccumulator.Account) internal _holders;
    mapping(address account => bool) internal _frozen;
    mapping(address account => Recovery) internal _recoveries;

    UseOfProceeds internal _useOfProceeds;

    /// @param t the bond terms (validated by the linked BondTermsLib before anything is stored)
    constructor(BondTerms memory t) {
        BondTermsLib.validate(t, address(this));
        paymentToken = IERC20(t.paymentToken);
        issuer = t.issuer;
        compliance = IComplianceRegistry(t.compliance);
        escrow = IMilestoneEscrow(t.escrow);
        unitPrice = t.unitPrice;
        cap = t.cap;
        softCap = t.softCap;
        subscriptionStart = t.subscriptionStart;
        subscriptionEnd = t.subscriptionEnd;
        maturity = t.maturity;
        couponPeriod = t.couponPeriod;
        kpiDeadline = t.kpiDeadline;
        gracePeriod = t.gracePeriod;
        baseRateBps = t.couponRateBps;
        stepUpBps = t.stepUpBps;
        couponCount = (t.maturity - t.subscriptionEnd) / t.couponPeriod;
        currentRateBps = t.couponRateBps;
        BondProceedsLib.store(_useOfProceeds, t.proceeds);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IGreenBond
    function claimable(address account) external view returns (uint256) {
        return _holders[account].pending(couponPerUnit, balanceOf(account));
    }

    /// @notice Due date of coupon `period` (1-based).
    function couponDueAt(uint256 period) public view returns (uint64) {
        return uint64(uint256(subscriptionEnd) + period * couponPeriod);
    }

    /// @notice Coupon of one period at `rateBps` on the issued units (rounded up).
    function couponAmount(uint16 rateBps) public view returns (uint256) {
        return
            Math.mulDiv(
                issuedUnits * unitPrice,
                uint256(rateBps) * couponPeriod,
                UNIT * BPS * YEAR,
                Math.Rounding.Ceil
            );
    }

    /// @notice Principal owed at maturity: ceil(issuedUnits * unitPrice / 1e18).
    function faceValue() public view returns (uint256) {
        return Math.mulDiv(issuedUnits, unitPrice, UNIT, Math.Rounding.Ceil);
    }

    /// @notice Money the bond must hold for its investors and the issuer (the solvency floor of its balance).
    function reserved() external view returns (uint256) {
        return raised + refundPot + (couponsFundedTotal - couponsClaimedTotal) + principalPot + issuerSurplus;
    }

    /// @notice Whether the coupon rate stepped up: exactly when the KPI counts as missed (reported missed, or not
    /// reported met by the deadline), so it is derived from `kpiStatus`, not stored.
    function steppedUp() public view returns (bool) {
        return kpiStatus == KpiStatus.Missed;
    }

    /// @notice Whether the agent froze `account`.
    function isFrozen(address account) external view returns (bool) {
        return _frozen[account];
    }

    /// @notice The use-of-proceeds deal parameters given at creation.
    function useOfProceeds() external view returns (UseOfProceeds memory) {
        return _useOfProceeds;
    }

    // ------------------------------------------------------------------ internals: checks

    function _checkTransfer(address from, address to) internal view {
        BondStatus s = status;
        if (s == BondStatus.Subscription || s == BondStatus.Refunding) revert TransfersLocked(s);
        _checkEligible(from);
        _checkEligible(to);
    }

    /// @dev One registry call on the happy path; the record is read only to name the reason of a refusal.
    function _checkEligible(address account) internal view {
        if (!compliance.isEligible(account)) BondTermsLib.revertIneligible(compliance, account);
        if (_frozen[account]) revert AccountFrozen(account);
    }

    /// @dev Whether a default is declarable now: the next unfunded coupon `period` is past `dueAt + gracePeriod`, or
    /// every coupon is funded but the principal is not past `maturity + gracePeriod` (period 0). Nothing is due
    /// once the coupons and the principal are funded (0, 0).
    function _defaultCondition() internal view returns (bool due, uint256 period, uint256 graceEnd) {
        uint256 next = uint256(couponsFunded) + 1;
        if (next <= couponCount) {
            graceEnd = uint256(couponDueAt(next)) + gracePeriod;
            period = next;
        } else if (!principalFunded) {
            graceEnd = uint256(maturity) + gracePeriod;
        } else {
            return (false, 0, 0);
        }
        due = block.timestamp > graceEnd;
    }

    function _requireStatus(BondStatus required) internal view {
        if (status != required) revert WrongStatus(status, required);
    }
}
