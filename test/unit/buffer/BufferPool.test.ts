import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ProjectStatus, ROLE, issueParams } from "../../helpers/suite";
import { bufferSuite, conservation, issueTonnes, report, type BufferSuite } from "../../helpers/buffer";

const EVIDENCE = ethers.id("fire-report");

describe("BufferPool", function () {
  async function fixture() {
    return bufferSuite();
  }

  /** forest batch f1 (10 t, 1 t withheld), mangrove batch m1 (10 t, 2 t withheld), forest batch f2 (20 t, 2 t). */
  async function stockedFixture() {
    const s = await loadFixture(fixture);
    const f1 = await issueTonnes(s, s.forest, s.alice.address, 10n);
    const m1 = await issueTonnes(s, s.mangrove, s.bob.address, 10n);
    const f2 = await issueTonnes(s, s.forest, s.alice.address, 20n);
    return { ...s, f1, m1, f2 };
  }

  const holdersOf = (s: BufferSuite) =>
    [s.alice, s.bob, s.carol, s.dave].map((x) => x.address).concat(s.buffer.target as string);

  describe("deployment and wiring", function () {
    it("is wired into CarbonCredit and points at the credit contract and the registry", async function () {
      const s = await loadFixture(fixture);
      expect(await s.credit.bufferPool()).to.equal(await s.buffer.getAddress());
      expect(await s.buffer.credit()).to.equal(await s.credit.getAddress());
      expect(await s.buffer.registry()).to.equal(await s.registry.getAddress());
      expect(await s.buffer.MAX_BATCHES_PER_CALL()).to.equal(20n);
      expect(await s.buffer.PAUSER_ROLE()).to.equal(ROLE.PAUSER);
      expect(await s.buffer.totalBufferKg()).to.equal(0n);
      expect(await s.buffer.reversalCount()).to.equal(0n);
      expect(await s.buffer.supportsInterface("0x4e2312e0")).to.equal(true); // IERC1155Receiver
      expect(await s.buffer.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await s.buffer.supportsInterface("0xffffffff")).to.equal(false);
    });

    it("setBufferPool is once only, admin only, never zero", async function () {
      const s = await loadFixture(fixture);
      await expect(s.credit.connect(s.deployer).setBufferPool(s.alice.address))
        .to.be.revertedWithCustomError(s.credit, "BufferPoolAlreadySet")
        .withArgs(await s.buffer.getAddress());
      await expect(s.credit.connect(s.alice).setBufferPool(s.alice.address))
        .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
        .withArgs(s.alice.address, ROLE.DEFAULT_ADMIN);
    });
  });

  describe("withholding at issuance", function () {
    it("withholds ceil(tonnes × rate / 10,000) whole tonnes into the buffer; the rest goes to the recipient", async function () {
      const s = await loadFixture(fixture);
      const p = issueParams(s.forest, s.alice.address, { serialStart: 1n, serialEnd: 15n }); // 15 t at 10 % → 2 t
      const tx = s.credit.connect(s.verifier).issue(p);
      await expect(tx).to.emit(s.credit, "BufferWithheld").withArgs(1n, s.forest, 2_000n);
      await expect(tx)
        .to.emit(s.credit, "TransferSingle")
        .withArgs(s.verifier.address, ethers.ZeroAddress, await s.buffer.getAddress(), 1n, 2_000n);
      await expect(tx)
        .to.emit(s.credit, "TransferSingle")
        .withArgs(s.verifier.address, ethers.ZeroAddress, s.alice.address, 1n, 13_000n);
      expect((await s.credit.batch(1n)).issuedKg).to.equal(15_000n); // the whole range
      expect(await s.credit.balanceOf(s.alice.address, 1n)).to.equal(13_000n);
      expect(await s.credit.balanceOf(await s.buffer.getAddress(), 1n)).to.equal(2_000n);
      expect(await s.buffer.bufferOf(s.forest)).to.equal(2_000n);
      expect(await s.buffer.totalBufferKg()).to.equal(2_000n);
      expect(await s.buffer.heldKg(1n)).to.deep.equal([2_000n, 0n]);
      expect(await s.buffer.entryCount()).to.equal(1n);
    });

    it("rounds up to whole tonnes: 1 t at 1 bp is withheld entirely, and nothing is minted to the recipient", async function () {
      const s = await loadFixture(fixture);
      await s.registry.connect(s.verifier).setBufferRate(s.solar, 1);
      const tx = s.credit.connect(s.verifier).issue(issueParams(s.solar, s.carol.address, { serialEnd: 1n }));
      await expect(tx).to.emit(s.credit, "BufferWithheld").withArgs(1n, s.solar, 1_000n);
      await expect(tx).to.not.emit(s.credit, "TransferBatch");
      const receipt = await (await tx).wait();
      const singles = receipt!.logs.filter(
        (l) => l.topics[0] === s.credit.interface.getEvent("TransferSingle").topicHash,
      );
      expect(singles).to.have.length(1); // only the buffer mint
      expect(await s.credit.balanceOf(s.carol.address, 1n)).to.equal(0n);
    });

    it("withholds exactly rate × tonnes when it divides (10 t at 20 % → 2 t), and half at the 50 % cap", async function () {
      const s = await loadFixture(fixture);
      await issueTonnes(s, s.mangrove, s.bob.address, 10n);
      expect(await s.buffer.bufferOf(s.mangrove)).to.equal(2_000n);
      await s.registry.connect(s.verifier).setBufferRate(s.mangrove, 5000);
      await issueTonnes(s, s.mangrove, s.bob.address, 3n); // ceil(1.5) = 2 t
      expect(await s.buffer.bufferOf(s.mangrove)).to.equal(4_000n);
      expect(await s.credit.balanceOf(s.bob.address, 2n)).to.equal(1_000n);
    });

    it("a project without a rate is issued whole and emits no BufferWithheld", async function () {
      const s = await loadFixture(fixture);
      const tx = s.credit.connect(s.verifier).issue(issueParams(s.solar, s.carol.address));
      await expect(tx).to.not.emit(s.credit, "BufferWithheld");
      expect(await s.credit.balanceOf(s.carol.address, 1n)).to.equal(10_000n);
      expect(await s.buffer.totalBufferKg()).to.equal(0n);
    });

    it("refuses issuance straight to the buffer (UnsolicitedTransfer) and any other transfer into it", async function () {
      const s = await stockedFixture();
      const bufferAddr = await s.buffer.getAddress();
      await expect(s.credit.connect(s.verifier).issue(issueParams(s.solar, bufferAddr)))
        .to.be.revertedWithCustomError(s.buffer, "UnsolicitedTransfer")
        .withArgs(await s.credit.getAddress(), s.verifier.address, ethers.ZeroAddress);
      await expect(s.credit.connect(s.alice).safeTransferFrom(s.alice.address, bufferAddr, s.f1, 1n, "0x"))
        .to.be.revertedWithCustomError(s.buffer, "UnsolicitedTransfer")
        .withArgs(await s.credit.getAddress(), s.alice.address, s.alice.address);
      // data that looks like a buffer mint does not help a transfer
      const data = ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [s.forest]);
      await expect(
        s.credit.connect(s.alice).safeTransferFrom(s.alice.address, bufferAddr, s.f1, 1n, data),
      ).to.be.revertedWithCustomError(s.buffer, "UnsolicitedTransfer");
      await expect(
        s.credit.connect(s.alice).safeBatchTransferFrom(s.alice.address, bufferAddr, [s.f1], [1n], "0x"),
      ).to.be.revertedWithCustomError(s.buffer, "UnsolicitedTransfer");
      // a direct call of the hook by anyone else
      await expect(s.buffer.connect(s.alice).onERC1155Received(s.alice.address, ethers.ZeroAddress, 1n, 1n, data))
        .to.be.revertedWithCustomError(s.buffer, "UnsolicitedTransfer")
        .withArgs(s.alice.address, s.alice.address, ethers.ZeroAddress);
      expect(await s.buffer.totalBufferKg()).to.equal(5_000n);
    });
  });

  describe("cancel and the outstanding-reversal mark (BufferPool only)", function () {
    it("refuses everyone but the BufferPool with NotBufferPool", async function () {
      const s = await stockedFixture();
      await expect(s.credit.connect(s.deployer).cancel(s.f1, 1n, EVIDENCE))
        .to.be.revertedWithCustomError(s.credit, "NotBufferPool")
        .withArgs(s.deployer.address);
      await expect(s.credit.connect(s.alice).setOutstandingReversal(s.forest, 1n))
        .to.be.revertedWithCustomError(s.credit, "NotBufferPool")
        .withArgs(s.alice.address);
    });
  });

  describe("reportReversal", function () {
    it("cancels the project's own buffer first, oldest batch first, and books the reversal", async function () {
      const s = await stockedFixture();
      const tx = s.buffer.connect(s.verifier).reportReversal(s.forest, 1_500n, false, EVIDENCE);
      await expect(tx).to.emit(s.buffer, "ReversalReported").withArgs(1n, s.forest, 1_500n, false, EVIDENCE);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(1n, s.f1, s.forest, 1_000n);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(1n, s.f2, s.forest, 500n);
      await expect(tx)
        .to.emit(s.credit, "CreditsCancelled")
        .withArgs(s.f1, await s.buffer.getAddress(), 1_000n, EVIDENCE);
      await expect(tx).to.emit(s.buffer, "ReversalSettled").withArgs(1n, 1_500n, 0n);
      await expect(tx).to.not.emit(s.buffer, "BufferShortfall");
      const r = await s.buffer.reversal(1n);
      expect(r.projectId).to.equal(s.forest);
      expect(r.amountKg).to.equal(1_500n);
      expect(r.cancelledKg).to.equal(1_500n);
      expect(r.uncoveredKg).to.equal(0n);
      expect(r.owedKg).to.equal(0n);
      expect(r.avoidable).to.equal(false);
      expect(r.evidence).to.equal(EVIDENCE);
      expect(r.reportedAt).to.be.greaterThan(0n);
      expect(await s.buffer.remainingKg(1n)).to.equal(0n);
      expect(await s.credit.cancelledKg(s.f1)).to.equal(1_000n);
      expect(await s.credit.cancelledKg(s.f2)).to.equal(500n);
      expect(await s.buffer.bufferOf(s.forest)).to.equal(1_500n);
      expect(await s.buffer.bufferOf(s.mangrove)).to.equal(2_000n);
      expect(await s.buffer.totalBufferKg()).to.equal(3_500n);
      expect(await s.buffer.entryCount()).to.equal(2n); // f1 emptied and left
      for (const b of [s.f1, s.m1, s.f2]) {
        const c = await conservation(s, b, holdersOf(s));
        expect(c.accounted).to.equal(c.issued);
      }
    });

    it("then takes other projects' buffer (pooled, oldest first) and never touches held or retired credits", async function () {
      const s = await stockedFixture();
      await s.credit.connect(s.alice).retire(s.f1, 2_000n, ethers.ZeroAddress, "Alice", "offset");
      const aliceF1 = await s.credit.balanceOf(s.alice.address, s.f1);
      const bobM1 = await s.credit.balanceOf(s.bob.address, s.m1);
      const tx = s.buffer.connect(s.verifier).reportReversal(s.forest, 4_000n, false, EVIDENCE);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(1n, s.f1, s.forest, 1_000n);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(1n, s.f2, s.forest, 2_000n);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(1n, s.m1, s.mangrove, 1_000n);
      expect(await s.buffer.bufferOf(s.forest)).to.equal(0n);
      expect(await s.buffer.bufferOf(s.mangrove)).to.equal(1_000n);
      expect(await s.credit.balanceOf(s.alice.address, s.f1)).to.equal(aliceF1);
      expect(await s.credit.balanceOf(s.bob.address, s.m1)).to.equal(bobM1);
      expect((await s.credit.batch(s.f1)).retiredKg).to.equal(2_000n);
      expect(await s.certificate.totalCertificates()).to.equal(1n);
    });

    it("records what the whole buffer cannot cover as uncovered (BufferShortfall) and settles", async function () {
      const s = await stockedFixture();
      const tx = s.buffer.connect(s.verifier).reportReversal(s.mangrove, 7_000n, false, EVIDENCE);
      await expect(tx).to.emit(s.buffer, "BufferShortfall").withArgs(1n, 2_000n);
      await expect(tx).to.emit(s.buffer, "ReversalSettled").withArgs(1n, 5_000n, 2_000n);
      const r = await s.buffer.reversal(1n);
      expect(r.cancelledKg).to.equal(5_000n);
      expect(r.uncoveredKg).to.equal(2_000n);
      expect(await s.buffer.totalBufferKg()).to.equal(0n);
      expect(await s.buffer.entryCount()).to.equal(0n);
      await expect(s.buffer.settleReversal(1n))
        .to.be.revertedWithCustomError(s.buffer, "ReversalAlreadySettled")
        .withArgs(1n);
    });

    it("a reversal of a project with no buffer of its own draws on the pooled buffer", async function () {
      const s = await stockedFixture();
      await expect(s.buffer.connect(s.verifier).reportReversal(s.solar, 1_200n, false, EVIDENCE))
        .to.emit(s.buffer, "BufferCancelled")
        .withArgs(1n, s.f1, s.forest, 1_000n);
      expect(await s.buffer.bufferOf(s.mangrove)).to.equal(1_800n);
    });

    it("works for a project in any status (Suspended and Closed included)", async function () {
      const s = await stockedFixture();
      await s.registry.connect(s.verifier).setProjectStatus(s.forest, ProjectStatus.Suspended);
      await report(s, s.forest, 100n);
      await s.registry.connect(s.verifier).setProjectStatus(s.forest, ProjectStatus.Closed);
      await report(s, s.forest, 100n);
      expect(await s.buffer.bufferOf(s.forest)).to.equal(2_800n);
    });

    it("refuses non-verifiers (checked on the registry at call time), zero amounts, zero evidence, unknown projects", async function () {
      const s = await stockedFixture();
      await expect(s.buffer.connect(s.alice).reportReversal(s.forest, 1n, false, EVIDENCE))
        .to.be.revertedWithCustomError(s.buffer, "VerifierRoleMissing")
        .withArgs(s.alice.address);
      await s.registry.connect(s.deployer).grantRole(ROLE.VERIFIER, s.dave.address);
      await report({ ...s, verifier: s.dave }, s.forest, 1n);
      await s.registry.connect(s.deployer).revokeRole(ROLE.VERIFIER, s.dave.address);
      await expect(s.buffer.connect(s.dave).reportReversal(s.forest, 1n, false, EVIDENCE))
        .to.be.revertedWithCustomError(s.buffer, "VerifierRoleMissing")
        .withArgs(s.dave.address);
      const v = s.buffer.connect(s.verifier);
      await expect(v.reportReversal(s.forest, 0n, false, EVIDENCE)).to.be.revertedWithCustomError(
        s.buffer,
        "ZeroAmount",
      );
      await expect(v.reportReversal(s.forest, 1n, false, ethers.ZeroHash)).to.be.revertedWithCustomError(
        s.buffer,
        "MissingEvidence",
      );
      await expect(v.reportReversal(99n, 1n, false, EVIDENCE))
        .to.be.revertedWithCustomError(s.registry, "ProjectNotFound")
        .withArgs(99n);
      await expect(v.reportReversal(s.forest, 2n ** 96n, false, EVIDENCE)).to.be.revertedWithCustomError(
        s.buffer,
        "SafeCastOverflowedUintDowncast",
      );
      expect(await s.buffer.reversalCount()).to.equal(1n);
    });

    it("reversal and remainingKg revert ReversalNotFound for unknown ids", async function () {
      const s = await loadFixture(fixture);
      await expect(s.buffer.reversal(1n)).to.be.revertedWithCustomError(s.buffer, "ReversalNotFound").withArgs(1n);
      await expect(s.buffer.remainingKg(0n)).to.be.revertedWithCustomError(s.buffer, "ReversalNotFound");
      await expect(s.buffer.settleReversal(5n)).to.be.revertedWithCustomError(s.buffer, "ReversalNotFound");
    });
  });

  describe("at most 20 batches per call", function () {
    async function manyFixture() {
      const s = await loadFixture(fixture);
      await s.registry.connect(s.verifier).setBufferRate(s.solar, 1); // 1 t withheld per batch
      for (let i = 0; i < 25; i++) await issueTonnes(s, s.solar, s.carol.address, 2n);
      return s;
    }

    it("cancels from 20 batches, leaves the rest open, and anyone continues with settleReversal", async function () {
      const s = await loadFixture(manyFixture);
      const id = await report(s, s.solar, 24_500n);
      let r = await s.buffer.reversal(id);
      expect(r.cancelledKg).to.equal(20_000n);
      expect(await s.buffer.remainingKg(id)).to.equal(4_500n);
      expect(await s.buffer.bufferOf(s.solar)).to.equal(5_000n);
      expect(await s.buffer.connect(s.outsider).settleReversal.staticCall(id)).to.equal(0n);
      const tx = s.buffer.connect(s.outsider).settleReversal(id);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(id, 21n, s.solar, 1_000n);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(id, 25n, s.solar, 500n);
      await expect(tx).to.emit(s.buffer, "ReversalSettled").withArgs(id, 24_500n, 0n);
      r = await s.buffer.reversal(id);
      expect(r.cancelledKg).to.equal(24_500n);
      expect(await s.buffer.bufferOf(s.solar)).to.equal(500n);
    });

    it("a shortfall is only recorded once the whole buffer is spent, not at the call bound", async function () {
      const s = await loadFixture(manyFixture);
      const id = await report(s, s.solar, 30_000n);
      expect((await s.buffer.reversal(id)).uncoveredKg).to.equal(0n);
      await expect(s.buffer.settleReversal(id)).to.emit(s.buffer, "BufferShortfall").withArgs(id, 5_000n);
      expect((await s.buffer.reversal(id)).uncoveredKg).to.equal(5_000n);
    });
  });

  describe("avoidable reversals and compensation", function () {
    async function owingFixture() {
      const s = await stockedFixture();
      const id = await report(s, s.forest, 2_500n, true);
      await s.credit.connect(s.alice).setApprovalForAll(await s.buffer.getAddress(), true);
      return { ...s, id };
    }

    it("makes the project owe the reversed amount and blocks its issuance with ReversalOutstanding", async function () {
      const s = await loadFixture(owingFixture);
      expect((await s.buffer.reversal(s.id)).owedKg).to.equal(2_500n);
      expect(await s.buffer.owedBy(s.forest)).to.deep.equal([2_500n, s.id]);
      expect(await s.credit.outstandingReversalOf(s.forest)).to.equal(s.id);
      const next = issueParams(s.forest, s.alice.address, { serialStart: 100n, serialEnd: 101n });
      await expect(s.credit.connect(s.verifier).issue(next))
        .to.be.revertedWithCustomError(s.credit, "ReversalOutstanding")
        .withArgs(s.forest, s.id);
      await expect(s.credit.connect(s.verifier).issueWithHint({ ...next, serialStart: 0n, serialEnd: 0n }, 0n))
        .to.be.revertedWithCustomError(s.credit, "ReversalOutstanding")
        .withArgs(s.forest, s.id);
      // other projects are not blocked
      await issueTonnes(s, s.mangrove, s.bob.address, 1n);
    });

    it("compensation moves the caller's credits of an Active project into the pooled buffer and reduces the debt", async function () {
      const s = await loadFixture(owingFixture);
      const bufferAddr = await s.buffer.getAddress();
      const tx = s.buffer.connect(s.alice).compensate(s.id, s.f2, 1_000n);
      await expect(tx).to.emit(s.buffer, "Compensated").withArgs(s.id, s.alice.address, s.f2, 1_000n);
      await expect(tx)
        .to.emit(s.credit, "TransferSingle")
        .withArgs(bufferAddr, s.alice.address, bufferAddr, s.f2, 1_000n);
      await expect(tx).to.not.emit(s.credit, "OutstandingReversalSet");
      expect((await s.buffer.reversal(s.id)).owedKg).to.equal(1_500n);
      expect(await s.buffer.pooledBufferKg()).to.equal(1_000n);
      expect(await s.buffer.heldKg(s.f2)).to.deep.equal([500n, 1_000n]); // the reversal cancelled 1.5 t of f2's own 2 t
      expect(await s.credit.outstandingReversalOf(s.forest)).to.equal(s.id);
      // the rest, from another project's batch bought by alice
      await s.credit.connect(s.bob).safeTransferFrom(s.bob.address, s.alice.address, s.m1, 1_500n, "0x");
      await expect(s.buffer.connect(s.alice).compensate(s.id, s.m1, 1_500n))
        .to.emit(s.credit, "OutstandingReversalSet")
        .withArgs(s.forest, 0n);
      expect((await s.buffer.reversal(s.id)).owedKg).to.equal(0n);
      expect(await s.buffer.owedBy(s.forest)).to.deep.equal([0n, 0n]);
      await issueTonnes(s, s.forest, s.alice.address, 10n); // unblocked
    });

    it("pooled compensation credits serve later reversals (fromProjectId 0) after the project's own buffer", async function () {
      const s = await loadFixture(owingFixture);
      await s.buffer.connect(s.alice).compensate(s.id, s.f2, 2_500n);
      // buffer now, oldest first: m1 own (2 t), f2 own (0.5 t), f2 pooled (2.5 t, the newest)
      const tx = s.buffer.connect(s.verifier).reportReversal(s.solar, 3_000n, false, EVIDENCE);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(2n, s.m1, s.mangrove, 2_000n);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(2n, s.f2, s.forest, 500n);
      await expect(tx).to.emit(s.buffer, "BufferCancelled").withArgs(2n, s.f2, 0n, 500n);
      expect(await s.buffer.pooledBufferKg()).to.equal(2_000n);
      expect(await s.buffer.heldKg(s.f2)).to.deep.equal([0n, 2_000n]);
    });

    it("refuses compensation that is zero, exceeds the debt, is owed nothing, or comes from an inactive project", async function () {
      const s = await loadFixture(owingFixture);
      const a = s.buffer.connect(s.alice);
      await expect(a.compensate(s.id, s.f2, 0n)).to.be.revertedWithCustomError(s.buffer, "ZeroAmount");
      await expect(a.compensate(s.id, s.f2, 2_501n))
        .to.be.revertedWithCustomError(s.buffer, "CompensationExceedsOwed")
        .withArgs(s.id, 2_500n, 2_501n);
      await expect(a.compensate(99n, s.f2, 1n))
        .to.be.revertedWithCustomError(s.buffer, "ReversalNotFound")
        .withArgs(99n);
      await expect(a.compensate(s.id, 99n, 1n))
        .to.be.revertedWithCustomError(s.credit, "BatchNotFound")
        .withArgs(99n);
      const unavoidable = await report(s, s.mangrove, 100n, false);
      await expect(a.compensate(unavoidable, s.f2, 1n))
        .to.be.revertedWithCustomError(s.buffer, "NothingToCompensate")
        .withArgs(unavoidable);
      await s.registry.connect(s.verifier).setProjectStatus(s.forest, ProjectStatus.Suspended);
      await expect(a.compensate(s.id, s.f2, 1n))
        .to.be.revertedWithCustomError(s.buffer, "ProjectNotActive")
        .withArgs(s.forest, ProjectStatus.Suspended);
      await s.registry.connect(s.verifier).setProjectStatus(s.forest, ProjectStatus.Active);
      // without approval, or without the credits: the transfer refuses and nothing is booked
      await expect(s.buffer.connect(s.bob).compensate(s.id, s.m1, 1n)).to.be.revertedWithCustomError(
        s.credit,
        "ERC1155MissingApprovalForAll",
      );
      await s.credit.connect(s.carol).setApprovalForAll(await s.buffer.getAddress(), true);
      await expect(s.buffer.connect(s.carol).compensate(s.id, s.f2, 1n)).to.be.revertedWithCustomError(
        s.credit,
        "ERC1155InsufficientBalance",
      );
      expect((await s.buffer.reversal(s.id)).owedKg).to.equal(2_500n);
      expect(await s.buffer.pooledBufferKg()).to.equal(0n);
    });

    it("with several reversals owed, issuance names the oldest one still owing until all are compensated", async function () {
      const s = await loadFixture(owingFixture);
      const second = await report(s, s.forest, 300n, true);
      const third = await report(s, s.forest, 200n, true);
      expect(await s.buffer.owedBy(s.forest)).to.deep.equal([3_000n, s.id]);
      // pay the middle one first: the oldest still blocks
      await s.buffer.connect(s.alice).compensate(second, s.f2, 300n);
      expect(await s.credit.outstandingReversalOf(s.forest)).to.equal(s.id);
      await expect(s.buffer.connect(s.alice).compensate(s.id, s.f2, 2_500n))
        .to.emit(s.credit, "OutstandingReversalSet")
        .withArgs(s.forest, third);
      const next = issueParams(s.forest, s.alice.address, { serialStart: 100n, serialEnd: 101n });
      await expect(s.credit.connect(s.verifier).issue(next))
        .to.be.revertedWithCustomError(s.credit, "ReversalOutstanding")
        .withArgs(s.forest, third);
      await s.buffer.connect(s.alice).compensate(third, s.f2, 200n);
      expect(await s.buffer.owedBy(s.forest)).to.deep.equal([0n, 0n]);
      await s.credit.connect(s.verifier).issue(next);
    });
  });

  describe("pause", function () {
    it("stops reports and settlements, never compensation", async function () {
      const s = await stockedFixture();
      const id = await report(s, s.forest, 500n, true);
      await s.credit.connect(s.alice).setApprovalForAll(await s.buffer.getAddress(), true);
      await expect(s.buffer.connect(s.alice).pause())
        .to.be.revertedWithCustomError(s.buffer, "AccessControlUnauthorizedAccount")
        .withArgs(s.alice.address, ROLE.PAUSER);
      await s.buffer.connect(s.deployer).pause();
      await expect(
        s.buffer.connect(s.verifier).reportReversal(s.forest, 1n, false, EVIDENCE),
      ).to.be.revertedWithCustomError(s.buffer, "EnforcedPause");
      await expect(s.buffer.settleReversal(id)).to.be.revertedWithCustomError(s.buffer, "EnforcedPause");
      await s.buffer.connect(s.alice).compensate(id, s.f1, 500n);
      expect((await s.buffer.reversal(id)).owedKg).to.equal(0n);
      await s.buffer.connect(s.deployer).unpause();
      await report(s, s.forest, 1n);
    });
  });
});
