import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ReentrantActor, ReentrantToken, GreenBond } from "../../typechain-types";
import { ROLE } from "../helpers/suite";
import { activeBond, bondSuite, createBond, defaultTerms, KE, UNIT, type BondSuite } from "../helpers/bonds";

/** This file's own fixture: loadFixture keys snapshots by function, and another file's snapshot of a shared
 * function is invalidated as soon as that file's fixtures revert to the deployment snapshot. */
async function securityFixture() {
  return bondSuite();
}

const PRICE = 100_000_000n;

/** A bond paid in a token whose transfers out of the bond call back into the bond through a holder contract. */
async function reentrantFixture() {
  const s = await loadFixture(securityFixture);
  const token = (await ethers.deployContract("ReentrantToken")) as unknown as ReentrantToken;
  // the holder: a contract the test drives and the token calls back through (its delegate)
  const proxy = (await ethers.deployContract("ReentrantActor", [s.deployer.address])) as unknown as ReentrantActor;
  await (await proxy.setDelegate(await token.getAddress())).wait();
  await s.compliance.setInvestor(await proxy.getAddress(), true, KE, 0);
  const bond = await createBond(s, await defaultTerms(s, { paymentToken: await token.getAddress() }));
  const addr = await bond.getAddress();
  await token.mint(await proxy.getAddress(), 10n ** 15n);
  await proxy.exec(await token.getAddress(), token.interface.encodeFunctionData("approve", [addr, ethers.MaxUint256]));
  await token.mint(s.issuer.address, 10n ** 15n);
  await token.connect(s.issuer).approve(addr, ethers.MaxUint256);
  return { ...s, token, proxy, bond };
}

type R = Awaited<ReturnType<typeof reentrantFixture>>;

function call(bond: GreenBond, fn: "claimCoupon" | "redeem" | "refund" | "closeSubscription") {
  return bond.interface.getFunction(fn).selector; // no arguments: the selector is the calldata
}

async function proxySubscribe(r: R, units: bigint) {
  await r.proxy.exec(await r.bond.getAddress(), r.bond.interface.encodeFunctionData("subscribe", [units]));
}

/** Arms the token: the next transfer out of the bond makes the proxy call `fn` on the bond again. */
async function arm(r: R, fn: "claimCoupon" | "redeem" | "refund") {
  const bondAddr = await r.bond.getAddress();
  const payload = r.proxy.interface.encodeFunctionData("exec", [bondAddr, call(r.bond, fn)]);
  await (await r.token.arm(bondAddr, await r.proxy.getAddress(), payload, true, false)).wait();
}

/** The armed re-entry fired (the `attempts`-th so far) and every one was stopped by the bond's guard. */
async function expectReentryBlocked(r: R, attempts = 1n) {
  expect(await r.token.armed()).to.equal(false); // the hook fired
  expect(await r.token.attempts()).to.equal(attempts);
  expect(await r.token.successes()).to.equal(0n);
  const selector = r.bond.interface.getError("ReentrancyGuardReentrantCall")!.selector;
  expect((await r.token.lastRevert()).slice(0, 10)).to.equal(selector);
}

