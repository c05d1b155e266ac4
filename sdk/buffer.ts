/**
 * Climate integrity: quality labels of credit batches and the non-permanence buffer (BufferPool).
 * Browser-safe (no Node imports). The label bits are those of contracts/libraries/Labels.sol; a unit test checks
 * this table against the compiled library's constants, so it cannot drift.
 */

/** Label name → bit (CarbonCredit.labelsOf, CarbonPool.requiredLabels). */
export const LABEL_BITS = {
  CORSIA_ELIGIBLE: 1,
  CCP_APPROVED: 2,
  CORRESPONDING_ADJUSTMENT: 4,
  REMOVAL: 8,
} as const;

export type LabelName = keyof typeof LABEL_BITS;

/** Every label name, in bit order (as the on-chain JSON metadata lists them). */
export const LABEL_NAMES = Object.keys(LABEL_BITS) as LabelName[];

/** Every known bit set. */
export const ALL_LABELS = LABEL_NAMES.reduce((m, n) => m | LABEL_BITS[n], 0);

/** Bits outside the known labels (CarbonCredit would refuse them with UnknownLabels). */
export class UnknownLabelError extends Error {
  constructor(what: string) {
    super(`${what}; known labels: ${LABEL_NAMES.join(", ")}`);
    this.name = "UnknownLabelError";
  }
}

/** The names of the labels set in `bits`, in bit order; unknown bits throw UnknownLabelError. */
export function labelNames(bits: number | bigint): LabelName[] {
  const b = Number(bits);
  if (!Number.isInteger(b) || b < 0 || (b & ~ALL_LABELS) !== 0)
    throw new UnknownLabelError(`unknown label bits in ${bits}`);
  return LABEL_NAMES.filter((n) => (b & LABEL_BITS[n]) !== 0);
}

/** The bits of the given label names. Names are matched ignoring case, with "-" or " " for "_". */
export function labelBits(names: readonly string[]): number {
  let bits = 0;
  for (const raw of names) {
    const key = raw
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, "_");
    if (!(key in LABEL_BITS)) throw new UnknownLabelError(`unknown label "${raw.trim()}"`);
    bits |= LABEL_BITS[key as LabelName];
  }
  return bits;
}

/** Labels from text: "none" (0), a number ("3"), or names separated by commas ("CORSIA_ELIGIBLE, removal"). */
export function parseLabels(text: string): number {
  const t = text.trim();
  if (t === "" || t.toLowerCase() === "none") return 0;
  if (/^\d+$/.test(t)) {
    labelNames(BigInt(t)); // validates
    return Number(t);
  }
  return labelBits(t.split(","));
}

/** "CORSIA_ELIGIBLE, REMOVAL", or "none". */
export function formatLabels(bits: number | bigint): string {
  const names = labelNames(bits);
  return names.length === 0 ? "none" : names.join(", ");
}

/** Whether `bits` carries every label of `required` (CarbonPool's LabelsMissing test). */
export function hasLabels(bits: number | bigint, required: number | bigint): boolean {
  const r = BigInt(required);
  return (BigInt(bits) & r) === r;
}

/** Kg CarbonCredit withholds into the buffer when issuing `tonnes` at `bufferBps`: ceil(t × bps / 10,000) tonnes. */
export function bufferWithheldKg(tonnes: bigint, bufferBps: number | bigint): bigint {
  const bps = BigInt(bufferBps);
  if (tonnes < 0n || bps < 0n || bps > 10_000n) throw new RangeError("tonnes ≥ 0 and 0 ≤ bufferBps ≤ 10,000");
  return ((tonnes * bps + 9_999n) / 10_000n) * 1_000n;
}

/** A reversal as `BufferPool.reversal(id)` returns it, with what is left to cancel. Amounts in kg. */
export interface Reversal {
  id: bigint;
  projectId: bigint;
  amountKg: bigint;
  cancelledKg: bigint;
  uncoveredKg: bigint;
  owedKg: bigint;
  avoidable: boolean;
  evidence: string;
  reportedAt: bigint;
  /** amountKg − cancelledKg − uncoveredKg: still to cancel with settleReversal (0 = settled). */
  remainingKg: bigint;
}

/** Turns the tuple of `BufferPool.reversal(id)` into a Reversal. */
export function toReversal(id: bigint, r: readonly unknown[]): Reversal {
  const [projectId, amountKg, cancelledKg, uncoveredKg, owedKg, avoidable, evidence, reportedAt] = r as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    boolean,
    string,
    bigint,
  ];
  return {
    id,
    projectId: BigInt(projectId),
    amountKg: BigInt(amountKg),
    cancelledKg: BigInt(cancelledKg),
    uncoveredKg: BigInt(uncoveredKg),
    owedKg: BigInt(owedKg),
    avoidable: Boolean(avoidable),
    evidence: String(evidence),
    reportedAt: BigInt(reportedAt),
    remainingKg: BigInt(amountKg) - BigInt(cancelledKg) - BigInt(uncoveredKg),
  };
}
