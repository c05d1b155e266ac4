/**
 * What the amounts in the suite's custom errors count, for printing them in human units. The ABI says only
 * `uint256`; the unit is a fact of each error's meaning, kept here (one row per error with an amount) and checked
 * against the compiled errors by test/unit/tasks/error-units.test.ts, which fails on an amount-like argument of
 * any suite error that this table does not classify.
 *
 * - `kg`: carbon credits (1 unit = 1 kg), printed as tonnes. Every argument whose name ends in `Kg` is kg too.
 * - `money`: the payment token of the task's contract (a listing's, a deal's, a bond's).
 * - `bondUnits`: GreenBond units (ERC-20, 18 decimals).
 * - `raisingToken`: the ERC-20 that raised the error (OpenZeppelin's ERC20 errors come from any token: the payment
 *   token, a pool token, a bond). The task run finds which token it was by reading each token it touched
 *   (`balanceOf(sender)` / `allowance(owner, spender)` must equal the error's figure); a figure it cannot tie to
 *   exactly one token is printed raw and the message says so.
 * - `argToken`: the ERC-20 named by the error's own `token` argument.
 * - `time`: a unix timestamp, printed with its UTC date.
 */
export type ErrorArgUnit = "kg" | "money" | "bondUnits" | "raisingToken" | "argToken" | "time";

export const ERROR_ARG_UNITS: Readonly<Record<string, Readonly<Record<string, ErrorArgUnit>>>> = {
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

/** The unit of argument `arg` of error `error`, or undefined for a plain number (an id, a count, bps, a period). */
export function errorArgUnit(error: string, arg: string | undefined): ErrorArgUnit | undefined {
  if (!arg) return undefined;
  return ERROR_ARG_UNITS[error]?.[arg] ?? (/Kg$/.test(arg) ? "kg" : undefined);
}

/**
 * Argument names that read like an amount (not `amounts`, an array's length): each such argument of a suite error
 * must have a unit above.
 */
export const AMOUNT_LIKE =
  /kg|price|amount(?!s)|total|balance|needed|allowance|owed|paid|cost|face|pot|cap|units|remaining/i;
