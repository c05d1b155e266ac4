import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockToken18, MilestoneEscrow, TestStablecoin } from "../../typechain-types";
import { ROLE } from "../helpers/suite";
import { BPS, DAY, MilestoneState as MS, escrowSuite } from "../helpers/escrow";

/**
 * Differential property test: random sequences of create / fund / attest / time-skip / refund / dispute /
 * resolve / cancel / withdraw (plus verifier-role changes and fee changes) run against the contract and a
 * small model. Every action must succeed exactly when the model says so; after every action the escrow is
 * solvent per token (balanceOf ≥ Σ locked + Σ owed = totalLiabilities); at the end everything is settled
 * and withdrawn and funder + beneficiary + treasury received exactly what was funded.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
/** Set PROPERTY_STATS=1 to print how often each action succeeded / was refused. */
const stats: Record<string, [number, number]> = {};

type Action =
  | {
      kind: "create";
      funder: number;
      token: number;
      amounts: number[];
      gaps: number[];
      threshold: number;
      window: number;
      andFund: boolean;
    }
  | { kind: "fund"; deal: number }
  | { kind: "attest"; deal: number; index: number; verifier: number }
  | { kind: "skip"; seconds: number }
  | { kind: "skipPast"; deal: number; index: number; permille: number }
  | { kind: "disputeFlow"; deal: number; index: number; permille: number; byBeneficiary: boolean; bps: number | null }
  | { kind: "refund"; deal: number; index: number }
  | { kind: "dispute"; deal: number; index: number; byBeneficiary: boolean }
  | { kind: "resolve"; deal: number; index: number; bps: number }
  | { kind: "cancel"; deal: number; byBeneficiary: boolean }
  | { kind: "withdraw"; actor: number; token: number }
  | { kind: "role"; verifier: number }
  | { kind: "fee"; bps: number };

const WINDOWS = [3600n, DAY, 7n * DAY];
const STATUS = { Created: 1, Funded: 2, Cancelled: 3 };

