import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { GreenBond } from "../../../typechain-types";
import type { BondTermsStruct } from "../../../typechain-types/contracts/bonds/GreenBond";
import { ROLE, ProjectStatus } from "../../helpers/suite";
import {
  linkedBondFactory,
  activeBond,
  bondSuite,
  BondStatus,
  couponOf,
  createBond,
  DAY,
  DE,
  defaultTerms,
  fundAndApprove,
  HALF_YEAR,
  KE,
  KP,
  KpiStatus,
  payCoupon,
  payPrincipal,
  subscribe,
  UNIT,
  type BondSuite,
} from "../../helpers/bonds";

/** This file's own fixture: loadFixture keys snapshots by function, and another file's snapshot of a shared
 * function is invalidated as soon as that file's fixtures revert to the deployment snapshot. */
async function bondFixture() {
  return bondSuite();
}

const PRICE = 100_000_000n; // 100 tUSD per bond
const B = (n: bigint) => n * UNIT; // n bonds in units

// One loadFixture snapshot per file (bondSuite): the states below are built on top of it in each test, because
// reverting to an older snapshot would invalidate the newer ones.
async function subscriptionFixture() {
  const s = await loadFixture(bondFixture);
  const bond = await createBond(s);
  return { ...s, bond };
}

async function activeFixture() {
  const s = await loadFixture(bondFixture);
  const bond = await activeBond(s);
  return { ...s, bond };
}

async function plainFixture() {
  const s = await loadFixture(bondFixture);
  const bond = await activeBond(s, await defaultTerms(s, { stepUpBps: 0, kpiDeadline: 0 }));
  return { ...s, bond };
}

/** Σ claimable + principal pot + refund pot + raised must never exceed the bond's balance. */
async function expectSolvent(s: BondSuite, bond: GreenBond) {
  const bal = await s.usd.balanceOf(await bond.getAddress());
  expect(bal).to.be.gte(await bond.reserved());
  let claimable = 0n;
  for (const a of [...s.investors, s.outsider, s.issuer]) claimable += await bond.claimable(a.address);
  expect(claimable).to.be.lte((await bond.couponsFundedTotal()) - (await bond.couponsClaimedTotal()));
}

