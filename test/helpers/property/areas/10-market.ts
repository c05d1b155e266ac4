/** Marketplace: list, buy, buyAndRetire, updatePrice, cancel. */
import { expect } from "chai";
import fc from "fast-check";
import { Cmd, act, actorIx, drawHolding, ix, kgArb, part, pick, type PropertyArea } from "../actions";
import { BPS, U, add, cred, get, low, moveCred } from "../model";

const priceArb = fc.oneof(fc.bigInt({ min: 1n, max: 50n * U }), fc.constant(0n));

const market = [
  fc.tuple(actorIx, ix, kgArb, priceArb, fc.boolean()).map(
    ([a0, b, kg0, price, smart]) =>
      new Cmd(
        `list(${smart ? "holder" : `actor${a0}`}, batch#${b}, ${smart ? "part" : kg0} kg, ${price}/t)`,
        async (m, r) => {
          const d = drawHolding(m, r, smart, a0, b, kg0);
          if (!d) return;
          const { batch, kg } = d;
          const seller = r.actors[d.a];
          const s = await act(m, r, seller, r.market, "list", [batch.id, kg, r.usd.target, price]);
          expect(s.ok, s.error).to.equal(
            !m.paused.market && !m.paused.credit && kg > 0n && price > 0n && cred(m, seller, batch.id) >= kg,
          );
          if (!s.ok) return;
          m.listings.push({ id: BigInt(m.listings.length + 1), seller, batch: batch.id, remaining: kg, price });
          moveCred(m, seller, r.market.target as string, batch.id, kg);
        },
      ),
  ),
  fc.tuple(actorIx, ix, kgArb, fc.boolean(), actorIx, fc.boolean()).map(
    ([a, l, kg0, retire, ben, smart]) =>
      new Cmd(
        `${retire ? "buyAndRetire" : "buy"}(actor${a}, ${smart ? "open " : ""}listing#${l}, ${smart ? "part" : kg0} kg)`,
        async (m, r) => {
          const lst = pick(smart ? m.listings.filter((x) => x.remaining > 0n) : m.listings, l);
          if (!lst) return;
          const kg = smart ? part(lst.remaining, Number(kg0) + l) : kg0;
          const buyer = r.actors[a];
          const total = kg === 0n ? 0n : (kg * lst.price + 999n) / 1000n;
          const s = retire
            ? await act(m, r, buyer, r.market, "buyAndRetire", [lst.id, kg, total, r.actors[ben], "B", "R"])
            : await act(m, r, buyer, r.market, "buy", [lst.id, kg, total]);
          const batch = m.batches.find((b) => b.id === lst.batch)!;
          const expected =
            !m.paused.market &&
            !m.paused.credit &&
            kg > 0n &&
            kg <= lst.remaining &&
            low(buyer) !== low(lst.seller) &&
            get(m.usd, buyer) >= total &&
            (!retire || m.projects[batch.project].status === 1);
          expect(s.ok, s.error).to.equal(expected);
          if (!s.ok) return;
          const fee = (total * r.marketFeeBps) / BPS;
          add(m.usd, buyer, -total);
          add(m.usd, lst.seller, total - fee);
          add(m.usd, r.treasury.address, fee);
          lst.remaining -= kg;
          if (retire) {
            moveCred(m, r.market.target as string, null, lst.batch, kg);
            batch.retired += kg;
            m.certificates += 1n;
          } else moveCred(m, r.market.target as string, buyer, lst.batch, kg);
        },
      ),
  ),
  fc.tuple(fc.boolean(), ix, priceArb).map(
    ([asSeller, l, price]) =>
      new Cmd(`updatePrice(${asSeller ? "seller" : "other"}, listing#${l}, ${price})`, async (m, r) => {
        const lst = pick(m.listings, l);
        if (!lst) return;
        const caller = asSeller ? lst.seller : r.actors.find((x) => low(x) !== low(lst.seller))!;
        const s = await act(m, r, caller, r.market, "updatePrice", [lst.id, price]);
        expect(s.ok, s.error).to.equal(asSeller && !m.paused.market && lst.remaining > 0n && price > 0n);
        if (s.ok) lst.price = price;
      }),
  ),
  fc.tuple(fc.boolean(), ix).map(
    ([asSeller, l]) =>
      new Cmd(`cancelListing(${asSeller ? "seller" : "other"}, listing#${l})`, async (m, r) => {
        const lst = pick(m.listings, l);
        if (!lst) return;
        const caller = asSeller ? lst.seller : r.actors.find((x) => low(x) !== low(lst.seller))!;
        const s = await act(m, r, caller, r.market, "cancel", [lst.id]);
        // cancel ignores the marketplace pause (credits go back to their owner) but needs credit transfers
        expect(s.ok, s.error).to.equal(asSeller && lst.remaining > 0n && !m.paused.credit);
        if (!s.ok) return;
        moveCred(m, r.market.target as string, lst.seller, lst.batch, lst.remaining);
        lst.remaining = 0n;
      }),
  ),
];

const area: PropertyArea = {
  name: "market",
  commands: market,
  weight: (_, x) => 3 * x("market"),
};
export default area;
