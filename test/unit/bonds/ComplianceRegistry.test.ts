import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ComplianceRegistry } from "../../../typechain-types";
import { coreSuite, deployed, ROLE } from "../../helpers/suite";
import { DE, KE, KP } from "../../helpers/bonds";

async function fixture() {
  const s = await coreSuite(["compliance", "credits", "test-tokens"]);
  const compliance = await deployed<ComplianceRegistry>("ComplianceRegistry");
  return { ...s, compliance };
}

describe("ComplianceRegistry", () => {
  describe("deployment", () => {
    it("gives the deployer the admin and (on local networks) the compliance role", async () => {
      const { compliance, deployer } = await loadFixture(fixture);
      expect(await compliance.hasRole(ROLE.DEFAULT_ADMIN, deployer.address)).to.equal(true);
      expect(await compliance.hasRole(ROLE.COMPLIANCE, deployer.address)).to.equal(true);
      expect(await compliance.COMPLIANCE_ROLE()).to.equal(ROLE.COMPLIANCE);
      expect(await compliance.MAX_BATCH()).to.equal(200n);
    });
  });

  describe("setInvestor", () => {
    it("stores the record and emits InvestorUpdated", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      const exp = BigInt(await time.latest()) + 1000n;
      await expect(compliance.setInvestor(alice.address, true, KE, exp))
        .to.emit(compliance, "InvestorUpdated")
        .withArgs(alice.address, true, KE, exp);
      const r = await compliance.investor(alice.address);
      expect([r.verified, r.country, r.expiresAt]).to.deep.equal([true, KE, exp]);
      expect(await compliance.isVerified(alice.address)).to.equal(true);
      expect(await compliance.isEligible(alice.address)).to.equal(true);
    });

    it("treats expiresAt = 0 as a verification that never expires", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      await compliance.setInvestor(alice.address, true, KE, 0);
      await time.increase(10n * 365n * 86400n);
      expect(await compliance.isVerified(alice.address)).to.equal(true);
    });

    it("reports an expired verification as not verified", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      const exp = BigInt(await time.latest()) + 100n;
      await compliance.setInvestor(alice.address, true, KE, exp);
      await time.increaseTo(exp);
      expect(await compliance.isVerified(alice.address)).to.equal(false);
      expect(await compliance.isEligible(alice.address)).to.equal(false);
    });

    it("revokes a verification (verified = false, country may be empty)", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      await compliance.setInvestor(alice.address, true, KE, 0);
      await expect(compliance.setInvestor(alice.address, false, "0x0000", 0))
        .to.emit(compliance, "InvestorUpdated")
        .withArgs(alice.address, false, "0x0000", 0);
      expect(await compliance.isVerified(alice.address)).to.equal(false);
    });

    it("refuses the zero account", async () => {
      const { compliance } = await loadFixture(fixture);
      await expect(compliance.setInvestor(ethers.ZeroAddress, true, KE, 0))
        .to.be.revertedWithCustomError(compliance, "ZeroAddress")
        .withArgs("account");
    });

    it("refuses a country that is not two uppercase letters", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      for (const bad of ["0x6b65", "0x0000", "0x4b20", "0x5b45"]) {
        await expect(compliance.setInvestor(alice.address, true, bad, 0))
          .to.be.revertedWithCustomError(compliance, "InvalidCountry")
          .withArgs(bad);
      }
      await expect(compliance.setInvestor(alice.address, false, "0x6b65", 0))
        .to.be.revertedWithCustomError(compliance, "InvalidCountry")
        .withArgs("0x6b65");
    });

    it("refuses a verified record that has already expired", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      const now = BigInt(await time.latest());
      await time.setNextBlockTimestamp(now + 1n); // pin the block time: a slow machine may otherwise skip seconds
      await expect(compliance.setInvestor(alice.address, true, KE, now))
        .to.be.revertedWithCustomError(compliance, "ExpiryInPast")
        .withArgs(now, now + 1n);
      // an unverified record may carry any expiry
      await compliance.setInvestor(alice.address, false, KE, 1);
    });

    it("is restricted to COMPLIANCE_ROLE", async () => {
      const { compliance, outsider, alice } = await loadFixture(fixture);
      await expect(compliance.connect(outsider).setInvestor(alice.address, true, KE, 0))
        .to.be.revertedWithCustomError(compliance, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.COMPLIANCE);
    });
  });

  describe("setInvestors", () => {
    it("writes the same record for every account and emits one event each", async () => {
      const { compliance, alice, bob, carol } = await loadFixture(fixture);
      const tx = compliance.setInvestors([alice.address, bob.address, carol.address], true, DE, 0);
      for (const a of [alice, bob, carol]) {
        await expect(tx).to.emit(compliance, "InvestorUpdated").withArgs(a.address, true, DE, 0);
      }
      for (const a of [alice, bob, carol]) expect(await compliance.isVerified(a.address)).to.equal(true);
    });

    it("accepts exactly 200 accounts and refuses 201 or none", async () => {
      const { compliance } = await loadFixture(fixture);
      const accounts = Array.from({ length: 201 }, (_, i) => ethers.getAddress(ethers.toBeHex(i + 1, 20)));
      await compliance.setInvestors(accounts.slice(0, 200), true, KE, 0);
      expect(await compliance.isVerified(accounts[199])).to.equal(true);
      await expect(compliance.setInvestors(accounts, true, KE, 0))
        .to.be.revertedWithCustomError(compliance, "InvalidBatchSize")
        .withArgs(201, 200);
      await expect(compliance.setInvestors([], true, KE, 0))
        .to.be.revertedWithCustomError(compliance, "InvalidBatchSize")
        .withArgs(0, 200);
    });

    it("validates the record and every account", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      await expect(compliance.setInvestors([alice.address], true, "0x0000", 0))
        .to.be.revertedWithCustomError(compliance, "InvalidCountry")
        .withArgs("0x0000");
      await expect(compliance.setInvestors([alice.address, ethers.ZeroAddress], true, KE, 0))
        .to.be.revertedWithCustomError(compliance, "ZeroAddress")
        .withArgs("account");
      await expect(compliance.setInvestors([alice.address], true, KE, 1)).to.be.revertedWithCustomError(
        compliance,
        "ExpiryInPast",
      );
    });

    it("is restricted to COMPLIANCE_ROLE", async () => {
      const { compliance, outsider, alice } = await loadFixture(fixture);
      await expect(compliance.connect(outsider).setInvestors([alice.address], true, KE, 0))
        .to.be.revertedWithCustomError(compliance, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.COMPLIANCE);
    });
  });

  describe("blockCountry", () => {
    it("blocks and unblocks a country with CountryBlocked events; eligibility follows", async () => {
      const { compliance, alice } = await loadFixture(fixture);
      await compliance.setInvestor(alice.address, true, KP, 0);
      expect(await compliance.isEligible(alice.address)).to.equal(true);
      await expect(compliance.blockCountry(KP, true)).to.emit(compliance, "CountryBlocked").withArgs(KP, true);
      expect(await compliance.isCountryBlocked(KP)).to.equal(true);
      expect(await compliance.isVerified(alice.address)).to.equal(true);
      expect(await compliance.isEligible(alice.address)).to.equal(false);
      await expect(compliance.blockCountry(KP, false)).to.emit(compliance, "CountryBlocked").withArgs(KP, false);
      expect(await compliance.isCountryBlocked(KP)).to.equal(false);
      expect(await compliance.isEligible(alice.address)).to.equal(true);
    });

    it("refuses an invalid country code", async () => {
      const { compliance } = await loadFixture(fixture);
      await expect(compliance.blockCountry("0x0000", true))
        .to.be.revertedWithCustomError(compliance, "InvalidCountry")
        .withArgs("0x0000");
    });

    it("is restricted to COMPLIANCE_ROLE", async () => {
      const { compliance, outsider } = await loadFixture(fixture);
      await expect(compliance.connect(outsider).blockCountry(KP, true))
        .to.be.revertedWithCustomError(compliance, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.COMPLIANCE);
    });
  });

  describe("views", () => {
    it("returns an all-zero record and false for unknown accounts", async () => {
      const { compliance, outsider } = await loadFixture(fixture);
      const r = await compliance.investor(outsider.address);
      expect([r.verified, r.country, r.expiresAt]).to.deep.equal([false, "0x0000", 0n]);
      expect(await compliance.isVerified(outsider.address)).to.equal(false);
      expect(await compliance.isEligible(outsider.address)).to.equal(false);
    });
  });
});
