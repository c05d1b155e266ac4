/**
 * Unit helpers. 1 credit unit = 1 kg CO2e; issuance in whole tonnes; pool tokens have 18 decimals with
 * 1e18 = 1 tonne (so 1 kg = 1e15); prices are per tonne in the payment token's smallest unit.
 */

export const KG_PER_TONNE = 1000n;
/** Pool-token wei per kg (1e18 per tonne). */
export const POOL_WEI_PER_KG = 10n ** 15n;

/** "1.5" → 1500n kg. Accepts a decimal string with at most 3 decimals, or a bigint number of whole tonnes. */
export function tonnes(value: string | bigint): bigint {
  if (typeof value === "bigint") return value * KG_PER_TONNE;
  const m = /^\s*(\d+)(?:\.(\d{0,3}))?\s*$/.exec(value);
  if (!m)
    throw new Error(`tonnes(): "${value}" is not a non-negative decimal with at most 3 decimals (1 kg resolution)`);
  return BigInt(m[1]) * KG_PER_TONNE + BigInt((m[2] ?? "").padEnd(3, "0") || "0");
}

/** 1500n kg → "1.500" (exactly 3 decimals, as in the certificate JSON). */
export function kgToTonnesString(kg: bigint): string {
  const neg = kg < 0n;
  const a = neg ? -kg : kg;
  return `${neg ? "-" : ""}${a / KG_PER_TONNE}.${(a % KG_PER_TONNE).toString().padStart(3, "0")}`;
}

/** kg of credits → pool-token wei (amountKg * 1e15), what `CarbonPool.deposit` mints. */
export function kgToPoolTokens(kg: bigint): bigint {
  return kg * POOL_WEI_PER_KG;
}

/**
 * Pool-token wei → kg. Pools only move whole kg, so by default a non-multiple of 1e15 throws;
 * pass `{ round: "down" }` to get the whole kg it covers.
 */
export function poolTokensToKg(wei: bigint, opts: { round?: "exact" | "down" } = {}): bigint {
  if ((opts.round ?? "exact") === "exact" && wei % POOL_WEI_PER_KG !== 0n) {
    throw new Error(`poolTokensToKg(): ${wei} is not a whole number of kg (1 kg = 1e15 pool-token wei)`);
  }
  return wei / POOL_WEI_PER_KG;
}

/** Decimal tonnes → pool-token wei ("2.5" → 2.5e18). */
export function tonnesToPoolTokens(value: string | bigint): bigint {
  return kgToPoolTokens(tonnes(value));
}

/**
 * What the marketplace charges for `amountKg` at `pricePerTonne`: ceil(amountKg * price / 1000)
 * (rounded up in the seller's favour, exactly like `CreditMarketplace`).
 */
export function priceFor(amountKg: bigint, pricePerTonne: bigint): bigint {
  if (amountKg < 0n || pricePerTonne < 0n) throw new Error("priceFor(): negative input");
  return (amountKg * pricePerTonne + KG_PER_TONNE - 1n) / KG_PER_TONNE;
}

/** Fee part of a price in basis points, rounded down (marketplace/escrow convention). */
export function feeFor(amount: bigint, bps: bigint | number): bigint {
  return (amount * BigInt(bps)) / 10_000n;
}

/**
 * Formats an integer amount with `decimals` decimals and thousands separators: (1500000n, 6) → "1.5",
 * (1234500000n, 6, 2) → "1,234.50". `minFraction` pads the fraction (trailing zeros are trimmed beyond it).
 */
export function formatUnits(value: bigint, decimals: number, minFraction = 0): string {
  const neg = value < 0n;
  const v = neg ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = v / base;
  let frac = decimals > 0 ? (v % base).toString().padStart(decimals, "0").replace(/0+$/, "") : "";
  if (frac.length < minFraction) frac = frac.padEnd(minFraction, "0");
  const wholeStr = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (neg ? "-" : "") + wholeStr + (frac ? "." + frac : "");
}

/** kg of credits → "1.500 t" (three decimals: 1 kg resolution). */
export function formatTonnes(kg: bigint): string {
  return `${formatUnits(kg, 3, 3)} t`;
}

/** A token amount with its symbol: (1234500000n, { decimals: 6, symbol: "tUSD" }) → "1,234.50 tUSD". */
export function formatToken(
  amount: bigint,
  token: { decimals: number | bigint; symbol: string },
  minFraction = 2,
): string {
  return `${formatUnits(amount, Number(token.decimals), minFraction)} ${token.symbol}`;
}
