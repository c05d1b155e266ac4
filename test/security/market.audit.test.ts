import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { listAs, fund, marketSuite, priceOf, PRICE } from "../helpers/market";

/** Audit regressions for the market area (issue 13). */
async function auditFixture() {
  return marketSuite();
}

describe("CreditMarketplace audit regressions", () => {
  describe("A-18: the marketplace is never its own treasury", () => {
    it("setFee(…, marketplace) is refused", async () => {
      const s = await loadFixture(auditFixture);
      const self = await s.market.getAddress();
      await expect(s.market.connect(s.deployer).setFee(100, self))
        .to.be.revertedWithCustomError(s.market, "InvalidTreasury")
        .withArgs(self);
      expect(await s.market.treasury()).to.not.equal(self);
    });

    it("a constructor given the marketplace's own address as treasury reverts", async () => {
      const s = await loadFixture(auditFixture);
      const nonce = await ethers.provider.getTransactionCount(s.deployer.address);
      const self = ethers.getCreateAddress({ from: s.deployer.address, nonce });
      const F = await ethers.getContractFactory("CreditMarketplace", s.deployer);
      await expect(F.deploy(s.deployer.address, await s.credit.getAddress(), self, 100))
        .to.be.revertedWithCustomError(s.market, "InvalidTreasury")
        .withArgs(self);
    });
  });

  describe("A-20: buyAndRetire never mints the soulbound certificate to the marketplace", () => {
    it("beneficiary == marketplace is refused with InvalidBeneficiary and nothing moves", async () => {
      const s = await loadFixture(auditFixture);
      const id = await listAs(s, s.alice);
      const total = priceOf(1_000n, PRICE);
      await fund(s, s.bob, total);
      const self = await s.market.getAddress();
      await expect(s.market.connect(s.bob).buyAndRetire(id, 1_000n, total, self, "Market", "offset"))
        .to.be.revertedWithCustomError(s.market, "InvalidBeneficiary")
        .withArgs(self);
      expect((await s.market.listing(id)).remainingKg).to.equal(10_000n);
      expect(await s.certificate.balanceOf(self)).to.equal(0n);
    });
  });
});
