// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice One milestone of the use-of-proceeds deal created at close: a share of the proceeds in basis points.
/// @dev The last milestone receives `proceeds − Σ(earlier amounts)`, so the amounts always sum to the proceeds.
struct ProceedsMilestone {
    uint16 bps;
    uint64 deadline;
    bytes32 description;
}

/// @notice The MilestoneEscrow deal the bond creates (as funder, the issuer as beneficiary) when it closes.
struct UseOfProceeds {
    uint256 projectId;
    address[] verifiers;
    uint8 threshold;
    address arbiter;
    uint64 disputeWindow;
    ProceedsMilestone[] milestones;
}

/// @notice The terms of one green bond.
/// @dev Bond units have 18 decimals. `unitPrice` is in payment-token base units per 1e18 bond units (one bond).
/// Coupon period k (1-based) falls due at `subscriptionEnd + k * couponPeriod`; the last one at `maturity`.
/// `stepUpBps == 0 && kpiDeadline == 0` is a plain green bond; both non-zero a sustainability-linked bond.
struct BondTerms {
    address paymentToken;
    address issuer;
    address compliance;
    address escrow;
    uint256 unitPrice;
    uint256 cap;
    uint256 softCap;
    uint64 subscriptionStart;
    uint64 subscriptionEnd;
    uint64 maturity;
    uint64 couponPeriod;
    uint64 kpiDeadline;
    uint64 gracePeriod;
    uint16 couponRateBps;
    uint16 stepUpBps;
    UseOfProceeds proceeds;
}

/// @notice Lifecycle: Subscription → Active (≥ softCap, proceeds in escrow) or Refunding (< softCap);
/// Active → Defaulted when a coupon or the principal is unfunded past the grace period.
enum BondStatus {
    Subscription,
    Refunding,
    Active,
    Defaulted
}

/// @notice The KPI of a sustainability-linked bond.
enum KpiStatus {
    Pending,
    Met,
    Missed
}

/// @title IGreenBond
/// @notice A permissioned ERC-20 green bond: subscription by verified investors, proceeds locked in a
/// MilestoneEscrow deal, coupons by a per-unit accumulator (pull), sustainability-linked step-up,
/// redemption at maturity, default and pro-rata recovery.
interface IGreenBond {
    event Subscribed(address indexed investor, uint256 units, uint256 paid);
    /// @notice The subscription closed: `success` → proceeds funded escrow deal `dealId`; else refunds are open.
    event SubscriptionClosed(bool success, uint256 units, uint256 proceeds, uint256 dealId);
    event Refunded(address indexed investor, uint256 units, uint256 paid);
    event CouponFunded(uint256 indexed period, uint256 amount, uint16 rateBps);
    event CouponClaimed(address indexed holder, uint256 amount);
    event KpiReported(bool met, bytes32 evidence);
    event CouponStepUp(uint16 newRateBps);
    /// @notice The principal is funded: `amount` completed the pot, deposited by the issuer (depositPrincipal) or
    /// pulled from escrow refunds (pullEscrowRefunds, before its EscrowRefundsPulled); `principalPot` is the
    /// principal now held for holders (the face value).
    event PrincipalFunded(uint256 amount, uint256 principalPot);
    event BondRedeemed(address indexed holder, uint256 units, uint256 paid);
    /// @notice `period` is the missed coupon period (1..couponCount), or 0 when the principal was missed.
    event Defaulted(uint256 indexed period);
    event Frozen(address indexed account, bool frozen, address indexed agent);
    event ForcedTransfer(address indexed from, address indexed to, uint256 units, address indexed agent);
    /// @notice Money the escrow refunded to the bond (expired/disputed milestones) was pulled in.
    event EscrowRefundsPulled(uint256 amount, uint256 toPrincipal, uint256 toIssuer);
    event IssuerSurplusWithdrawn(address indexed issuer, uint256 amount);