const createArb = fc.record({
  kind: fc.constant("create" as const),
  funder: fc.nat(1),
  token: fc.nat(1),
  amounts: fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 1_000_000_000 })), {
    minLength: 1,
    maxLength: 4,
  }),
  gaps: fc.array(fc.integer({ min: 3600, max: 10 * 86400 }), { minLength: 4, maxLength: 4 }),
  threshold: fc.integer({ min: 1, max: 3 }),
  window: fc.nat(2),
  andFund: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: createArb },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("fund" as const), deal: fc.nat(7) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("attest" as const),
      deal: fc.nat(7),
      index: fc.nat(3),
      verifier: fc.nat(2),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("skip" as const), seconds: fc.integer({ min: 600, max: 12 * 86400 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("skipPast" as const),
      deal: fc.nat(7),
      index: fc.nat(3),
      permille: fc.oneof(fc.constant(0), fc.constant(1000), fc.integer({ min: 0, max: 1200 })),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("disputeFlow" as const),
      deal: fc.nat(7),
      index: fc.nat(3),
      permille: fc.integer({ min: 1, max: 1000 }),
      byBeneficiary: fc.boolean(),
      bps: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("refund" as const), deal: fc.nat(7), index: fc.nat(3) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("dispute" as const),
      deal: fc.nat(7),
      index: fc.nat(3),
      byBeneficiary: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("resolve" as const),
      deal: fc.nat(7),
      index: fc.nat(3),
      bps: fc.oneof(fc.constant(0), fc.constant(10000), fc.integer({ min: 0, max: 10000 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("cancel" as const), deal: fc.nat(7), byBeneficiary: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), actor: fc.nat(3), token: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("role" as const), verifier: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fee" as const), bps: fc.integer({ min: 0, max: 1000 }) }) },
);

interface MMilestone {
  amount: bigint;
  deadline: bigint;
  state: number;
  mask: number;
  disputedAt: bigint;
}
interface MDeal {
  id: bigint;
  funder: number; // actor index
  token: number;
  threshold: number;
  window: bigint;
  feeBps: bigint;
  status: number;
  consent: number;
  milestones: MMilestone[];
}

async function fixture() {
  const s = await escrowSuite();
  // second funder: carol
  const addr = await s.escrow.getAddress();
  await (await s.usd.mint(s.carol.address, 10n ** 15n)).wait();
  await (await s.usd.connect(s.carol).approve(addr, ethers.MaxUint256)).wait();
  await (await s.token18.mint(s.carol.address, 10n ** 24n)).wait();
  await (await s.token18.connect(s.carol).approve(addr, ethers.MaxUint256)).wait();
  return s;
}

describe("MilestoneEscrow properties", function () {
  this.timeout(300_000);

  it(`stays solvent after every action and conserves money (${RUNS} random sequences)`, async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.array(createArb, { minLength: 1, maxLength: 2 }),
        fc.array(actionArb, { minLength: 4, maxLength: 18 }),
        async (prefix, rest) => {
          // a dispute flow = jump into the milestone's dispute window, dispute it, maybe have the arbiter rule
          const actions: Action[] = [...prefix, ...rest].flatMap((a): Action[] =>
            a.kind !== "disputeFlow"
              ? [a]
              : [
                  { kind: "skipPast", deal: a.deal, index: a.index, permille: a.permille },
                  { kind: "dispute", deal: a.deal, index: a.index, byBeneficiary: a.byBeneficiary },
                  ...(a.bps === null ? [] : [{ kind: "resolve" as const, deal: a.deal, index: a.index, bps: a.bps }]),
                ],
          );
          const s = await loadFixture(fixture);
          const escrow: MilestoneEscrow = s.escrow;
          const escrowAddr = await escrow.getAddress();
          const tokens: (TestStablecoin | MockToken18)[] = [s.usd, s.token18];
          const tokenAddrs = [await s.usd.getAddress(), await s.token18.getAddress()];
          // actors: 0 funder alice, 1 funder carol, 2 beneficiary bob, 3 treasury
          const actors: HardhatEthersSigner[] = [s.alice, s.carol, s.bob, s.treasury];
          const verifiers = [s.v1, s.v2, s.v3];
          const roles = [true, true, true];
          let feeBps = await escrow.feeBps();
          let now = BigInt(await time.latest());
          const deals: MDeal[] = [];
          const owed: bigint[][] = actors.map(() => [0n, 0n]);
          const funded = [0n, 0n];
          const start: bigint[][] = [];
          for (const a of actors) start.push(await Promise.all(tokens.map((t) => t.balanceOf(a.address))));
          const startEscrow = await Promise.all(tokens.map((t) => t.balanceOf(escrowAddr)));

          // deal n counts back from the newest; milestone index is taken modulo (count + 1): mostly valid, sometimes out of range
          const pick = (n: number): MDeal | undefined =>
            deals.length === 0 ? undefined : deals[deals.length - 1 - (n % deals.length)];
          const idx = (d: MDeal, i: number): number => i % (d.milestones.length + 1);
          const credit = (actor: number, token: number, amount: bigint) => {
            owed[actor][token] += amount;
          };
          const release = (d: MDeal, amount: bigint) => {
            const fee = (amount * d.feeBps) / BPS;
            credit(2, d.token, amount - fee);
            credit(3, d.token, fee);
          };

          /** Sends at a fixed next timestamp; returns whether it succeeded. */
          async function send(fn: () => Promise<{ wait(): Promise<unknown> }>): Promise<boolean> {
            now += 1n;
            await time.setNextBlockTimestamp(now);
            try {
              await (await fn()).wait();
              return true;
            } catch (err) {
              const data = (err as { data?: string }).data;
              // only the escrow's own named errors are acceptable failures
              const parsed = data ? escrow.interface.parseError(data) : null;
              if (!parsed) throw err;
              return false;
            }
          }

          async function checkSolvency(): Promise<void> {
            for (let t = 0; t < tokens.length; t++) {
              let locked = 0n;
              for (const d of deals) {
                if (d.token !== t || d.status !== STATUS.Funded) continue;
                for (const m of d.milestones) if (m.state <= MS.Disputed) locked += m.amount;
              }
              const owedSum = owed.reduce((acc, o) => acc + o[t], 0n);
              const bal = await tokens[t].balanceOf(escrowAddr);
              expect(bal).to.be.gte(locked + owedSum);
              expect(await escrow.totalLiabilities(tokenAddrs[t])).to.equal(locked + owedSum);
            }
          }

          for (const a of actions) {
            let expectOk = false;
            let ok = false;
            switch (a.kind) {
              case "create": {
                const ms: MMilestone[] = [];
                let dl = now + 1n;
                for (let i = 0; i < a.amounts.length; i++) {
                  dl += BigInt(a.gaps[i]);
                  ms.push({ amount: BigInt(a.amounts[i]), deadline: dl, state: MS.Pending, mask: 0, disputedAt: 0n });
                }
                const input = {
                  projectId: s.projectId,
                  beneficiary: s.bob.address,
                  token: tokenAddrs[a.token],
                  milestones: ms.map((m) => ({ amount: m.amount, deadline: m.deadline, description: ethers.ZeroHash })),
                  verifiers: verifiers.map((v) => v.address),
                  threshold: a.threshold,
                  arbiter: s.dave.address,
                  disputeWindow: WINDOWS[a.window],
                };
                // a listed verifier without the registry's VERIFIER_ROLE could never attest: refused (issue 16)
                expectOk = roles.every((r) => r);
                ok = await send(() => escrow.connect(actors[a.funder]).createDeal(input));
                if (ok) {
                  const d: MDeal = {
                    id: BigInt(deals.length + 1),
                    funder: a.funder,
                    token: a.token,
                    threshold: a.threshold,
                    window: WINDOWS[a.window],
                    feeBps,
                    status: STATUS.Created,
                    consent: 0,
                    milestones: ms,
                  };
                  deals.push(d);
                  if (a.andFund) {
                    expect(await send(() => escrow.connect(actors[a.funder]).fund(d.id))).to.equal(true);
                    d.status = STATUS.Funded;
                    funded[d.token] += ms.reduce((acc, m) => acc + m.amount, 0n);
                    await checkSolvency();
                  }
                }
                break;
              }
              case "fund": {
                const d = pick(a.deal);
                if (!d) continue;
                expectOk = d.status === STATUS.Created && now + 1n < d.milestones[0].deadline;
                ok = await send(() => escrow.connect(actors[d.funder]).fund(d.id));
                if (ok) {
                  d.status = STATUS.Funded;
                  funded[d.token] += d.milestones.reduce((acc, m) => acc + m.amount, 0n);
                }
                break;
              }
              case "attest": {
                const d = pick(a.deal);
                if (!d) continue;
                const index = idx(d, a.index);
                const m = d.milestones[index];
                const bit = 1 << a.verifier;
                expectOk =
                  d.status === STATUS.Funded &&
                  m !== undefined &&
                  roles[a.verifier] &&
                  m.state <= MS.Disputed &&
                  now + 1n <= m.deadline &&
                  (m.mask & bit) === 0;
                ok = await send(() => escrow.connect(verifiers[a.verifier]).attest(d.id, index, ethers.ZeroHash));
                if (ok) {
                  m.mask |= bit;
                  const valid = [0, 1, 2].filter((i) => (m.mask & (1 << i)) !== 0 && roles[i]).length;
                  if (valid >= d.threshold) {
                    m.state = MS.Released;
                    release(d, m.amount);
                  }
                }
                break;
              }
              case "skip":
                now += BigInt(a.seconds);
                await time.increaseTo(now);
                continue;
              case "skipPast": {
                // jump to a point of a milestone's dispute window (deadline + permille of the window), if ahead
                const d = pick(a.deal);
                if (!d) continue;
                const m = d.milestones[idx(d, a.index)];
                if (!m) continue;
                const target = m.deadline + (d.window * BigInt(a.permille)) / 1000n;
                if (target > now) {
                  now = target;
                  await time.increaseTo(now);
                }
                continue;
              }
              case "refund": {
                const d = pick(a.deal);
                if (!d) continue;
                const index = idx(d, a.index);
                const m = d.milestones[index];
                expectOk =
                  d.status === STATUS.Funded &&
                  m !== undefined &&
                  m.state <= MS.Disputed &&
                  now + 1n > (m.state === MS.Disputed ? m.disputedAt : m.deadline) + d.window;
                ok = await send(() => escrow.connect(s.outsider).refundExpired(d.id, index));
                if (ok) {
                  m.state = MS.Refunded;
                  credit(d.funder, d.token, m.amount);
                }
                break;
              }
              case "dispute": {
                const d = pick(a.deal);
                if (!d) continue;
                const index = idx(d, a.index);
                const m = d.milestones[index];
                expectOk =
                  d.status === STATUS.Funded &&
                  m !== undefined &&
                  m.state === MS.Pending &&
                  now + 1n > m.deadline &&
                  now + 1n <= m.deadline + d.window;
                const by = a.byBeneficiary ? s.bob : actors[d.funder];
                ok = await send(() => escrow.connect(by).dispute(d.id, index, ethers.ZeroHash));
                if (ok) {
                  m.state = MS.Disputed;
                  m.disputedAt = now;
                }
                break;
              }
              case "resolve": {
                const d = pick(a.deal);
                if (!d) continue;
                const index = idx(d, a.index);
                const m = d.milestones[index];
                expectOk =
                  d.status === STATUS.Funded &&
                  m !== undefined &&
                  m.state === MS.Disputed &&
                  now + 1n <= m.disputedAt + d.window;
                ok = await send(() => escrow.connect(s.dave).resolve(d.id, index, a.bps));
                if (ok) {
                  m.state = MS.Resolved;
                  const released = (m.amount * BigInt(a.bps)) / BPS;
                  release(d, released);
                  credit(d.funder, d.token, m.amount - released);
                }
                break;
              }
              case "cancel": {
                const d = pick(a.deal);
                if (!d) continue;
                const bit = a.byBeneficiary ? 2 : 1;
                const open = d.milestones.some((m) => m.state <= MS.Disputed);
                if (d.status === STATUS.Created) expectOk = !a.byBeneficiary;
                else expectOk = d.status === STATUS.Funded && open && (d.consent & bit) === 0;
                const by = a.byBeneficiary ? s.bob : actors[d.funder];
                ok = await send(() => escrow.connect(by).cancel(d.id));
                if (ok) {
                  if (d.status === STATUS.Created) d.status = STATUS.Cancelled;
                  else {
                    d.consent |= bit;
                    if (d.consent === 3) {
                      for (const m of d.milestones) {
                        if (m.state <= MS.Disputed) {
                          credit(d.funder, d.token, m.amount);
                          m.state = MS.Cancelled;
                        }
                      }
                      d.status = STATUS.Cancelled;
                    }
                  }
                }
                break;
              }
              case "withdraw": {
                // prefer a token this actor is owed (refusals stay possible when it is owed nothing)
                const t = owed[a.actor][a.token] === 0n && owed[a.actor][1 - a.token] > 0n ? 1 - a.token : a.token;
                expectOk = owed[a.actor][t] > 0n;
                ok = await send(() => escrow.connect(actors[a.actor]).withdraw(tokenAddrs[t]));
                if (ok) owed[a.actor][t] = 0n;
                break;
              }
              case "role": {
                roles[a.verifier] = !roles[a.verifier];
                const fn = roles[a.verifier] ? "grantRole" : "revokeRole";
                expectOk = true;
                ok = await send(() => s.registry.connect(s.deployer)[fn](ROLE.VERIFIER, verifiers[a.verifier].address));
                break;
              }
              case "fee": {
                expectOk = true;
                ok = await send(() => escrow.connect(s.deployer).setFeeBps(a.bps));
                if (ok) feeBps = BigInt(a.bps);
                break;
              }
            }
            expect(ok, `${JSON.stringify(a)} at t=${now}`).to.equal(expectOk);
            const st = (stats[a.kind] ??= [0, 0]);
            st[ok ? 0 : 1] += 1;
            await checkSolvency();
          }

          // the contract's books match the model
          for (let i = 0; i < actors.length; i++) {
            for (let t = 0; t < tokens.length; t++) {
              expect(await escrow.owed(actors[i].address, tokenAddrs[t])).to.equal(owed[i][t]);
            }
          }
          // settle everything still locked (past every deadline and dispute window), then everybody withdraws
          now += 400n * DAY;
          await time.increaseTo(now);
          for (const d of deals) {
            if (d.status !== STATUS.Funded) continue;
            for (let i = 0; i < d.milestones.length; i++) {
              const m = d.milestones[i];
              if (m.state <= MS.Disputed) {
                expect(await send(() => escrow.refundExpired(d.id, i))).to.equal(true);
                m.state = MS.Refunded;
                credit(d.funder, d.token, m.amount);
              }
            }
          }
          await checkSolvency();
          for (let i = 0; i < actors.length; i++) {
            for (let t = 0; t < tokens.length; t++) {
              if (owed[i][t] > 0n) {
                expect(await send(() => escrow.connect(actors[i]).withdraw(tokenAddrs[t]))).to.equal(true);
                owed[i][t] = 0n;
              }
            }
          }
          for (let t = 0; t < tokens.length; t++) {
            const delta = async (i: number) => (await tokens[t].balanceOf(actors[i].address)) - start[i][t];
            const funders = (await delta(0)) + (await delta(1)); // −funded + refunds
            const toBeneficiary = await delta(2);
            const toTreasury = await delta(3);
            expect(toBeneficiary).to.be.gte(0n);
            expect(toTreasury).to.be.gte(0n);
            // funder refunds + beneficiary + treasury = funded
            expect(funders + funded[t] + toBeneficiary + toTreasury).to.equal(funded[t]);
            expect(await tokens[t].balanceOf(escrowAddr)).to.equal(startEscrow[t]);
            expect(await escrow.totalLiabilities(tokenAddrs[t])).to.equal(0n);
          }
        },
      ),
      { numRuns: RUNS },
    );
    if (process.env.PROPERTY_STATS) console.log("succeeded / refused per action:", stats);
  });
});
