import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { feeOf, fund, listAs, marketSuite, priceOf } from "../helpers/market";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

describe("CreditMarketplace properties", () => {
  async function fixture() {
    const s = await marketSuite();
    for (const b of [s.bob, s.carol, s.dave]) await fund(s, b, 10n ** 15n);
    return s;
  }

  it("conserves money and credits: buyers pay ceil(kg × price / 1000), seller + treasury receive it all", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 10n ** 12n }), // price per tonne
        fc.integer({ min: 0, max: 1000 }), // fee bps
        fc.array(
          fc.record({
            buyer: fc.integer({ min: 0, max: 2 }),
            kg: fc.bigInt({ min: 1n, max: 4_000n }),
            retire: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (price, bps, buys) => {
          const s = await loadFixture(fixture);
          await s.market.connect(s.deployer).setFee(bps, s.treasury.address);
          const listingId = await listAs(s, s.alice, { kg: 10_000n, price });
          const buyers = [s.bob, s.carol, s.dave];
          const marketAddr = await s.market.getAddress();
          const start = await Promise.all([s.alice, s.treasury, ...buyers].map((a) => s.usd.balanceOf(a.address)));
          let remaining = 10_000n;
          let paid = 0n;
          let fees = 0n;
          const delivered = [0n, 0n, 0n];
          for (const b of buys) {
            const who = buyers[b.buyer];
            if (b.kg > remaining) {
              await expect(s.market.connect(who).buy(listingId, b.kg, 2n ** 255n))
                .to.be.revertedWithCustomError(s.market, "AmountExceedsListing")
                .withArgs(listingId, b.kg, remaining);
              continue;
            }
            const total = priceOf(b.kg, price);
            expect(await s.market.quote(listingId, b.kg)).to.deep.equal([total, feeOf(total, BigInt(bps))]);
            if (b.retire) {
              await s.market.connect(who).buyAndRetire(listingId, b.kg, total, who.address, "", "");
            } else {
              await s.market.connect(who).buy(listingId, b.kg, total);
              delivered[b.buyer] += b.kg;
            }
            remaining -= b.kg;
            paid += total;
            fees += feeOf(total, BigInt(bps));
          }
          const end = await Promise.all([s.alice, s.treasury, ...buyers].map((a) => s.usd.balanceOf(a.address)));
          const spent = start.slice(2).reduce((x, v, i) => x + v - end[i + 2], 0n);
          expect(spent).to.equal(paid);
          expect(end[0] - start[0]).to.equal(paid - fees);
          expect(end[1] - start[1]).to.equal(fees);
          expect(await s.usd.balanceOf(marketAddr)).to.equal(0n);
          expect((await s.market.listing(listingId)).remainingKg).to.equal(remaining);
          expect(await s.credit.balanceOf(marketAddr, s.batchId)).to.equal(remaining);
          for (let i = 0; i < 3; i++)
            expect(await s.credit.balanceOf(buyers[i].address, s.batchId)).to.equal(delivered[i]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