    // ---- terms ----
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    error InvalidSubscriptionWindow(uint64 start, uint64 end);
    error InvalidCaps(uint256 softCap, uint256 cap);
    error ZeroUnitPrice();
    error FaceValueOverflow(uint256 cap, uint256 unitPrice);
    error InvalidCouponSchedule(uint64 couponPeriod, uint64 subscriptionEnd, uint64 maturity);
    error InvalidCouponRate(uint16 couponRateBps, uint16 stepUpBps);
    error InvalidKpiTerms(uint16 stepUpBps, uint64 kpiDeadline);
    error ZeroGracePeriod();
    error InvalidMilestoneCount(uint256 count, uint256 max);
    error InvalidVerifierCount(uint256 count, uint256 max);
    error ZeroMilestoneBps(uint256 index);
    error MilestoneBpsSum(uint256 sum);
    error MilestoneTooEarly(uint256 index, uint64 deadline, uint64 earliest);

    // ---- lifecycle ----
    error WrongStatus(BondStatus status, BondStatus required);
    error OutsideSubscriptionWindow(uint256 nowTs, uint64 start, uint64 end);
    error SubscriptionStillOpen(uint64 end);
    error ZeroUnits();
    error CapExceeded(uint256 units, uint256 remaining);
    error NotIssuer(address caller);
    error NoSuchCouponPeriod(uint256 period, uint256 couponCount);
    error CouponPeriodOutOfOrder(uint256 period, uint256 expected);
    error CouponNotDue(uint256 period, uint64 dueAt);
    error NothingToClaim(address account);
    error NothingToRedeem(address account);
    error NotSustainabilityLinked();
    /// @dev The KPI reporter no longer holds VERIFIER_ROLE in the project registry.
    error VerifierRoleMissing(address account);
    error KpiDeadlinePassed(uint64 kpiDeadline);
    error KpiDeadlineNotReached(uint64 kpiDeadline);
    error KpiAlreadyReported(KpiStatus status);
    error AlreadySteppedUp(uint16 rateBps);
    error PrincipalAlreadyFunded();
    error NotMatured(uint64 maturity);
    error CouponsOutstanding(uint256 funded, uint256 couponCount);
    error PrincipalNotFunded(uint256 principalPot, uint256 faceValue);
    error NoDefault(uint256 nextPeriod, uint256 graceEndsAt);
    error EscrowFundingMismatch(uint256 expected, uint256 moved);
    error NothingToPull();

    // ---- compliance ----
    error NotVerified(address account);
    error VerificationExpired(address account, uint64 expiresAt);
    error CountryBlocked(address account, bytes2 country);
    error AccountFrozen(address account);
    error TransfersLocked(BondStatus status);

    /// @notice Buys `units` during the subscription window; pays `ceil(units * unitPrice / 1e18)`.
    function subscribe(uint256 units) external;

    /// @notice Closes the offering after the window: ≥ softCap (within the grace period) → proceeds into the escrow
    /// deal; otherwise refunds open.
    function closeSubscription() external;

    /// @notice Below softCap: burns the caller's units and pays their pro-rata share of the money raised.
    function refund() external returns (uint256 paid);

    /// @notice The issuer funds the coupon of `period` (in order, from its due date) at the current rate.
    function depositCoupon(uint256 period) external;

    /// @notice Pays the caller every coupon accrued to their units.
    function claimCoupon() external returns (uint256 paid);

    /// @notice A KPI verifier reports the sustainability target before the KPI deadline.
    function reportKpi(bool met, bytes32 evidence) external;

    /// @notice Steps the coupon rate up once the KPI deadline passed without a met report. Anyone, while Active.
    function applyStepUp() external;

    /// @notice The issuer deposits the outstanding principal.
    function depositPrincipal() external;

    /// @notice After maturity (all coupons and the principal funded) or after a default: burns the caller's units
    /// and pays their pro-rata share of the principal held. After a default, units redeemed earlier stay entitled to
    /// their share of later recoveries: calling again (with no units) pays it.
    function redeem() external returns (uint256 paid);

    /// @notice Anyone, once a coupon or the principal is unfunded past the grace period.
    function declareDefault() external;

    /// @notice Freezes or unfreezes an account's transfers. AGENT_ROLE.
    function freeze(address account, bool frozen) external;

    /// @notice Moves units between accounts regardless of freezes (recovery, court order). AGENT_ROLE.
    function forcedTransfer(address from, address to, uint256 units) external;

    /// @notice Coupons the account may claim now.
    function claimable(address account) external view returns (uint256);
}
