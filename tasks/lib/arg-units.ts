/**
 * What the amounts in the suite's custom errors and events count, for printing them in human units. The ABI says
 * only `uint256`; the unit is a fact of each error's or event's meaning, kept here (one row per error or event with
 * an amount) and checked against the compiled ABIs by test/unit/tasks/arg-units.test.ts, which fails on an
 * amount-like argument of any suite error or event that these tables do not classify, and on a row naming none.
 *
 * - `kg`: carbon credits (1 unit = 1 kg), printed as tonnes. Every argument whose name ends in `Kg` is kg too.
 * - `money`: the payment token of the task's contract (a listing's, a deal's, a bond's).
 * - `bondUnits`: GreenBond units (ERC-20, 18 decimals).
 * - `raisingToken`: the ERC-20 that raised the error (OpenZeppelin's ERC20 errors come from any token: the payment
 *   token, a pool token, a bond). The task run finds which token it was by reading each token it touched
 *   (`balanceOf(sender)` / `allowance(owner, spender)` must equal the error's figure); a figure it cannot tie to
 *   exactly one token is printed raw and the message says so.
 * - `argToken`: the ERC-20 named by the error's or event's own `token` argument.
 * - `emitterToken`: the ERC-20 that emitted the event (a pool token's `Transfer`, the tokens a pool burned).
 * - `time`: a unix timestamp, printed with its UTC date.
 * - `ether`: wei of the chain's native currency.
 */
export type ArgUnit = "kg" | "money" | "bondUnits" | "raisingToken" | "argToken" | "emitterToken" | "time" | "ether";

export const ERROR_ARG_UNITS: Readonly<Record<string, Readonly<Record<string, ArgUnit>>>> = {
  // credits (ERC-1155 ids count kg)
  ERC1155InsufficientBalance: { balance: "kg", needed: "kg" },
  // money
  PriceExceedsMax: { totalPrice: "money", maxTotalPrice: "money" },
  PriceOverflow: { pricePerTonne: "money" },
  EscrowFundingMismatch: { expected: "money", moved: "money" },
  PrincipalNotFunded: { principalPot: "money", faceValue: "money" },
  TokenTransferShortfall: { expected: "money", received: "money" },
  InvalidMilestoneAmount: { amount: "money" },
  PermitFailed: { allowance: "argToken", required: "argToken" },
  // bond units
  CapExceeded: { units: "bondUnits", remaining: "bondUnits" },
  InvalidCaps: { softCap: "bondUnits", cap: "bondUnits" },
  FaceValueOverflow: { cap: "bondUnits", unitPrice: "money" },
  // any ERC-20
  ERC20InsufficientBalance: { balance: "raisingToken", needed: "raisingToken" },
  ERC20InsufficientAllowance: { allowance: "raisingToken", needed: "raisingToken" },
  // times
  ExpiryInPast: { expiresAt: "time", nowTs: "time" },
  VerificationExpired: { expiresAt: "time" },
  CouponNotDue: { dueAt: "time" },
  NoDefault: { graceEndsAt: "time" },
  NotMatured: { maturity: "time" },
  OutsideSubscriptionWindow: { nowTs: "time", start: "time", end: "time" },
  SubscriptionStillOpen: { end: "time" },
  InvalidSubscriptionWindow: { start: "time", end: "time" },
  InvalidCouponSchedule: { subscriptionEnd: "time", maturity: "time" },
  InvalidKpiTerms: { kpiDeadline: "time" },
  KpiDeadlineNotReached: { kpiDeadline: "time" },
  KpiDeadlinePassed: { kpiDeadline: "time" },
  MilestoneTooEarly: { deadline: "time", earliest: "time" },
  ArbitrationClosed: { closedAt: "time" },
  DisputeWindowClosed: { closedAt: "time" },
  DeadlineNotInFuture: { deadline: "time", nowTs: "time" },
  DeadlinesNotIncreasing: { previous: "time", deadline: "time" },
  DisputeTooEarly: { deadline: "time" },
  MilestoneExpired: { deadline: "time" },
  RefundNotAvailable: { availableAfter: "time" },
  ERC2612ExpiredSignature: { deadline: "time" },
};

export const EVENT_ARG_UNITS: Readonly<Record<string, Readonly<Record<string, ArgUnit>>>> = {
  // credits
  TransferSingle: { value: "kg" },
  TransferBatch: { values: "kg" },
  // pool tokens (ERC-20 events of any token: the emitter's units)
  Transfer: { value: "emitterToken" },
  Approval: { value: "emitterToken" },
  Deposited: { minted: "emitterToken" },
  Redeemed: { burned: "emitterToken", fee: "emitterToken" },
  RetiredFromPool: { burned: "emitterToken", fee: "emitterToken" },
  // market
  Listed: { pricePerTonne: "money" },
  PriceUpdated: { oldPricePerTonne: "money", newPricePerTonne: "money" },
  Purchased: { totalPrice: "money", fee: "money" },
  // escrow
  DealCreated: { total: "argToken" },
  DealFunded: { amount: "money" },
  MilestoneReleased: { toBeneficiary: "money", fee: "money" },
  MilestoneRefunded: { amount: "money" },
  MilestoneCancelled: { amount: "money" },
  DisputeSettled: { toBeneficiary: "money", fee: "money", toFunder: "money" },
  DealCancelled: { refunded: "money" },
  Withdrawn: { amount: "argToken" },
  // bonds
  Subscribed: { units: "bondUnits", paid: "money" },
  Refunded: { units: "bondUnits", paid: "money" },
  SubscriptionClosed: { units: "bondUnits", proceeds: "money" },
  CouponFunded: { amount: "money" },
  CouponClaimed: { amount: "money" },
  PrincipalFunded: { amount: "money", principalPot: "money" },
  BondRedeemed: { units: "bondUnits", paid: "money" },
  ForcedTransfer: { units: "bondUnits" },
  EscrowRefundsPulled: { amount: "money", toPrincipal: "money", toIssuer: "money" },
  IssuerSurplusWithdrawn: { amount: "money" },
  // compliance, governance
  InvestorUpdated: { expiresAt: "time" },
  CallScheduled: { value: "ether" },
  CallExecuted: { value: "ether" },
};

function unitIn(
  table: Readonly<Record<string, Readonly<Record<string, ArgUnit>>>>,
  name: string,
  arg: string | undefined,
): ArgUnit | undefined {
  if (!arg) return undefined;
  return table[name]?.[arg] ?? (/Kg$/.test(arg) ? "kg" : undefined);
}

/** The unit of argument `arg` of error `error`, or undefined for a plain number (an id, a count, bps, a period). */
export const errorArgUnit = (error: string, arg: string | undefined) => unitIn(ERROR_ARG_UNITS, error, arg);

/** The unit of argument `arg` of event `event`, or undefined for a plain number. */
export const eventArgUnit = (event: string, arg: string | undefined) => unitIn(EVENT_ARG_UNITS, event, arg);

/**
 * Argument names that read like an amount (not `amounts`, an array's length): each such argument of a suite error
 * must have a unit above.
 */
export const AMOUNT_LIKE =
  /kg|price|amount(?!s)|total|balance|needed|allowance|owed|paid|cost|face|pot|cap|units|remaining/i;
