import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { creditsSuite, issue, range } from "../helpers/credits";

describe("CarbonCredit audit regressions", function () {
  /** File-local base fixture (never share a fixture function across files). */
  async function base() {
    const s = await creditsSuite();
    const batchId = await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
    return { ...s, batchId };
  }

  it("retireBatch with amounts whose sum overflows reverts with the named balance error, not a panic", async () => {
    const s = await loadFixture(base);
    const half = 2n ** 255n;
    await expect(s.credit.connect(s.alice).retireBatch([s.batchId, s.batchId], [half, half], s.alice.address, "", ""))
      .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
      .withArgs(s.alice.address, 10_000n, half, s.batchId);
    expect((await s.credit.batch(s.batchId)).retiredKg).to.equal(0n);
  });

  it("retireBatch of the same batch twice retires the sum and books it once per entry", async () => {
    const s = await loadFixture(base);
    await expect(
      s.credit.connect(s.alice).retireBatch([s.batchId, s.batchId], [1_000n, 2_500n], s.alice.address, "A", "B"),
    ).to.changeTokenBalance(s.certificate, s.alice, 1n);
    expect((await s.credit.batch(s.batchId)).retiredKg).to.equal(3_500n);
    expect((await s.certificate.certificate(1n)).amountKg).to.equal(3_500n);
  });
});
