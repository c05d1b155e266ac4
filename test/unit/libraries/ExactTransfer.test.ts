import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type {
  ExactTransferHarness,
  FeeOnTransferToken,
  NoReturnToken,
  SkewedTransferToken,
  TestStablecoin,
} from "../../../typechain-types";

describe("ExactTransfer", function () {
  async function fixture() {
    const [payer, payee] = await ethers.getSigners();
    const h = (await ethers.deployContract("ExactTransferHarness")) as unknown as ExactTransferHarness;
    const usd = (await ethers.deployContract("TestStablecoin")) as unknown as TestStablecoin;
    const fot = (await ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
    const noReturn = (await ethers.deployContract("NoReturnToken")) as unknown as NoReturnToken;
    const skewed = (await ethers.deployContract("SkewedTransferToken")) as unknown as SkewedTransferToken;
    for (const t of [usd, fot, noReturn, skewed]) {
      await t.mint(payer.address, 10n ** 24n);
      await t.connect(payer).approve(await h.getAddress(), 10n ** 24n);
    }
    return { h, usd, fot, noReturn, skewed, payer, payee };
  }

  it("moves exactly the amount from the payer to the payee", async function () {
    const { h, usd, payer, payee } = await loadFixture(fixture);
    await expect(h.pull(usd, payee.address, 1_234n)).to.changeTokenBalances(usd, [payer, payee], [-1_234n, 1_234n]);
  });

  it("works with a token whose transfer functions return nothing", async function () {
    const { h, noReturn, payee } = await loadFixture(fixture);
    await h.pull(noReturn, payee.address, 500n);
    expect(await noReturn.balanceOf(payee.address)).to.equal(500n);
  });

  it("refuses a fee-on-transfer token with TokenTransferShortfall(expected, received)", async function () {
    const { h, fot, payee } = await loadFixture(fixture);
    await expect(h.pull(fot, payee.address, 10_000n))
      .to.be.revertedWithCustomError(h, "TokenTransferShortfall")
      .withArgs(10_000n, 9_900n);
    expect(await fot.balanceOf(payee.address)).to.equal(0n);
  });

  it("refuses a token that delivers more than the amount, naming what arrived", async function () {
    const { h, skewed, payee } = await loadFixture(fixture);
    await skewed.setSkew(1n);
    await expect(h.pull(skewed, payee.address, 10_000n))
      .to.be.revertedWithCustomError(h, "TokenTransferShortfall")
      .withArgs(10_000n, 10_001n);
    expect(await skewed.balanceOf(payee.address)).to.equal(0n);
  });

  it("refuses a token after whose transfer the recipient's balance fell, with received 0", async function () {
    const { h, skewed, payee } = await loadFixture(fixture);
    await skewed.mint(payee.address, 50_000n);
    await skewed.setSkew(-20_000n);
    await expect(h.pull(skewed, payee.address, 10_000n))
      .to.be.revertedWithCustomError(h, "TokenTransferShortfall")
      .withArgs(10_000n, 0n);
    expect(await skewed.balanceOf(payee.address)).to.equal(50_000n);
  });

  it("fails with the token's own error when the allowance is missing (nothing moves)", async function () {
    const { h, usd, payee } = await loadFixture(fixture);
    await expect(h.connect(payee).pull(usd, payee.address, 1n)).to.be.revertedWithCustomError(
      usd,
      "ERC20InsufficientAllowance",
    );
  });
});
