/** Small, dependency-free formatting helpers shared by the demo, tasks and benches. */
import { formatToken } from "../../sdk/units";

/** Renders rows as an aligned text table (numbers right-aligned). */
export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return "(none)";
  const cols = columns ?? Array.from(new Set(rows.flatMap((r) => Object.keys(r))));
  const cell = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "bigint" ? v.toString() : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const isNum = cols.map((c) => rows.every((r) => /^-?[\d.,]*$/.test(cell(r[c]))));
  const line = (vals: string[]) =>
    "│ " + vals.map((v, i) => (isNum[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(" │ ") + " │";
  const sep = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
  return [
    sep("┌", "┬", "┐"),
    line(cols),
    sep("├", "┼", "┤"),
    ...rows.map((r) => line(cols.map((c) => cell(r[c])))),
    sep("└", "┴", "┘"),
  ].join("\n");
}

/** Unit formatting lives in the SDK (sdk/units.ts); `tonnes` here is the SDK's `formatTonnes` (kg → "1.500 t"). */
export { formatUnits, formatTonnes, formatTonnes as tonnes } from "../../sdk/units";

/** 6-decimal money → "1,234.50 tUSD". */
export function usd(amount: bigint, symbol = "tUSD"): string {
  return formatToken(amount, { decimals: 6, symbol });
}

/** Short 0x1234…abcd form of an address or hash. */
export function short(hex: string): string {
  return hex.length > 12 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
}
