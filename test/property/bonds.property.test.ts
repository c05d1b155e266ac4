import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { GreenBond } from "../../typechain-types";
import { bondSuite, createBond, defaultTerms, DAY, KE, UNIT, type BondSuite } from "../helpers/bonds";

/** Runs in CI by default; `PROPERTY_RUNS=2000 npx hardhat test test/property/bonds.property.test.ts` for long runs. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

type Action =
  | { kind: "transfer"; from: number; to: number; bps: number }
  | { kind: "forced"; from: number; to: number; bps: number }
  | { kind: "claim"; who: number }
  | { kind: "fund" }
  | { kind: "skip"; days: number };

const HOLDERS = 4;

async function baseFixture() {
  const s = await bondSuite();
  const holders = [s.bob, s.carol, s.dave, s.signers[9]];
  await s.compliance.setInvestor(holders[3].address, true, KE, 0);
  const bond = await createBond(s, await defaultTerms(s, { softCap: UNIT }));
  const addr = await bond.getAddress();
  for (const h of holders) {
    await s.usd.mint(h.address, 10n ** 15n);
    await s.usd.connect(h).approve(addr, ethers.MaxUint256);
  }
  await s.usd.mint(s.issuer.address, 10n ** 15n);
  await s.usd.connect(s.issuer).approve(addr, ethers.MaxUint256);
  return { ...s, bond, holders };
}

interface Ledger {
  settlements: bigint;
  deposits: bigint;
}

async function checkInvariants(s: BondSuite, bond: GreenBond, holders: HardhatEthersSigner[], l: Ledger) {
  const bal = await s.usd.balanceOf(await bond.getAddress());
  const reserved = await bond.reserved();
  expect(bal, "solvency: balance ≥ reserved").to.be.gte(reserved);
  let claimable = 0n;
  for (const h of holders) claimable += await bond.claimable(h.address);
  const funded = await bond.couponsFundedTotal();
  const claimed = await bond.couponsClaimedTotal();
  const unclaimed = funded - claimed;
  // Σ claimed + Σ claimable == Σ funded − dust, dust ≤ 1 wei per deposit + per settlement + per holder view
  expect(claimed + claimable, "never more than funded").to.be.lte(funded);
  expect(unclaimed - claimable, "dust bound").to.be.lte(l.deposits + l.settlements + BigInt(holders.length));
  // solvency in its strong form: what holders can take ≤ what the bond holds for them
  const principal = await bond.principalPot();
  expect(bal).to.be.gte(claimable + principal + (await bond.refundPot()) + (await bond.raised()));
}

describe("GreenBond properties", function () {
  this.timeout(600_000);

  it(`coupons: Σ claimed + claimable == Σ funded within the documented dust, and the bond stays solvent (${RUNS} runs)`, async () => {
    const lots = fc.array(
      fc.tuple(fc.integer({ min: 0, max: HOLDERS - 1 }), fc.bigInt({ min: UNIT, max: 2_500n * UNIT })),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.record({
        kind: fc.constant("transfer" as const),
        from: fc.nat(HOLDERS - 1),
        to: fc.nat(HOLDERS - 1),
        bps: fc.integer({ min: 1, max: 10_000 }),
      }),
      fc.record({
        kind: fc.constant("forced" as const),
        from: fc.nat(HOLDERS - 1),
        to: fc.nat(HOLDERS - 1),
        bps: fc.integer({ min: 1, max: 10_000 }),
      }),
      fc.record({ kind: fc.constant("claim" as const), who: fc.nat(HOLDERS - 1) }),
      fc.constant({ kind: "fund" as const }),
      fc.record({ kind: fc.constant("skip" as const), days: fc.integer({ min: 1, max: 200 }) }),
    );

    // how often each action really ran (not skipped), to check the generator exercises every path
    const ran = { transfer: 0, forced: 0, claim: 0, fund: 0, skip: 0, finish: 0 };
    await fc.assert(
      fc.asyncProperty(
        lots,
        fc.array(action, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (subs, actions, finish) => {
          const s = await loadFixture(baseFixture);
          const { bond, holders } = s;
          const l: Ledger = { settlements: 0n, deposits: 0n };
          for (const [i, units] of subs) await bond.connect(holders[i]).subscribe(units);
          await checkInvariants(s, bond, holders, l);
          await time.increaseTo(await bond.subscriptionEnd());
          await bond.closeSubscription();
          await checkInvariants(s, bond, holders, l);

          for (const a of actions) {
            if (a.kind === "transfer" || a.kind === "forced") {
              const from = holders[a.from];
              const bal = await bond.balanceOf(from.address);
              const amount = (bal * BigInt(a.bps)) / 10_000n;
              if (amount === 0n) continue;
              if (a.kind === "transfer") await bond.connect(from).transfer(holders[a.to].address, amount);
              else await bond.forcedTransfer(from.address, holders[a.to].address, amount);
              l.settlements += 2n;
              ran[a.kind] += 1;
            } else if (a.kind === "claim") {
              const who = holders[a.who];
              const due = await bond.claimable(who.address);
              if (due === 0n) continue;
              const before = await s.usd.balanceOf(who.address);
              await bond.connect(who).claimCoupon();
              expect(await s.usd.balanceOf(who.address)).to.equal(before + due);
              l.settlements += 1n;
              ran.claim += 1;
            } else if (a.kind === "fund") {
              const next = (await bond.couponsFunded()) + 1n;
              if (next > (await bond.couponCount())) continue;
              const due = await bond.couponDueAt(next);
              if (BigInt(await time.latest()) < due) await time.increaseTo(due);
              await bond.connect(s.issuer).depositCoupon(next);
              l.deposits += 1n;
              ran.fund += 1;
            } else {
              const next = (await bond.couponsFunded()) + 1n;
              const limit =
                next <= (await bond.couponCount()) ? (await bond.couponDueAt(next)) + (await bond.gracePeriod()) : 0n;
              const target = BigInt(await time.latest()) + BigInt(a.days) * DAY;
              // stay within the grace period of the next coupon so that the bond does not slide into default
              if (limit !== 0n && target >= limit) continue;
              await time.increaseTo(target);
              ran.skip += 1;
            }
            await checkInvariants(s, bond, holders, l);
          }

          if (finish) {
            // fund everything, redeem and claim all: what is left in the bond is only the bounded dust
            for (let k = (await bond.couponsFunded()) + 1n; k <= (await bond.couponCount()); k++) {
              const due = await bond.couponDueAt(k);
              if (BigInt(await time.latest()) < due) await time.increaseTo(due);
              await bond.connect(s.issuer).depositCoupon(k);
              l.deposits += 1n;
            }
            await bond.connect(s.issuer).depositPrincipal();
            for (const h of holders) {
              if ((await bond.balanceOf(h.address)) > 0n) {
                await bond.connect(h).redeem();
                l.settlements += 1n;
              }
              if ((await bond.claimable(h.address)) > 0n) {
                await bond.connect(h).claimCoupon();
                l.settlements += 1n;
              }
              await checkInvariants(s, bond, holders, l);
            }
            expect(await bond.principalPot()).to.equal(0n);
            expect(await bond.totalSupply()).to.equal(0n);
            const dust = await s.usd.balanceOf(await bond.getAddress());
            expect(dust).to.equal((await bond.couponsFundedTotal()) - (await bond.couponsClaimedTotal()));
            expect(dust).to.be.lte(l.deposits + l.settlements);
            ran.finish += 1;
          }
        },
      ),
      { numRuns: RUNS },
    );
    if (RUNS >= 50) for (const [k, n] of Object.entries(ran)) expect(n, `action ${k} never ran`).to.be.gt(0);
  });
});
