/** MilestoneEscrow: createDeal, fund, attest, refundExpired, dispute, resolve, cancel, withdraw. */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { Cmd, act, actorIx, ix, pick, refundExpired, type PropertyArea } from "../actions";
import { BPS, DAY, U, add, forwardTo, get, low, pastWindow, type Model, type MsState } from "../model";

/**
 * A milestone to act on: with `state`, the d-th (deal, index) pair of a funded deal whose milestone is in that state;
 * without, milestone `i` of the d-th funded deal (which may not exist: the call must then be refused).
 */
function pickMilestone(m: Model, state: MsState | undefined, d: number, i: number) {
  const funded = m.deals.filter((x) => x.status === "funded");
  if (!state) return { deal: pick(funded, d), i };
  const pairs = funded.flatMap((deal) => deal.ms.flatMap((x, k) => (x.state === state ? [{ deal, i: k }] : [])));
  return pick(pairs, d) ?? { deal: undefined, i };
}

const escrow = [
  fc
    .tuple(
      actorIx,
      actorIx,
      ix,
      fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 2 }),
    )
    .map(
      ([f, b, p, amounts, threshold]) =>
        new Cmd(
          `createDeal(funder=actor${f}, beneficiary=actor${b}, project#${p}, [${amounts}] tUSD, ${threshold}-of-2)`,
          async (m, r) => {
            const pr = pick(m.projects, p);
            if (!pr) return;
            const ms = amounts.map((a, i) => ({
              amount: BigInt(a) * U,
              deadline: m.now + BigInt(10 * (i + 1)) * DAY,
              description: ethers.ZeroHash,
            }));
            const input = {
              projectId: pr.id,
              beneficiary: r.actors[b],
              token: r.usd.target,
              milestones: ms,
              verifiers: [r.verifier.address, r.verifier2.address],
              threshold,
              arbiter: r.arbiter.address,
              disputeWindow: 2n * DAY,
            };
            const s = await act(m, r, r.actors[f], r.escrow, "createDeal", [input]);
            expect(s.ok, s.error).to.equal(!m.paused.escrow && pr.status === 1);
            if (!s.ok) return;
            m.deals.push({
              id: BigInt(m.deals.length + 1),
              funder: r.actors[f],
              beneficiary: r.actors[b],
              status: "created",
              bond: false,
              project: m.projects.indexOf(pr),
              threshold,
              feeBps: r.escrowFeeBps,
              window: 2n * DAY,
              consent: new Set(),
              ms: ms.map((x) => ({
                amount: x.amount,
                deadline: BigInt(x.deadline),
                state: "pending" as MsState,
                attested: new Set<string>(),
                disputedAt: 0n,
              })),
            });
          },
        ),
    ),
  fc.tuple(ix, fc.boolean()).map(
    ([d, smart]) =>
      new Cmd(`fund(${smart ? "unfunded " : ""}deal#${d})`, async (m, r) => {
        const deal = pick(smart ? m.deals.filter((x) => x.status === "created") : m.deals, d);
        if (!deal || deal.bond) return; // the bond funds its own deal when it closes
        const total = deal.ms.reduce((s, x) => s + x.amount, 0n);
        const s = await act(m, r, deal.funder, r.escrow, "fund", [deal.id]);
        const expected =
          deal.status === "created" &&
          !m.paused.escrow &&
          m.projects[deal.project].status === 1 &&
          m.now < deal.ms[0].deadline &&
          get(m.usd, deal.funder) >= total;
        expect(s.ok, s.error).to.equal(expected);
        if (!s.ok) return;
        deal.status = "funded";
        add(m.usd, deal.funder, -total);
        add(m.usd, r.escrow.target as string, total);
        m.liabilities += total;
      }),
  ),
  fc.tuple(ix, fc.nat({ max: 2 }), fc.boolean(), fc.boolean()).map(
    ([d, i, second, smart]) =>
      new Cmd(
        `attest(${smart ? "funded " : ""}deal#${d}, milestone ${i}, ${second ? "verifier2" : "verifier"})`,
        async (m, r) => {
          const deal = pick(smart ? m.deals.filter((x) => x.status === "funded") : m.deals, d);
          if (!deal) return;
          const v = second ? r.verifier2 : r.verifier;
          const s = await act(m, r, v.address, r.escrow, "attest", [deal.id, i, ethers.id("e")]);
          const ms = deal.ms[i];
          const expected =
            !m.paused.escrow &&
            deal.status === "funded" &&
            !!ms &&
            m.projects[deal.project].status === 1 &&
            (ms.state === "pending" || ms.state === "disputed") &&
            m.now <= ms.deadline &&
            !ms.attested.has(v.address);
          expect(s.ok, s.error).to.equal(expected);
          if (!s.ok) return;
          ms.attested.add(v.address);
          if (ms.attested.size >= deal.threshold) {
            ms.state = "released";
            const fee = (ms.amount * deal.feeBps) / BPS;
            add(m.owed, deal.beneficiary, ms.amount - fee);
            add(m.owed, r.treasury.address, fee);
          }
        },
      ),
  ),
  fc.tuple(ix, fc.nat({ max: 2 }), fc.boolean()).map(
    ([d, i0, smart]) =>
      new Cmd(
        `refundExpired(${smart ? "a pending milestone, just after its dispute window" : `funded deal#${d}, milestone ${i0}`})`,
        async (m, r) => {
          // smart: a pending milestone of a funded deal (the bonds' deals included, so escrow refunds reach the bonds),
          // with the clock moved just past its deadline + dispute window if it is not there yet
          const { deal, i } = pickMilestone(m, smart ? "pending" : undefined, d, i0);
          if (!deal) return;
          if (smart) pastWindow(m, deal, i);
          await refundExpired(m, r, deal, i);
        },
      ),
  ),
  fc.tuple(ix, fc.nat({ max: 2 }), fc.boolean(), fc.boolean()).map(
    ([d, i0, byFunder, smart]) =>
      new Cmd(
        `dispute(${smart ? "a pending milestone, just after its deadline" : `funded deal#${d}, milestone ${i0}`}, by ${byFunder ? "funder" : "beneficiary"})`,
        async (m, r) => {
          // smart: a pending milestone of a funded deal, and the clock moved just past its deadline if it is not yet
          const { deal, i } = pickMilestone(m, smart ? "pending" : undefined, d, i0);
          if (!deal || (deal.bond && byFunder)) return; // the bond never disputes
          const ms = deal.ms[i];
          if (smart) forwardTo(m, ms.deadline + 1n + (BigInt(d) % deal.window));
          const s = await act(m, r, byFunder ? deal.funder : deal.beneficiary, r.escrow, "dispute", [
            deal.id,
            i,
            ethers.id("r"),
          ]);
          const open =
            deal.status === "funded" &&
            !!ms &&
            ms.state === "pending" &&
            m.now > ms.deadline &&
            m.now <= ms.deadline + deal.window &&
            !m.paused.escrow;
          expect(s.ok, s.error).to.equal(open);
          if (!s.ok) return;
          ms.state = "disputed";
          ms.disputedAt = m.now;
        },
      ),
  ),
  fc.tuple(ix, fc.nat({ max: 2 }), fc.integer({ min: 0, max: 10_000 }), fc.boolean()).map(
    ([d, i0, bps, smart]) =>
      new Cmd(
        `resolve(${smart ? "a disputed milestone" : `funded deal#${d}, milestone ${i0}`}, ${bps} bps)`,
        async (m, r) => {
          const { deal, i } = pickMilestone(m, smart ? "disputed" : undefined, d, i0);
          if (!deal) return;
          const ms = deal.ms[i];
          const s = await act(m, r, r.arbiter.address, r.escrow, "resolve", [deal.id, i, bps]);
          const open =
            deal.status === "funded" && !!ms && ms.state === "disputed" && m.now <= ms.disputedAt + deal.window;
          expect(s.ok, s.error).to.equal(open);
          if (!s.ok) return;
          ms.state = "resolved";
          const released = (ms.amount * BigInt(bps)) / BPS;
          const fee = (released * deal.feeBps) / BPS;
          add(m.owed, deal.beneficiary, released - fee);
          add(m.owed, r.treasury.address, fee);
          add(m.owed, deal.funder, ms.amount - released);
        },
      ),
  ),
  fc.tuple(ix, fc.boolean()).map(
    ([d, byFunder]) =>
      new Cmd(`cancelDeal(deal#${d}, by ${byFunder ? "funder" : "beneficiary"})`, async (m, r) => {
        const deal = pick(m.deals, d);
        if (!deal || (deal.bond && byFunder)) return; // the bond never consents to a cancellation
        const who = byFunder ? deal.funder : deal.beneficiary;
        const s = await act(m, r, who, r.escrow, "cancel", [deal.id]);
        const bit = low(who) === low(deal.funder) ? "F" : "B"; // the funder's bit when funder = beneficiary
        const open = deal.ms.some((x) => x.state === "pending" || x.state === "disputed");
        const expected =
          deal.status === "created"
            ? byFunder || low(who) === low(deal.funder)
            : deal.status === "funded" && open && !deal.consent.has(bit);
        expect(s.ok, s.error).to.equal(expected);
        if (!s.ok) return;
        if (deal.status === "created") {
          deal.status = "cancelled";
          return;
        }
        deal.consent.add(bit);
        if (deal.consent.size < 2) return;
        deal.status = "cancelled";
        for (const ms of deal.ms) {
          if (ms.state === "pending" || ms.state === "disputed") {
            ms.state = "cancelled";
            add(m.owed, deal.funder, ms.amount);
          }
        }
      }),
  ),
  fc.tuple(fc.oneof(actorIx, fc.constantFrom(6, 7)), fc.boolean()).map(
    ([a, smart]) =>
      new Cmd(
        `withdraw(${smart ? "someone owed" : a === 6 ? "treasury" : a === 7 ? "bond issuer" : `actor${a}`})`,
        async (m, r) => {
          const owedAll = [...r.actors, r.treasury.address, r.issuer.address].filter((x) => get(m.owed, x) > 0n);
          const who =
            (smart ? pick(owedAll, a) : undefined) ??
            (a === 6 ? r.treasury.address : a === 7 ? r.issuer.address : r.actors[a]);
          const owed = get(m.owed, who);
          const s = await act(m, r, who, r.escrow, "withdraw", [r.usd.target]);
          // withdraw is never paused
          expect(s.ok, s.error).to.equal(owed > 0n);
          if (!s.ok) return;
          m.owed.set(low(who), 0n);
          add(m.usd, who, owed);
          add(m.usd, r.escrow.target as string, -owed);
          m.liabilities -= owed;
        },
      ),
  ),
];

const area: PropertyArea = {
  name: "escrow",
  commands: escrow,
  weight: (_, x) => 4 * x("escrow"),
};
export default area;
