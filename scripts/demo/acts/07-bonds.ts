import { ethers } from "ethers";
import type { Act, DemoContext } from "../context";
import type {
  ComplianceRegistry,
  GreenBond,
  GreenBondFactory,
  MilestoneEscrow,
  TestStablecoin,
} from "../../../typechain-types";
import { usd } from "../../lib/format";
import { ROLES } from "../../../sdk";

const { ISSUER_ROLE } = ROLES;

const DAY = 86_400n;
const HALF_YEAR = (365n * DAY) / 2n;
const UNIT = 10n ** 18n;

/** Moves the chain clock to `target` (evm_increaseTime + evm_mine). */
async function travelTo(ctx: DemoContext, target: bigint): Promise<void> {
  const latest = BigInt((await ctx.hre.ethers.provider.getBlock("latest"))!.timestamp);
  if (target > latest) await ctx.hre.network.provider.send("evm_increaseTime", [Number(target - latest)]);
  await ctx.hre.network.provider.send("evm_mine", []);
}

function date(ts: bigint): string {
  return new Date(Number(ts) * 1000).toISOString().slice(0, 10);
}

/**
 * A 2-year sustainability-linked green bond in tUSD with semi-annual coupons: three verified investors subscribe,
 * the proceeds are locked in a milestone deal for the forest project, two coupons are paid and claimed, the KPI is
 * missed so the third coupon steps up, the principal is deposited and everyone redeems.
 */
