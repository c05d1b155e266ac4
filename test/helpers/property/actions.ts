/**
 * The whole-suite property test's actions: sending a call as an actor (an EOA or the hostile contract), the command
 * wrapper that checks every invariant after its step, the shared draws and the steps several areas take.
 */
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import type { Contract, ContractTransactionResponse, TransactionReceipt } from "ethers";
import { revertDataOf as revertData } from "../../../sdk";
import { decodeOutcomeData } from "../security/world";
import { checkAll } from "./check";
import { add, cred, low, type Model, type Pausable, type Real } from "./model";

/** Successful / refused calls per function over the whole test (printed: shows what the runs exercised). */
export const tally = new Map<string, { ok: number; refused: number }>();

export interface Sent {
  ok: boolean;
  receipt?: TransactionReceipt | null;
  error?: string;
}

/**
 * Sends a call as `actor` (an EOA, or the hostile contract through its controller) at the model's next
 * second. A revert must be a named custom error of the suite.
 */
export async function act(
  m: Model,
  r: Real,
  actor: string,
  target: Contract | { target: unknown; interface: any },
  fn: string,
  args: unknown[],
): Promise<Sent> {
  m.now += 1n;
  await network.provider.send("evm_setNextBlockTimestamp", [Number(m.now)]);
  const to = target.target as string;
  const data = target.interface.encodeFunctionData(fn, args);
  let tx: Promise<ContractTransactionResponse>;
  if (low(actor) === low(r.actors[5])) tx = r.attacker.connect(r.deployer).exec(to, data, { gasLimit: 3_000_000 });
  else
    tx = r.signers
      .get(low(actor))!
      .sendTransaction({ to, data, gasLimit: 3_000_000 }) as Promise<ContractTransactionResponse>;
  try {
    const receipt = await (await tx).wait();
    for (const l of receipt!.logs) if (l.topics[0] === r.retiredTopic) r.retiredCerts.add(l.topics[1]);
    const key = `${r.labels.get(low(to)) ?? to}.${fn}`;
    (tally.get(key) ?? tally.set(key, { ok: 0, refused: 0 }).get(key)!).ok++;
    return { ok: true, receipt };
  } catch (err) {
    const o = await decodeOutcomeData(revertData(err) ?? "0x");
    if (!o.error) throw new Error(`${fn}: reverted without a named custom error (${o.other})`);
    const key = `${r.labels.get(low(to)) ?? to}.${fn}`;
    (tally.get(key) ?? tally.set(key, { ok: 0, refused: 0 }).get(key)!).refused++;
    return { ok: false, error: o.error.name };
  }
}

export type Step = (m: Model, r: Real) => Promise<void>;

export function pausable(r: Real, which: Pausable): Contract | { target: unknown; interface: any } {
  return {
    credit: r.credit,
    market: r.market,
    escrow: r.escrow,
    pool0: r.pools[0],
    pool1: r.pools[1],
    bond0: r.bonds[0].c,
    bond1: r.bonds[1].c,
  }[which];
}

export class Cmd implements fc.AsyncCommand<Model, Real, false> {
  constructor(
    readonly label: string,
    readonly step: Step,
  ) {}
  check() {
    return true;
  }
  async run(m: Model, r: Real) {
    await this.step(m, r);
    await checkAll(m, r);
  }
  toString() {
    return this.label;
  }
}

export const pick = <T>(xs: T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);
/** (actor index, batch) pairs with a positive model balance: "smart" steps draw from these. */
export function holdings(m: Model, r: Real): { a: number; batch: Model["batches"][number]; bal: bigint }[] {
  const out: { a: number; batch: Model["batches"][number]; bal: bigint }[] = [];
  r.actors.forEach((addr, a) =>
    m.batches.forEach((batch) => {
      const bal = cred(m, addr, batch.id);
      if (bal > 0n) out.push({ a, batch, bal });
    }),
  );
  return out;
}
/** A smart amount: 1..balance (or the random one when not smart). */
export const part = (bal: bigint, seed: number) => 1n + (BigInt(seed) % bal);
/**
 * What a holder's command acts on: when `smart`, the b-th (actor, batch) position with a balance and a part of that
 * balance; otherwise actor a0, the b-th batch and the drawn kg0. Undefined when there is no batch yet.
 */
export function drawHolding(m: Model, r: Real, smart: boolean, a0: number, b: number, kg0: bigint) {
  const h = smart ? pick(holdings(m, r), b) : undefined;
  const batch = h ? h.batch : pick(m.batches, b);
  if (!batch) return undefined;
  return { smart: !!h, batch, a: h ? h.a : a0, kg: h ? part(h.bal, Number(kg0) + b) : kg0 };
}

export const actorIx = fc.nat({ max: 5 });
export const ix = fc.nat({ max: 1_000 });
export const kgArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 3_000n }),
  fc.constant(0n),
  fc.bigInt({ min: 1n, max: 20_000n }),
);

/** escrow.refundExpired(deal, i) by actor 0: refused unless the milestone is pending or disputed and its window passed. */
export async function refundExpired(m: Model, r: Real, deal: Model["deals"][number], i: number) {
  const ms = deal.ms[i];
  const s = await act(m, r, r.actors[0], r.escrow, "refundExpired", [deal.id, i]);
  const due =
    deal.status === "funded" &&
    !!ms &&
    (ms.state === "pending" || ms.state === "disputed") &&
    m.now > (ms.state === "disputed" ? ms.disputedAt : ms.deadline) + deal.window;
  expect(s.ok, s.error).to.equal(due);
  if (!s.ok) return;
  ms.state = "refunded";
  add(m.owed, deal.funder, ms.amount);
}

/** What a run's mix stresses: "balanced", or one area whose interesting states lie at the end of long chains. */
export type Focus = "balanced" | "market" | "pools" | "escrow" | "bonds";

/** One area of the whole-suite property test (test/helpers/property/areas/): its commands and their draw weights. */
export interface PropertyArea {
  name: "foundation" | Exclude<Focus, "balanced">;
  commands: fc.Arbitrary<Cmd>[];
  /** Draw weight of commands[i]; `x(area)` is 4 when the run's mix focuses on that area, else 1. */
  weight(i: number, x: (area: Focus) => number): number;
}
