import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MilestoneState, createDeal, dealInput, escrowSuite, feeOf } from "../helpers/escrow";
import { ROLE } from "../helpers/suite";

const EVIDENCE = ethers.id("evidence");

/** Audit regressions for the escrow area (issue 13 and issue 16's verifier check). */
async function auditFixture() {
  return escrowSuite();
}

describe("MilestoneEscrow audit regressions", () => {
  describe("A-17: a milestone whose valid attestations reach the threshold can always be released", () => {
    /** 2-of-2: v1 attests, loses its registry role, v2 attests (1 valid < 2), v1's role comes back (2 valid). */
    async function stuckMilestone() {
      const s = await loadFixture(auditFixture);
      const input = await dealInput(s, { verifiers: [s.v1.address, s.v2.address], threshold: 2 });
      const id = await createDeal(s, input);
      await (await s.escrow.connect(s.funder).fund(id)).wait();
      await (await s.escrow.connect(s.v1).attest(id, 0n, EVIDENCE)).wait();
      await (await s.registry.connect(s.deployer).revokeRole(ROLE.VERIFIER, s.v1.address)).wait();
      await expect(s.escrow.connect(s.v2).attest(id, 0n, EVIDENCE)).to.not.emit(s.escrow, "MilestoneReleased");
      await (await s.registry.connect(s.deployer).grantRole(ROLE.VERIFIER, s.v1.address)).wait();
      expect(await s.escrow.validAttestations(id, 0n)).to.equal(2n);
      // every further attestation is refused: before the fix nothing could release the milestone
      await expect(s.escrow.connect(s.v1).attest(id, 0n, EVIDENCE)).to.be.revertedWithCustomError(
        s.escrow,
        "AlreadyAttested",
      );
      return { s, id, amount: BigInt(input.milestones[0].amount) };
    }

    it("release(dealId, index) by anyone releases it, with the event of an attestation-triggered release", async () => {
      const { s, id, amount } = await stuckMilestone();
      const fee = feeOf(amount);
      await expect(s.escrow.connect(s.outsider).release(id, 0n))
        .to.emit(s.escrow, "MilestoneReleased")
        .withArgs(id, 0n, amount - fee, fee);
      expect((await s.escrow.milestone(id, 0n)).state).to.equal(MilestoneState.Released);
      expect(await s.escrow.owed(s.beneficiary.address, await s.usd.getAddress())).to.equal(amount - fee);
      expect((await s.escrow.deal(id)).openMilestones).to.equal(2n);
      await expect(s.escrow.release(id, 0n))
        .to.be.revertedWithCustomError(s.escrow, "MilestoneAlreadySettled")
        .withArgs(id, 0n, MilestoneState.Released);
    });

    it("release refuses below the threshold of valid attestations, after the deadline, and on a paused escrow", async () => {
      const { s, id } = await stuckMilestone();
      await (await s.registry.connect(s.deployer).revokeRole(ROLE.VERIFIER, s.v2.address)).wait();
      await expect(s.escrow.release(id, 0n))
        .to.be.revertedWithCustomError(s.escrow, "NotEnoughAttestations")
        .withArgs(id, 0n, 1n, 2n);
      await (await s.registry.connect(s.deployer).grantRole(ROLE.VERIFIER, s.v2.address)).wait();
      await expect(s.escrow.release(id, 1n))
        .to.be.revertedWithCustomError(s.escrow, "NotEnoughAttestations")
        .withArgs(id, 1n, 0n, 2n);
      await (await s.escrow.connect(s.deployer).grantRole(ROLE.PAUSER, s.deployer.address)).wait();
      await (await s.escrow.connect(s.deployer).pause()).wait();
      await expect(s.escrow.release(id, 0n)).to.be.revertedWithCustomError(s.escrow, "EnforcedPause");
      await (await s.escrow.connect(s.deployer).unpause()).wait();
      const deadline = (await s.escrow.milestone(id, 0n)).deadline;
      await time.increaseTo(deadline + 1n);
      await expect(s.escrow.release(id, 0n))
        .to.be.revertedWithCustomError(s.escrow, "MilestoneExpired")
        .withArgs(id, 0n, deadline);
    });

    it("release refuses a milestone of a deal that is not funded or out of range", async () => {
      const s = await loadFixture(auditFixture);
      const id = await createDeal(s, await dealInput(s));
      await expect(s.escrow.release(id, 0n)).to.be.revertedWithCustomError(s.escrow, "DealNotFunded").withArgs(id);
      await (await s.escrow.connect(s.funder).fund(id)).wait();
      await expect(s.escrow.release(id, 3n))
        .to.be.revertedWithCustomError(s.escrow, "MilestoneOutOfRange")
        .withArgs(id, 3n, 3n);
    });
  });

  describe("A-18: the escrow is never its own treasury", () => {
    it("setTreasury(escrow) is refused", async () => {
      const s = await loadFixture(auditFixture);
      const self = await s.escrow.getAddress();
      await expect(s.escrow.connect(s.deployer).setTreasury(self))
        .to.be.revertedWithCustomError(s.escrow, "InvalidTreasury")
        .withArgs(self);
      expect(await s.escrow.treasury()).to.not.equal(self);
    });

    it("a constructor given the escrow's own address as treasury reverts", async () => {
      const s = await loadFixture(auditFixture);
      const f = await ethers.getContractFactory("MilestoneEscrow");
      const nonce = await ethers.provider.getTransactionCount(s.deployer.address);
      const self = ethers.getCreateAddress({ from: s.deployer.address, nonce });
      await expect(f.connect(s.deployer).deploy(s.deployer.address, await s.registry.getAddress(), self, 100))
        .to.be.revertedWithCustomError(s.escrow, "InvalidTreasury")
        .withArgs(self);
    });
  });

  describe("issue 16: createDeal refuses verifiers without the registry's VERIFIER_ROLE", () => {
    it("a listed verifier that is not a registry verifier makes createDeal revert VerifierRoleMissing", async () => {
      const s = await loadFixture(auditFixture);
      const input = await dealInput(s, { verifiers: [s.v1.address, s.outsider.address], threshold: 1 });
      await expect(s.escrow.connect(s.funder).createDeal(input))
        .to.be.revertedWithCustomError(s.escrow, "VerifierRoleMissing")
        .withArgs(s.outsider.address);
      expect(await s.escrow.dealCount()).to.equal(0n);
    });
  });
});