describe("GreenBond", () => {
  describe("construction", () => {
    it("stores the terms, roles and the use of proceeds", async () => {
      const s = await loadFixture(bondFixture);
      const t = await defaultTerms(s);
      const bond = await createBond(s, t);
      expect(await bond.name()).to.equal("Kasigau SLB 2027");
      expect(await bond.symbol()).to.equal("KSLB27");
      expect(await bond.decimals()).to.equal(18n);
      expect(await bond.paymentToken()).to.equal(t.paymentToken);
      expect(await bond.issuer()).to.equal(s.issuer.address);
      expect(await bond.compliance()).to.equal(t.compliance);
      expect(await bond.escrow()).to.equal(t.escrow);
      expect(await bond.unitPrice()).to.equal(PRICE);
      expect(await bond.cap()).to.equal(t.cap);
      expect(await bond.softCap()).to.equal(t.softCap);
      expect(await bond.subscriptionStart()).to.equal(t.subscriptionStart);
      expect(await bond.subscriptionEnd()).to.equal(t.subscriptionEnd);
      expect(await bond.maturity()).to.equal(t.maturity);
      expect(await bond.couponPeriod()).to.equal(HALF_YEAR);
      expect(await bond.kpiDeadline()).to.equal(t.kpiDeadline);
      expect(await bond.gracePeriod()).to.equal(t.gracePeriod);
      expect(await bond.baseRateBps()).to.equal(500n);
      expect(await bond.currentRateBps()).to.equal(500n);
      expect(await bond.stepUpBps()).to.equal(100n);
      expect(await bond.couponCount()).to.equal(4n);
      expect(await bond.status()).to.equal(BondStatus.Subscription);
      expect(await bond.kpiStatus()).to.equal(KpiStatus.Pending);
      expect(await bond.hasRole(ROLE.DEFAULT_ADMIN, s.deployer.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.PAUSER, s.deployer.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.AGENT, s.deployer.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.VERIFIER, s.verifier.address)).to.equal(true);
      const u = await bond.useOfProceeds();
      expect(u.projectId).to.equal(s.projectId);
      expect(u.verifiers).to.deep.equal([s.verifier.address]);
      expect(u.threshold).to.equal(1n);
      expect(u.arbiter).to.equal(s.arbiter.address);
      expect(u.disputeWindow).to.equal(7n * DAY);
      expect(u.milestones.map((m) => m.bps)).to.deep.equal([6000n, 4000n]);
      expect(await bond.couponDueAt(1)).to.equal(BigInt(t.subscriptionEnd) + HALF_YEAR);
      expect(await bond.couponDueAt(4)).to.equal(t.maturity);
    });

    describe("refuses invalid terms with a named error", () => {
      async function deploy(s: BondSuite, over: Record<string, unknown>, base?: BondTermsStruct) {
        const t = { ...(base ?? (await defaultTerms(s))), ...over };
        return (await linkedBondFactory()).deploy(
          t,
          "n",
          "s",
          s.deployer.address,
          s.deployer.address,
          s.deployer.address,
        );
      }
      // Fetched once up front: `expect(deploy(...)).to.be.revertedWithCustomError(await iface(), …)` must not
      // leave the deploy promise without a handler while the factory loads (an unhandled rejection under
      // the slower coverage build).
      let bondFactory: Awaited<ReturnType<typeof ethers.getContractFactory>>;
      before(async () => {
        bondFactory = await linkedBondFactory(ethers.ZeroAddress);
      });
      function iface() {
        return bondFactory;
      }
      for (const field of ["paymentToken", "issuer", "compliance", "escrow"]) {
        it(`zero ${field}`, async () => {
          const s = await loadFixture(bondFixture);
          await expect(deploy(s, { [field]: ethers.ZeroAddress }))
            .to.be.revertedWithCustomError(await iface(), "ZeroAddress")
            .withArgs(field);
        });
      }
      it("zero unit price", async () => {
        const s = await loadFixture(bondFixture);
        await expect(deploy(s, { unitPrice: 0 })).to.be.revertedWithCustomError(await iface(), "ZeroUnitPrice");
      });
      it("soft cap zero or above cap", async () => {
        const s = await loadFixture(bondFixture);
        await expect(deploy(s, { softCap: 0 }))
          .to.be.revertedWithCustomError(await iface(), "InvalidCaps")
          .withArgs(0, B(10_000n));
        await expect(deploy(s, { softCap: B(10_001n) }))
          .to.be.revertedWithCustomError(await iface(), "InvalidCaps")
          .withArgs(B(10_001n), B(10_000n));
      });
      it("face value overflow", async () => {
        const s = await loadFixture(bondFixture);
        const cap = ethers.MaxUint256 / 2n;
        await expect(deploy(s, { cap, softCap: 1n, unitPrice: 3n }))
          .to.be.revertedWithCustomError(await iface(), "FaceValueOverflow")
          .withArgs(cap, 3n);
      });
      it("subscription window empty or already over", async () => {
        const s = await loadFixture(bondFixture);
        const t = await defaultTerms(s);
        await expect(deploy(s, { subscriptionStart: t.subscriptionEnd }, t))
          .to.be.revertedWithCustomError(await iface(), "InvalidSubscriptionWindow")
          .withArgs(t.subscriptionEnd, t.subscriptionEnd);
        const now = BigInt(await time.latest());
        await expect(
          deploy(s, { subscriptionStart: now - 10n, subscriptionEnd: now, maturity: now + 4n * HALF_YEAR }, t),
        ).to.be.revertedWithCustomError(await iface(), "InvalidSubscriptionWindow");
      });
      it("coupon schedule that is empty or not a whole number of periods", async () => {
        const s = await loadFixture(bondFixture);
        const t = await defaultTerms(s);
        await expect(deploy(s, { couponPeriod: 0 }, t))
          .to.be.revertedWithCustomError(await iface(), "InvalidCouponSchedule")
          .withArgs(0, t.subscriptionEnd, t.maturity);
        await expect(deploy(s, { maturity: BigInt(t.maturity) + 1n }, t)).to.be.revertedWithCustomError(
          await iface(),
          "InvalidCouponSchedule",
        );
        await expect(deploy(s, { maturity: t.subscriptionEnd }, t)).to.be.revertedWithCustomError(
          await iface(),
          "InvalidCouponSchedule",
        );
      });
      it("zero coupon rate or rate + step-up above 100 %", async () => {
        const s = await loadFixture(bondFixture);
        await expect(deploy(s, { couponRateBps: 0 }))
          .to.be.revertedWithCustomError(await iface(), "InvalidCouponRate")
          .withArgs(0, 100);
        await expect(deploy(s, { couponRateBps: 9950 }))
          .to.be.revertedWithCustomError(await iface(), "InvalidCouponRate")
          .withArgs(9950, 100);
      });
      it("inconsistent sustainability-linked terms", async () => {
        const s = await loadFixture(bondFixture);
        const t = await defaultTerms(s);
        await expect(deploy(s, { stepUpBps: 0 }, t))
          .to.be.revertedWithCustomError(await iface(), "InvalidKpiTerms")
          .withArgs(0, t.kpiDeadline);
        await expect(deploy(s, { kpiDeadline: 0 }, t))
          .to.be.revertedWithCustomError(await iface(), "InvalidKpiTerms")
          .withArgs(100, 0);
        await expect(deploy(s, { kpiDeadline: t.subscriptionEnd }, t)).to.be.revertedWithCustomError(
          await iface(),
          "InvalidKpiTerms",
        );
        await expect(deploy(s, { kpiDeadline: t.maturity }, t)).to.be.revertedWithCustomError(
          await iface(),
          "InvalidKpiTerms",
        );
      });
      it("zero grace period", async () => {
        const s = await loadFixture(bondFixture);
        await expect(deploy(s, { gracePeriod: 0 })).to.be.revertedWithCustomError(await iface(), "ZeroGracePeriod");
      });
      it("milestones: none, too many, zero bps, bps not summing to 100 %, too early, not increasing", async () => {
        const s = await loadFixture(bondFixture);
        const t = await defaultTerms(s);
        const p = t.proceeds;
        const end = BigInt(t.subscriptionEnd);
        const grace = BigInt(t.gracePeriod);
        const m = (bps: number, d: bigint) => ({ bps, deadline: d, description: ethers.ZeroHash });
        const withMs = (milestones: unknown[]) => ({ proceeds: { ...p, milestones } });
        await expect(deploy(s, withMs([]), t))
          .to.be.revertedWithCustomError(await iface(), "InvalidMilestoneCount")
          .withArgs(0, 20);
        const many = Array.from({ length: 21 }, (_, i) =>
          m(i === 0 ? 10000 - 20 : 1, end + grace + BigInt(i + 1) * DAY),
        );
        await expect(deploy(s, withMs(many), t))
          .to.be.revertedWithCustomError(await iface(), "InvalidMilestoneCount")
          .withArgs(21, 20);
        await expect(deploy(s, withMs([m(0, end + 30n * DAY), m(10000, end + 40n * DAY)]), t))
          .to.be.revertedWithCustomError(await iface(), "ZeroMilestoneBps")
          .withArgs(0);
        await expect(deploy(s, withMs([m(5000, end + 30n * DAY), m(4000, end + 40n * DAY)]), t))
          .to.be.revertedWithCustomError(await iface(), "MilestoneBpsSum")
          .withArgs(9000);
        await expect(deploy(s, withMs([m(10000, end + grace)]), t))
          .to.be.revertedWithCustomError(await iface(), "MilestoneTooEarly")
          .withArgs(0, end + grace, end + grace);
        await expect(deploy(s, withMs([m(5000, end + 30n * DAY), m(5000, end + 30n * DAY)]), t))
          .to.be.revertedWithCustomError(await iface(), "MilestoneTooEarly")
          .withArgs(1, end + 30n * DAY, end + 30n * DAY);
      });
      it("verifiers: none or more than 16", async () => {
        const s = await loadFixture(bondFixture);
        const t = await defaultTerms(s);
        await expect(deploy(s, { proceeds: { ...t.proceeds, verifiers: [] } }, t))
          .to.be.revertedWithCustomError(await iface(), "InvalidVerifierCount")
          .withArgs(0, 16);
        const many = Array.from({ length: 17 }, (_, i) => ethers.getAddress(ethers.toBeHex(i + 1, 20)));
        await expect(deploy(s, { proceeds: { ...t.proceeds, verifiers: many } }, t))
          .to.be.revertedWithCustomError(await iface(), "InvalidVerifierCount")
          .withArgs(17, 16);
      });
    });
  });

  describe("subscribe", () => {
    it("mints units, takes ceil(units × price / 1e18) and emits Subscribed", async () => {
      const { bond, usd, bob } = await subscriptionFixture();
      const units = B(10n) + 1n; // price has a fractional wei → rounded up
      const price = (units * PRICE + UNIT - 1n) / UNIT;
      expect(price).to.equal(1_000_000_001n);
      await fundAndApprove(usd, bob, await bond.getAddress(), price);
      const sent = bond.connect(bob).subscribe(units);
      await expect(sent).to.emit(bond, "Subscribed").withArgs(bob.address, units, price);
      await expect(sent).to.changeTokenBalances(usd, [bob, bond], [-price, price]);
      expect(await bond.balanceOf(bob.address)).to.equal(units);
      expect(await bond.raised()).to.equal(price);
      expect(await bond.reserved()).to.equal(price);
    });

    it("only inside the window", async () => {
      const s = await loadFixture(bondFixture);
      const now = BigInt(await time.latest());
      const bond = await createBond(s, await defaultTerms(s, { subscriptionStart: now + 100n }));
      await fundAndApprove(s.usd, s.bob, await bond.getAddress(), 10n ** 12n);
      await expect(bond.connect(s.bob).subscribe(B(1n))).to.be.revertedWithCustomError(
        bond,
        "OutsideSubscriptionWindow",
      );
      const end = await bond.subscriptionEnd();
      await time.setNextBlockTimestamp(end);
      await expect(bond.connect(s.bob).subscribe(B(1n)))
        .to.be.revertedWithCustomError(bond, "OutsideSubscriptionWindow")
        .withArgs(end, now + 100n, end);
    });

    it("refuses zero units and more than the cap", async () => {
      const { bond, bob, carol, usd } = await subscriptionFixture();
      await expect(bond.connect(bob).subscribe(0)).to.be.revertedWithCustomError(bond, "ZeroUnits");
      await fundAndApprove(usd, bob, await bond.getAddress(), 10n ** 15n);
      await bond.connect(bob).subscribe(B(9_000n));
      await expect(bond.connect(carol).subscribe(B(1_001n)))
        .to.be.revertedWithCustomError(bond, "CapExceeded")
        .withArgs(B(1_001n), B(1_000n));
    });

    it("refuses unverified, expired, blocked-country and frozen investors", async () => {
      const s = await subscriptionFixture();
      const { bond, compliance, outsider, bob, carol, dave } = s;
      await expect(bond.connect(outsider).subscribe(B(1n)))
        .to.be.revertedWithCustomError(bond, "NotVerified")
        .withArgs(outsider.address);
      const exp = BigInt(await time.latest()) + 100n; // far enough that setInvestor is mined before it
      await compliance.setInvestor(bob.address, true, KE, exp);
      await time.increaseTo(exp);
      await expect(bond.connect(bob).subscribe(B(1n)))
        .to.be.revertedWithCustomError(bond, "VerificationExpired")
        .withArgs(bob.address, exp);
      await compliance.setInvestor(carol.address, true, KP, 0);
      await compliance.blockCountry(KP, true);
      await expect(bond.connect(carol).subscribe(B(1n)))
        .to.be.revertedWithCustomError(bond, "CountryBlocked")
        .withArgs(carol.address, KP);
      await bond.freeze(dave.address, true);
      await expect(bond.connect(dave).subscribe(B(1n)))
        .to.be.revertedWithCustomError(bond, "AccountFrozen")
        .withArgs(dave.address);
    });

    it("is stopped by pause", async () => {
      const { bond, bob } = await subscriptionFixture();
      await bond.pause();
      await expect(bond.connect(bob).subscribe(B(1n))).to.be.revertedWithCustomError(bond, "EnforcedPause");
    });

    it("refuses a payment token that delivers less than asked (balance-delta check)", async () => {
      const s = await loadFixture(bondFixture);
      const fee = await ethers.deployContract("FeeOnTransferToken");
      const bond = await createBond(s, await defaultTerms(s, { paymentToken: await fee.getAddress() }));
      await fee.mint(s.bob.address, 10n ** 12n);
      await fee.connect(s.bob).approve(await bond.getAddress(), 10n ** 12n);
      await expect(bond.connect(s.bob).subscribe(B(1n)))
        .to.be.revertedWithCustomError(bond, "TokenTransferShortfall")
        .withArgs(PRICE, PRICE - PRICE / 100n);
    });

    it("is closed once the subscription is closed", async () => {
      const { bond, bob } = await activeFixture();
      await expect(bond.connect(bob).subscribe(B(1n)))
        .to.be.revertedWithCustomError(bond, "WrongStatus")
        .withArgs(BondStatus.Active, BondStatus.Subscription);
    });
  });

  describe("closeSubscription", () => {
    it("cannot close before the window ends", async () => {
      const { bond } = await subscriptionFixture();
      await expect(bond.closeSubscription())
        .to.be.revertedWithCustomError(bond, "SubscriptionStillOpen")
        .withArgs(await bond.subscriptionEnd());
    });

    it("at or above the soft cap: creates and funds the escrow deal with all proceeds (bond = funder, issuer = beneficiary)", async () => {
      const s = await subscriptionFixture();
      const { bond, usd, escrow, issuer } = s;
      await subscribe(s, bond, s.bob, B(700n));
      await subscribe(s, bond, s.carol, B(301n) + 3n);
      const proceeds = (B(700n) * PRICE) / UNIT + ((B(301n) + 3n) * PRICE + UNIT - 1n) / UNIT;
      await time.increaseTo(await bond.subscriptionEnd());
      const units = B(1001n) + 3n;
      const tx = bond.connect(s.outsider).closeSubscription();
      await expect(tx).to.emit(bond, "SubscriptionClosed").withArgs(true, units, proceeds, 1n);
      await expect(tx)
        .to.emit(escrow, "DealCreated")
        .withArgs(1n, s.projectId, await bond.getAddress(), issuer.address, await usd.getAddress(), proceeds, 1);
      await expect(tx).to.emit(escrow, "DealFunded").withArgs(1n, proceeds);
      await expect(tx).to.changeTokenBalances(usd, [bond, escrow], [-proceeds, proceeds]);
      expect(await bond.status()).to.equal(BondStatus.Active);
      expect(await bond.escrowDealId()).to.equal(1n);
      expect(await bond.issuedUnits()).to.equal(units);
      expect(await bond.proceeds()).to.equal(proceeds);
      expect(await bond.raised()).to.equal(0n);
      expect(await usd.allowance(await bond.getAddress(), await escrow.getAddress())).to.equal(0n);
      const e = await ethers.getContractAt("MilestoneEscrow", await escrow.getAddress());
      const m0 = await e.milestone(1, 0);
      const m1 = await e.milestone(1, 1);
      expect(m0.amount).to.equal((proceeds * 6000n) / 10000n);
      expect(m0.amount + m1.amount).to.equal(proceeds);
    });

    it("below the soft cap: opens refunds", async () => {
      const s = await subscriptionFixture();
      const { bond } = s;
      await subscribe(s, bond, s.bob, B(500n));
      await time.increaseTo(await bond.subscriptionEnd());
      await expect(bond.closeSubscription())
        .to.emit(bond, "SubscriptionClosed")
        .withArgs(false, B(500n), 50_000_000_000n, 0n);
      expect(await bond.status()).to.equal(BondStatus.Refunding);
      expect(await bond.refundPot()).to.equal(50_000_000_000n);
      expect(await bond.raised()).to.equal(0n);
      await expect(bond.closeSubscription())
        .to.be.revertedWithCustomError(bond, "WrongStatus")
        .withArgs(BondStatus.Refunding, BondStatus.Subscription);
    });

    it("reverts when the escrow refuses the deal, and after the grace period opens refunds instead", async () => {
      const s = await subscriptionFixture();
      const { bond, registry, verifier } = s;
      await subscribe(s, bond, s.bob, B(1_000n));
      await registry.connect(verifier).setProjectStatus(s.projectId, ProjectStatus.Suspended);
      await time.increaseTo(await bond.subscriptionEnd());
      const escrow = await ethers.getContractAt("MilestoneEscrow", await s.escrow.getAddress());
      await expect(bond.closeSubscription()).to.be.revertedWithCustomError(escrow, "ProjectNotActive");
      await time.increaseTo((await bond.subscriptionEnd()) + (await bond.gracePeriod()));
      await expect(bond.closeSubscription())
        .to.emit(bond, "SubscriptionClosed")
        .withArgs(false, B(1_000n), 100_000_000_000n, 0n);
    });
  });

  describe("refund", () => {
    async function refundingFixture() {
      const s = await loadFixture(bondFixture);
      const bond = await createBond(s);
      await subscribe(s, bond, s.bob, B(100n) + 1n); // pays 1 wei of rounding
      await subscribe(s, bond, s.carol, B(200n));
      await time.increaseTo(await bond.subscriptionEnd());
      await bond.closeSubscription();
      return { ...s, bond };
    }

    it("pays each investor their pro-rata share; the last refund empties the pot exactly", async () => {
      const s = await refundingFixture();
      const { bond, usd, bob, carol } = s;
      const pot = await bond.refundPot();
      expect(pot).to.equal(30_000_000_001n);
      const supply = await bond.totalSupply();
      const bobShare = ((B(100n) + 1n) * pot) / supply;
      const sent = bond.connect(bob).refund();
      await expect(sent)
        .to.emit(bond, "Refunded")
        .withArgs(bob.address, B(100n) + 1n, bobShare);
      await expect(sent).to.changeTokenBalances(usd, [bob, bond], [bobShare, -bobShare]);
      expect(await bond.balanceOf(bob.address)).to.equal(0n);
      await expect(bond.connect(carol).refund())
        .to.emit(bond, "Refunded")
        .withArgs(carol.address, B(200n), pot - bobShare);
      expect(await bond.refundPot()).to.equal(0n);
      expect(await usd.balanceOf(await bond.getAddress())).to.equal(0n);
      expect(bobShare).to.be.gte(10_000_000_000n);
    });

    it("refuses an account without units, and any status but Refunding", async () => {
      const s = await refundingFixture();
      await expect(s.bond.connect(s.dave).refund())
        .to.be.revertedWithCustomError(s.bond, "NothingToRedeem")
        .withArgs(s.dave.address);
      const a = await activeFixture();
      await expect(a.bond.connect(a.bob).refund())
        .to.be.revertedWithCustomError(a.bond, "WrongStatus")
        .withArgs(BondStatus.Active, BondStatus.Refunding);
    });

    it("keeps working while paused and for frozen accounts", async () => {
      const s = await refundingFixture();
      await s.bond.pause();
      await s.bond.freeze(s.bob.address, true);
      await expect(s.bond.connect(s.bob).refund()).to.emit(s.bond, "Refunded");
    });

    it("locks ordinary transfers while subscribing and refunding", async () => {
      const s = await refundingFixture();
      await expect(s.bond.connect(s.bob).transfer(s.carol.address, 1n))
        .to.be.revertedWithCustomError(s.bond, "TransfersLocked")
        .withArgs(BondStatus.Refunding);
      const t = await subscriptionFixture();
      await subscribe(t, t.bond, t.bob, B(1n));
      await expect(t.bond.connect(t.bob).transfer(t.carol.address, 1n))
        .to.be.revertedWithCustomError(t.bond, "TransfersLocked")
        .withArgs(BondStatus.Subscription);
    });
  });

  describe("transfer restrictions", () => {
    it("allows transfers between eligible investors", async () => {
      const { bond, bob, carol } = await activeFixture();
      await expect(bond.connect(bob).transfer(carol.address, B(10n))).to.changeTokenBalances(
        bond,
        [bob, carol],
        [-B(10n), B(10n)],
      );
    });

    it("refuses an unverified recipient or sender", async () => {
      const { bond, bob, outsider, compliance } = await activeFixture();
      await expect(bond.connect(bob).transfer(outsider.address, 1n))
        .to.be.revertedWithCustomError(bond, "NotVerified")
        .withArgs(outsider.address);
      await compliance.setInvestor(bob.address, false, KE, 0);
      await expect(bond.connect(bob).transfer(outsider.address, 1n))
        .to.be.revertedWithCustomError(bond, "NotVerified")
        .withArgs(bob.address);
    });

    it("refuses an expired verification", async () => {
      const { bond, bob, carol, compliance } = await activeFixture();
      const exp = BigInt(await time.latest()) + 100n; // far enough that setInvestor is mined before it
      await compliance.setInvestor(carol.address, true, KE, exp);
      await time.increaseTo(exp);
      await expect(bond.connect(bob).transfer(carol.address, 1n))
        .to.be.revertedWithCustomError(bond, "VerificationExpired")
        .withArgs(carol.address, exp);
    });

    it("refuses a blocked country on either side", async () => {
      const { bond, bob, carol, compliance } = await activeFixture();
      await compliance.setInvestor(carol.address, true, DE, 0);
      await compliance.blockCountry(DE, true);
      await expect(bond.connect(bob).transfer(carol.address, 1n))
        .to.be.revertedWithCustomError(bond, "CountryBlocked")
        .withArgs(carol.address, DE);
      await expect(bond.connect(carol).transfer(bob.address, 1n))
        .to.be.revertedWithCustomError(bond, "CountryBlocked")
        .withArgs(carol.address, DE);
    });

    it("refuses a frozen sender or recipient", async () => {
      const { bond, bob, carol } = await activeFixture();
      await expect(bond.freeze(carol.address, true)).to.emit(bond, "Frozen").withArgs(carol.address, true, anyAgent());
      expect(await bond.isFrozen(carol.address)).to.equal(true);
      await expect(bond.connect(bob).transfer(carol.address, 1n))
        .to.be.revertedWithCustomError(bond, "AccountFrozen")
        .withArgs(carol.address);
      await expect(bond.connect(carol).transfer(bob.address, 1n))
        .to.be.revertedWithCustomError(bond, "AccountFrozen")
        .withArgs(carol.address);
      await bond.freeze(carol.address, false);
      await bond.connect(bob).transfer(carol.address, 1n);
    });

    it("applies the same rules to transferFrom", async () => {
      const { bond, bob, carol, outsider } = await activeFixture();
      await bond.connect(bob).approve(carol.address, B(5n));
      await expect(bond.connect(carol).transferFrom(bob.address, outsider.address, 1n))
        .to.be.revertedWithCustomError(bond, "NotVerified")
        .withArgs(outsider.address);
      await expect(bond.connect(carol).transferFrom(bob.address, carol.address, B(5n))).to.changeTokenBalances(
        bond,
        [bob, carol],
        [-B(5n), B(5n)],
      );
    });

    it("is stopped by pause", async () => {
      const { bond, bob, carol } = await activeFixture();
      await bond.pause();
      await expect(bond.connect(bob).transfer(carol.address, 1n)).to.be.revertedWithCustomError(bond, "EnforcedPause");
      await expect(bond.connect(bob).transferFrom(bob.address, carol.address, 1n)).to.be.revertedWithCustomError(
        bond,
        "EnforcedPause",
      );
      await bond.unpause();
      await bond.connect(bob).transfer(carol.address, 1n);
    });
  });

  describe("coupons", () => {
    it("depositCoupon takes the exact coupon at the current rate and emits CouponFunded", async () => {
      const s = await activeFixture();
      const { bond, usd, issuer } = s;
      const issued = await bond.issuedUnits();
      const expected = couponOf(issued, PRICE, 500n, HALF_YEAR);
      expect(expected).to.equal(10_000_000_000n); // 400,000 tUSD face × 5 % / 2
      expect(await bond.couponAmount(500)).to.equal(expected);
      await time.increaseTo(await bond.couponDueAt(1));
      await fundAndApprove(usd, issuer, await bond.getAddress(), expected);
      const sent = bond.connect(issuer).depositCoupon(1);
      await expect(sent).to.emit(bond, "CouponFunded").withArgs(1n, expected, 500);
      await expect(sent).to.changeTokenBalances(usd, [issuer, bond], [-expected, expected]);
      expect(await bond.couponsFunded()).to.equal(1n);
      expect(await bond.couponsFundedTotal()).to.equal(expected);
      expect(await bond.claimable(s.bob.address)).to.equal(expected / 4n);
      expect(await bond.claimable(s.carol.address)).to.equal(expected / 2n);
      await expectSolvent(s, bond);
    });

    it("rounds a fractional coupon up (in favour of the bond)", async () => {
      const s = await loadFixture(bondFixture);
      const bond = await activeBond(s, undefined, [B(1_000n) + 7n, 0n, 0n]);
      const exact = couponOf(B(1_000n) + 7n, PRICE, 500n, HALF_YEAR);
      expect(await bond.couponAmount(500)).to.equal(exact);
      expect(exact * UNIT * 10_000n * (365n * DAY)).to.be.gt((B(1_000n) + 7n) * PRICE * 500n * HALF_YEAR);
    });

    it("refuses non-issuers, unknown and out-of-order periods, early funding and wrong status", async () => {
      const s = await activeFixture();
      const { bond, issuer, bob } = s;
      await expect(bond.connect(bob).depositCoupon(1))
        .to.be.revertedWithCustomError(bond, "NotIssuer")
        .withArgs(bob.address);
      await expect(bond.connect(issuer).depositCoupon(0))
        .to.be.revertedWithCustomError(bond, "NoSuchCouponPeriod")
        .withArgs(0, 4);
      await expect(bond.connect(issuer).depositCoupon(5))
        .to.be.revertedWithCustomError(bond, "NoSuchCouponPeriod")
        .withArgs(5, 4);
      await expect(bond.connect(issuer).depositCoupon(2))
        .to.be.revertedWithCustomError(bond, "CouponPeriodOutOfOrder")
        .withArgs(2, 1);
      await expect(bond.connect(issuer).depositCoupon(1))
        .to.be.revertedWithCustomError(bond, "CouponNotDue")
        .withArgs(1, await bond.couponDueAt(1));
      const sub = await subscriptionFixture();
      await expect(sub.bond.connect(sub.issuer).depositCoupon(1))
        .to.be.revertedWithCustomError(sub.bond, "WrongStatus")
        .withArgs(BondStatus.Subscription, BondStatus.Active);
    });

    it("claimCoupon pays what accrued, emits CouponClaimed, and then has nothing left", async () => {
      const s = await activeFixture();
      const { bond, usd, bob } = s;
      const c = await payCoupon(s, bond, 1n);
      const sent = bond.connect(bob).claimCoupon();
      await expect(sent)
        .to.emit(bond, "CouponClaimed")
        .withArgs(bob.address, c / 4n);
      await expect(sent).to.changeTokenBalances(usd, [bob, bond], [c / 4n, -(c / 4n)]);
      expect(await bond.claimable(bob.address)).to.equal(0n);
      expect(await bond.couponsClaimedTotal()).to.equal(c / 4n);
      await expect(bond.connect(bob).claimCoupon())
        .to.be.revertedWithCustomError(bond, "NothingToClaim")
        .withArgs(bob.address);
      await expectSolvent(s, bond);
    });

    it("claimCoupon keeps working when paused and for frozen holders", async () => {
      const s = await activeFixture();
      await payCoupon(s, s.bond, 1n);
      await s.bond.pause();
      await s.bond.freeze(s.carol.address, true);
      await expect(s.bond.connect(s.carol).claimCoupon()).to.emit(s.bond, "CouponClaimed");
    });

    it("a mid-period transfer: each holder gets exactly the coupons funded while they held the units", async () => {
      const s = await activeFixture();
      const { bond, bob, carol, dave, usd } = s;
      // bob 1,000, carol 2,000, dave 1,000 (4,000 bonds)
      const c1 = await payCoupon(s, bond, 1n);
      await time.increase(30n * DAY);
      await bond.connect(bob).transfer(carol.address, B(500n)); // bob 500, carol 2,500
      await bond.connect(dave).transfer(carol.address, B(1_000n)); // dave 0, carol 3,500
      const c2 = await payCoupon(s, bond, 2n);
      const supply = B(4_000n);
      const exp = {
        bob: (c1 * B(1_000n)) / supply + (c2 * B(500n)) / supply,
        carol: (c1 * B(2_000n)) / supply + (c2 * B(3_500n)) / supply,
        dave: (c1 * B(1_000n)) / supply,
      };
      expect(await bond.claimable(bob.address)).to.equal(exp.bob);
      expect(await bond.claimable(carol.address)).to.equal(exp.carol);
      expect(await bond.claimable(dave.address)).to.equal(exp.dave);
      await expect(bond.connect(dave).claimCoupon()).to.changeTokenBalance(usd, dave, exp.dave);
      await expect(bond.connect(bob).claimCoupon()).to.changeTokenBalance(usd, bob, exp.bob);
      await expect(bond.connect(carol).claimCoupon()).to.changeTokenBalance(usd, carol, exp.carol);
      expect(c1 + c2 - (exp.bob + exp.carol + exp.dave)).to.be.lte(2n);
      await expectSolvent(s, bond);
    });

    it("a buyer after a coupon gets nothing of it, and all of the next one", async () => {
      const s = await activeFixture();
      const { bond, bob, outsider, compliance } = s;
      await compliance.setInvestor(outsider.address, true, KE, 0);
      const c1 = await payCoupon(s, bond, 1n);
      await bond.connect(bob).transfer(outsider.address, B(1_000n));
      expect(await bond.claimable(outsider.address)).to.equal(0n);
      expect(await bond.claimable(bob.address)).to.equal(c1 / 4n);
      const c2 = await payCoupon(s, bond, 2n);
      expect(await bond.claimable(outsider.address)).to.equal(c2 / 4n);
      expect(await bond.claimable(bob.address)).to.equal(c1 / 4n);
    });
  });

  describe("sustainability-linked step-up", () => {
    it("reportKpi(met) records the KPI and prevents any step-up", async () => {
      const s = await activeFixture();
      const { bond, verifier } = s;
      const ev = ethers.id("kpi-report-2026");
      await expect(bond.connect(verifier).reportKpi(true, ev)).to.emit(bond, "KpiReported").withArgs(true, ev);
      expect(await bond.kpiStatus()).to.equal(KpiStatus.Met);
      await expect(bond.connect(verifier).reportKpi(false, ev))
        .to.be.revertedWithCustomError(bond, "KpiAlreadyReported")
        .withArgs(KpiStatus.Met);
      await time.increaseTo(await bond.kpiDeadline());
      await expect(bond.applyStepUp())
        .to.be.revertedWithCustomError(bond, "KpiAlreadyReported")
        .withArgs(KpiStatus.Met);
      await payCoupon(s, bond, 1n);
      await payCoupon(s, bond, 2n);
      const tx = payCoupon(s, bond, 3n);
      await expect(tx).not.to.be.reverted;
      expect(await bond.currentRateBps()).to.equal(500n);
    });

    it("reportKpi(missed) steps the rate up at once (CouponStepUp) and the next coupon pays it", async () => {
      const s = await activeFixture();
      const { bond, verifier, issuer, usd } = s;
      await expect(bond.connect(verifier).reportKpi(false, ethers.ZeroHash))
        .to.emit(bond, "KpiReported")
        .withArgs(false, ethers.ZeroHash)
        .and.to.emit(bond, "CouponStepUp")
        .withArgs(600);
      expect(await bond.kpiStatus()).to.equal(KpiStatus.Missed);
      expect(await bond.steppedUp()).to.equal(true);
      await time.increaseTo(await bond.couponDueAt(1));
      const amount = couponOf(await bond.issuedUnits(), PRICE, 600n, HALF_YEAR);
      await fundAndApprove(usd, issuer, await bond.getAddress(), amount);
      await expect(bond.connect(issuer).depositCoupon(1)).to.emit(bond, "CouponFunded").withArgs(1, amount, 600);
      await expect(bond.applyStepUp()).to.be.revertedWithCustomError(bond, "AlreadySteppedUp").withArgs(600);
    });

    it("an unreported KPI steps up lazily in the first coupon funded after the deadline", async () => {
      const s = await activeFixture();
      const { bond, issuer, usd } = s;
      const c1 = await payCoupon(s, bond, 1n);
      const c2 = await payCoupon(s, bond, 2n);
      expect(c2).to.equal(c1);
      await time.increaseTo(await bond.couponDueAt(3));
      const amount = couponOf(await bond.issuedUnits(), PRICE, 600n, HALF_YEAR);
      await fundAndApprove(usd, issuer, await bond.getAddress(), amount);
      await expect(bond.connect(issuer).depositCoupon(3))
        .to.emit(bond, "CouponStepUp")
        .withArgs(600)
        .and.to.emit(bond, "CouponFunded")
        .withArgs(3, amount, 600);
      expect(amount).to.equal((c1 * 6n) / 5n);
      expect(await bond.kpiStatus()).to.equal(KpiStatus.Missed);
    });

    it("applyStepUp: anyone after the deadline, once; not before", async () => {
      const s = await activeFixture();
      const { bond, outsider, verifier } = s;
      const deadline = await bond.kpiDeadline();
      await expect(bond.applyStepUp()).to.be.revertedWithCustomError(bond, "KpiDeadlineNotReached").withArgs(deadline);
      await time.increaseTo(deadline);
      await expect(bond.connect(verifier).reportKpi(true, ethers.ZeroHash))
        .to.be.revertedWithCustomError(bond, "KpiDeadlinePassed")
        .withArgs(deadline);
      await expect(bond.connect(outsider).applyStepUp()).to.emit(bond, "CouponStepUp").withArgs(600);
      expect(await bond.currentRateBps()).to.equal(600n);
      expect(await bond.kpiStatus()).to.equal(KpiStatus.Missed);
    });

    it("applyStepUp is Active only: an offering never closed, a refunding offering and a defaulted bond keep their rate (audit A-10)", async () => {
      // never closed: still in Subscription when the KPI deadline passes
      const sub = await subscriptionFixture();
      await time.increaseTo(await sub.bond.kpiDeadline());
      await expect(sub.bond.applyStepUp())
        .to.be.revertedWithCustomError(sub.bond, "WrongStatus")
        .withArgs(BondStatus.Subscription, BondStatus.Active);
      // closed below the soft cap: refunding
      const s = await loadFixture(bondFixture);
      const refunding = await createBond(s);
      await subscribe(s, refunding, s.bob, B(10n));
      await time.increaseTo(await refunding.subscriptionEnd());
      await refunding.closeSubscription();
      await time.increaseTo(await refunding.kpiDeadline());
      await expect(refunding.applyStepUp())
        .to.be.revertedWithCustomError(refunding, "WrongStatus")
        .withArgs(BondStatus.Refunding, BondStatus.Active);
      expect(await refunding.currentRateBps()).to.equal(500n);
      // defaulted on coupon 1, before the KPI deadline
      const a = await activeFixture();
      await time.increaseTo((await a.bond.couponDueAt(1)) + (await a.bond.gracePeriod()) + 1n);
      await expect(a.bond.declareDefault()).to.emit(a.bond, "Defaulted").withArgs(1);
      await time.increaseTo(await a.bond.kpiDeadline());
      await expect(a.bond.applyStepUp())
        .to.be.revertedWithCustomError(a.bond, "WrongStatus")
        .withArgs(BondStatus.Defaulted, BondStatus.Active);
      expect(await a.bond.currentRateBps()).to.equal(500n);
      expect(await a.bond.kpiStatus()).to.equal(KpiStatus.Pending);
    });

    it("reportKpi is VERIFIER_ROLE only, Active only, and a plain green bond has no KPI", async () => {
      const s = await activeFixture();
      await expect(s.bond.connect(s.outsider).reportKpi(true, ethers.ZeroHash))
        .to.be.revertedWithCustomError(s.bond, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.VERIFIER);
      const sub = await subscriptionFixture();
      await expect(sub.bond.connect(sub.verifier).reportKpi(true, ethers.ZeroHash))
        .to.be.revertedWithCustomError(sub.bond, "WrongStatus")
        .withArgs(BondStatus.Subscription, BondStatus.Active);
      const p = await plainFixture();
      await expect(p.bond.connect(p.verifier).reportKpi(true, ethers.ZeroHash)).to.be.revertedWithCustomError(
        p.bond,
        "NotSustainabilityLinked",
      );
      await expect(p.bond.applyStepUp()).to.be.revertedWithCustomError(p.bond, "NotSustainabilityLinked");
      // a plain bond never steps up
      for (let k = 1n; k <= 4n; k++) await payCoupon(p, p.bond, k);
      expect(await p.bond.currentRateBps()).to.equal(500n);
    });
  });

  describe("principal and redemption", () => {
    async function maturedFixture() {
      const s = await loadFixture(bondFixture);
      const bond = await activeBond(s);
      for (let k = 1n; k <= 4n; k++) await payCoupon(s, bond, k);
      return { ...s, bond };
    }

    it("depositPrincipal pulls the face value and emits PrincipalFunded; only once, only the issuer", async () => {
      const s = await activeFixture();
      const { bond, issuer, usd, bob } = s;
      const face = await bond.faceValue();
      expect(face).to.equal(400_000_000_000n);
      await fundAndApprove(usd, issuer, await bond.getAddress(), face);
      await expect(bond.connect(bob).depositPrincipal())
        .to.be.revertedWithCustomError(bond, "NotIssuer")
        .withArgs(bob.address);
      const sent = bond.connect(issuer).depositPrincipal();
      await expect(sent).to.emit(bond, "PrincipalFunded").withArgs(face, face);
      await expect(sent).to.changeTokenBalances(usd, [issuer, bond], [-face, face]);
      expect(await bond.principalFunded()).to.equal(true);
      await expect(bond.connect(issuer).depositPrincipal()).to.be.revertedWithCustomError(
        bond,
        "PrincipalAlreadyFunded",
      );
      await expectSolvent(s, bond);
    });

    it("redeem: refused before maturity, with coupons outstanding, or without principal", async () => {
      const s = await activeFixture();
      const { bond, bob } = s;
      await expect(bond.connect(bob).redeem())
        .to.be.revertedWithCustomError(bond, "NotMatured")
        .withArgs(await bond.maturity());
      for (let k = 1n; k <= 3n; k++) await payCoupon(s, bond, k);
      await time.increaseTo(await bond.maturity());
      await expect(bond.connect(bob).redeem()).to.be.revertedWithCustomError(bond, "CouponsOutstanding").withArgs(3, 4);
      await payCoupon(s, bond, 4n);
      await expect(bond.connect(bob).redeem())
        .to.be.revertedWithCustomError(bond, "PrincipalNotFunded")
        .withArgs(0, await bond.faceValue());
      const sub = await subscriptionFixture();
      await expect(sub.bond.connect(sub.bob).redeem())
        .to.be.revertedWithCustomError(sub.bond, "WrongStatus")
        .withArgs(BondStatus.Subscription, BondStatus.Active);
    });

    it("redeem burns the units and pays the principal; coupons stay claimable; the last one empties the pot", async () => {
      const s = await maturedFixture();
      const { bond, usd, bob, carol, dave, outsider } = s;
      await payPrincipal(s, bond);
      const pending = await bond.claimable(bob.address);
      const sent = bond.connect(bob).redeem();
      await expect(sent).to.emit(bond, "BondRedeemed").withArgs(bob.address, B(1_000n), 100_000_000_000n);
      await expect(sent).to.changeTokenBalances(usd, [bob, bond], [100_000_000_000n, -100_000_000_000n]);
      expect(await bond.balanceOf(bob.address)).to.equal(0n);
      expect(await bond.claimable(bob.address)).to.equal(pending);
      await expect(bond.connect(bob).claimCoupon()).to.changeTokenBalance(usd, bob, pending);
      await expect(bond.connect(bob).redeem())
        .to.be.revertedWithCustomError(bond, "NothingToRedeem")
        .withArgs(bob.address);
      await bond.pause(); // redemption is never paused
      await bond.connect(carol).redeem();
      await bond.connect(dave).redeem();
      expect(await bond.principalPot()).to.equal(0n);
      expect(await bond.totalSupply()).to.equal(0n);
      for (const h of [carol, dave]) await bond.connect(h).claimCoupon();
      const dust = await usd.balanceOf(await bond.getAddress());
      expect(dust).to.be.lte(12n); // ≤ 1 wei per coupon + 1 wei per settlement, documented
      await expect(bond.connect(outsider).redeem())
        .to.be.revertedWithCustomError(bond, "NothingToRedeem")
        .withArgs(outsider.address);
    });
  });

  describe("default", () => {
    it("declareDefault: not within the grace period, then anyone declares a missed coupon", async () => {
      const s = await activeFixture();
      const { bond, outsider, issuer } = s;
      const c1 = await payCoupon(s, bond, 1n);
      const graceEnd = (await bond.couponDueAt(2)) + (await bond.gracePeriod());
      await time.setNextBlockTimestamp(graceEnd);
      await expect(bond.declareDefault()).to.be.revertedWithCustomError(bond, "NoDefault").withArgs(2, graceEnd);
      await expect(bond.connect(outsider).declareDefault()).to.emit(bond, "Defaulted").withArgs(2);
      expect(await bond.status()).to.equal(BondStatus.Defaulted);
      expect(await bond.defaultedPeriod()).to.equal(2n);
      await expect(bond.connect(issuer).depositCoupon(2))
        .to.be.revertedWithCustomError(bond, "WrongStatus")
        .withArgs(BondStatus.Defaulted, BondStatus.Active);
      await expect(bond.connect(issuer).depositPrincipal()).to.be.revertedWithCustomError(bond, "WrongStatus");
      await expect(bond.declareDefault()).to.be.revertedWithCustomError(bond, "WrongStatus");
      // coupons funded before the default stay claimable
      await expect(bond.connect(s.bob).claimCoupon())
        .to.emit(bond, "CouponClaimed")
        .withArgs(s.bob.address, c1 / 4n);
      // nothing deposited for the principal: nothing to redeem
      await expect(bond.connect(s.bob).redeem()).to.be.revertedWithCustomError(bond, "NothingToRedeem");
    });

    it("a coupon funded late but before the declaration cures the delay", async () => {
      const s = await activeFixture();
      const { bond } = s;
      await time.increaseTo((await bond.couponDueAt(1)) + (await bond.gracePeriod()) + 100n);
      await payCoupon(s, bond, 1n);
      await expect(bond.declareDefault()).to.be.revertedWithCustomError(bond, "NoDefault");
    });

    it("after a default holders redeem at once, pro-rata, whatever principal was deposited", async () => {
      const s = await activeFixture();
      const { bond, usd, bob, carol, dave } = s;
      const face = await payPrincipal(s, bond); // principal deposited early
      await payCoupon(s, bond, 1n);
      await time.increaseTo((await bond.couponDueAt(2)) + (await bond.gracePeriod()) + 1n);
      await bond.declareDefault();
      expect(await bond.principalPot()).to.equal(face);
      await expect(bond.connect(carol).redeem())
        .to.emit(bond, "BondRedeemed")
        .withArgs(carol.address, B(2_000n), face / 2n);
      await expect(bond.connect(bob).redeem()).to.changeTokenBalance(usd, bob, face / 4n);
      await expect(bond.connect(dave).redeem()).to.changeTokenBalance(usd, dave, face / 4n);
      expect(await bond.principalPot()).to.equal(0n);
      await expectSolvent(s, bond);
    });

    it("a missed principal is a default (period 0) once maturity + grace has passed", async () => {
      const s = await activeFixture();
      const { bond } = s;
      for (let k = 1n; k <= 4n; k++) await payCoupon(s, bond, k);
      const graceEnd = (await bond.maturity()) + (await bond.gracePeriod());
      await time.setNextBlockTimestamp(graceEnd);
      await expect(bond.declareDefault()).to.be.revertedWithCustomError(bond, "NoDefault").withArgs(0, graceEnd);
      await expect(bond.declareDefault()).to.emit(bond, "Defaulted").withArgs(0);
    });

    it("no default when everything is funded", async () => {
      const s = await activeFixture();
      const { bond } = s;
      await payPrincipal(s, bond);
      for (let k = 1n; k <= 4n; k++) await payCoupon(s, bond, k);
      await time.increase(365n * DAY);
      await expect(bond.declareDefault()).to.be.revertedWithCustomError(bond, "NoDefault").withArgs(0, 0);
    });
  });

  describe("agent: freeze and forcedTransfer", () => {
    it("freeze and forcedTransfer are AGENT_ROLE only", async () => {
      const { bond, outsider, bob, carol } = await activeFixture();
      await expect(bond.connect(outsider).freeze(bob.address, true))
        .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.AGENT);
      await expect(bond.connect(outsider).forcedTransfer(bob.address, carol.address, 1n))
        .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.AGENT);
    });

    it("moves units from a frozen account to an eligible one, even when paused, with ForcedTransfer", async () => {
      const s = await activeFixture();
      const { bond, bob, carol, deployer } = s;
      const c1 = await payCoupon(s, bond, 1n);
      await bond.freeze(bob.address, true);
      await bond.pause();
      const sent = bond.forcedTransfer(bob.address, carol.address, B(1_000n));
      await expect(sent)
        .to.emit(bond, "ForcedTransfer")
        .withArgs(bob.address, carol.address, B(1_000n), deployer.address);
      await expect(sent).to.changeTokenBalances(bond, [bob, carol], [-B(1_000n), B(1_000n)]);
      // the coupon accrued before the move stays with bob
      expect(await bond.claimable(bob.address)).to.equal(c1 / 4n);
    });

    it("refuses an ineligible recipient and zero units", async () => {
      const { bond, bob, outsider, carol } = await activeFixture();
      await expect(bond.forcedTransfer(bob.address, outsider.address, 1n))
        .to.be.revertedWithCustomError(bond, "NotVerified")
        .withArgs(outsider.address);
      await bond.freeze(carol.address, true);
      await expect(bond.forcedTransfer(bob.address, carol.address, 1n))
        .to.be.revertedWithCustomError(bond, "AccountFrozen")
        .withArgs(carol.address);
      await expect(bond.forcedTransfer(bob.address, carol.address, 0)).to.be.revertedWithCustomError(bond, "ZeroUnits");
    });

    it("pause is PAUSER_ROLE only and unpause DEFAULT_ADMIN_ROLE only", async () => {
      const { bond, outsider } = await activeFixture();
      await expect(bond.connect(outsider).pause())
        .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.PAUSER);
      await bond.pause();
      await expect(bond.connect(outsider).unpause())
        .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.DEFAULT_ADMIN);
    });
  });

  describe("escrow refunds", () => {
    async function expireMilestone(s: BondSuite, bond: GreenBond, index: number) {
      const e = await ethers.getContractAt("MilestoneEscrow", await s.escrow.getAddress());
      const id = await bond.escrowDealId();
      const m = await e.milestone(id, index);
      await time.increaseTo(m.deadline + (await bond.useOfProceeds()).disputeWindow + 1n);
      await e.refundExpired(id, index);
      return m.amount;
    }

    it("pulls refunded proceeds into the principal pot, lowering what the issuer deposits", async () => {
      const s = await activeFixture();
      const { bond, usd, outsider } = s;
      const amount = await expireMilestone(s, bond, 0);
      const sent = bond.connect(outsider).pullEscrowRefunds();
      await expect(sent).to.emit(bond, "EscrowRefundsPulled").withArgs(amount, amount, 0);
      await expect(sent).not.to.emit(bond, "PrincipalFunded"); // the pot is not complete yet
      await expect(sent).to.changeTokenBalance(usd, bond, amount);
      expect(await bond.principalPot()).to.equal(amount);
      const rest = await payPrincipal(s, bond);
      expect(rest).to.equal((await bond.faceValue()) - amount);
      await expectSolvent(s, bond);
    });

    it("refunds beyond the principal are issuer surplus, withdrawable by the issuer only", async () => {
      const s = await activeFixture();
      const { bond, usd, issuer, bob } = s;
      await payPrincipal(s, bond);
      const amount = await expireMilestone(s, bond, 0);
      await expect(bond.pullEscrowRefunds()).to.emit(bond, "EscrowRefundsPulled").withArgs(amount, 0, amount);
      expect(await bond.issuerSurplus()).to.equal(amount);
      await expect(bond.connect(bob).withdrawIssuerSurplus())
        .to.be.revertedWithCustomError(bond, "NotIssuer")
        .withArgs(bob.address);
      const sent = bond.connect(issuer).withdrawIssuerSurplus();
      await expect(sent).to.emit(bond, "IssuerSurplusWithdrawn").withArgs(issuer.address, amount);
      await expect(sent).to.changeTokenBalance(usd, issuer, amount);
      await expect(bond.connect(issuer).withdrawIssuerSurplus())
        .to.be.revertedWithCustomError(bond, "NothingToClaim")
        .withArgs(issuer.address);
    });

    it("refunds that complete the pot mark the principal funded; after a default they go to the holders", async () => {
      const s = await activeFixture();
      const { bond } = s;
      const a0 = await expireMilestone(s, bond, 0);
      const a1 = await expireMilestone(s, bond, 1);
      await time.increaseTo((await bond.couponDueAt(1)) + (await bond.gracePeriod()) + 1n);
      await bond.declareDefault();
      const recovered = bond.pullEscrowRefunds();
      await expect(recovered)
        .to.emit(bond, "EscrowRefundsPulled")
        .withArgs(a0 + a1, a0 + a1, 0);
      await expect(recovered).not.to.emit(bond, "PrincipalFunded"); // recoveries, not a funded principal
      expect(await bond.principalPot()).to.equal(a0 + a1);
      await expect(bond.connect(s.carol).redeem())
        .to.emit(bond, "BondRedeemed")
        .withArgs(s.carol.address, B(2_000n), (a0 + a1) / 2n);

      const t = await activeFixture();
      const b0 = await expireMilestone(t, t.bond, 0);
      const b1 = await expireMilestone(t, t.bond, 1);
      const face = await t.bond.faceValue();
      // indexers learn that the principal is funded from the same event as an issuer deposit (audit A-9)
      await expect(t.bond.pullEscrowRefunds())
        .to.emit(t.bond, "PrincipalFunded")
        .withArgs(face, face)
        .and.to.emit(t.bond, "EscrowRefundsPulled")
        .withArgs(b0 + b1, face, b0 + b1 - face);
      expect(await t.bond.principalFunded()).to.equal(true);
      expect(await t.bond.principalPot()).to.equal(await t.bond.faceValue());
    });

    it("after a default every issued unit shares later recoveries, even once redeemed or transferred", async () => {
      const s = await activeFixture();
      const { bond, usd, issuer, bob, carol, dave } = s;
      const a0 = await expireMilestone(s, bond, 0); // pulled while active: into the pot
      await bond.pullEscrowRefunds();
      await time.increaseTo((await bond.couponDueAt(1)) + (await bond.gracePeriod()) + 1n);
      await bond.declareDefault();
      expect(await bond.principalRecovered()).to.equal(a0);
      const issued = await bond.issuedUnits();
      const share = (units: bigint, recovered: bigint) => (units * recovered) / issued;

      await expect(bond.connect(bob).redeem())
        .to.emit(bond, "BondRedeemed")
        .withArgs(bob.address, B(1_000n), share(B(1_000n), a0));
      await bond.connect(carol).transfer(dave.address, B(1_000n)); // transfers still work after a default
      await expect(bond.connect(dave).redeem()).to.changeTokenBalance(usd, dave, share(B(2_000n), a0));
      await expect(bond.connect(carol).redeem()).to.changeTokenBalance(usd, carol, share(B(1_000n), a0));
      expect(await bond.totalSupply()).to.equal(0n);
      await expect(bond.connect(bob).redeem()).to.be.revertedWithCustomError(bond, "NothingToRedeem");
      await expect(bond.connect(issuer).redeem())
        .to.be.revertedWithCustomError(bond, "NothingToRedeem")
        .withArgs(issuer.address);

      // every unit is redeemed, yet the late recovery goes to the holders, not to the issuer
      const e = await ethers.getContractAt("MilestoneEscrow", await s.escrow.getAddress());
      const a1 = (await e.milestone(await bond.escrowDealId(), 1)).amount; // its refund window is long open
      await e.refundExpired(await bond.escrowDealId(), 1);
      await expect(bond.pullEscrowRefunds()).to.emit(bond, "EscrowRefundsPulled").withArgs(a1, a1, 0);
      expect(await bond.issuerSurplus()).to.equal(0n);
      const recovered = a0 + a1;
      expect(await bond.principalRecovered()).to.equal(recovered);
      await expectSolvent(s, bond);

      await expect(bond.connect(bob).redeem())
        .to.emit(bond, "BondRedeemed")
        .withArgs(bob.address, 0, share(B(1_000n), recovered) - share(B(1_000n), a0));
      await expect(bond.connect(dave).redeem()).to.changeTokenBalance(
        usd,
        dave,
        share(B(2_000n), recovered) - share(B(2_000n), a0),
      );
      await expect(bond.connect(carol).redeem()).to.changeTokenBalance(
        usd,
        carol,
        share(B(1_000n), recovered) - share(B(1_000n), a0),
      );
      const paid = share(B(1_000n), recovered) * 2n + share(B(2_000n), recovered);
      expect(await bond.principalPot()).to.equal(recovered - paid); // dust < 1 wei per redeeming holder
      expect(recovered - paid).to.be.lt(3n);
      await expectSolvent(s, bond);
    });

    it("is refused before the bond is active", async () => {
      const { bond } = await subscriptionFixture();
      await expect(bond.pullEscrowRefunds())
        .to.be.revertedWithCustomError(bond, "WrongStatus")
        .withArgs(BondStatus.Subscription, BondStatus.Active);
    });
  });

  describe("views", () => {
    it("supports the AccessControl and ERC-165 interfaces", async () => {
      const { bond } = await subscriptionFixture();
      expect(await bond.supportsInterface("0x7965db0b")).to.equal(true);
      expect(await bond.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await bond.ACC_SCALE()).to.equal(10n ** 36n);
      expect(await bond.MAX_MILESTONES()).to.equal(20n);
      expect(await bond.MAX_VERIFIERS()).to.equal(16n);
    });
  });
});

function anyAgent() {
  return (v: string) => ethers.isAddress(v);
}