const act: Act = {
  title: "Sustainability-linked green bond",
  async run(ctx) {
    const { registrar, developer, verifier, verifier3, investor1, investor2, investor3 } = ctx.cast;
    const investors = [investor1, investor2, investor3];
    const factory = await ctx.contract<GreenBondFactory>("GreenBondFactory", registrar);
    const compliance = await ctx.contract<ComplianceRegistry>("ComplianceRegistry", registrar);
    const escrow = await ctx.contract<MilestoneEscrow>("MilestoneEscrow", verifier);
    const tusd = await ctx.contract<TestStablecoin>("TestStablecoin", developer);
    const projectId = ctx.state.projects.forest as bigint;

    // 1. onboarding: the developer may issue bonds; a compliance officer verifies the investors
    if (!(await factory.hasRole(ISSUER_ROLE, developer.address))) {
      await ctx.send(
        "governance onboards the developer as a bond issuer",
        factory.grantRole(ISSUER_ROLE, developer.address),
      );
    }
    const countries = ["DE", "KE", "FR"];
    for (let i = 0; i < 3; i++) {
      const country = ethers.hexlify(ethers.toUtf8Bytes(countries[i]));
      await ctx.send(
        `compliance verifies investor ${i + 1} (${countries[i]})`,
        compliance.setInvestor(investors[i].address, true, country, 0),
      );
    }

    // 2. the bond: 100 tUSD per bond, 10,000 bonds cap, 2,000 soft cap, 5 % semi-annual, +1.25 % if the KPI is missed
    const now = BigInt((await ctx.hre.ethers.provider.getBlock("latest"))!.timestamp);
    const end = now + 7n * DAY;
    const terms = {
      paymentToken: await tusd.getAddress(),
      issuer: developer.address,
      compliance: await compliance.getAddress(),
      escrow: await escrow.getAddress(),
      unitPrice: 100_000_000n,
      cap: 10_000n * UNIT,
      softCap: 2_000n * UNIT,
      subscriptionStart: now,
      subscriptionEnd: end,
      maturity: end + 4n * HALF_YEAR,
      couponPeriod: HALF_YEAR,
      kpiDeadline: end + 2n * HALF_YEAR + 60n * DAY,
      gracePeriod: 14n * DAY,
      couponRateBps: 500,
      stepUpBps: 125,
      proceeds: {
        projectId,
        verifiers: [verifier.address],
        threshold: 1,
        arbiter: verifier3.address,
        disputeWindow: 7n * DAY,
        milestones: [
          { bps: 6000, deadline: end + 90n * DAY, description: ethers.id("Kasigau: 400 ha replanted") },
          { bps: 4000, deadline: end + 270n * DAY, description: ethers.id("Kasigau: ranger stations built") },
        ],
      },
    };
    const f = factory.connect(developer);
    const rcCreate = await ctx.send(
      "developer creates the Kasigau SLB 2027",
      f.createBond(terms, "Kasigau SLB 2027", "KSLB27"),
    );
    const bondAddress = ctx.event(rcCreate, "BondCreated").args.bond as string;
    ctx.state.addresses["GreenBond KSLB27"] = bondAddress;
    ctx.state.bond = bondAddress;
    const bond: GreenBond = ctx.t.bond(bondAddress).connect(registrar);

    // 3. subscription
    const paidIn: bigint[] = [0n, 0n, 0n];
    const couponsIn: bigint[] = [0n, 0n, 0n];
    const principalIn: bigint[] = [0n, 0n, 0n];
    const lots = [1_500n, 2_500n, 1_000n];
    for (let i = 0; i < 3; i++) {
      const price = lots[i] * 100_000_000n;
      await ctx.send(`mint ${usd(price)} to investor ${i + 1}`, tusd.mint(investors[i].address, price));
      await ctx.send(`investor ${i + 1} approves the bond`, tusd.connect(investors[i]).approve(bondAddress, price));
      const rc = await ctx.send(
        `investor ${i + 1} subscribes ${lots[i]} bonds`,
        bond.connect(investors[i]).subscribe(lots[i] * UNIT),
      );
      paidIn[i] = BigInt(ctx.event(rc, "Subscribed").args.paid as string);
    }
    await travelTo(ctx, end);
    const rcClose = await ctx.send("subscription closes: proceeds into a milestone deal", bond.closeSubscription());
    const closed = ctx.event(rcClose, "SubscriptionClosed").args;
    const dealId = BigInt(closed.dealId as string);
    ctx.print(
      `  raised ${usd(BigInt(closed.proceeds as string))} → MilestoneEscrow deal #${dealId} (funder: bond, beneficiary: developer)`,
    );

    // 4. use of proceeds: the verifier attests both milestones; the developer withdraws
    await ctx.send(
      "verifier attests milestone 1 (replanting)",
      escrow.attest(dealId, 0, ethers.id("site-visit-2025-q3")),
    );
    await ctx.send(
      "verifier attests milestone 2 (ranger stations)",
      escrow.attest(dealId, 1, ethers.id("site-visit-2025-q4")),
    );
    const owedToDev = await escrow.owed(developer.address, await tusd.getAddress());
    await ctx.send(
      "developer withdraws the released proceeds",
      escrow.connect(developer).withdraw(await tusd.getAddress()),
    );

    // 5. coupons; investor 1 sells 500 bonds to investor 3 between coupons 1 and 2
    const schedule: Record<string, unknown>[] = [];
    let couponsPaid = 0n;
    const payCoupon = async (k: bigint) => {
      await travelTo(ctx, await bond.couponDueAt(k));
      const max = await bond.couponAmount((await bond.currentRateBps()) + (await bond.stepUpBps()));
      await ctx.send(`developer mints tUSD for coupon ${k}`, tusd.mint(developer.address, max));
      await ctx.send(`developer approves coupon ${k}`, tusd.approve(bondAddress, max));
      const rc = await ctx.send(`developer funds coupon ${k}`, bond.connect(developer).depositCoupon(k));
      const ev = ctx.event(rc, "CouponFunded").args;
      const amount = BigInt(ev.amount as string);
      couponsPaid += amount;
      await ctx.send(`developer resets the allowance`, tusd.approve(bondAddress, 0));
      const stepped = ctx.decoder.decodeAll(rc.logs).some((e) => e.name === "CouponStepUp");
      schedule.push({
        coupon: k.toString(),
        due: date(await bond.couponDueAt(k)),
        rate: `${(Number(ev.rateBps) / 100).toFixed(2)} %${stepped ? " (step-up)" : ""}`,
        amount: usd(amount),
      });
      for (let i = 0; i < 3; i++) {
        if ((await bond.claimable(investors[i].address)) === 0n) continue;
        const r = await ctx.send(`investor ${i + 1} claims coupon ${k}`, bond.connect(investors[i]).claimCoupon());
        couponsIn[i] += BigInt(ctx.event(r, "CouponClaimed").args.amount as string);
      }
    };
    await payCoupon(1n);
    await travelTo(ctx, (await bond.couponDueAt(1n)) + 60n * DAY);
    const tradePrice = 50_500_000_000n; // 500 bonds at 101 tUSD, settled in tUSD next to the bond transfer
    await ctx.send("mint tUSD to investor 3 for the trade", tusd.mint(investor3.address, tradePrice));
    await ctx.send(
      "investor 3 pays investor 1 for 500 bonds",
      tusd.connect(investor3).transfer(investor1.address, tradePrice),
    );
    await ctx.send(
      "investor 1 transfers 500 bonds to investor 3 mid-period",
      bond.connect(investor1).transfer(investor3.address, 500n * UNIT),
    );
    const traded = [tradePrice, 0n, -tradePrice];
    await payCoupon(2n);

    // 6. the KPI is missed: the verifier reports it; the rate steps up for the following coupons
    const rcKpi = await ctx.send(
      "verifier reports the 2026 forest-cover KPI as missed",
      bond.connect(verifier).reportKpi(false, ethers.id("forest-cover-audit-2026: 82 % of target")),
    );
    const newRate = Number(ctx.event(rcKpi, "CouponStepUp").args.newRateBps);
    ctx.print(`  KPI missed → coupon rate steps up from 5.00 % to ${(newRate / 100).toFixed(2)} %`);
    await payCoupon(3n);

    // 7. principal before maturity, last coupon, redemption
    const face = await bond.faceValue();
    await ctx.send("developer mints the principal", tusd.mint(developer.address, face));
    await ctx.send("developer approves the principal", tusd.approve(bondAddress, face));
    await ctx.send("developer deposits the principal", bond.connect(developer).depositPrincipal());
    await payCoupon(4n);
    for (let i = 0; i < 3; i++) {
      const rc = await ctx.send(`investor ${i + 1} redeems`, bond.connect(investors[i]).redeem());
      principalIn[i] = BigInt(ctx.event(rc, "BondRedeemed").args.paid as string);
    }

    ctx.table("Coupon schedule (semi-annual, 2 years)", schedule);
    const rows = investors.map((_, i) => ({
      party: `Investor ${i + 1}`,
      subscription: usd(-paidIn[i]),
      "secondary trade": usd(traded[i]),
      coupons: usd(couponsIn[i]),
      principal: usd(principalIn[i]),
      net: usd(traded[i] + couponsIn[i] + principalIn[i] - paidIn[i]),
    }));
    rows.push({
      party: "Developer (issuer)",
      subscription: usd(owedToDev),
      "secondary trade": "",
      coupons: usd(-couponsPaid),
      principal: usd(-face),
      net: usd(owedToDev - couponsPaid - face),
    });
    ctx.table("Cash flows in tUSD (issuer: proceeds released by the escrow net of its 1 % fee)", rows);
    const bal = await tusd.balanceOf(bondAddress);
    ctx.print(
      `  bond balance after redemption: ${bal} wei of tUSD (rounding dust, bounded), units outstanding: ${await bond.totalSupply()}`,
    );
    ctx.note("bond", {
      address: bondAddress,
      dealId: dealId.toString(),
      couponsPaid: couponsPaid.toString(),
      face: face.toString(),
    });
  },
};
export default act;
