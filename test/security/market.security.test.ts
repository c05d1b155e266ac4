import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { PRICE, feeOf, fund, listAs, marketSuite, priceOf } from "../helpers/market";
import { issueParams } from "../helpers/suite";
import type { ReentrantActor } from "../../typechain-types";

const MAX = ethers.MaxUint256;

describe("CreditMarketplace security", () => {
  /** One fixture per file: listings 1 (tUSD), 2 (reentrant token), 3 (fee-on-transfer), 4 (no-return token). */
  async function fixture() {
    const s = await marketSuite();
    const marketAddr = await s.market.getAddress();
    const usdListing = await listAs(s, s.alice);
    const reentrantListing = await listAs(s, s.alice, { token: await s.reentrant.getAddress() });
    const fotListing = await listAs(s, s.alice, { token: await s.fot.getAddress() });
    const noReturnListing = await listAs(s, s.alice, { token: await s.noReturn.getAddress() });
    await fund(s, s.bob, 1_000_000_000n);
    for (const t of [s.reentrant, s.fot, s.noReturn]) {
      await t.mint(s.bob.address, 1_000_000_000n);
      await t.connect(s.bob).approve(marketAddr, MAX);
    }
    const attacker = (await ethers.deployContract("ReentrantActor", [s.deployer.address])) as unknown as ReentrantActor;
    await s.usd.mint(await attacker.getAddress(), 1_000_000_000n);
    await (await attacker.exec(s.usd.target, s.usd.interface.encodeFunctionData("approve", [marketAddr, MAX]))).wait();
    return { ...s, marketAddr, usdListing, reentrantListing, fotListing, noReturnListing, attacker };
  }

  type S = Awaited<ReturnType<typeof fixture>>;
  /** Arms the re-entrant payment token: every payment bob makes with it first calls the marketplace with `data`. */
  const armToken = async (s: S, data: string, bubble: boolean) =>
    (await s.reentrant.arm(s.bob.address, s.marketAddr, data, false, bubble)).wait();
  /** Arms the hostile buyer: the credits it receives from CarbonCredit make it call the marketplace with `data`. */
  async function armBuyer(s: S, data: string, bubble: boolean) {
    await (await s.attacker.arm([{ target: s.marketAddr, data }])).wait();
    await (await s.attacker.configure(s.credit.target, bubble)).wait();
  }

  describe("re-entrant payment token", () => {
    it("cannot re-enter buy from transferFrom: the whole purchase reverts", async () => {
      const s = await loadFixture(fixture);
      const data = s.market.interface.encodeFunctionData("buy", [s.reentrantListing, 1_000n, MAX]);
      await armToken(s, data, true);
      await expect(s.market.connect(s.bob).buy(s.reentrantListing, 1_000n, MAX)).to.be.revertedWithCustomError(
        s.market,
        "ReentrancyGuardReentrantCall",
      );
      expect((await s.market.listing(s.reentrantListing)).remainingKg).to.equal(10_000n);
    });

    it("gains nothing when it swallows the failed re-entry: exactly one fill happens", async () => {
      const s = await loadFixture(fixture);
      const guard = s.market.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      const calls = [
        s.market.interface.encodeFunctionData("buy", [s.reentrantListing, 1_000n, MAX]),
        s.market.interface.encodeFunctionData("buyAndRetire", [
          s.reentrantListing,
          1_000n,
          MAX,
          ethers.ZeroAddress,
          "",
          "",
        ]),
        s.market.interface.encodeFunctionData("cancel", [s.reentrantListing]),
        s.market.interface.encodeFunctionData("updatePrice", [s.reentrantListing, 1n]),
        s.market.interface.encodeFunctionData("list", [s.batchId, 1n, await s.usd.getAddress(), 1n]),
      ];
      let expectedAttempts = 0n;
      for (const data of calls) {
        await armToken(s, data, false);
        const total = priceOf(1_000n, PRICE);
        await expect(s.market.connect(s.bob).buy(s.reentrantListing, 1_000n, total)).to.changeTokenBalances(
          s.reentrant,
          [s.bob, s.alice, s.treasury],
          [-total, total - feeOf(total), feeOf(total)],
        );
        expectedAttempts += 2n; // seller payment + fee payment
        expect(await s.reentrant.attempts()).to.equal(expectedAttempts);
        expect(await s.reentrant.successes()).to.equal(0n);
        expect(await s.reentrant.lastRevert()).to.equal(guard);
      }
      expect((await s.market.listing(s.reentrantListing)).remainingKg).to.equal(10_000n - 5n * 1_000n);
      expect((await s.market.listing(s.reentrantListing)).pricePerTonne).to.equal(PRICE);
      expect(await s.credit.balanceOf(s.bob.address, s.batchId)).to.equal(5_000n);
      expect(await s.credit.balanceOf(s.marketAddr, s.batchId)).to.equal(4n * 10_000n - 5_000n);
    });
  });

  describe("malicious ERC-1155 receiver", () => {
    it("cannot re-enter buy from onERC1155Received: the purchase reverts", async () => {
      const s = await loadFixture(fixture);
      await armBuyer(s, s.market.interface.encodeFunctionData("buy", [s.usdListing, 1_000n, MAX]), true);
      const buy = s.market.interface.encodeFunctionData("buy", [s.usdListing, 1_000n, MAX]);
      await expect(s.attacker.exec(s.marketAddr, buy)).to.be.revertedWithCustomError(
        s.market,
        "ReentrancyGuardReentrantCall",
      );
      expect((await s.market.listing(s.usdListing)).remainingKg).to.equal(10_000n);
    });

    it("gets exactly what it paid for when it swallows the failed re-entry", async () => {
      const s = await loadFixture(fixture);
      const attackerAddr = await s.attacker.getAddress();
      const guard = s.market.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      for (const data of [
        s.market.interface.encodeFunctionData("buy", [s.usdListing, 9_000n, MAX]),
        s.market.interface.encodeFunctionData("buyAndRetire", [s.usdListing, 9_000n, MAX, ethers.ZeroAddress, "", ""]),
        s.market.interface.encodeFunctionData("cancel", [s.usdListing]),
      ]) {
        await armBuyer(s, data, false);
        const total = priceOf(1_000n, PRICE);
        await expect(
          s.attacker.exec(s.marketAddr, s.market.interface.encodeFunctionData("buy", [s.usdListing, 1_000n, total])),
        ).to.changeTokenBalances(s.usd, [attackerAddr, s.alice.address], [-total, total - feeOf(total)]);
        expect(await s.attacker.lastRevert()).to.equal(guard);
      }
      expect(await s.attacker.attempts()).to.equal(3n);
      expect(await s.attacker.successes()).to.equal(0n);
      expect(await s.credit.balanceOf(attackerAddr, s.batchId)).to.equal(3_000n);
      expect((await s.market.listing(s.usdListing)).remainingKg).to.equal(7_000n);
    });
  });

  describe("payment tokens", () => {
    it("refuses a fee-on-transfer token with TokenTransferShortfall(expected, received)", async () => {
      const s = await loadFixture(fixture);
      const total = priceOf(1_000n, PRICE);
      const sellerPart = total - feeOf(total);
      await expect(s.market.connect(s.bob).buy(s.fotListing, 1_000n, MAX))
        .to.be.revertedWithCustomError(s.market, "TokenTransferShortfall")
        .withArgs(sellerPart, sellerPart - (sellerPart * 100n) / 10_000n);
      await expect(
        s.market.connect(s.bob).buyAndRetire(s.fotListing, 1_000n, MAX, ethers.ZeroAddress, "", ""),
      ).to.be.revertedWithCustomError(s.market, "TokenTransferShortfall");
    });

    it("works with a token whose transfer functions return nothing", async () => {
      const s = await loadFixture(fixture);
      const total = priceOf(2_500n, PRICE);
      await expect(s.market.connect(s.bob).buy(s.noReturnListing, 2_500n, total)).to.changeTokenBalances(
        s.noReturn,
        [s.bob, s.alice, s.treasury],
        [-total, total - feeOf(total), feeOf(total)],
      );
      expect(await s.credit.balanceOf(s.bob.address, s.batchId)).to.equal(2_500n);
    });

    it("surfaces the failure of a no-return token instead of treating it as paid", async () => {
      const s = await loadFixture(fixture);
      const total = priceOf(1_000n, PRICE);
      await expect(s.market.connect(s.carol).buy(s.noReturnListing, 1_000n, MAX))
        .to.be.revertedWithCustomError(s.noReturn, "InsufficientAllowance")
        .withArgs(s.marketAddr, 0n, total - feeOf(total));
    });
  });

  describe("unsolicited credits", () => {
    it("refuses a plain push of credits by a holder", async () => {
      const s = await loadFixture(fixture);
      const creditAddr = await s.credit.getAddress();
      await expect(s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.marketAddr, s.batchId, 1_000n, "0x"))
        .to.be.revertedWithCustomError(s.market, "UnsolicitedTransfer")
        .withArgs(creditAddr, s.alice.address, s.alice.address);
      await expect(
        s.credit.connect(s.alice).safeBatchTransferFrom(s.alice.address, s.marketAddr, [s.batchId], [1_000n], "0x"),
      )
        .to.be.revertedWithCustomError(s.market, "UnsolicitedTransfer")
        .withArgs(creditAddr, s.alice.address, s.alice.address);
    });

    it("refuses credits issued straight to the marketplace", async () => {
      const s = await loadFixture(fixture);
      await expect(
        s.credit
          .connect(s.verifier)
          .issue(issueParams(s.projectId, s.marketAddr, { serialStart: 500n, serialEnd: 501n })),
      )
        .to.be.revertedWithCustomError(s.market, "UnsolicitedTransfer")
        .withArgs(await s.credit.getAddress(), s.verifier.address, ethers.ZeroAddress);
    });

    it("refuses a forged receiver callback from any other contract or account", async () => {
      const s = await loadFixture(fixture);
      await expect(s.market.connect(s.outsider).onERC1155Received(s.marketAddr, s.outsider.address, 1n, 1n, "0x"))
        .to.be.revertedWithCustomError(s.market, "UnsolicitedTransfer")
        .withArgs(s.outsider.address, s.marketAddr, s.outsider.address);
    });
  });

  describe("overflow inputs", () => {
    it("reverts with PriceOverflow, never a panic, when amount × price exceeds 256 bits", async () => {
      const s = await loadFixture(fixture);
      const usd = await s.usd.getAddress();
      for (const [kg, price] of [
        [2n, MAX],
        [MAX, MAX],
        [2n ** 128n, 2n ** 128n],
        [MAX, 2n],
      ]) {
        await expect(s.market.priceOf(kg, price))
          .to.be.revertedWithCustomError(s.market, "PriceOverflow")
          .withArgs(kg, price);
        await expect(s.market.connect(s.alice).list(s.batchId, kg, usd, price))
          .to.be.revertedWithCustomError(s.market, "PriceOverflow")
          .withArgs(kg, price);
      }
      expect(await s.market.priceOf(MAX, 1n)).to.equal(MAX / 1000n + 1n);
      expect(await s.market.priceOf(2n ** 128n - 1n, 2n ** 128n - 1n)).to.equal(
        priceOf(2n ** 128n - 1n, 2n ** 128n - 1n),
      );
    });

    it("charges the maximum price with the maximum fee without overflowing the fee", async () => {
      const s = await loadFixture(fixture);
      await s.market.connect(s.deployer).setFee(1000, s.treasury.address);
      const listingId = await listAs(s, s.alice, { token: await s.dai.getAddress(), kg: 1n, price: MAX });
      const total = MAX / 1000n + 1n; // ceil(MAX / 1000)
      const fee = total / 10n; // floor(total * 1000 / 10,000), computed without overflow
      expect(await s.market.quote(listingId, 1n)).to.deep.equal([total, fee]);
      await s.dai.mint(s.bob.address, total);
      await s.dai.connect(s.bob).approve(s.marketAddr, total);
      await expect(s.market.connect(s.bob).buy(listingId, 1n, MAX)).to.changeTokenBalances(
        s.dai,
        [s.bob, s.alice, s.treasury],
        [-total, total - fee, fee],
      );
    });
  });
});
