import { ethers } from "hardhat";
import type { BufferPool } from "../../typechain-types";
import { activeProject, coreSuite, deployed, issueBatch, issueParams, type CoreSuite } from "./suite";

export interface BufferSuite extends CoreSuite {
  buffer: BufferPool;
  /** Active project owned by alice, buffer rate 10 %. */
  forest: bigint;
  /** Active project owned by bob, buffer rate 20 %. */
  mangrove: bigint;
  /** Active project owned by carol, no buffer rate. */
  solar: bigint;
}

/** The core suite with the BufferPool deployed and wired, and three Active projects. Use inside loadFixture. */
export async function bufferSuite(): Promise<BufferSuite> {
  const s = await coreSuite(["credits", "buffer", "test-tokens"]);
  const buffer = await deployed<BufferPool>("BufferPool");
  const forest = await activeProject(s, s.alice.address, { name: "Kasigau Corridor REDD+" });
  const mangrove = await activeProject(s, s.bob.address, { name: "Sundarbans Mangroves", category: 4 });
  const solar = await activeProject(s, s.carol.address, { name: "Rajasthan Solar", category: 1 });
  await (await s.registry.connect(s.verifier).setBufferRate(forest, 1000)).wait();
  await (await s.registry.connect(s.verifier).setBufferRate(mangrove, 2000)).wait();
  return { ...s, buffer, forest, mangrove, solar };
}

/** Issues `tonnes` of `projectId` to `to` above its earlier ranges (vintage 2020); returns the batch id. */
export async function issueTonnes(s: BufferSuite, projectId: bigint, to: string, tonnes: bigint): Promise<bigint> {
  const [, highest] = await s.credit.rangeEnds(projectId);
  const start = highest === 0n ? 1n : (await s.credit.batch(highest)).serialEnd + 1n;
  return issueBatch(s, issueParams(projectId, to, { serialStart: start, serialEnd: start + tonnes - 1n }));
}

/** Reports a reversal as the verifier; returns its id. */
export async function report(
  s: BufferSuite,
  projectId: bigint,
  amountKg: bigint,
  avoidable = false,
  evidence = ethers.id("fire-report"),
): Promise<bigint> {
  const b = s.buffer.connect(s.verifier);
  const id = await b.reportReversal.staticCall(projectId, amountKg, avoidable, evidence);
  await (await b.reportReversal(projectId, amountKg, avoidable, evidence)).wait();
  return id;
}

/** Per batch: Σ balances of `holders` + retiredKg + cancelledKg, next to issuedKg. */
export async function conservation(s: BufferSuite, batchId: bigint, holders: string[]) {
  let held = 0n;
  for (const h of holders) held += await s.credit.balanceOf(h, batchId);
  const b = await s.credit.batch(batchId);
  return { accounted: held + b.retiredKg + (await s.credit.cancelledKg(batchId)), issued: b.issuedKg };
}
