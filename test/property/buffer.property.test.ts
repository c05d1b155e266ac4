import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { bufferSuite, type BufferSuite } from "../helpers/buffer";
import { issueParams } from "../helpers/suite";
import { bufferWithheldKg } from "../../sdk/buffer";

/** CI default 40 runs of up to 12 actions; PROPERTY_RUNS changes it. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
const EVIDENCE = ethers.id("property-reversal");

type Action =
  | { kind: "issue"; project: number; tonnes: bigint }
  | { kind: "report"; project: number; kg: bigint; avoidable: boolean }
  | { kind: "settle"; reversal: number }
  | { kind: "compensate"; reversal: number; kg: bigint }
  | { kind: "retire"; batch: number; kg: bigint };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("issue" as const), project: fc.nat(2), tonnes: fc.bigInt(1n, 30n) }),
  fc.record({
    kind: fc.constant("report" as const),
    project: fc.nat(2),
    kg: fc.bigInt(1n, 12_000n),
    avoidable: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("settle" as const), reversal: fc.nat(5) }),
  fc.record({ kind: fc.constant("compensate" as const), reversal: fc.nat(5), kg: fc.bigInt(1n, 6_000n) }),
  fc.record({ kind: fc.constant("retire" as const), batch: fc.nat(20), kg: fc.bigInt(1n, 3_000n) }),
);

describe("BufferPool properties", function () {
  this.timeout(900_000);

  /** The buffer suite; the holder of every issued batch (dave) approved the buffer for compensation. */
  async function fixture() {
    const s = await bufferSuite();
    await s.credit.connect(s.dave).setApprovalForAll(await s.buffer.getAddress(), true);
    return s;
  }

  async function check(s: BufferSuite, batches: bigint[], reversals: bigint[], projects: bigint[], held: bigint[]) {
    const bufferAddr = await s.buffer.getAddress();
    let inBuffer = 0n;
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      const info = await s.credit.batch(b);
      const buf = await s.credit.balanceOf(bufferAddr, b);
      const dave = await s.credit.balanceOf(s.dave.address, b);
      inBuffer += buf;
      // conservation per batch: Σ balances + retired + cancelled = issued
      expect(dave + buf + info.retiredKg + (await s.credit.cancelledKg(b)), `batch ${b}`).to.equal(info.issuedKg);
      // the holder's credits only change by the holder's own actions (never by a reversal)
      expect(dave, `holder of batch ${b}`).to.equal(held[i]);
    }
    let own = 0n;
    for (const p of projects) own += await s.buffer.bufferOf(p);
    const total = await s.buffer.totalBufferKg();
    expect(total, "totalBufferKg = the buffer's credits").to.equal(inBuffer);
    expect(total, "totalBufferKg = own buffers + pooled").to.equal(own + (await s.buffer.pooledBufferKg()));
    for (const id of reversals) {
      const r = await s.buffer.reversal(id);
      const left = await s.buffer.remainingKg(id);
      expect(r.cancelledKg + r.uncoveredKg + left).to.equal(r.amountKg);
      if (r.uncoveredKg > 0n) expect(left, "uncovered only once nothing is left to cancel").to.equal(0n);
      if (left > 0n) expect(total, "an open reversal has buffer left to cancel").to.be.greaterThan(0n);
    }
    for (const p of projects) {
      const [owed, oldest] = await s.buffer.owedBy(p);
      expect(await s.credit.outstandingReversalOf(p), `issuance block of project ${p}`).to.equal(oldest);
      expect(oldest === 0n, `project ${p} blocked iff it owes`).to.equal(owed === 0n);
    }
  }

  it("conserves every batch, never touches holders, spends the own buffer first and blocks exactly the owing projects", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
        const s = await loadFixture(fixture);
        const projects = [s.forest, s.mangrove, s.solar];
        const rates = [1000n, 2000n, 0n];
        const batches: bigint[] = [];
        const held: bigint[] = [];
        const reversals: bigint[] = [];
        const serial = [1n, 1n, 1n];
        for (const a of actions) {
          if (a.kind === "issue") {
            const p = projects[a.project];
            const params = issueParams(p, s.dave.address, {
              serialStart: serial[a.project],
              serialEnd: serial[a.project] + a.tonnes - 1n,
            });
            const blocked = (await s.credit.outstandingReversalOf(p)) !== 0n;
            if (blocked) {
              await expect(s.credit.connect(s.verifier).issue(params)).to.be.revertedWithCustomError(
                s.credit,
                "ReversalOutstanding",
              );
              continue;
            }
            const id = await s.credit.connect(s.verifier).issue.staticCall(params);
            await (await s.credit.connect(s.verifier).issue(params)).wait();
            serial[a.project] += a.tonnes;
            const withheld = bufferWithheldKg(a.tonnes, rates[a.project]);
            expect(await s.credit.balanceOf(await s.buffer.getAddress(), id)).to.equal(withheld);
            batches.push(id);
            held.push(a.tonnes * 1000n - withheld);
          } else if (a.kind === "report") {
            const p = projects[a.project];
            const id = await s.buffer.connect(s.verifier).reportReversal.staticCall(p, a.kg, a.avoidable, EVIDENCE);
            const rc = await (await s.buffer.connect(s.verifier).reportReversal(p, a.kg, a.avoidable, EVIDENCE)).wait();
            reversals.push(id);
            const froms = rc!.logs
              .filter((l) => l.address === s.buffer.target)
              .map((l) => s.buffer.interface.parseLog(l))
              .filter((e) => e?.name === "BufferCancelled")
              .map((e) => BigInt(e!.args.fromProjectId));
            // own buffer first: once anything else is cancelled, the project's own buffer is spent
            if (froms.some((f) => f !== p)) expect(await s.buffer.bufferOf(p)).to.equal(0n);
            const firstOther = froms.findIndex((f) => f !== p);
            if (firstOther >= 0) expect(froms.slice(firstOther).every((f) => f !== p)).to.equal(true);
          } else if (a.kind === "settle") {
            if (reversals.length === 0) continue;
            const id = reversals[a.reversal % reversals.length];
            if ((await s.buffer.remainingKg(id)) === 0n) {
              await expect(s.buffer.settleReversal(id)).to.be.revertedWithCustomError(
                s.buffer,
                "ReversalAlreadySettled",
              );
            } else await (await s.buffer.connect(s.outsider).settleReversal(id)).wait();
          } else if (a.kind === "compensate") {
            if (reversals.length === 0 || batches.length === 0) continue;
            const id = reversals[a.reversal % reversals.length];
            const owed = (await s.buffer.reversal(id)).owedKg;
            const i = batches.findIndex((_, j) => held[j] > 0n);
            if (owed === 0n || i < 0) continue;
            const kg = [a.kg, owed, held[i]].reduce((m, x) => (x < m ? x : m));
            await (await s.buffer.connect(s.dave).compensate(id, batches[i], kg)).wait();
            held[i] -= kg;
          } else {
            if (batches.length === 0) continue;
            const i = a.batch % batches.length;
            const kg = a.kg < held[i] ? a.kg : held[i];
            if (kg === 0n) continue;
            await (await s.credit.connect(s.dave).retire(batches[i], kg, ethers.ZeroAddress, "", "")).wait();
            held[i] -= kg;
          }
          await check(s, batches, reversals, projects, held);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
