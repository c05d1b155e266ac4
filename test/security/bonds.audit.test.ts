import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ROLE } from "../helpers/suite";
import {
  activeBond,
  BondStatus,
  bondSuite,
  createBond,
  defaultTerms,
  DAY,
  payCoupon,
  payPrincipal,
  subscribe,
  UNIT,
} from "../helpers/bonds";

/** Audit regressions for the bond area (file-local fixture: see bonds.security.test.ts). */
async function auditFixture() {
  return bondSuite();
}

describe("GreenBond audit regressions", () => {
  describe("use-of-proceeds terms the escrow would refuse at close are refused at creation", () => {
    it("a dispute window outside the escrow's bounds is refused by the factory (else the bond could never close)", async () => {
      const s = await loadFixture(auditFixture);
      for (const disputeWindow of [0n, 30n * 60n, 366n * DAY]) {
        const base = await defaultTerms(s);
        const terms = await defaultTerms(s, { proceeds: { ...base.proceeds, disputeWindow } });
        await expect(s.factory.connect(s.issuer).createBond(terms, "B", "B"))
          .to.be.revertedWithCustomError(s.factory, "InvalidDisputeWindow")
          .withArgs(disputeWindow, 3600n, 365n * DAY);
      }
    });

    it("a duplicated verifier is refused by the factory (else the bond could never close)", async () => {
      const s = await loadFixture(auditFixture);
      const base = await defaultTerms(s);
      const v = s.verifier.address;
      const terms = await defaultTerms(s, { proceeds: { ...base.proceeds, verifiers: [v, v], threshold: 1 } });
      await expect(s.factory.connect(s.issuer).createBond(terms, "B", "B"))
        .to.be.revertedWithCustomError(s.factory, "DuplicateVerifier")
        .withArgs(v);
    });

    it("with valid terms a fully subscribed bond closes into the escrow at the first try", async () => {
      const s = await loadFixture(auditFixture);
      const base = await defaultTerms(s);
      const terms = await defaultTerms(s, { proceeds: { ...base.proceeds, disputeWindow: 3600n } });
      const bond = await createBond(s, terms);
      await subscribe(s, bond, s.investors[0], 1_000n * UNIT);
      await time.increaseTo(await bond.subscriptionEnd());
      await (await bond.closeSubscription()).wait();
      expect(await bond.status()).to.equal(BondStatus.Active);
    });

    it("a grace period that overflows the subscription end reverts with a named error, not a panic", async () => {
      const s = await loadFixture(auditFixture);
      const terms = await defaultTerms(s, { gracePeriod: 2n ** 64n - 1n });
      await expect(s.factory.connect(s.issuer).createBond(terms, "B", "B"))
        .to.be.revertedWithCustomError(s.factory, "GracePeriodTooLong")
        .withArgs(2n ** 64n - 1n);
    });
  });

  describe("default with escrow recoveries", () => {
    it("after a default every unit of the refunded proceeds reaches the holders and the bond stays solvent", async () => {
      const s = await loadFixture(auditFixture);
      const bond = await activeBond(s);
      const addr = await bond.getAddress();
      const dealId = await bond.escrowDealId();
      const proceeds = await bond.proceeds();
      const c1 = await payCoupon(s, bond, 1n);
      // coupon 2 is never funded; no milestone was attested: both are refundable long before the default
      await time.increaseTo((await bond.couponDueAt(2n)) + (await bond.gracePeriod()) + 1n);
      await (await bond.declareDefault()).wait();
      expect(await bond.status()).to.equal(BondStatus.Defaulted);
      await (await s.escrow.refundExpired(dealId, 0n)).wait();
      await (await s.escrow.refundExpired(dealId, 1n)).wait();
      await expect(bond.pullEscrowRefunds()).to.emit(bond, "EscrowRefundsPulled").withArgs(proceeds, proceeds, 0n);
      expect(await s.usd.balanceOf(addr)).to.be.gte(await bond.reserved());
      let paid = 0n;
      let claimed = 0n;
      for (const h of s.investors) {
        const before = await s.usd.balanceOf(h.address);
        await (await bond.connect(h).redeem()).wait();
        await (await bond.connect(h).claimCoupon()).wait();
        const got = (await s.usd.balanceOf(h.address)) - before;
        paid += got;
        expect(await s.usd.balanceOf(addr)).to.be.gte(await bond.reserved());
      }
      claimed = await bond.couponsClaimedTotal();
      expect(paid).to.equal(proceeds + claimed);
      expect(await bond.totalSupply()).to.equal(0n);
      expect(await bond.principalPot()).to.equal(0n);
      // what remains is the coupon dust (< 1 wei per settlement), never more
      expect(await s.usd.balanceOf(addr)).to.equal(c1 - claimed);
      expect(c1 - claimed).to.be.lte(10n);
    });

    it("A-4: a holder who redeemed after the default still gets its share of recoveries pulled later", async () => {
      const s = await loadFixture(auditFixture);
      const bond = await activeBond(s); // bob 1,000 / carol 2,000 / dave 1,000 bonds
      const [bob, carol, dave] = s.investors;
      const addr = await bond.getAddress();
      const dealId = await bond.escrowDealId();
      const issued = await bond.issuedUnits();
      // milestone 0 expires while the bond is active: its refund goes into the principal pot
      await time.increaseTo((await s.escrow.milestone(dealId, 0n)).deadline + 7n * DAY + 1n);
      await (await s.escrow.refundExpired(dealId, 0n)).wait();
      await (await bond.pullEscrowRefunds()).wait();
      await payCoupon(s, bond, 1n);
      const early = await bond.principalPot();
      expect(early).to.be.gt(0n);
      await time.increaseTo((await bond.couponDueAt(2n)) + (await bond.gracePeriod()) + 1n);
      await (await bond.declareDefault()).wait();

      // carol redeems at once: half of what the pot holds now
      const carolUnits = await bond.balanceOf(carol.address);
      const shareNow = (carolUnits * early) / issued;
      await expect(bond.connect(carol).redeem())
        .to.emit(bond, "BondRedeemed")
        .withArgs(carol.address, carolUnits, shareNow);
      expect(await s.usd.balanceOf(addr)).to.be.gte(await bond.reserved());

      // milestone 1 is refunded and pulled only afterwards
      await (await s.escrow.refundExpired(dealId, 1n)).wait();
      await (await bond.pullEscrowRefunds()).wait();
      const recovered = await bond.proceeds(); // both milestones refunded: every unit of the proceeds came back
      expect(await s.usd.balanceOf(addr)).to.be.gte(await bond.reserved());

      // carol still gets her share of the late recovery (she holds no unit any more)
      const carolTotal = (carolUnits * recovered) / issued;
      await expect(bond.connect(carol).redeem()).to.changeTokenBalance(s.usd, carol, carolTotal - shareNow);
      expect(await s.usd.balanceOf(addr)).to.be.gte(await bond.reserved());
      // nothing more for her until the next recovery
      await expect(bond.connect(carol).redeem())
        .to.be.revertedWithCustomError(bond, "NothingToRedeem")
        .withArgs(carol.address);

      let paid = carolTotal;
      for (const h of [bob, dave]) {
        const units = await bond.balanceOf(h.address);
        const share = (units * recovered) / issued;
        await expect(bond.connect(h).redeem()).to.changeTokenBalance(s.usd, h, share);
        paid += share;
        expect(await s.usd.balanceOf(addr)).to.be.gte(await bond.reserved());
      }
      expect(await bond.totalSupply()).to.equal(0n);
      // Σ paid == Σ recovered − dust, dust < 1 wei per redeeming holder, kept in the pot
      const dust = recovered - paid;
      expect(dust).to.be.gte(0n);
      expect(dust).to.be.lt(3n);
      expect(await bond.principalPot()).to.equal(dust);
    });
  });

  describe("second audit (issue 13)", () => {
    /** The address the factory's GreenBondDeployer gives the next bond (its next CREATE address). */
    async function nextBondAddress(s: Awaited<ReturnType<typeof auditFixture>>): Promise<string> {
      const from = await s.factory.deployer();
      const nonce = await ethers.provider.getTransactionCount(from);
      return ethers.getCreateAddress({ from, nonce });
    }

    it("A-14: the bond itself as use-of-proceeds arbiter is refused at creation (it would be the escrow funder)", async () => {
      const s = await loadFixture(auditFixture);
      const bondAddress = await nextBondAddress(s);
      const base = await defaultTerms(s);
      const terms = await defaultTerms(s, { proceeds: { ...base.proceeds, arbiter: bondAddress } });
      await expect(s.factory.connect(s.issuer).createBond(terms, "B", "B"))
        .to.be.revertedWithCustomError(s.factory, "ArbiterNotIndependent")
        .withArgs(bondAddress);
      expect(await s.factory.bondCount()).to.equal(0n);
    });

    it("A-14: the bond itself as a use-of-proceeds verifier is refused at creation, even with the registry role", async () => {
      const s = await loadFixture(auditFixture);
      const bondAddress = await nextBondAddress(s);
      await (await s.registry.connect(s.deployer).grantRole(ROLE.VERIFIER, bondAddress)).wait();
      const base = await defaultTerms(s);
      const terms = await defaultTerms(s, {
        proceeds: { ...base.proceeds, verifiers: [s.verifier.address, bondAddress], threshold: 1 },
      });
      await expect(s.factory.connect(s.issuer).createBond(terms, "B", "B"))
        .to.be.revertedWithCustomError(s.factory, "VerifierNotIndependent")
        .withArgs(bondAddress);
    });

    it("A-14: the grace period is capped at MAX_GRACE_PERIOD (90 days): 90 days is accepted, 90 days + 1 s and 5 years are not", async () => {
      const s = await loadFixture(auditFixture);
      const max = await s.factory.MAX_GRACE_PERIOD();
      expect(max).to.equal(90n * DAY);
      for (const gracePeriod of [max + 1n, 5n * 365n * DAY]) {
        const terms = await defaultTerms(s, { gracePeriod });
        await expect(s.factory.connect(s.issuer).createBond(terms, "B", "B"))
          .to.be.revertedWithCustomError(s.factory, "GracePeriodTooLong")
          .withArgs(gracePeriod);
      }
      const base = await defaultTerms(s);
      const end = BigInt(base.subscriptionEnd);
      const milestones = [
        { ...base.proceeds.milestones[0], deadline: end + max + DAY },
        { ...base.proceeds.milestones[1], deadline: end + max + 2n * DAY },
      ];
      const terms = await defaultTerms(s, { gracePeriod: max, proceeds: { ...base.proceeds, milestones } });
      const bond = await createBond(s, terms);
      expect(await bond.gracePeriod()).to.equal(max);
    });

    /**
     * The issuer deposited the principal early, skipped coupon 1, and both milestones were refunded by the escrow:
     * past coupon 1's due date + grace a default is declarable and the refunds belong to the holders.
     */
    async function defaultableWithRefunds(s: Awaited<ReturnType<typeof auditFixture>>) {
      const bond = await activeBond(s);
      const dealId = await bond.escrowDealId();
      const face = await payPrincipal(s, bond);
      await time.increaseTo((await bond.couponDueAt(1n)) + (await bond.gracePeriod()) + 1n);
      await (await s.escrow.refundExpired(dealId, 0n)).wait();
      await (await s.escrow.refundExpired(dealId, 1n)).wait();
      return { bond, face, proceeds: await bond.proceeds() };
    }

    it("A-15: pullEscrowRefunds while a default is declarable declares it first: the refunds go to the holders, not the issuer", async () => {
      const s = await loadFixture(auditFixture);
      const { bond, face, proceeds } = await defaultableWithRefunds(s);
      await expect(bond.connect(s.issuer).pullEscrowRefunds())
        .to.emit(bond, "Defaulted")
        .withArgs(1n)
        .and.to.emit(bond, "EscrowRefundsPulled")
        .withArgs(proceeds, proceeds, 0n);
      expect(await bond.status()).to.equal(BondStatus.Defaulted);
      expect(await bond.issuerSurplus()).to.equal(0n);
      // the same book as declareDefault followed by pullEscrowRefunds
      expect(await bond.principalRecovered()).to.equal(face + proceeds);
      await expect(bond.connect(s.issuer).withdrawIssuerSurplus())
        .to.be.revertedWithCustomError(bond, "NothingToClaim")
        .withArgs(s.issuer.address);
    });

    it("A-15: withdrawIssuerSurplus while a default is declarable declares it first (surplus booked before stays the issuer's)", async () => {
      const s = await loadFixture(auditFixture);
      const bond = await activeBond(s);
      const dealId = await bond.escrowDealId();
      const face = await payPrincipal(s, bond);
      // both milestones refunded and pulled long before coupon 1 is due: the principal is funded, so it is surplus
      await time.increaseTo((await s.escrow.milestone(dealId, 1n)).deadline + 7n * DAY + 1n);
      await (await s.escrow.refundExpired(dealId, 0n)).wait();
      await (await s.escrow.refundExpired(dealId, 1n)).wait();
      await (await bond.pullEscrowRefunds()).wait();
      const surplus = await bond.issuerSurplus();
      expect(surplus).to.equal(await bond.proceeds());
      await time.increaseTo((await bond.couponDueAt(1n)) + (await bond.gracePeriod()) + 1n);
      await expect(bond.connect(s.issuer).withdrawIssuerSurplus())
        .to.emit(bond, "Defaulted")
        .withArgs(1n)
        .and.to.emit(bond, "IssuerSurplusWithdrawn")
        .withArgs(s.issuer.address, surplus);
      expect(await bond.status()).to.equal(BondStatus.Defaulted);
      expect(await bond.principalRecovered()).to.equal(face);
    });

    it("A-15: before the default is declarable pullEscrowRefunds keeps its Active book (no default, surplus to the issuer)", async () => {
      const s = await loadFixture(auditFixture);
      const bond = await activeBond(s);
      const dealId = await bond.escrowDealId();
      await payPrincipal(s, bond);
      await time.increaseTo((await s.escrow.milestone(dealId, 0n)).deadline + 7n * DAY + 1n);
      await (await s.escrow.refundExpired(dealId, 0n)).wait();
      await expect(bond.pullEscrowRefunds()).to.not.emit(bond, "Defaulted");
      expect(await bond.status()).to.equal(BondStatus.Active);
      expect(await bond.issuerSurplus()).to.be.gt(0n);
    });

    it("A-19: reportKpi by a verifier whose registry VERIFIER_ROLE was revoked is refused (the step-up stays possible)", async () => {
      const s = await loadFixture(auditFixture);
      const bond = await activeBond(s);
      await (await s.registry.connect(s.deployer).revokeRole(ROLE.VERIFIER, s.verifier.address)).wait();
      await expect(bond.connect(s.verifier).reportKpi(true, ethers.id("report")))
        .to.be.revertedWithCustomError(bond, "VerifierRoleMissing")
        .withArgs(s.verifier.address);
      await (await s.registry.connect(s.deployer).grantRole(ROLE.VERIFIER, s.verifier.address)).wait();
      await expect(bond.connect(s.verifier).reportKpi(true, ethers.id("report")))
        .to.emit(bond, "KpiReported")
        .withArgs(true, ethers.id("report"));
    });
  });
});
