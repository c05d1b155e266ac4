/**
 * Green bonds: subscribe, close, refund, transfer, forcedTransfer, freeze, depositCoupon, claimCoupon, reportKpi,
 * applyStepUp, depositPrincipal, redeem, declareDefault, pullEscrowRefunds, withdrawIssuerSurplus and the bond clock,
 * on bond 0 (in subscription when a run starts) and bond 1 (issued, first coupon funded).
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import type { TransactionReceipt } from "ethers";
import { Cmd, act, actorIx, pick, refundExpired, type PropertyArea } from "../actions";
import {
  BPS,
  UNIT,
  bondClaimable,
  bondMove,
  ceilDiv,
  forwardTo,
  fundCoupon,
  get,
  holderOf,
  issueBond,
  low,
  pastWindow,
  pay,
  type Model,
  type Pausable,
  type Real,
} from "../model";

const unitsArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 3_000n }).map((n) => n * UNIT),
  fc.bigInt({ min: 0n, max: 3_000n * UNIT }),
  fc.constant(0n),
);

/** The commands of bond k (0: in subscription at the start of a run, 1: already issued). */
function bondCommands(k: number) {
  /** Verified by the ComplianceRegistry and not frozen by the agent. */
  const bondEligible = (m: Model, r: Real, who: string) => r.verified.has(low(who)) && !m.bonds[k].frozen.has(low(who));
  const couponDue = (r: Real, period: bigint) => r.bonds[k].terms.end + period * r.bonds[k].terms.period;
  const faceValue = (m: Model, r: Real) => ceilDiv(m.bonds[k].issuedUnits * r.bonds[k].terms.unitPrice, UNIT);
  function stepUp(m: Model, r: Real) {
    m.bonds[k].steppedUp = true;
    m.bonds[k].rateBps += r.bonds[k].terms.stepUp;
  }
  const bondHolders = (m: Model, r: Real) => r.actors.filter((a) => get(m.bonds[k].units, a) > 0n);
  /** End of the grace period whose passing makes a default declarable (undefined: nothing left to miss). */
  function graceEndOf(m: Model, r: Real): bigint | undefined {
    const b = m.bonds[k];
    const next = b.couponsFunded + 1n;
    if (next <= r.bonds[k].terms.couponCount) return couponDue(r, next) + r.bonds[k].terms.grace;
    return b.principalFunded ? undefined : r.bonds[k].terms.maturity + r.bonds[k].terms.grace;
  }
  /** A default already declarable is declared first by pullEscrowRefunds and withdrawIssuerSurplus (audit A-15). */
  function defaultIfDue(m: Model, r: Real) {
    const b = m.bonds[k];
    const graceEnd = graceEndOf(m, r);
    if (b.status !== 2 || graceEnd === undefined || m.now <= graceEnd) return;
    b.status = 3;
    b.recovered = b.pot;
  }
  /** The issuer deposits what the principal pot lacks: refused unless the bond is issued and its principal incomplete. */
  async function depositPrincipal(m: Model, r: Real) {
    const b = m.bonds[k];
    const s = await act(m, r, r.issuer.address, r.bonds[k].c, "depositPrincipal", []);
    expect(s.ok, s.error).to.equal(b.status === 2 && !b.principalFunded);
    if (!s.ok) return;
    const face = faceValue(m, r);
    expectPrincipalFunded(r, s.receipt!, [face - b.pot, face]);
    pay(m, r.issuer.address, r.bonds[k].c.target as string, face - b.pot);
    b.pot = face;
    b.principalFunded = true;
  }
  /** PrincipalFunded(amount, principalPot) is in the receipt exactly when the principal became funded by this call. */
  function expectPrincipalFunded(r: Real, receipt: TransactionReceipt, args: [bigint, bigint] | undefined) {
    const bond = r.bonds[k].c;
    const topic = bond.interface.getEvent("PrincipalFunded").topicHash;
    const logs = receipt.logs.filter((l) => l.topics[0] === topic && low(l.address) === low(bond.target as string));
    const got = logs.map((l) => bond.interface.decodeEventLog("PrincipalFunded", l.data, l.topics).toArray());
    expect(got, `bond${k} PrincipalFunded events`).to.deep.equal(args ? [args] : []);
  }
  /**
   * Anyone pulls what the escrow owes the bond: after a default all of it is recovered for the holders; while
   * issued it fills the principal pot up to the face value and the rest is issuer surplus.
   */
  async function pullEscrowRefunds(m: Model, r: Real, by: string) {
    const b = m.bonds[k];
    const bondAddr = r.bonds[k].c.target as string;
    const received = get(m.owed, bondAddr);
    const s = await act(m, r, by, r.bonds[k].c, "pullEscrowRefunds", []);
    expect(s.ok, s.error).to.equal((b.status === 2 || b.status === 3) && received > 0n);
    if (!s.ok) return;
    defaultIfDue(m, r);
    m.owed.set(low(bondAddr), 0n);
    m.liabilities -= received;
    pay(m, r.escrow.target as string, bondAddr, received);
    let toPrincipal = 0n;
    let completed: [bigint, bigint] | undefined;
    if (b.status === 3) {
      toPrincipal = received;
      b.recovered += received;
    } else if (!b.principalFunded) {
      const face = faceValue(m, r);
      toPrincipal = received < face - b.pot ? received : face - b.pot;
      if (b.pot + toPrincipal === face) {
        b.principalFunded = true;
        completed = [toPrincipal, face];
      }
    }
    // the pull that completes the pot announces the funded principal like a deposit; no other pull does
    expectPrincipalFunded(r, s.receipt!, completed);
    b.pot += toPrincipal;
    b.surplus += received - toPrincipal;
  }
  return [
    fc.tuple(actorIx, unitsArb).map(
      ([a, units]) =>
        new Cmd(`bond${k}.subscribe(actor${a}, ${units} units)`, async (m, r) => {
          const who = r.actors[a];
          const b = m.bonds[k];
          const price = ceilDiv(units * r.bonds[k].terms.unitPrice, UNIT);
          const s = await act(m, r, who, r.bonds[k].c, "subscribe", [units]);
          const expected =
            b.status === 0 &&
            !m.paused[`bond${k}` as Pausable] &&
            m.now >= r.bonds[k].terms.start &&
            m.now < r.bonds[k].terms.end &&
            units > 0n &&
            units <= r.bonds[k].terms.cap - b.supply &&
            bondEligible(m, r, who) &&
            get(m.usd, who) >= price;
          expect(s.ok, s.error).to.equal(expected);
          if (!s.ok) return;
          b.raised += price;
          bondMove(b, null, who, units);
          pay(m, who, r.bonds[k].c.target as string, price);
        }),
    ),
    fc.tuple(actorIx, fc.boolean()).map(
      ([a, jump]) =>
        new Cmd(`bond${k}.close(by actor${a}${jump ? ", at subscriptionEnd" : ""})`, async (m, r) => {
          const b = m.bonds[k];
          if (jump) forwardTo(m, r.bonds[k].terms.end);
          const s = await act(m, r, r.actors[a], r.bonds[k].c, "closeSubscription", []);
          const success = b.supply >= r.bonds[k].terms.softCap && m.now < r.bonds[k].terms.end + r.bonds[k].terms.grace;
          // a successful close creates and funds the escrow deal: the escrow must accept it
          const escrowAccepts = !m.paused.escrow && m.projects[r.bonds[k].terms.projectIndex].status === 1;
          expect(s.ok, s.error).to.equal(
            b.status === 0 && m.now >= r.bonds[k].terms.end && (!success || escrowAccepts),
          );
          if (!s.ok) return;
          if (success) return issueBond(m, r, k);
          b.status = 1;
          b.refundPot = b.raised;
          b.raised = 0n;
        }),
    ),
    fc.tuple(actorIx, fc.boolean()).map(
      ([a0, smart]) =>
        new Cmd(`bond${k}.refund(${smart ? "holder" : `actor${a0}`})`, async (m, r) => {
          const b = m.bonds[k];
          const who = (smart ? pick(bondHolders(m, r), a0) : undefined) ?? r.actors[a0];
          const units = get(b.units, who);
          const s = await act(m, r, who, r.bonds[k].c, "refund", []);
          expect(s.ok, s.error).to.equal(b.status === 1 && units > 0n);
          if (!s.ok) return;
          const paid = (units * b.refundPot) / b.supply;
          b.refundPot -= paid;
          bondMove(b, who, null, units);
          pay(m, r.bonds[k].c.target as string, who, paid);
        }),
    ),
    fc.tuple(actorIx, actorIx, fc.integer({ min: 0, max: 10_000 }), fc.boolean(), fc.boolean()).map(
      ([a0, t, bps, smart, forced]) =>
        new Cmd(
          `bond${k}.${forced ? "forcedTransfer(agent, " : "transfer("}${smart ? "holder" : `actor${a0}`} → actor${t}, ${bps} bps of the units)`,
          async (m, r) => {
            const b = m.bonds[k];
            const from = (smart ? pick(bondHolders(m, r), a0) : undefined) ?? r.actors[a0];
            const to = r.actors[t];
            const held = get(b.units, from);
            // 10,001 bps: one unit more than held (refused)
            const units = bps === 10_000 && !smart ? held + 1n : (held * BigInt(bps)) / BPS;
            const s = forced
              ? await act(m, r, r.deployer.address, r.bonds[k].c, "forcedTransfer", [from, to, units])
              : await act(m, r, from, r.bonds[k].c, "transfer", [to, units]);
            // the agent's forced transfer works paused, frozen or unverified `from`, in every status
            const expected = forced
              ? units > 0n && bondEligible(m, r, to) && held >= units
              : !m.paused[`bond${k}` as Pausable] &&
                (b.status === 2 || b.status === 3) &&
                bondEligible(m, r, from) &&
                bondEligible(m, r, to) &&
                held >= units;
            expect(s.ok, s.error).to.equal(expected);
            if (s.ok) bondMove(b, from, to, units);
          },
        ),
    ),
    fc.tuple(actorIx, fc.boolean()).map(
      ([a, frozen]) =>
        new Cmd(`bond${k}.freeze(actor${a}, ${frozen})`, async (m, r) => {
          const s = await act(m, r, r.deployer.address, r.bonds[k].c, "freeze", [r.actors[a], frozen]);
          expect(s.ok, s.error).to.equal(true);
          if (frozen) m.bonds[k].frozen.add(low(r.actors[a]));
          else m.bonds[k].frozen.delete(low(r.actors[a]));
        }),
    ),
    fc
      .tuple(fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, fc.constant(1), fc.constant(2)), fc.nat({ max: 3 }))
      .map(
        ([skew, j]) =>
          new Cmd(
            `bond${k}.depositCoupon(${["next", "next + 1", "0"][skew]} period${j > 0 ? ", at its due date" : ""})`,
            async (m, r) => {
              const b = m.bonds[k];
              const period = skew === 2 ? 0n : b.couponsFunded + 1n + BigInt(skew);
              // three draws in four move the clock to the due date first
              if (j > 0 && period > 0n) forwardTo(m, couponDue(r, period));
              const s = await act(m, r, r.issuer.address, r.bonds[k].c, "depositCoupon", [period]);
              const expected =
                b.status === 2 && skew === 0 && period <= r.bonds[k].terms.couponCount && m.now >= couponDue(r, period);
              expect(s.ok, s.error).to.equal(expected);
              if (s.ok) fundCoupon(m, r, k, period);
            },
          ),
      ),
    fc.tuple(actorIx, fc.boolean()).map(
      ([a0, smart]) =>
        new Cmd(`bond${k}.claimCoupon(${smart ? "someone owed" : `actor${a0}`})`, async (m, r) => {
          const b = m.bonds[k];
          const owed = r.actors.filter((x) => bondClaimable(b, x) > 0n);
          const who = (smart ? pick(owed, a0) : undefined) ?? r.actors[a0];
          const due = bondClaimable(b, who);
          const s = await act(m, r, who, r.bonds[k].c, "claimCoupon", []);
          // claims work when paused, frozen and in every status
          expect(s.ok, s.error).to.equal(due > 0n);
          if (!s.ok) return;
          const h = holderOf(b, who);
          h.owed = 0n;
          h.snap = b.perUnit;
          b.claimedTotal += due;
          pay(m, r.bonds[k].c.target as string, who, due);
        }),
    ),
    fc.boolean().map(
      (met) =>
        new Cmd(`bond${k}.reportKpi(${met ? "met" : "missed"})`, async (m, r) => {
          const b = m.bonds[k];
          const s = await act(m, r, r.verifier.address, r.bonds[k].c, "reportKpi", [met, ethers.id("kpi")]);
          expect(s.ok, s.error).to.equal(b.status === 2 && m.now < r.bonds[k].terms.kpiDeadline && b.kpi === 0);
          if (!s.ok) return;
          b.kpi = met ? 1 : 2;
          if (!met) stepUp(m, r);
        }),
    ),
    actorIx.map(
      (a) =>
        new Cmd(`bond${k}.applyStepUp(by actor${a})`, async (m, r) => {
          const b = m.bonds[k];
          const s = await act(m, r, r.actors[a], r.bonds[k].c, "applyStepUp", []);
          expect(s.ok, s.error).to.equal(
            b.status === 2 && !b.steppedUp && b.kpi !== 1 && m.now >= r.bonds[k].terms.kpiDeadline,
          );
          if (!s.ok) return;
          b.kpi = 2;
          stepUp(m, r);
        }),
    ),
    fc.constant(new Cmd(`bond${k}.depositPrincipal()`, (m, r) => depositPrincipal(m, r))),
    fc.tuple(actorIx, fc.boolean(), fc.boolean()).map(
      ([a0, smart, jump]) =>
        new Cmd(`bond${k}.redeem(${smart ? "holder" : `actor${a0}`}${jump ? ", at maturity" : ""})`, async (m, r) => {
          const b = m.bonds[k];
          if (jump) forwardTo(m, r.bonds[k].terms.maturity);
          const who = (smart ? pick(bondHolders(m, r), a0) : undefined) ?? r.actors[a0];
          const units = get(b.units, who);
          const rec = b.recoveries.get(low(who)) ?? { units: 0n, paid: 0n };
          let paid = 0n;
          let allowed = false;
          if (b.status === 3) {
            // after a default every issued unit keeps its share of everything recovered
            paid = ((rec.units + units) * b.recovered) / b.issuedUnits - rec.paid;
            allowed = paid > 0n;
          } else if (
            b.status === 2 &&
            m.now >= r.bonds[k].terms.maturity &&
            b.couponsFunded === r.bonds[k].terms.couponCount &&
            b.principalFunded &&
            units > 0n
          ) {
            paid = (units * b.pot) / b.supply;
            allowed = paid > 0n;
          }
          const s = await act(m, r, who, r.bonds[k].c, "redeem", []);
          // redemption works when paused and for frozen holders
          expect(s.ok, s.error).to.equal(allowed);
          if (!s.ok) return;
          if (b.status === 3) b.recoveries.set(low(who), { units: rec.units + units, paid: rec.paid + paid });
          b.pot -= paid;
          if (units > 0n) bondMove(b, who, null, units);
          pay(m, r.bonds[k].c.target as string, who, paid);
        }),
    ),
    fc.tuple(actorIx, fc.nat({ max: 3 })).map(
      ([a, j]) =>
        new Cmd(
          `bond${k}.declareDefault(by actor${a}${j === 0 ? ", just after the grace period" : ""})`,
          async (m, r) => {
            const b = m.bonds[k];
            const graceEnd = graceEndOf(m, r);
            // one draw in four moves the clock past the grace period first
            if (j === 0 && graceEnd !== undefined) forwardTo(m, graceEnd + 1n);
            const s = await act(m, r, r.actors[a], r.bonds[k].c, "declareDefault", []);
            expect(s.ok, s.error).to.equal(b.status === 2 && graceEnd !== undefined && m.now > graceEnd);
            if (!s.ok) return;
            b.status = 3;
            b.recovered = b.pot;
          },
        ),
    ),
    actorIx.map(
      (a) => new Cmd(`bond${k}.pullEscrowRefunds(by actor${a})`, (m, r) => pullEscrowRefunds(m, r, r.actors[a])),
    ),
    fc.tuple(actorIx, fc.nat({ max: 2 }), fc.constantFrom("alone", "after the principal", "after every refund")).map(
      ([a, i0, chain]) =>
        new Cmd(
          chain === "alone"
            ? `bond${k}.withdrawIssuerSurplus()`
            : chain === "after the principal"
              ? `bond${k}: depositPrincipal, refundExpired(its deal, a pending milestone), pullEscrowRefunds(by actor${a}), withdrawIssuerSurplus`
              : `bond${k}: refundExpired(every pending milestone of its deal), pullEscrowRefunds(by actor${a}), withdrawIssuerSurplus`,
          async (m, r) => {
            // The chains reach states random draws rarely do, each call checked on its own against the model:
            //  - after the principal: escrow refunds that arrive once the principal is complete are issuer surplus;
            //  - after every refund: refunds alone complete the principal (PrincipalFunded from the pull), and what
            //    the subscription's rounding raised above the face value is issuer surplus.
            if (chain !== "alone") {
              if (chain === "after the principal") await depositPrincipal(m, r);
              const deal = m.deals.find((x) => low(x.funder) === low(r.bonds[k].c.target as string));
              if (deal) {
                const pending = deal.ms.flatMap((x, i) => (x.state === "pending" ? [i] : []));
                const one = pending.length > 0 ? [pending[i0 % pending.length]] : [];
                const which = chain === "after the principal" ? one : pending;
                // the clock moves only for a pending milestone: a settled one is refused whatever the time
                for (const i of which) {
                  pastWindow(m, deal, i);
                  await refundExpired(m, r, deal, i);
                }
                if (pending.length === 0) await refundExpired(m, r, deal, i0);
              }
              await pullEscrowRefunds(m, r, r.actors[a]);
            }
            const b = m.bonds[k];
            const s = await act(m, r, r.issuer.address, r.bonds[k].c, "withdrawIssuerSurplus", []);
            expect(s.ok, s.error).to.equal(b.surplus > 0n);
            if (!s.ok) return;
            defaultIfDue(m, r);
            pay(m, r.bonds[k].c.target as string, r.issuer.address, b.surplus);
            b.surplus = 0n;
          },
        ),
    ),
    fc
      .tuple(
        fc.constantFrom("subscriptionEnd", "next due", "next grace end", "kpiDeadline", "maturity grace end"),
        fc.integer({ min: -3_600, max: 2 * 86_400 }),
      )
      .map(
        ([target, off]) =>
          new Cmd(`bond${k}.timeTo(${target} ${off >= 0 ? "+" : ""}${off} s)`, async (m, r) => {
            const next = m.bonds[k].couponsFunded + 1n;
            const due = next <= r.bonds[k].terms.couponCount ? couponDue(r, next) : r.bonds[k].terms.maturity;
            const at = {
              subscriptionEnd: r.bonds[k].terms.end,
              "next due": due,
              "next grace end": due + r.bonds[k].terms.grace,
              kpiDeadline: r.bonds[k].terms.kpiDeadline,
              "maturity grace end": r.bonds[k].terms.maturity + r.bonds[k].terms.grace,
            }[target];
            forwardTo(m, at + BigInt(off));
          }),
      ),
  ];
}
const bond = [...bondCommands(0), ...bondCommands(1)];
/**
 * Draw weights of each bond's commands (in bondCommands order: subscribe, close, refund, transfer, freeze, coupon,
 * claim, reportKpi, applyStepUp, principal, redeem, default, pull refunds, issuer surplus, clock). Bond 0 stresses
 * the offering, bond 1 (already issued) the coupons, redemption and default.
 */
const BOND_WEIGHTS = [
  [3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
  [1, 1, 1, 2, 1, 4, 3, 1, 1, 2, 3, 1, 1, 1, 2],
];

const area: PropertyArea = {
  name: "bonds",
  commands: bond,
  weight: (i, x) => BOND_WEIGHTS[Math.floor((2 * i) / bond.length)][i % (bond.length / 2)] * x("bonds"),
};
export default area;