describe("GreenBond security", () => {
  describe("re-entrant payment token", () => {
    it("claimCoupon cannot be re-entered: the holder is paid exactly once", async () => {
      const r = await reentrantFixture();
      await proxySubscribe(r, 2_000n * UNIT);
      await time.increaseTo(await r.bond.subscriptionEnd());
      await r.bond.closeSubscription();
      await time.increaseTo(await r.bond.couponDueAt(1));
      await r.bond.connect(r.issuer).depositCoupon(1);
      const coupon = await r.bond.couponsFundedTotal();
      const proxyAddr = await r.proxy.getAddress();
      const before = await r.token.balanceOf(proxyAddr);
      await arm(r, "claimCoupon");
      await r.proxy.exec(await r.bond.getAddress(), call(r.bond, "claimCoupon"));
      await expectReentryBlocked(r);
      expect((await r.token.balanceOf(proxyAddr)) - before).to.equal(coupon);
      expect(await r.bond.claimable(proxyAddr)).to.equal(0n);
    });

    it("redeem cannot be re-entered (neither redeem nor claimCoupon from inside)", async () => {
      const r = await reentrantFixture();
      await proxySubscribe(r, 2_000n * UNIT);
      await time.increaseTo(await r.bond.subscriptionEnd());
      await r.bond.closeSubscription();
      for (let k = 1n; k <= 4n; k++) {
        await time.increaseTo(await r.bond.couponDueAt(k));
        await r.bond.connect(r.issuer).depositCoupon(k);
      }
      await r.bond.connect(r.issuer).depositPrincipal();
      const proxyAddr = await r.proxy.getAddress();
      const before = await r.token.balanceOf(proxyAddr);
      await arm(r, "redeem");
      await r.proxy.exec(await r.bond.getAddress(), call(r.bond, "redeem"));
      await expectReentryBlocked(r);
      expect((await r.token.balanceOf(proxyAddr)) - before).to.equal(2_000n * PRICE);
      expect(await r.bond.principalPot()).to.equal(0n);
      await arm(r, "claimCoupon");
      await r.proxy.exec(await r.bond.getAddress(), call(r.bond, "claimCoupon"));
      await expectReentryBlocked(r, 2n);
      expect(await r.token.balanceOf(await r.bond.getAddress())).to.equal(0n);
    });

    it("refund cannot be re-entered", async () => {
      const r = await reentrantFixture();
      await proxySubscribe(r, 500n * UNIT);
      await time.increaseTo(await r.bond.subscriptionEnd());
      await r.bond.closeSubscription(); // below soft cap
      const proxyAddr = await r.proxy.getAddress();
      const before = await r.token.balanceOf(proxyAddr);
      await arm(r, "refund");
      await r.proxy.exec(await r.bond.getAddress(), call(r.bond, "refund"));
      await expectReentryBlocked(r);
      expect((await r.token.balanceOf(proxyAddr)) - before).to.equal(500n * PRICE);
      expect(await r.bond.refundPot()).to.equal(0n);
    });

    it("closing into the escrow cannot be re-entered by a callback during funding", async () => {
      const r = await reentrantFixture();
      await proxySubscribe(r, 2_000n * UNIT);
      await time.increaseTo(await r.bond.subscriptionEnd());
      await arm(r, "refund");
      await r.bond.closeSubscription();
      await expectReentryBlocked(r);
      expect(await r.bond.status()).to.equal(2n);
    });
  });

  describe("agent powers cannot be abused by others", () => {
    async function active() {
      const s = await loadFixture(securityFixture);
      const bond = await activeBond(s);
      return { ...s, bond };
    }

    it("nobody but an agent can force a transfer or freeze: issuer, verifier, compliance officer, holder", async () => {
      const s = await active();
      const { bond, issuer, verifier, bob, carol, outsider, compliance } = s;
      await compliance.grantRole(ROLE.COMPLIANCE, outsider.address);
      for (const who of [issuer, verifier, bob, outsider]) {
        await expect(bond.connect(who).forcedTransfer(carol.address, bob.address, UNIT))
          .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ROLE.AGENT);
        await expect(bond.connect(who).freeze(carol.address, true))
          .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ROLE.AGENT);
      }
      // granting AGENT_ROLE is the bond admin's alone
      await expect(bond.connect(issuer).grantRole(ROLE.AGENT, issuer.address))
        .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
        .withArgs(issuer.address, ROLE.DEFAULT_ADMIN);
      expect(await bond.balanceOf(carol.address)).to.equal(2_000n * UNIT);
    });

    it("even an agent cannot move units to an unverified address, mint, or move more than a balance", async () => {
      const s = await active();
      const { bond, bob, carol, outsider } = s;
      await expect(bond.forcedTransfer(carol.address, outsider.address, UNIT))
        .to.be.revertedWithCustomError(bond, "NotVerified")
        .withArgs(outsider.address);
      await expect(bond.forcedTransfer(ethers.ZeroAddress, bob.address, UNIT))
        .to.be.revertedWithCustomError(bond, "ERC20InvalidSender")
        .withArgs(ethers.ZeroAddress);
      await expect(bond.forcedTransfer(carol.address, bob.address, 2_001n * UNIT)).to.be.revertedWithCustomError(
        bond,
        "ERC20InsufficientBalance",
      );
      await expect(bond.forcedTransfer(carol.address, await bond.getAddress(), UNIT))
        .to.be.revertedWithCustomError(bond, "NotVerified")
        .withArgs(await bond.getAddress());
    });

    it("a forced transfer does not move coupons already accrued (no theft of past coupons)", async () => {
      const s = await active();
      const { bond, issuer, usd, carol, bob } = s;
      await time.increaseTo(await bond.couponDueAt(1));
      const c = await bond.couponAmount(500);
      await usd.mint(issuer.address, c);
      await usd.connect(issuer).approve(await bond.getAddress(), c);
      await bond.connect(issuer).depositCoupon(1);
      await bond.forcedTransfer(carol.address, bob.address, 2_000n * UNIT);
      expect(await bond.claimable(carol.address)).to.equal(c / 2n);
      expect(await bond.claimable(bob.address)).to.equal(c / 4n);
    });

    it("tokens sent straight to the bond do not disturb its accounting", async () => {
      const s = await active();
      const { bond, usd, outsider } = s;
      await usd.mint(outsider.address, 1_000n);
      await usd.connect(outsider).transfer(await bond.getAddress(), 1_000n);
      expect(await usd.balanceOf(await bond.getAddress())).to.be.gte(await bond.reserved());
      expect(await bond.claimable(outsider.address)).to.equal(0n);
    });
  });
});
