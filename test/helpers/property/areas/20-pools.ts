/** Pools (NatureCarbonPool, TechCarbonPool): deposit, redeem, redeemAuto, retireFromPool (by batch and auto), pool-token transfer. */
import { expect } from "chai";
import fc from "fast-check";
import { Cmd, act, actorIx, drawHolding, ix, kgArb, part, pick, type PropertyArea } from "../actions";
import {
  TOKEN_PER_KG,
  add,
  book,
  canPay,
  charge,
  cred,
  debit,
  eligible,
  get,
  payable,
  plan,
  type Model,
  type Pausable,
  type Real,
} from "../model";

const poolIx = fc.nat({ max: 1 });
/** (pool, batch) pairs the pool holds. */
function poolHoldings(m: Model, r: Real) {
  return [0, 1].flatMap((p) =>
    m.pools[p].queue.map((id) => ({ p, id, held: cred(m, r.pools[p].target as string, id) })),
  );
}
/** Actors holding pool tokens of pool p. */
const tokenHolders = (m: Model, r: Real, p: number) => r.actors.filter((a) => get(m.pools[p].tokens, a) > 0n);

const pools = [
  fc.tuple(poolIx, actorIx, ix, kgArb, fc.boolean()).map(
    ([p0, a0, b, kg0, smart]) =>
      new Cmd(
        `poolDeposit(${smart ? "holder" : `actor${a0}`}, pool${p0}, batch#${b}, ${smart ? "part" : kg0} kg)`,
        async (m, r) => {
          const d = drawHolding(m, r, smart, a0, b, kg0);
          if (!d) return;
          const { batch, kg } = d;
          // a smart deposit goes to the pool that accepts the batch's category
          const p = d.smart ? (m.projects[batch.project].category === 6 ? 1 : 0) : p0;
          const who = r.actors[d.a];
          const s = await act(m, r, who, r.pools[p], "deposit", [batch.id, kg]);
          const expected =
            !m.paused[`pool${p}` as Pausable] &&
            !m.paused.credit &&
            kg > 0n &&
            eligible(m, r, p, batch) &&
            cred(m, who, batch.id) >= kg;
          expect(s.ok, s.error).to.equal(expected);
          if (s.ok) book(m, r, p, who, batch.id, kg);
        },
      ),
  ),
  fc.tuple(poolIx, actorIx, ix, kgArb, fc.boolean()).map(
    ([p0, a0, b, kg0, smart]) =>
      new Cmd(
        `poolRedeem(${smart ? "token holder" : `actor${a0}`}, ${smart ? "held batch" : `pool${p0}, batch#${b}`}, ${smart ? "part" : kg0} kg)`,
        async (m, r) => {
          const h = smart ? pick(poolHoldings(m, r), b) : undefined;
          const p = h ? h.p : p0;
          const id = h ? h.id : pick(m.batches, b)?.id;
          if (id === undefined) return;
          const who = (smart ? pick(tokenHolders(m, r, p), a0) : undefined) ?? r.actors[a0];
          const bps = r.poolCfg[p].redeemBps;
          const kg = h ? part(payable(m, p, who, bps, h.held), Number(kg0) + b) : kg0;
          const s = await act(m, r, who, r.pools[p], "redeem", [id, kg]);
          const expected =
            kg > 0n && cred(m, r.pools[p].target as string, id) >= kg && canPay(m, p, who, kg, bps) && !m.paused.credit;
          expect(s.ok, s.error).to.equal(expected);
          if (!s.ok) return;
          charge(m, r, p, who, kg, bps);
          debit(m, r, p, who, id, kg, who);
        },
      ),
  ),
  fc.tuple(poolIx, actorIx, kgArb, fc.boolean()).map(
    ([p, a0, kg0, smart]) =>
      new Cmd(`poolRedeemAuto(${smart ? "token holder" : `actor${a0}`}, pool${p}, ${kg0} kg)`, async (m, r) => {
        const who = (smart ? pick(tokenHolders(m, r, p), a0) : undefined) ?? r.actors[a0];
        const bps = r.poolCfg[p].redeemBps;
        const kg = smart ? part(payable(m, p, who, bps, 1n << 96n), Number(kg0)) : kg0;
        const s = await act(m, r, who, r.pools[p], "redeemAuto", [kg]);
        const pl = plan(m, r, p, kg);
        const expected = kg > 0n && pl.covered && canPay(m, p, who, kg, bps) && !m.paused.credit;
        expect(s.ok, s.error).to.equal(expected);
        if (!s.ok) return;
        charge(m, r, p, who, kg, bps);
        for (const x of pl.out) debit(m, r, p, who, x.id, x.kg, who);
      }),
  ),
  fc.tuple(poolIx, actorIx, ix, kgArb, fc.boolean(), fc.boolean(), actorIx).map(
    ([p0, a0, b, kg0, auto, smart, ben]) =>
      new Cmd(
        `poolRetire(${smart ? "token holder" : `actor${a0}`}, ${auto ? `pool${p0}, auto` : smart ? "held batch" : `pool${p0}, batch#${b}`}, ${kg0} kg, for actor${ben})`,
        async (m, r) => {
          const h = smart && !auto ? pick(poolHoldings(m, r), b) : undefined;
          const p = h ? h.p : p0;
          const id = auto ? 0n : h ? h.id : pick(m.batches, b)?.id;
          if (id === undefined) return;
          const who = (smart ? pick(tokenHolders(m, r, p), a0) : undefined) ?? r.actors[a0];
          const bps = r.poolCfg[p].retireBps;
          const bal = payable(m, p, who, bps, 1n << 96n);
          const kg = h ? part(payable(m, p, who, bps, h.held), Number(kg0) + b) : smart ? part(bal, Number(kg0)) : kg0;
          const s = await act(m, r, who, r.pools[p], "retireFromPool", [id, kg, r.actors[ben], "B", "pool"]);
          const pl = auto
            ? plan(m, r, p, kg)
            : {
                out: [{ id, kg }],
                covered:
                  cred(m, r.pools[p].target as string, id) >= kg &&
                  m.projects[m.batches.find((x) => x.id === id)!.project].status === 1,
              };
          const expected = kg > 0n && pl.covered && canPay(m, p, who, kg, bps) && !m.paused.credit;
          expect(s.ok, s.error).to.equal(expected);
          if (!s.ok) return;
          charge(m, r, p, who, kg, bps);
          for (const x of pl.out) {
            debit(m, r, p, who, x.id, x.kg, null);
            m.batches.find((y) => y.id === x.id)!.retired += x.kg;
          }
          m.certificates += 1n;
        },
      ),
  ),
  fc.tuple(poolIx, actorIx, fc.oneof(actorIx, fc.constant(6)), fc.bigInt({ min: 0n, max: 5_000n }), fc.boolean()).map(
    ([p, a0, t, kg, smart]) =>
      new Cmd(
        `poolTokenTransfer(pool${p}, holder#${a0} → ${t === 6 ? "the pool" : `actor${t}`}, ${smart ? "part of the balance" : `${kg} kg`})`,
        async (m, r) => {
          const from = pick(tokenHolders(m, r, p), a0) ?? r.actors[a0];
          const to = t === 6 ? (r.pools[p].target as string) : r.actors[t];
          const held = get(m.pools[p].tokens, from);
          // smart: 1 token-wei .. the whole balance (when there is one)
          const amount = smart && held > 0n ? part(held, Number(kg)) : kg * TOKEN_PER_KG;
          const s = await act(m, r, from, r.pools[p], "transfer", [to, amount]);
          // pool tokens sent to the pool itself would be stranded: refused
          expect(s.ok, s.error).to.equal(t !== 6 && get(m.pools[p].tokens, from) >= amount);
          if (!s.ok) return;
          add(m.pools[p].tokens, from, -amount);
          add(m.pools[p].tokens, to, amount);
        },
      ),
  ),
];

const area: PropertyArea = {
  name: "pools",
  commands: pools,
  weight: (_, x) => 3 * x("pools"),
};
export default area;
