/** Serial-range issuance helper: finds the `prevBatchId` hint for `issueWithHint`, or the overlapping batch. */

export interface SerialRange {
  serialStart: bigint | number;
  serialEnd: bigint | number;
}

/** What `findOverlapHint` needs of CarbonCredit (a TypeChain `CarbonCredit` satisfies it). */
export interface SerialListReader {
  rangeEnds(projectId: bigint): Promise<[bigint, bigint] | { lowest: bigint; highest: bigint }>;
  nextBatchAbove(batchId: bigint): Promise<bigint>;
  batch(batchId: bigint): Promise<{ serialStart: bigint; serialEnd: bigint }>;
}

export type OverlapHint =
  | {
      ok: true;
      /** the project's batch whose range lies just below the new one (0n = below all) */
      prevBatchId: bigint;
      /** "issue" when the range lies above every earlier range (no hint needed), else "issueWithHint" */
      method: "issue" | "issueWithHint";
    }
  | { ok: false; overlap: { batchId: bigint; serialStart: bigint; serialEnd: bigint } };

/**
 * Walks the project's sorted range list (rangeEnds → nextBatchAbove → batch) and returns the hint for
 * `issueWithHint(params, prevBatchId)`, or the batch the range overlaps. O(batches below the range) calls.
 */
export async function findOverlapHint(
  credit: SerialListReader,
  projectId: bigint | number,
  range: SerialRange,
): Promise<OverlapHint> {
  const start = BigInt(range.serialStart);
  const end = BigInt(range.serialEnd);
  if (start > end) throw new Error(`findOverlapHint(): serialStart ${start} > serialEnd ${end}`);
  const ends = await credit.rangeEnds(BigInt(projectId));
  const [lowest, highest] = Array.isArray(ends) ? ends : [ends.lowest, ends.highest];
  if (highest === 0n) return { ok: true, prevBatchId: 0n, method: "issue" };
  const top = await credit.batch(highest);
  if (start > BigInt(top.serialEnd)) return { ok: true, prevBatchId: highest, method: "issue" };
  let prev = 0n;
  let cur = BigInt(lowest);
  while (cur !== 0n) {
    const b = cur === highest ? top : await credit.batch(cur);
    const bStart = BigInt(b.serialStart);
    const bEnd = BigInt(b.serialEnd);
    if (bEnd < start) {
      prev = cur;
      cur = BigInt(await credit.nextBatchAbove(cur));
      continue;
    }
    if (bStart <= end) return { ok: false, overlap: { batchId: cur, serialStart: bStart, serialEnd: bEnd } };
    break; // b lies entirely above the new range
  }
  return { ok: true, prevBatchId: prev, method: "issueWithHint" };
}
