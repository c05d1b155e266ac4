import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { CarbonCredit } from "../../typechain-types";
import type { IssueParamsStruct } from "../../typechain-types/contracts/credits/CarbonCredit";
import { activeProject, coreSuite, issueParams, type CoreSuite } from "./suite";

export interface CreditsSuite extends CoreSuite {
  /** Active project owned by alice. */
  projectA: bigint;
  /** Active project owned by bob. */
  projectB: bigint;
}

/** The core suite with two Active projects. Call it from a file-local fixture function passed to loadFixture. */
export async function creditsSuite(): Promise<CreditsSuite> {
  const s = await coreSuite();
  const projectA = await activeProject(s, s.alice.address, { name: "Kasigau Corridor REDD+" });
  const projectB = await activeProject(s, s.bob.address, { name: "Sundarbans Mangroves" });
  return { ...s, projectA, projectB };
}

/** Issues through the verifier (ISSUER_ROLE), optionally with a hint; returns the batch id. */
export async function issue(
  s: Pick<CoreSuite, "credit" | "verifier">,
  p: IssueParamsStruct,
  hint?: bigint,
): Promise<bigint> {
  const c = s.credit.connect(s.verifier);
  if (hint === undefined) {
    const id = await c.issue.staticCall(p);
    await (await c.issue(p)).wait();
    return id;
  }
  const id = await c.issueWithHint.staticCall(p, hint);
  await (await c.issueWithHint(p, hint)).wait();
  return id;
}

/** Issues serials [start, end] of `projectId` to `to`. */
export function range(
  projectId: bigint,
  to: string,
  start: bigint,
  end: bigint,
  extra: Partial<IssueParamsStruct> = {},
) {
  return issueParams(projectId, to, { serialStart: start, serialEnd: end, ...extra });
}

/** Walks a project's sorted range list from the lowest batch: [batchId, serialStart, serialEnd][]. */
export async function walkRanges(credit: CarbonCredit, projectId: bigint): Promise<[bigint, bigint, bigint][]> {
  const [lowest, highest] = await credit.rangeEnds(projectId);
  const out: [bigint, bigint, bigint][] = [];
  let id = lowest;
  let last = 0n;
  while (id !== 0n) {
    const b = await credit.batch(id);
    out.push([id, b.serialStart, b.serialEnd]);
    last = id;
    id = await credit.nextBatchAbove(id);
    if (out.length > 1000) throw new Error("range list cycle");
  }
  if (last !== highest) throw new Error(`list ends at ${last}, rangeEnds says highest ${highest}`);
  return out;
}

/** UTC year of the latest block. */
export async function chainYear(): Promise<number> {
  return new Date((await time.latest()) * 1000).getUTCFullYear();
}

export const ATTESTATION = ethers.id("verification-report");
