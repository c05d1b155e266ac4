import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  activeBond,
  BondStatus,
  bondSuite,
  createBond,
  defaultTerms,
  DAY,
  payCoupon,
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
  });
});
