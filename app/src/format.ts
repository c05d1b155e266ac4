/** Display helpers: kg → tonnes, token amounts, addresses, dates. */
import { kgToTonnesString, tonnes } from "treelion-contracts";

/** "1500" kg → "1.500 t" */
export function tonnesText(kg: string | bigint | number): string {
  return `${kgToTonnesString(BigInt(kg))} t`;
}

/** Fixed-point amount (e.g. 6-decimal tUSD) → "1,234.56". */
export function formatAmount(value: string | bigint, decimals: number, shown = 2): string {
  const v = BigInt(value);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const base = 10n ** BigInt(decimals);
  const whole = (a / base).toLocaleString("en-US");
  if (shown === 0) return `${neg ? "-" : ""}${whole}`;
  const frac = (a % base).toString().padStart(decimals, "0").slice(0, shown).padEnd(shown, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

/** tUSD has 6 decimals. */
export const usdText = (v: string | bigint) => `${formatAmount(v, 6)} tUSD`;

/** Pool tokens and bond units have 18 decimals. */
export const units18 = (v: string | bigint, shown = 3) => formatAmount(v, 18, shown);

export const shortAddress = (a: string) => (a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a);

export function dateText(ts: string | number): string {
  const n = Number(ts);
  return n ? new Date(n * 1000).toISOString().slice(0, 10) : "—";
}

/** "1.5" → 1500n kg (the SDK's `tonnes`), or a message for the form. */
export function parseTonnes(text: string): bigint | string {
  let kg: bigint;
  try {
    kg = tonnes(text);
  } catch {
    return "Enter tonnes as a number with at most 3 decimals (1 kg)";
  }
  return kg > 0n ? kg : "Enter more than 0 t";
}
