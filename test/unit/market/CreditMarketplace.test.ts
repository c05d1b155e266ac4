import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { FEE_BPS, PRICE, feeOf, fund, listAs, marketSuite, priceOf, signPermit } from "../../helpers/market";
import { ProjectStatus, ROLE, deployed } from "../../helpers/suite";
import type { CreditMarketplace } from "../../../typechain-types";

const MAX = ethers.MaxUint256;

describe("CreditMarketplace", () => {
  /**
   * One fixture for the whole file (hardhat-deploy's own fixture snapshot would invalidate a second one):
   * alice has listed 10 t of her 100 t batch at 12.50 tUSD/t as listing 1; bob has 1,000 tUSD approved;
   * carol has 1,000 tUSD and no allowance.
   */
  async function withListing() {
    const s = await marketSuite();
    const listingId = await listAs(s, s.alice);
    await fund(s, s.bob, 1_000_000_000n);
    await s.usd.mint(s.carol.address, 1_000_000_000n);
    return { ...s, listingId, marketAddr: await s.market.getAddress() };
  }

  describe("deployment", () => {
    it("is wired to the credit contract, its registry, the treasury and a 1 % fee", async () => {
      const s = await loadFixture(withListing);
      expect(await s.market.credit()).to.equal(await s.credit.getAddress());
      expect(await s.market.registry()).to.equal(await s.registry.getAddress());
      expect(await s.market.treasury()).to.equal(s.treasury.address);
      expect(await s.market.feeBps()).to.equal(FEE_BPS);
      expect(await s.market.MAX_FEE_BPS()).to.equal(1000n);
      expect(await s.market.listingCount()).to.equal(1n);
    });

    it("allows the test stablecoin and gives the deployer admin and pauser roles", async () => {
      const s = await loadFixture(withListing);
      expect(await s.market.paymentTokenAllowed(await s.usd.getAddress())).to.equal(true);
      expect(await s.market.hasRole(ROLE.DEFAULT_ADMIN, s.deployer.address)).to.equal(true);
      expect(await s.market.hasRole(ROLE.PAUSER, s.deployer.address)).to.equal(true);
      expect(await s.market.hasRole(ROLE.PAUSER, s.alice.address)).to.equal(false);
    });

    it("announces ERC-1155 receiver, AccessControl and ERC-165 support", async () => {
      const s = await loadFixture(withListing);
      expect(await s.market.supportsInterface("0x4e2312e0")).to.equal(true); // IERC1155Receiver
      expect(await s.market.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await s.market.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await s.market.supportsInterface("0xd9b67a26")).to.equal(false); // IERC1155
    });

    it("rejects a fee above the cap or a zero treasury at construction", async () => {
      const s = await loadFixture(withListing);
      const F = await ethers.getContractFactory("CreditMarketplace");
      const credit = await s.credit.getAddress();
      await expect(F.deploy(s.deployer.address, credit, s.treasury.address, 1001))
        .to.be.revertedWithCustomError(s.market, "FeeTooHigh")
        .withArgs(1001, 1000);
      await expect(F.deploy(s.deployer.address, credit, ethers.ZeroAddress, 100))
        .to.be.revertedWithCustomError(s.market, "InvalidTreasury")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("list", () => {
    it("escrows the credits in the marketplace and emits Listed", async () => {
      const s = await loadFixture(withListing);
      const usd = await s.usd.getAddress();
      const marketAddr = await s.market.getAddress();
      await expect(s.market.connect(s.alice).list(s.batchId, 10_000n, usd, PRICE))
        .to.emit(s.market, "Listed")
        .withArgs(2n, s.alice.address, s.batchId, 10_000n, usd, PRICE)
        .and.to.emit(s.credit, "TransferSingle")
        .withArgs(marketAddr, s.alice.address, marketAddr, s.batchId, 10_000n);
      expect(await s.credit.balanceOf(s.alice.address, s.batchId)).to.equal(80_000n);
      expect(await s.credit.balanceOf(marketAddr, s.batchId)).to.equal(20_000n);
      const l = await s.market.listing(2n);
      expect([l.seller, l.remainingKg, l.paymentToken, l.batchId, l.pricePerTonne]).to.deep.equal([
        s.alice.address,
        10_000n,
        usd,
        s.batchId,
        PRICE,
      ]);
      expect(await s.market.listingCount()).to.equal(2n);
    });

    it("numbers listings consecutively across sellers", async () => {
      const s = await loadFixture(withListing);
      expect(await listAs(s, s.alice)).to.equal(2n);
      expect(await listAs(s, s.bob, { batchId: s.otherBatchId, kg: 1n })).to.equal(3n);
      expect(await listAs(s, s.alice, { kg: 1_234n })).to.equal(4n);
      expect(await s.market.listingCount()).to.equal(4n);
    });

    it("rejects a zero amount, a zero price and a product that overflows", async () => {
      const s = await loadFixture(withListing);
      const usd = await s.usd.getAddress();
      await expect(s.market.connect(s.alice).list(s.batchId, 0n, usd, PRICE)).to.be.revertedWithCustomError(
        s.market,
        "ZeroAmount",
      );
      await expect(s.market.connect(s.alice).list(s.batchId, 1_000n, usd, 0n)).to.be.revertedWithCustomError(
        s.market,
        "ZeroPrice",
      );
      await expect(s.market.connect(s.alice).list(s.batchId, 2n, usd, MAX))
        .to.be.revertedWithCustomError(s.market, "PriceOverflow")
        .withArgs(2n, MAX);
    });

    it("rejects amounts and batch ids a listing cannot store", async () => {
      const s = await loadFixture(withListing);
      const usd = await s.usd.getAddress();
      const max96 = 2n ** 96n - 1n;
      await expect(s.market.connect(s.alice).list(s.batchId, max96 + 1n, usd, 1n))
        .to.be.revertedWithCustomError(s.market, "AmountTooLarge")
        .withArgs(max96 + 1n, max96);
      await expect(s.market.connect(s.alice).list(max96 + 1n, 1_000n, usd, 1n))
        .to.be.revertedWithCustomError(s.market, "InvalidBatchId")
        .withArgs(max96 + 1n);
    });

    it("rejects a payment token that is not allow-listed", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.connect(s.alice).list(s.batchId, 1_000n, s.outsider.address, PRICE))
        .to.be.revertedWithCustomError(s.market, "PaymentTokenNotAllowed")
        .withArgs(s.outsider.address);
    });

    it("needs the seller's approval and balance (CarbonCredit errors bubble up)", async () => {
      const s = await loadFixture(withListing);
      const usd = await s.usd.getAddress();
      const marketAddr = await s.market.getAddress();
      await s.credit.connect(s.alice).setApprovalForAll(marketAddr, false);
      await expect(s.market.connect(s.alice).list(s.batchId, 1_000n, usd, PRICE))
        .to.be.revertedWithCustomError(s.credit, "ERC1155MissingApprovalForAll")
        .withArgs(marketAddr, s.alice.address);
      await expect(s.market.connect(s.bob).list(s.batchId, 1_000n, usd, PRICE))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.bob.address, 0n, 1_000n, s.batchId);
    });
  });

  describe("quote and priceOf", () => {
    it("quote returns the rounded-up price and the rounded-down fee", async () => {
      const s = await loadFixture(withListing);
      // 1 kg at 12.5 tUSD/t = 0.0125 tUSD = 12,500 units; fee 125
      expect(await s.market.quote(s.listingId, 1n)).to.deep.equal([12_500n, 125n]);
      expect(await s.market.quote(s.listingId, 10_000n)).to.deep.equal([125_000_000n, 1_250_000n]);
    });

    it("priceOf rounds up in the seller's favour", async () => {
      const s = await loadFixture(withListing);
      expect(await s.market.priceOf(1n, 1_000n)).to.equal(1n);
      expect(await s.market.priceOf(1n, 1_001n)).to.equal(2n);
      expect(await s.market.priceOf(1n, 1n)).to.equal(1n);
      expect(await s.market.priceOf(999n, 1n)).to.equal(1n);
      expect(await s.market.priceOf(1_001n, 1n)).to.equal(2n);
      expect(await s.market.priceOf(1n, MAX)).to.equal(priceOf(1n, MAX));
      await expect(s.market.priceOf(0n, 1n)).to.be.revertedWithCustomError(s.market, "ZeroAmount");
      await expect(s.market.priceOf(1n, 0n)).to.be.revertedWithCustomError(s.market, "ZeroPrice");
    });

    it("quote rejects unknown listings, closed listings, zero and excessive amounts", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.quote(99n, 1n)).to.be.revertedWithCustomError(s.market, "ListingNotFound").withArgs(99n);
      await expect(s.market.quote(s.listingId, 0n)).to.be.revertedWithCustomError(s.market, "ZeroAmount");
      await expect(s.market.quote(s.listingId, 10_001n))
        .to.be.revertedWithCustomError(s.market, "AmountExceedsListing")
        .withArgs(s.listingId, 10_001n, 10_000n);
      await s.market.connect(s.alice).cancel(s.listingId);
      await expect(s.market.quote(s.listingId, 1n))
        .to.be.revertedWithCustomError(s.market, "ListingClosed")
        .withArgs(s.listingId);
    });

    it("listing() rejects an unknown id", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.listing(0n)).to.be.revertedWithCustomError(s.market, "ListingNotFound").withArgs(0n);
    });
  });

  describe("buy", () => {
    it("pays the seller minus the fee and the treasury the fee, and delivers the credits", async () => {
      const s = await loadFixture(withListing);
      const total = priceOf(2_500n, PRICE);
      const fee = feeOf(total);
      const marketAddr = await s.market.getAddress();
      const tx = s.market.connect(s.bob).buy(s.listingId, 2_500n, total);
      await expect(tx).to.changeTokenBalances(s.usd, [s.bob, s.alice, s.treasury], [-total, total - fee, fee]);
      await expect(tx).to.emit(s.market, "Purchased").withArgs(s.listingId, s.bob.address, 2_500n, total, fee, false);
      await expect(tx)
        .to.emit(s.credit, "TransferSingle")
        .withArgs(marketAddr, marketAddr, s.bob.address, s.batchId, 2_500n);
      expect(await s.credit.balanceOf(s.bob.address, s.batchId)).to.equal(2_500n);
      expect(await s.credit.balanceOf(marketAddr, s.batchId)).to.equal(7_500n);
      expect((await s.market.listing(s.listingId)).remainingKg).to.equal(7_500n);
      expect(await s.usd.balanceOf(marketAddr)).to.equal(0n);
    });

    it("fills partially until the listing reaches zero, then refuses further buys", async () => {
      const s = await loadFixture(withListing);
      await s.market.connect(s.bob).buy(s.listingId, 1n, MAX);
      await s.market.connect(s.bob).buy(s.listingId, 4_999n, MAX);
      await s.market.connect(s.bob).buy(s.listingId, 5_000n, MAX);
      expect((await s.market.listing(s.listingId)).remainingKg).to.equal(0n);
      expect(await s.credit.balanceOf(s.bob.address, s.batchId)).to.equal(10_000n);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1n, MAX))
        .to.be.revertedWithCustomError(s.market, "ListingClosed")
        .withArgs(s.listingId);
      await expect(s.market.connect(s.alice).cancel(s.listingId))
        .to.be.revertedWithCustomError(s.market, "ListingClosed")
        .withArgs(s.listingId);
    });

    it("rounds the price of a fraction of a unit up and the fee down", async () => {
      const s = await loadFixture(withListing);
      const listingId = await listAs(s, s.alice, { price: 19_901n }); // 19.901 units per kg
      const total = priceOf(10n, 19_901n); // 199.01 → 200
      expect(total).to.equal(200n);
      const fee = feeOf(total); // 2.00 → 2 (floor)
      await expect(s.market.connect(s.bob).buy(listingId, 10n, total)).to.changeTokenBalances(
        s.usd,
        [s.bob, s.alice, s.treasury],
        [-total, total - fee, fee],
      );
      expect([total, fee]).to.deep.equal([200n, 2n]);
      // 1 kg: 19.901 → 20; fee 0.2 → 0 (no treasury transfer)
      await expect(s.market.connect(s.bob).buy(listingId, 1n, 20n))
        .to.emit(s.market, "Purchased")
        .withArgs(listingId, s.bob.address, 1n, 20n, 0n, false);
    });

    it("rejects a zero amount, an amount above the listing, an unknown listing and the seller itself", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.connect(s.bob).buy(s.listingId, 0n, MAX)).to.be.revertedWithCustomError(
        s.market,
        "ZeroAmount",
      );
      await expect(s.market.connect(s.bob).buy(s.listingId, 10_001n, MAX))
        .to.be.revertedWithCustomError(s.market, "AmountExceedsListing")
        .withArgs(s.listingId, 10_001n, 10_000n);
      await expect(s.market.connect(s.bob).buy(7n, 1n, MAX))
        .to.be.revertedWithCustomError(s.market, "ListingNotFound")
        .withArgs(7n);
      await expect(s.market.connect(s.alice).buy(s.listingId, 1n, MAX))
        .to.be.revertedWithCustomError(s.market, "SellerCannotBuy")
        .withArgs(s.listingId);
    });

    it("refuses a price above maxTotalPrice", async () => {
      const s = await loadFixture(withListing);
      const total = priceOf(1_000n, PRICE);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1_000n, total - 1n))
        .to.be.revertedWithCustomError(s.market, "PriceExceedsMax")
        .withArgs(total, total - 1n);
    });

    it("catches a seller front-running the buyer with a price rise", async () => {
      const s = await loadFixture(withListing);
      const [quoted] = await s.market.quote(s.listingId, 2_000n);
      await s.market.connect(s.alice).updatePrice(s.listingId, PRICE * 2n); // lands first
      await expect(s.market.connect(s.bob).buy(s.listingId, 2_000n, quoted))
        .to.be.revertedWithCustomError(s.market, "PriceExceedsMax")
        .withArgs(quoted * 2n, quoted);
    });

    it("needs the buyer's allowance and balance (token errors bubble up)", async () => {
      const s = await loadFixture(withListing);
      const total = priceOf(1_000n, PRICE);
      const marketAddr = await s.market.getAddress();
      await expect(s.market.connect(s.carol).buy(s.listingId, 1_000n, MAX))
        .to.be.revertedWithCustomError(s.usd, "ERC20InsufficientAllowance")
        .withArgs(marketAddr, 0n, total - feeOf(total));
    });

    it("refuses purchases in a payment token that was disallowed after listing", async () => {
      const s = await loadFixture(withListing);
      const usd = await s.usd.getAddress();
      await s.market.connect(s.deployer).setPaymentToken(usd, false);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1n, MAX))
        .to.be.revertedWithCustomError(s.market, "PaymentTokenNotAllowed")
        .withArgs(usd);
      await expect(s.market.connect(s.alice).cancel(s.listingId)).to.emit(s.market, "ListingCancelled");
    });

    it("sends no fee when the fee is zero", async () => {
      const s = await loadFixture(withListing);
      await s.market.connect(s.deployer).setFee(0, s.treasury.address);
      const total = priceOf(1_000n, PRICE);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1_000n, total)).to.changeTokenBalances(
        s.usd,
        [s.bob, s.alice, s.treasury],
        [-total, total, 0n],
      );
    });

    it("lets the treasury buy without paying its own fee to itself", async () => {
      const s = await loadFixture(withListing);
      await fund(s, s.treasury, 1_000_000_000n);
      const total = priceOf(1_000n, PRICE);
      const fee = feeOf(total);
      await expect(s.market.connect(s.treasury).buy(s.listingId, 1_000n, total)).to.changeTokenBalances(
        s.usd,
        [s.treasury, s.alice],
        [-(total - fee), total - fee],
      );
    });

    it("pays a seller that is also the treasury both parts", async () => {
      const s = await loadFixture(withListing);
      await s.market.connect(s.deployer).setFee(250, s.alice.address);
      const total = priceOf(1_000n, PRICE);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1_000n, total)).to.changeTokenBalances(
        s.usd,
        [s.bob, s.alice],
        [-total, total],
      );
    });

    it("prices listings in an 18-decimal token exactly", async () => {
      const s = await loadFixture(withListing);
      const dai = await s.dai.getAddress();
      const price = 25n * 10n ** 18n + 1n; // 25.000000000000000001 per tonne
      const listingId = await listAs(s, s.alice, { token: dai, price });
      await s.dai.mint(s.bob.address, 10n ** 24n);
      await s.dai.connect(s.bob).approve(await s.market.getAddress(), MAX);
      const total = priceOf(1_500n, price);
      expect(total).to.equal(37_500_000_000_000_000_002n); // 37.5 + 1.5e-18 rounded up
      await expect(s.market.connect(s.bob).buy(listingId, 1_500n, total)).to.changeTokenBalances(
        s.dai,
        [s.bob, s.alice, s.treasury],
        [-total, total - feeOf(total), feeOf(total)],
      );
    });

    it("still sells credits of a suspended project (transfers are allowed)", async () => {
      const s = await loadFixture(withListing);
      await s.registry.connect(s.verifier).setProjectStatus(s.projectId, ProjectStatus.Suspended);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1_000n, MAX)).to.emit(s.market, "Purchased");
      expect(await s.credit.balanceOf(s.bob.address, s.batchId)).to.equal(1_000n);
    });
  });

  describe("buyAndRetire", () => {
    it("buys, retires in the marketplace's name for the beneficiary and returns the certificate", async () => {
      const s = await loadFixture(withListing);
      const total = priceOf(1_500n, PRICE);
      const fee = feeOf(total);
      const marketAddr = s.marketAddr;
      const certId = await s.market
        .connect(s.bob)
        .buyAndRetire.staticCall(s.listingId, 1_500n, total, s.carol.address, "Carol Ltd", "2025 offsets");
      const tx = s.market
        .connect(s.bob)
        .buyAndRetire(s.listingId, 1_500n, total, s.carol.address, "Carol Ltd", "2025 offsets");
      await expect(tx).to.changeTokenBalances(s.usd, [s.bob, s.alice, s.treasury], [-total, total - fee, fee]);
      await expect(tx).to.emit(s.market, "Purchased").withArgs(s.listingId, s.bob.address, 1_500n, total, fee, true);
      await expect(tx)
        .to.emit(s.credit, "Retired")
        .withArgs(certId, s.batchId, marketAddr, s.carol.address, 1_500n, "Carol Ltd", "2025 offsets");
      expect(await s.certificate.ownerOf(certId)).to.equal(s.carol.address);
      expect(await s.credit.balanceOf(marketAddr, s.batchId)).to.equal(8_500n);
      expect(await s.credit.balanceOf(s.bob.address, s.batchId)).to.equal(0n);
      expect((await s.credit.batch(s.batchId)).retiredKg).to.equal(1_500n);
    });

    it("gives the certificate to the buyer when the beneficiary is zero", async () => {
      const s = await loadFixture(withListing);
      const certId = await s.market
        .connect(s.bob)
        .buyAndRetire.staticCall(s.listingId, 1_000n, MAX, ethers.ZeroAddress, "Bob", "");
      await expect(s.market.connect(s.bob).buyAndRetire(s.listingId, 1_000n, MAX, ethers.ZeroAddress, "Bob", ""))
        .to.emit(s.credit, "Retired")
        .withArgs(certId, s.batchId, await s.market.getAddress(), s.bob.address, 1_000n, "Bob", "");
      expect(await s.certificate.ownerOf(certId)).to.equal(s.bob.address);
    });

    it("refuses credits of a suspended project with ProjectNotRetirable, taking no money", async () => {
      const s = await loadFixture(withListing);
      await s.registry.connect(s.verifier).setProjectStatus(s.projectId, ProjectStatus.Suspended);
      const before = await s.usd.balanceOf(s.bob.address);
      await expect(s.market.connect(s.bob).buyAndRetire(s.listingId, 1_000n, MAX, ethers.ZeroAddress, "Bob", "x"))
        .to.be.revertedWithCustomError(s.market, "ProjectNotRetirable")
        .withArgs(s.listingId, s.projectId, ProjectStatus.Suspended);
      expect(await s.usd.balanceOf(s.bob.address)).to.equal(before);
    });

    it("applies the same checks as buy (slippage, amount, seller)", async () => {
      const s = await loadFixture(withListing);
      const total = priceOf(1_000n, PRICE);
      await expect(s.market.connect(s.bob).buyAndRetire(s.listingId, 1_000n, total - 1n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.market, "PriceExceedsMax")
        .withArgs(total, total - 1n);
      await expect(
        s.market.connect(s.bob).buyAndRetire(s.listingId, 0n, MAX, ethers.ZeroAddress, "", ""),
      ).to.be.revertedWithCustomError(s.market, "ZeroAmount");
      await expect(s.market.connect(s.alice).buyAndRetire(s.listingId, 1n, MAX, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.market, "SellerCannotBuy")
        .withArgs(s.listingId);
    });

    it("bubbles CarbonCredit's text-length errors", async () => {
      const s = await loadFixture(withListing);
      await expect(
        s.market.connect(s.bob).buyAndRetire(s.listingId, 1_000n, MAX, ethers.ZeroAddress, "x".repeat(257), ""),
      )
        .to.be.revertedWithCustomError(s.credit, "BeneficiaryNameTooLong")
        .withArgs(257n, 256n);
    });
  });

  describe("updatePrice", () => {
    it("lets the seller change the price of an open listing and emits PriceUpdated", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.connect(s.alice).updatePrice(s.listingId, 9_000_000n))
        .to.emit(s.market, "PriceUpdated")
        .withArgs(s.listingId, PRICE, 9_000_000n);
      expect((await s.market.listing(s.listingId)).pricePerTonne).to.equal(9_000_000n);
      expect((await s.market.quote(s.listingId, 1_000n))[0]).to.equal(9_000_000n);
    });

    it("refuses anyone but the seller, zero prices, overflow and closed or unknown listings", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.connect(s.bob).updatePrice(s.listingId, 1n))
        .to.be.revertedWithCustomError(s.market, "NotSeller")
        .withArgs(s.listingId, s.bob.address);
      await expect(s.market.connect(s.alice).updatePrice(s.listingId, 0n)).to.be.revertedWithCustomError(
        s.market,
        "ZeroPrice",
      );
      await expect(s.market.connect(s.alice).updatePrice(s.listingId, MAX / 10_000n + 1n))
        .to.be.revertedWithCustomError(s.market, "PriceOverflow")
        .withArgs(10_000n, MAX / 10_000n + 1n);
      await expect(s.market.connect(s.alice).updatePrice(42n, 1n))
        .to.be.revertedWithCustomError(s.market, "ListingNotFound")
        .withArgs(42n);
      await s.market.connect(s.alice).cancel(s.listingId);
      await expect(s.market.connect(s.alice).updatePrice(s.listingId, 1n))
        .to.be.revertedWithCustomError(s.market, "ListingClosed")
        .withArgs(s.listingId);
    });

    it("checks overflow against the remaining amount only", async () => {
      const s = await loadFixture(withListing);
      await s.market.connect(s.bob).buy(s.listingId, 9_999n, MAX);
      await expect(s.market.connect(s.alice).updatePrice(s.listingId, MAX))
        .to.emit(s.market, "PriceUpdated")
        .withArgs(s.listingId, PRICE, MAX);
    });
  });

  describe("cancel", () => {
    it("returns the remaining credits to the seller after partial fills", async () => {
      const s = await loadFixture(withListing);
      const marketAddr = await s.market.getAddress();
      await s.market.connect(s.bob).buy(s.listingId, 3_000n, MAX);
      await expect(s.market.connect(s.alice).cancel(s.listingId))
        .to.emit(s.market, "ListingCancelled")
        .withArgs(s.listingId)
        .and.to.emit(s.credit, "TransferSingle")
        .withArgs(marketAddr, marketAddr, s.alice.address, s.batchId, 7_000n);
      expect(await s.credit.balanceOf(s.alice.address, s.batchId)).to.equal(97_000n);
      expect(await s.credit.balanceOf(marketAddr, s.batchId)).to.equal(0n);
      expect((await s.market.listing(s.listingId)).remainingKg).to.equal(0n);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1n, MAX))
        .to.be.revertedWithCustomError(s.market, "ListingClosed")
        .withArgs(s.listingId);
    });

    it("refuses anyone but the seller, unknown and already-cancelled listings", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.connect(s.bob).cancel(s.listingId))
        .to.be.revertedWithCustomError(s.market, "NotSeller")
        .withArgs(s.listingId, s.bob.address);
      await expect(s.market.connect(s.bob).cancel(5n))
        .to.be.revertedWithCustomError(s.market, "ListingNotFound")
        .withArgs(5n);
      await s.market.connect(s.alice).cancel(s.listingId);
      await expect(s.market.connect(s.alice).cancel(s.listingId))
        .to.be.revertedWithCustomError(s.market, "ListingClosed")
        .withArgs(s.listingId);
    });
  });

  describe("permit purchases", () => {
    async function permitFixture() {
      const s = await loadFixture(withListing);
      return { ...s, deadline: BigInt(await time.latest()) + 3600n };
    }

    it("buyWithPermit buys without a prior approve", async () => {
      const s = await permitFixture();
      const total = priceOf(2_000n, PRICE);
      const sig = await signPermit(s.usd, s.carol, s.marketAddr, total, s.deadline);
      const tx = s.market.connect(s.carol).buyWithPermit(s.listingId, 2_000n, total, s.deadline, sig.v, sig.r, sig.s);
      await expect(tx).to.changeTokenBalances(
        s.usd,
        [s.carol, s.alice, s.treasury],
        [-total, total - feeOf(total), feeOf(total)],
      );
      await expect(tx)
        .to.emit(s.market, "Purchased")
        .withArgs(s.listingId, s.carol.address, 2_000n, total, feeOf(total), false);
      expect(await s.credit.balanceOf(s.carol.address, s.batchId)).to.equal(2_000n);
      expect(await s.usd.nonces(s.carol.address)).to.equal(1n);
    });

    it("rejects a replayed permit once its allowance is spent", async () => {
      const s = await permitFixture();
      const total = priceOf(2_000n, PRICE);
      const sig = await signPermit(s.usd, s.carol, s.marketAddr, total, s.deadline);
      await s.market.connect(s.carol).buyWithPermit(s.listingId, 2_000n, total, s.deadline, sig.v, sig.r, sig.s);
      await expect(s.market.connect(s.carol).buyWithPermit(s.listingId, 2_000n, total, s.deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(s.market, "PermitFailed")
        .withArgs(await s.usd.getAddress(), s.carol.address, 0n, total);
    });

    it("still buys when someone front-ran the permit (the allowance is in place)", async () => {
      const s = await permitFixture();
      const total = priceOf(2_000n, PRICE);
      const sig = await signPermit(s.usd, s.carol, s.marketAddr, total, s.deadline);
      await s.usd.connect(s.outsider).permit(s.carol.address, s.marketAddr, total, s.deadline, sig.v, sig.r, sig.s);
      await expect(
        s.market.connect(s.carol).buyWithPermit(s.listingId, 2_000n, total, s.deadline, sig.v, sig.r, sig.s),
      ).to.emit(s.market, "Purchased");
    });

    it("rejects an expired or foreign permit when there is no allowance", async () => {
      const s = await permitFixture();
      const total = priceOf(1_000n, PRICE);
      const past = BigInt(await time.latest()) - 1n;
      const expired = await signPermit(s.usd, s.carol, s.marketAddr, total, past);
      const usd = await s.usd.getAddress();
      await expect(
        s.market.connect(s.carol).buyWithPermit(s.listingId, 1_000n, total, past, expired.v, expired.r, expired.s),
      )
        .to.be.revertedWithCustomError(s.market, "PermitFailed")
        .withArgs(usd, s.carol.address, 0n, total);
      const bobs = await signPermit(s.usd, s.bob, s.marketAddr, total, s.deadline); // signed by someone else
      await expect(
        s.market.connect(s.carol).buyWithPermit(s.listingId, 1_000n, total, s.deadline, bobs.v, bobs.r, bobs.s),
      )
        .to.be.revertedWithCustomError(s.market, "PermitFailed")
        .withArgs(usd, s.carol.address, 0n, total);
      await expect(s.market.connect(s.carol).buyWithPermit(9n, 1_000n, total, s.deadline, bobs.v, bobs.r, bobs.s))
        .to.be.revertedWithCustomError(s.market, "ListingNotFound")
        .withArgs(9n);
    });

    it("buyAndRetireWithPermit buys and retires in one signature-approved transaction", async () => {
      const s = await permitFixture();
      const total = priceOf(1_000n, PRICE);
      const sig = await signPermit(s.usd, s.carol, s.marketAddr, total, s.deadline);
      const permit = { deadline: s.deadline, v: sig.v, r: sig.r, s: sig.s };
      const certId = await s.market
        .connect(s.carol)
        .buyAndRetireWithPermit.staticCall(s.listingId, 1_000n, total, ethers.ZeroAddress, "Carol", "Net zero", permit);
      const tx = s.market
        .connect(s.carol)
        .buyAndRetireWithPermit(s.listingId, 1_000n, total, ethers.ZeroAddress, "Carol", "Net zero", permit);
      await expect(tx).to.changeTokenBalances(s.usd, [s.carol, s.alice], [-total, total - feeOf(total)]);
      await expect(tx)
        .to.emit(s.market, "Purchased")
        .withArgs(s.listingId, s.carol.address, 1_000n, total, feeOf(total), true);
      expect(await s.certificate.ownerOf(certId)).to.equal(s.carol.address);
      await expect(
        s.market
          .connect(s.carol)
          .buyAndRetireWithPermit(s.listingId, 1_000n, total, ethers.ZeroAddress, "Carol", "Net zero", permit),
      )
        .to.be.revertedWithCustomError(s.market, "PermitFailed")
        .withArgs(await s.usd.getAddress(), s.carol.address, 0n, total);
    });
  });

  describe("admin", () => {
    it("setPaymentToken allows and disallows tokens, admin only, contracts only", async () => {
      const s = await loadFixture(withListing);
      const token = await (await ethers.deployContract("MockToken18")).getAddress();
      await expect(s.market.connect(s.deployer).setPaymentToken(token, true))
        .to.emit(s.market, "PaymentTokenAllowed")
        .withArgs(token, true);
      expect(await s.market.paymentTokenAllowed(token)).to.equal(true);
      await expect(s.market.connect(s.deployer).setPaymentToken(token, false))
        .to.emit(s.market, "PaymentTokenAllowed")
        .withArgs(token, false);
      expect(await s.market.paymentTokenAllowed(token)).to.equal(false);
      await expect(s.market.connect(s.deployer).setPaymentToken(s.outsider.address, true))
        .to.be.revertedWithCustomError(s.market, "InvalidPaymentToken")
        .withArgs(s.outsider.address);
      await expect(s.market.connect(s.outsider).setPaymentToken(token, true))
        .to.be.revertedWithCustomError(s.market, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
    });

    it("setFee changes fee and treasury for later purchases, capped, admin only", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.connect(s.deployer).setFee(1000, s.dave.address))
        .to.emit(s.market, "FeeUpdated")
        .withArgs(1000, s.dave.address);
      expect(await s.market.feeBps()).to.equal(1000n);
      expect(await s.market.treasury()).to.equal(s.dave.address);
      const total = priceOf(1_000n, PRICE);
      await expect(s.market.connect(s.bob).buy(s.listingId, 1_000n, total)).to.changeTokenBalances(
        s.usd,
        [s.alice, s.dave, s.treasury],
        [total - total / 10n, total / 10n, 0n],
      );
      await expect(s.market.connect(s.deployer).setFee(1001, s.dave.address))
        .to.be.revertedWithCustomError(s.market, "FeeTooHigh")
        .withArgs(1001, 1000);
      await expect(s.market.connect(s.deployer).setFee(10, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(s.market, "InvalidTreasury")
        .withArgs(ethers.ZeroAddress);
      await expect(s.market.connect(s.outsider).setFee(10, s.dave.address))
        .to.be.revertedWithCustomError(s.market, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
    });

    it("pause needs PAUSER_ROLE and unpause DEFAULT_ADMIN_ROLE", async () => {
      const s = await loadFixture(withListing);
      await expect(s.market.connect(s.outsider).pause())
        .to.be.revertedWithCustomError(s.market, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.PAUSER);
      await expect(s.market.connect(s.deployer).pause()).to.emit(s.market, "Paused").withArgs(s.deployer.address);
      await expect(s.market.connect(s.outsider).unpause())
        .to.be.revertedWithCustomError(s.market, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
      await expect(s.market.connect(s.deployer).unpause()).to.emit(s.market, "Unpaused").withArgs(s.deployer.address);
    });

    it("pausing stops list, buy, buyAndRetire, permit buys and updatePrice, but not cancel", async () => {
      const s = await loadFixture(withListing);
      await s.market.connect(s.deployer).pause();
      const usd = await s.usd.getAddress();
      const permit = { deadline: 0n, v: 27, r: ethers.ZeroHash, s: ethers.ZeroHash };
      const m = s.market as CreditMarketplace;
      const calls = [
        () => m.connect(s.alice).list(s.batchId, 1_000n, usd, PRICE),
        () => m.connect(s.bob).buy(s.listingId, 1n, MAX),
        () => m.connect(s.bob).buyWithPermit(s.listingId, 1n, MAX, 0n, 27, ethers.ZeroHash, ethers.ZeroHash),
        () => m.connect(s.bob).buyAndRetire(s.listingId, 1n, MAX, ethers.ZeroAddress, "", ""),
        () => m.connect(s.bob).buyAndRetireWithPermit(s.listingId, 1n, MAX, ethers.ZeroAddress, "", "", permit),
        () => m.connect(s.alice).updatePrice(s.listingId, 1n),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(s.market, "EnforcedPause");
      }
      await expect(s.market.connect(s.alice).cancel(s.listingId)).to.emit(s.market, "ListingCancelled");
      expect(await s.credit.balanceOf(s.alice.address, s.batchId)).to.equal(100_000n);
      expect(await s.market.paused()).to.equal(true);
    });
  });

  describe("deploy script", () => {
    it("is idempotent: a second run sends no transaction and keeps the deployment", async () => {
      const s = await loadFixture(withListing);
      const before = await deployed<CreditMarketplace>("CreditMarketplace");
      const blockBefore = await ethers.provider.getBlockNumber();
      const hre = await import("hardhat");
      await hre.deployments.run(["market"], {
        resetMemory: false,
        deletePreviousDeployments: false,
        writeDeploymentsToFiles: false,
      });
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
      expect(await (await deployed<CreditMarketplace>("CreditMarketplace")).getAddress()).to.equal(
        await before.getAddress(),
      );
      // the script does run: a missing allow-list entry is restored, and only that is sent
      const usd = await s.usd.getAddress();
      await s.market.connect(s.deployer).setPaymentToken(usd, false);
      const blockMid = await ethers.provider.getBlockNumber();
      await hre.deployments.run(["market"], {
        resetMemory: false,
        deletePreviousDeployments: false,
        writeDeploymentsToFiles: false,
      });
      expect(await s.market.paymentTokenAllowed(usd)).to.equal(true);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockMid + 1);
    });
  });
});
