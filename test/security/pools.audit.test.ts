import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ProjectStatus } from "../helpers/suite";
import { expectBacked, feeOf, issueMany, poolSuite, queueOrder, tokens } from "../helpers/pools";

/** Audit regressions for the pool area (issue 13). */
async function auditFixture() {
  const s = await poolSuite();
  // 21 one-tonne batches of the forest project enter the queue first, then the Active mangrove batch behind them
  const closed = await issueMany(s, s.projects.forest, s.alice.address, 21, 1n, 50_000n);
  for (const id of closed) await (await s.ncp.connect(s.alice).deposit(id, 1_000n)).wait();
  await (await s.ncp.connect(s.bob).deposit(s.batches.mangrove2021, 10_000n)).wait();
  await (await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Closed)).wait();
  return { ...s, closed };
}

describe("CarbonPool audit regressions", () => {
  describe("A-16: batches of non-Active projects at the head of the FIFO cannot brick the auto paths", () => {
    it("before unqueueing, 21 Closed batches at the head make the auto paths revert (the cap counts skips)", async () => {
      const s = await loadFixture(auditFixture);
      await expect(s.ncp.connect(s.bob).redeemAuto(1_000n))
        .to.be.revertedWithCustomError(s.ncp, "AmountExceedsBatchesPerCall")
        .withArgs(1_000n, 0n, 20n);
    });

    it("anyone unqueues each Closed batch in O(1); then redeemAuto and retireFromPool(0) reach the Active credits", async () => {
      const s = await loadFixture(auditFixture);
      for (const id of s.closed) {
        await expect(s.ncp.connect(s.outsider).unqueue(id))
          .to.emit(s.ncp, "BatchUnqueued")
          .withArgs(id, s.projects.forest, ProjectStatus.Closed);
        expect(await s.ncp.isQueued(id)).to.equal(false);
        expect(await s.ncp.heldKg(id)).to.equal(1_000n);
      }
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.mangrove2021]);
      const redeemFee = feeOf(1_000n, await s.ncp.redeemFeeBps());
      await expect(s.ncp.connect(s.bob).redeemAuto(1_000n))
        .to.emit(s.ncp, "Redeemed")
        .withArgs(s.bob.address, s.batches.mangrove2021, 1_000n, tokens(1_000n), redeemFee);
      await expect(s.ncp.connect(s.bob).retireFromPool(0n, 1_000n, s.bob.address, "Bob", "offset")).to.emit(
        s.ncp,
        "RetiredFromPool",
      );
      // the unqueued batches stay redeemable by id, and one that empties is gone for good
      await expect(s.ncp.connect(s.alice).redeem(s.closed[0], 1_000n))
        .to.emit(s.ncp, "Redeemed")
        .withArgs(s.alice.address, s.closed[0], 1_000n, tokens(1_000n), redeemFee);
      expect(await s.ncp.heldKg(s.closed[0])).to.equal(0n);
      await expect(s.ncp.unqueue(s.closed[0]))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotQueued")
        .withArgs(s.closed[0]);
      await expectBacked(s.ncp, s.credit, s.closed);
    });

    it("unqueue refuses a batch of an Active project, a batch not held, and a batch already unqueued", async () => {
      const s = await loadFixture(auditFixture);
      await expect(s.ncp.unqueue(s.batches.mangrove2021))
        .to.be.revertedWithCustomError(s.ncp, "WrongProjectStatus")
        .withArgs(s.batches.mangrove2021, ProjectStatus.Active);
      await expect(s.ncp.unqueue(s.batches.dac2024))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotQueued")
        .withArgs(s.batches.dac2024);
      await (await s.ncp.unqueue(s.closed[3])).wait();
      await expect(s.ncp.unqueue(s.closed[3]))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotQueued")
        .withArgs(s.closed[3]);
    });

    it("a suspended project's unqueued batch re-enters the tail by requeue once Active again, or by a new deposit", async () => {
      const s = await loadFixture(auditFixture);
      const forest2020 = s.batches.forest2020;
      const mangrove = s.projects.mangrove;
      // a second mangrove batch: suspend the project, unqueue both of its batches
      const [second] = await issueMany(s, mangrove, s.bob.address, 1, 3n, 90_000n);
      await (await s.ncp.connect(s.bob).deposit(second, 2_000n)).wait();
      await (await s.registry.connect(s.verifier).setProjectStatus(mangrove, ProjectStatus.Suspended)).wait();
      await expect(s.ncp.unqueue(s.batches.mangrove2021))
        .to.emit(s.ncp, "BatchUnqueued")
        .withArgs(s.batches.mangrove2021, mangrove, ProjectStatus.Suspended);
      await (await s.ncp.unqueue(second)).wait();
      await expect(s.ncp.requeue(second))
        .to.be.revertedWithCustomError(s.ncp, "WrongProjectStatus")
        .withArgs(second, ProjectStatus.Suspended);
      await (await s.registry.connect(s.verifier).setProjectStatus(mangrove, ProjectStatus.Active)).wait();
      await expect(s.ncp.requeue(s.batches.mangrove2021))
        .to.emit(s.ncp, "BatchRequeued")
        .withArgs(s.batches.mangrove2021, mangrove);
      await expect(s.ncp.requeue(s.batches.mangrove2021))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotUnqueued")
        .withArgs(s.batches.mangrove2021);
      await expect(s.ncp.requeue(forest2020))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotUnqueued")
        .withArgs(forest2020);
      // a deposit into the other unqueued batch puts it back at the tail too
      await expect(s.ncp.connect(s.bob).deposit(second, 1_000n))
        .to.emit(s.ncp, "BatchRequeued")
        .withArgs(second, mangrove);
      const order = await queueOrder(s.ncp);
      expect(order.slice(-2)).to.deep.equal([s.batches.mangrove2021, second]);
      expect(await s.ncp.heldKg(second)).to.equal(3_000n);
      await expectBacked(s.ncp, s.credit, [...s.closed, second]);
    });
  });

  describe("A-18: the pool is never its own treasury", () => {
    it("setFees(…, pool) is refused", async () => {
      const s = await loadFixture(auditFixture);
      const self = await s.ncp.getAddress();
      await expect(s.ncp.connect(s.deployer).setFees(10, 10, self))
        .to.be.revertedWithCustomError(s.ncp, "InvalidTreasury")
        .withArgs(self);
    });
  });
});
