import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { CouponAccumulatorHarness } from "../../../typechain-types";

const SCALE = 10n ** 36n;

describe("CouponAccumulator", function () {
  async function fixture() {
    const [, a, b, c] = await ethers.getSigners();
    const h = (await ethers.deployContract("CouponAccumulatorHarness")) as unknown as CouponAccumulatorHarness;
    return { h, a: a.address, b: b.address, c: c.address };
  }

  it("adds floor(amount × 1e36 / supply) per distribution and accrues floor(balance × Δ / 1e36)", async function () {
    const { h } = await loadFixture(fixture);
    expect(await h.increment(10n, 3n)).to.equal((10n * SCALE) / 3n);
    expect(await h.accrued(1n, 0n, (10n * SCALE) / 3n)).to.equal(3n);
    expect(await h.accrued(2n, 5n, 5n)).to.equal(0n);
  });

  it("reverts a distribution over an empty supply (nobody to pay)", async function () {
    const { h } = await loadFixture(fixture);
    await expect(h.distribute(1n)).to.be.revertedWithPanic(0x12);
  });

  it("pays each holder its pro-rata share of the distributions made while it held units", async function () {
    const { h, a, b } = await loadFixture(fixture);
    await h.setBalance(a, 300n);
    await h.setBalance(b, 100n);
    await h.distribute(4_000n);
    expect(await h.pending(a)).to.equal(3_000n);
    expect(await h.pending(b)).to.equal(1_000n);
    // a sells everything to b: a keeps what it earned, b earns on the new balance only from now on
    await h.setBalance(a, 0n);
    await h.setBalance(b, 400n);
    await h.distribute(800n);
    expect(await h.pending(a)).to.equal(3_000n);
    expect(await h.pending(b)).to.equal(1_800n);
    await h.claim(a);
    expect(await h.taken()).to.equal(3_000n);
    expect(await h.pending(a)).to.equal(0n);
    expect(await h.accountOf(a)).to.deep.equal([0n, await h.acc()]);
  });

  it("rounds down, so what holders can take never exceeds what was distributed", async function () {
    const { h, a, b, c } = await loadFixture(fixture);
    await h.setBalance(a, 1n);
    await h.setBalance(b, 1n);
    await h.setBalance(c, 1n);
    for (let i = 0; i < 5; i++) {
      await h.distribute(7n);
      await h.setBalance(i % 2 === 0 ? a : b, BigInt(i + 1));
    }
    let owed = 0n;
    for (const x of [a, b, c]) owed += await h.pending(x);
    expect(owed).to.be.at.most(await h.distributed());
    expect(owed).to.be.greaterThan((await h.distributed()) - 15n);
  });

  it("settleFrom books the same as settle, and a settlement with nothing new changes nothing", async function () {
    const { h, a, b } = await loadFixture(fixture);
    await h.setBalance(a, 5n);
    await h.setBalance(b, 5n);
    await h.distribute(1_001n);
    await h.settleFrom(a);
    await h.setBalance(b, 5n); // settle through the other path
    const [owedA, snapA] = await h.accountOf(a);
    expect(await h.accountOf(b)).to.deep.equal([owedA, snapA]);
    expect(owedA).to.equal(500n);
    await h.settleFrom(a);
    expect(await h.accountOf(a)).to.deep.equal([owedA, snapA]);
  });

  it("a holder with no units only moves its snapshot", async function () {
    const { h, a, b } = await loadFixture(fixture);
    await h.setBalance(a, 10n);
    await h.distribute(100n);
    await h.settleFrom(b);
    expect(await h.accountOf(b)).to.deep.equal([0n, await h.acc()]);
  });
});
