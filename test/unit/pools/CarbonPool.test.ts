import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { CarbonPool } from "../../../typechain-types";
import { Category, ProjectStatus, ROLE, activeProject, issueBatch, issueParams } from "../../helpers/suite";
import {
  Ineligibility,
  TOKEN_PER_KG,
  expectBacked,
  feeOf,
  issueMany,
  poolSuite,
  queueOrder,
  tokens,
} from "../../helpers/pools";
import { signPermit } from "../../../sdk";

const T = 1000n; // kg per tonne
const NATURE_MASK = (1n << 0n) | (1n << 4n) | (1n << 5n);

describe("CarbonPool", function () {
  async function base() {
    return poolSuite();
  }

  /** alice deposits 60 t of forest2020, bob 50 t of mangrove2021, then alice 40 t more of forest2020. */
  async function withDeposits() {
    const s = await loadFixture(base);
    await s.ncp.connect(s.alice).deposit(s.batches.forest2020, 60n * T);
    await s.ncp.connect(s.bob).deposit(s.batches.mangrove2021, 50n * T);
    await s.ncp.connect(s.alice).deposit(s.batches.forest2020, 40n * T);
    return s;
  }

  /** 22 one-tonne forestry batches of a fresh project (dave), all deposited into NCP in issue order. */
  async function withManyBatches() {
    const s = await loadFixture(base);
    const project = await activeProject(s, s.dave.address, { category: Category.Forestry });
    const ids = await issueMany(s, project, s.dave.address, 22, 1n, 1n);
    for (const id of ids) await s.ncp.connect(s.dave).deposit(id, T);
    return { ...s, manyProject: project, many: ids };
  }

  describe("deployment", function () {
    it("deploys NatureCarbonPool (NCP) and TechCarbonPool (TCP) from the CarbonPool artifact with their criteria", async function () {
      const s = await loadFixture(base);
      expect(await s.ncp.name()).to.equal("Treelion Nature Carbon Pool");
      expect(await s.ncp.symbol()).to.equal("NCP");
      expect(await s.ncp.decimals()).to.equal(18n);
      expect(await s.tcp.name()).to.equal("Treelion Tech Carbon Pool");
      expect(await s.tcp.symbol()).to.equal("TCP");
      const nc = await s.ncp.criteria();
      expect(nc.minVintage).to.equal(2016n);
      expect(nc.categoryMask).to.equal(NATURE_MASK);
      expect(nc.standards).to.deep.equal([]);
      const tc = await s.tcp.criteria();
      expect(tc.minVintage).to.equal(0n);
      expect(tc.categoryMask).to.equal(1n << 6n);
      expect(tc.standards).to.deep.equal([]);
    });

    it("sends fees to the named treasury (NCP 100/0 bps, TCP 100/50 bps)", async function () {
      const s = await loadFixture(base);
      expect(await s.ncp.treasury()).to.equal(s.treasury.address);
      expect(await s.ncp.redeemFeeBps()).to.equal(100n);
      expect(await s.ncp.retireFeeBps()).to.equal(0n);
      expect(await s.tcp.treasury()).to.equal(s.treasury.address);
      expect(await s.tcp.redeemFeeBps()).to.equal(100n);
      expect(await s.tcp.retireFeeBps()).to.equal(50n);
    });

    it("gives the deployer admin, POOL_ADMIN and PAUSER and nobody else anything", async function () {
      const s = await loadFixture(base);
      for (const pool of [s.ncp, s.tcp]) {
        expect(await pool.POOL_ADMIN_ROLE()).to.equal(ROLE.POOL_ADMIN);
        expect(await pool.PAUSER_ROLE()).to.equal(ROLE.PAUSER);
        for (const role of [ROLE.DEFAULT_ADMIN, ROLE.POOL_ADMIN, ROLE.PAUSER]) {
          expect(await pool.hasRole(role, s.deployer.address)).to.equal(true);
          expect(await pool.hasRole(role, s.treasury.address)).to.equal(false);
          expect(await pool.hasRole(role, s.alice.address)).to.equal(false);
        }
      }
    });

    it("points at CarbonCredit and its registry and exposes its constants", async function () {
      const s = await loadFixture(base);
      expect(await s.ncp.credit()).to.equal(await s.credit.getAddress());
      expect(await s.ncp.registry()).to.equal(await s.registry.getAddress());
      expect(await s.ncp.TOKEN_PER_KG()).to.equal(TOKEN_PER_KG);
      expect(await s.ncp.MAX_FEE_BPS()).to.equal(1000n);
      expect(await s.ncp.MAX_STANDARDS()).to.equal(16n);
      expect(await s.ncp.MAX_BATCHES_PER_CALL()).to.equal(20n);
      expect(await s.ncp.queue()).to.deep.equal([0n, 0n, 0n]);
      expect(await s.ncp.totalSupply()).to.equal(0n);
    });

    it("supports ERC-165 for IERC1155Receiver, AccessControl and ERC-165 only", async function () {
      const s = await loadFixture(base);
      expect(await s.ncp.supportsInterface("0x4e2312e0")).to.equal(true); // IERC1155Receiver
      expect(await s.ncp.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await s.ncp.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await s.ncp.supportsInterface("0xd9b67a26")).to.equal(false); // IERC1155
      expect(await s.ncp.supportsInterface("0xffffffff")).to.equal(false);
    });

    it("refuses a zero credit contract and starts with deposits closed and no fees", async function () {
      const s = await loadFixture(base);
      const F = await ethers.getContractFactory("CarbonPool");
      await expect(F.deploy(s.deployer.address, ethers.ZeroAddress, "P", "P"))
        .to.be.revertedWithCustomError(F, "ZeroAddress")
        .withArgs("credit");
      const fresh = (await F.deploy(
        s.deployer.address,
        await s.credit.getAddress(),
        "Fresh",
        "FR",
      )) as unknown as CarbonPool;
      expect((await fresh.criteria()).categoryMask).to.equal(0n);
      expect(await fresh.redeemFeeBps()).to.equal(0n);
      expect(await fresh.treasury()).to.equal(ethers.ZeroAddress);
      expect(await fresh.eligibility(s.batches.forest2020)).to.equal(Ineligibility.CategoryNotAllowed);
    });
  });

  describe("eligibility", function () {
    it("accepts batches meeting vintage, category and Active status; tells why others are refused", async function () {
      const s = await loadFixture(base);
      const b = s.batches;
      expect(await s.ncp.isEligible(b.forest2020)).to.equal(true);
      expect(await s.ncp.eligibility(b.forest2020)).to.equal(Ineligibility.None);
      expect(await s.ncp.isEligible(b.mangrove2021)).to.equal(true);
      expect(await s.ncp.eligibility(b.forest2015)).to.equal(Ineligibility.VintageTooOld);
      expect(await s.ncp.eligibility(b.dac2024)).to.equal(Ineligibility.CategoryNotAllowed);
      expect(await s.ncp.eligibility(b.solar2022)).to.equal(Ineligibility.CategoryNotAllowed);
      expect(await s.tcp.isEligible(b.dac2024)).to.equal(true);
      expect(await s.tcp.eligibility(b.forest2015)).to.equal(Ineligibility.CategoryNotAllowed);
      expect(await s.ncp.eligibility(0n)).to.equal(Ineligibility.UnknownBatch);
      expect(await s.ncp.eligibility(999n)).to.equal(Ineligibility.UnknownBatch);
      expect(await s.ncp.isEligible(999n)).to.equal(false);
    });

    it("refuses batches of Suspended and Closed projects", async function () {
      const s = await loadFixture(base);
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Suspended);
      expect(await s.ncp.eligibility(s.batches.forest2020)).to.equal(Ineligibility.ProjectNotActive);
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.mangrove, ProjectStatus.Closed);
      expect(await s.ncp.eligibility(s.batches.mangrove2021)).to.equal(Ineligibility.ProjectNotActive);
    });

    it("checks the standard list when it is not empty", async function () {
      const s = await loadFixture(base);
      await s.ncp.setCriteria({ minVintage: 2016, categoryMask: NATURE_MASK, standards: [ethers.id("Gold Standard")] });
      expect(await s.ncp.eligibility(s.batches.forest2020)).to.equal(Ineligibility.StandardNotAllowed);
      expect(await s.ncp.isEligible(s.batches.mangrove2021)).to.equal(true);
      await s.ncp.setCriteria({
        minVintage: 2016,
        categoryMask: NATURE_MASK,
        standards: [ethers.id("Gold Standard"), ethers.id("Verra VCS")],
      });
      expect(await s.ncp.isEligible(s.batches.forest2020)).to.equal(true);
    });
  });

  describe("deposit", function () {
    it("pulls the credits, mints amountKg × 1e15 and emits Deposited", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      expect(await s.ncp.connect(s.alice).deposit.staticCall(s.batches.forest2020, 1_500n)).to.equal(tokens(1_500n));
      const tx = s.ncp.connect(s.alice).deposit(s.batches.forest2020, 1_500n);
      await expect(tx)
        .to.emit(s.ncp, "Deposited")
        .withArgs(s.alice.address, s.batches.forest2020, 1_500n, tokens(1_500n));
      await expect(tx).to.changeTokenBalances(s.ncp, [s.alice], [tokens(1_500n)]);
      await expect(tx)
        .to.emit(s.credit, "TransferSingle")
        .withArgs(pool, s.alice.address, pool, s.batches.forest2020, 1_500n);
      expect(await s.credit.balanceOf(pool, s.batches.forest2020)).to.equal(1_500n);
      expect(await s.credit.balanceOf(s.alice.address, s.batches.forest2020)).to.equal(100n * T - 1_500n);
      expect(await s.ncp.heldKg(s.batches.forest2020)).to.equal(1_500n);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.forest2020]);
      await expectBacked(s.ncp, s.credit);
    });

    it("keeps a batch's queue position on further deposits (age = when it entered the queue)", async function () {
      const s = await loadFixture(withDeposits);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.forest2020, s.batches.mangrove2021]);
      expect(await s.ncp.heldKg(s.batches.forest2020)).to.equal(100n * T);
      expect(await s.ncp.totalSupply()).to.equal(tokens(150n * T));
      await expectBacked(s.ncp, s.credit);
    });

    it("reverts ZeroAmount for zero kg", async function () {
      const s = await loadFixture(base);
      await expect(s.ncp.connect(s.alice).deposit(s.batches.forest2020, 0n)).to.be.revertedWithCustomError(
        s.ncp,
        "ZeroAmount",
      );
    });

    it("reverts BatchNotEligible with the reason for every ineligible batch", async function () {
      const s = await loadFixture(base);
      const cases: [CarbonPool, bigint, number][] = [
        [s.ncp, 0n, Ineligibility.UnknownBatch],
        [s.ncp, 777n, Ineligibility.UnknownBatch],
        [s.ncp, s.batches.forest2015, Ineligibility.VintageTooOld],
        [s.ncp, s.batches.dac2024, Ineligibility.CategoryNotAllowed],
        [s.tcp, s.batches.forest2020, Ineligibility.CategoryNotAllowed],
      ];
      for (const [pool, id, reason] of cases) {
        await expect(pool.connect(s.alice).deposit(id, 1n))
          .to.be.revertedWithCustomError(pool, "BatchNotEligible")
          .withArgs(id, reason);
      }
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Suspended);
      await expect(s.ncp.connect(s.alice).deposit(s.batches.forest2020, 1n))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotEligible")
        .withArgs(s.batches.forest2020, Ineligibility.ProjectNotActive);
      await s.ncp.setCriteria({ minVintage: 0, categoryMask: NATURE_MASK, standards: [ethers.id("Gold Standard")] });
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Active);
      await expect(s.ncp.connect(s.alice).deposit(s.batches.forest2020, 1n))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotEligible")
        .withArgs(s.batches.forest2020, Ineligibility.StandardNotAllowed);
    });

    it("needs setApprovalForAll and enough credits (CarbonCredit's errors)", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      await s.credit.connect(s.alice).setApprovalForAll(pool, false);
      await expect(s.ncp.connect(s.alice).deposit(s.batches.forest2020, 1n))
        .to.be.revertedWithCustomError(s.credit, "ERC1155MissingApprovalForAll")
        .withArgs(pool, s.alice.address);
      await expect(s.ncp.connect(s.bob).deposit(s.batches.forest2020, 1n))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.bob.address, 0n, 1n, s.batches.forest2020);
      await expectBacked(s.ncp, s.credit, [s.batches.forest2020]);
    });

    it("stops while paused and resumes after unpause", async function () {
      const s = await loadFixture(base);
      await expect(s.ncp.pause()).to.emit(s.ncp, "Paused").withArgs(s.deployer.address);
      await expect(s.ncp.connect(s.alice).deposit(s.batches.forest2020, 1n)).to.be.revertedWithCustomError(
        s.ncp,
        "EnforcedPause",
      );
      await expect(s.ncp.unpause()).to.emit(s.ncp, "Unpaused").withArgs(s.deployer.address);
      await expect(s.ncp.connect(s.alice).deposit(s.batches.forest2020, 1n)).to.emit(s.ncp, "Deposited");
    });

    it("applies new criteria to later deposits only: credits already in stay redeemable", async function () {
      const s = await loadFixture(withDeposits);
      await s.ncp.setCriteria({ minVintage: 2021, categoryMask: NATURE_MASK, standards: [] });
      await expect(s.ncp.connect(s.alice).deposit(s.batches.forest2020, 1n))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotEligible")
        .withArgs(s.batches.forest2020, Ineligibility.VintageTooOld);
      expect(await s.ncp.heldKg(s.batches.forest2020)).to.equal(100n * T);
      await s.ncp.connect(s.alice).redeem(s.batches.forest2020, 10n * T);
      const [ids] = await s.ncp.connect(s.alice).redeemAuto.staticCall(T);
      expect(ids).to.deep.equal([s.batches.forest2020]);
      await expectBacked(s.ncp, s.credit);
    });
  });

  describe("direct pushes (safeTransferFrom to the pool)", function () {
    it("count an eligible single push as a deposit for the sender", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      const tx = s.credit.connect(s.bob).safeTransferFrom(s.bob.address, pool, s.batches.mangrove2021, 2_000n, "0x");
      await expect(tx)
        .to.emit(s.ncp, "Deposited")
        .withArgs(s.bob.address, s.batches.mangrove2021, 2_000n, tokens(2_000n));
      await expect(tx).to.changeTokenBalances(s.ncp, [s.bob], [tokens(2_000n)]);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.mangrove2021]);
      await expectBacked(s.ncp, s.credit);
    });

    it("credit the owner, not an approved operator who pushes the owner's credits", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      await s.credit.connect(s.bob).setApprovalForAll(s.dave.address, true);
      const tx = s.credit.connect(s.dave).safeTransferFrom(s.bob.address, pool, s.batches.mangrove2021, 700n, "0x");
      await expect(tx).to.changeTokenBalances(s.ncp, [s.bob, s.dave], [tokens(700n), 0n]);
    });

    it("count an eligible batch push as one deposit per batch", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      await s.credit
        .connect(s.bob)
        .safeTransferFrom(s.bob.address, s.alice.address, s.batches.mangrove2021, 5n * T, "0x");
      const tx = s.credit
        .connect(s.alice)
        .safeBatchTransferFrom(
          s.alice.address,
          pool,
          [s.batches.mangrove2021, s.batches.forest2020],
          [3n * T, 4n * T],
          "0x",
        );
      await expect(tx)
        .to.emit(s.ncp, "Deposited")
        .withArgs(s.alice.address, s.batches.mangrove2021, 3n * T, tokens(3n * T));
      await expect(tx)
        .to.emit(s.ncp, "Deposited")
        .withArgs(s.alice.address, s.batches.forest2020, 4n * T, tokens(4n * T));
      expect(await s.ncp.balanceOf(s.alice.address)).to.equal(tokens(7n * T));
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.mangrove2021, s.batches.forest2020]);
      await expectBacked(s.ncp, s.credit);
    });

    it("refuse ineligible pushes, single or in a batch, leaving nothing behind", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      await expect(s.credit.connect(s.alice).safeTransferFrom(s.alice.address, pool, s.batches.forest2015, 1n, "0x"))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotEligible")
        .withArgs(s.batches.forest2015, Ineligibility.VintageTooOld);
      await expect(
        s.credit
          .connect(s.alice)
          .safeBatchTransferFrom(s.alice.address, pool, [s.batches.forest2020, s.batches.solar2022], [1n, 1n], "0x"),
      )
        .to.be.revertedWithCustomError(s.ncp, "BatchNotEligible")
        .withArgs(s.batches.solar2022, Ineligibility.CategoryNotAllowed);
      await expectBacked(s.ncp, s.credit, [s.batches.forest2020, s.batches.forest2015, s.batches.solar2022]);
    });

    it("refuse pushes while paused and zero-amount pushes", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      await expect(
        s.credit.connect(s.alice).safeTransferFrom(s.alice.address, pool, s.batches.forest2020, 0n, "0x"),
      ).to.be.revertedWithCustomError(s.ncp, "ZeroAmount");
      await s.ncp.pause();
      await expect(
        s.credit.connect(s.alice).safeTransferFrom(s.alice.address, pool, s.batches.forest2020, 1n, "0x"),
      ).to.be.revertedWithCustomError(s.ncp, "EnforcedPause");
      await expect(
        s.credit.connect(s.alice).safeBatchTransferFrom(s.alice.address, pool, [s.batches.forest2020], [1n], "0x"),
      ).to.be.revertedWithCustomError(s.ncp, "EnforcedPause");
    });

    it("refuse credits issued straight to the pool (no owner to credit)", async function () {
      const s = await loadFixture(base);
      const pool = await s.ncp.getAddress();
      const next = (await s.credit.batchCount()) + 1n;
      await expect(
        s.credit
          .connect(s.verifier)
          .issue(issueParams(s.projects.mangrove, pool, { vintage: 2022, serialStart: 100n, serialEnd: 101n })),
      )
        .to.be.revertedWithCustomError(s.ncp, "MintToPoolNotAccepted")
        .withArgs(next);
    });

    it("refuse hook calls that do not come from the pool's CarbonCredit", async function () {
      const s = await loadFixture(base);
      await expect(
        s.ncp.connect(s.alice).onERC1155Received(s.alice.address, s.alice.address, s.batches.forest2020, 1n, "0x"),
      )
        .to.be.revertedWithCustomError(s.ncp, "UnsupportedToken")
        .withArgs(s.alice.address);
      await expect(
        s.ncp
          .connect(s.alice)
          .onERC1155BatchReceived(s.alice.address, s.alice.address, [s.batches.forest2020], [1n], "0x"),
      )
        .to.be.revertedWithCustomError(s.ncp, "UnsupportedToken")
        .withArgs(s.alice.address);
      // the pool's own operator address does not help an outsider either
      await expect(
        s.ncp
          .connect(s.alice)
          .onERC1155Received(await s.ncp.getAddress(), s.alice.address, s.batches.forest2020, 1n, "0x"),
      ).to.be.revertedWithCustomError(s.ncp, "UnsupportedToken");
      expect(await s.ncp.totalSupply()).to.equal(0n);
    });
  });

  describe("redeem", function () {
    it("burns amountKg × 1e15, moves the fee to the treasury, delivers the credits and emits Redeemed", async function () {
      const s = await loadFixture(withDeposits);
      const kg = 12_345n;
      const fee = feeOf(kg, 100n);
      expect(await s.ncp.connect(s.bob).redeem.staticCall(s.batches.forest2020, kg)).to.equal(tokens(kg));
      const tx = s.ncp.connect(s.bob).redeem(s.batches.forest2020, kg);
      await expect(tx).to.emit(s.ncp, "Redeemed").withArgs(s.bob.address, s.batches.forest2020, kg, tokens(kg), fee);
      await expect(tx).to.changeTokenBalances(s.ncp, [s.bob, s.treasury], [-(tokens(kg) + fee), fee]);
      expect(await s.credit.balanceOf(s.bob.address, s.batches.forest2020)).to.equal(kg);
      expect(await s.ncp.heldKg(s.batches.forest2020)).to.equal(100n * T - kg);
      await expectBacked(s.ncp, s.credit);
    });

    it("computes the fee exactly: 1 kg at 1 bps is 1e11 wei", async function () {
      const s = await loadFixture(withDeposits);
      await s.ncp.setFees(1, 0, s.treasury.address);
      await expect(s.ncp.connect(s.bob).redeem(s.batches.mangrove2021, 1n))
        .to.emit(s.ncp, "Redeemed")
        .withArgs(s.bob.address, s.batches.mangrove2021, 1n, TOKEN_PER_KG, 10n ** 11n);
    });

    it("sends nothing to the treasury when the fee is zero", async function () {
      const s = await loadFixture(withDeposits);
      await s.ncp.setFees(0, 0, s.treasury.address);
      const tx = s.ncp.connect(s.bob).redeem(s.batches.mangrove2021, 50n * T);
      await expect(tx).to.changeTokenBalances(s.ncp, [s.bob, s.treasury], [-tokens(50n * T), 0n]);
    });

    it("removes an emptied batch from the middle of the queue in O(1) and re-queues it at the tail later", async function () {
      const s = await loadFixture(withDeposits);
      // third batch: dave's forestry batch
      const extra = await issueBatch(
        s,
        issueParams(s.projects.forest, s.dave.address, { vintage: 2022, serialStart: 5001n, serialEnd: 5010n }),
      );
      await s.ncp.connect(s.dave).deposit(extra, 10n * T);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.forest2020, s.batches.mangrove2021, extra]);
      await s.ncp.connect(s.bob).redeem(s.batches.mangrove2021, 49_000n);
      await s.ncp.connect(s.alice).redeem(s.batches.mangrove2021, 1_000n);
      expect(await s.ncp.heldKg(s.batches.mangrove2021)).to.equal(0n);
      expect(await s.ncp.neighbours(s.batches.mangrove2021)).to.deep.equal([0n, 0n]);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.forest2020, extra]);
      await s.ncp.connect(s.bob).deposit(s.batches.mangrove2021, 1_000n);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.forest2020, extra, s.batches.mangrove2021]);
      // head and tail removal
      await s.ncp.connect(s.alice).redeem(s.batches.forest2020, 100n * T - 10n * T);
      await s.ncp.connect(s.dave).redeem(s.batches.forest2020, 9n * T);
      await s.ncp.connect(s.bob).redeem(s.batches.forest2020, T);
      expect(await queueOrder(s.ncp)).to.deep.equal([extra, s.batches.mangrove2021]);
      await s.ncp.connect(s.alice).redeem(s.batches.mangrove2021, 1_000n);
      expect(await queueOrder(s.ncp)).to.deep.equal([extra]);
      await expectBacked(s.ncp, s.credit, [s.batches.forest2020, s.batches.mangrove2021]);
    });

    it("reverts ZeroAmount, InsufficientPoolBalance and ERC20InsufficientBalance (amount + fee)", async function () {
      const s = await loadFixture(withDeposits);
      await expect(s.ncp.connect(s.bob).redeem(s.batches.forest2020, 0n)).to.be.revertedWithCustomError(
        s.ncp,
        "ZeroAmount",
      );
      await expect(s.ncp.connect(s.bob).redeem(s.batches.forest2020, 100n * T + 1n))
        .to.be.revertedWithCustomError(s.ncp, "InsufficientPoolBalance")
        .withArgs(s.batches.forest2020, 100n * T, 100n * T + 1n);
      await expect(s.ncp.connect(s.bob).redeem(s.batches.dac2024, 1n))
        .to.be.revertedWithCustomError(s.ncp, "InsufficientPoolBalance")
        .withArgs(s.batches.dac2024, 0n, 1n);
      // bob holds exactly 50 t of tokens: redeeming 50 t needs 50 t + 1 % fee
      await expect(s.ncp.connect(s.bob).redeem(s.batches.mangrove2021, 50n * T))
        .to.be.revertedWithCustomError(s.ncp, "ERC20InsufficientBalance")
        .withArgs(s.bob.address, tokens(50n * T), tokens(50n * T) + feeOf(50n * T, 100n));
      await expect(s.ncp.connect(s.carol).redeem(s.batches.mangrove2021, 1n))
        .to.be.revertedWithCustomError(s.ncp, "ERC20InsufficientBalance")
        .withArgs(s.carol.address, 0n, tokens(1n) + feeOf(1n, 100n));
    });

    it("keeps working while paused (holders can always exit)", async function () {
      const s = await loadFixture(withDeposits);
      await s.ncp.pause();
      await expect(s.ncp.connect(s.alice).redeem(s.batches.forest2020, T)).to.emit(s.ncp, "Redeemed");
      await expect(s.ncp.connect(s.alice).redeemAuto(T)).to.emit(s.ncp, "Redeemed");
      await expect(s.ncp.connect(s.alice).retireFromPool(0n, T, ethers.ZeroAddress, "A", "B")).to.emit(
        s.ncp,
        "RetiredFromPool",
      );
      await expect(s.ncp.connect(s.alice).transfer(s.bob.address, 1n)).to.emit(s.ncp, "Transfer");
    });

    it("lets a holder redeem a specific batch of a Suspended or Closed project", async function () {
      const s = await loadFixture(withDeposits);
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Suspended);
      await expect(s.ncp.connect(s.alice).redeem(s.batches.forest2020, T)).to.emit(s.ncp, "Redeemed");
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Closed);
      await expect(s.ncp.connect(s.alice).redeem(s.batches.forest2020, T)).to.emit(s.ncp, "Redeemed");
      expect(await s.credit.balanceOf(s.alice.address, s.batches.forest2020)).to.equal(2n * T);
      await expectBacked(s.ncp, s.credit);
    });
  });

  describe("redeemAuto", function () {
    it("takes the oldest batches first and returns what it took", async function () {
      const s = await loadFixture(withDeposits);
      const kg = 100n * T + 5n * T;
      await s.ncp.connect(s.bob).transfer(s.alice.address, tokens(50n * T));
      const [ids, amounts] = await s.ncp.connect(s.alice).redeemAuto.staticCall(kg);
      expect(ids).to.deep.equal([s.batches.forest2020, s.batches.mangrove2021]);
      expect(amounts).to.deep.equal([100n * T, 5n * T]);
      const tx = s.ncp.connect(s.alice).redeemAuto(kg);
      await expect(tx)
        .to.emit(s.ncp, "Redeemed")
        .withArgs(s.alice.address, s.batches.forest2020, 100n * T, tokens(100n * T), feeOf(100n * T, 100n));
      await expect(tx)
        .to.emit(s.ncp, "Redeemed")
        .withArgs(s.alice.address, s.batches.mangrove2021, 5n * T, tokens(5n * T), feeOf(5n * T, 100n));
      await expect(tx).to.changeTokenBalances(
        s.ncp,
        [s.alice, s.treasury],
        [-(tokens(kg) + feeOf(kg, 100n)), feeOf(kg, 100n)],
      );
      expect(await s.credit.balanceOf(s.alice.address, s.batches.forest2020)).to.equal(100n * T);
      expect(await s.credit.balanceOf(s.alice.address, s.batches.mangrove2021)).to.equal(5n * T);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.mangrove2021]);
      await expectBacked(s.ncp, s.credit, [s.batches.forest2020]);
    });

    it("takes part of the head batch and leaves it at the head", async function () {
      const s = await loadFixture(withDeposits);
      await s.ncp.connect(s.alice).redeemAuto(3n * T);
      expect(await s.ncp.heldKg(s.batches.forest2020)).to.equal(97n * T);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.forest2020, s.batches.mangrove2021]);
    });

    it("follows re-entry at the tail: a batch emptied and deposited again is now the newest", async function () {
      const s = await loadFixture(withDeposits);
      await s.ncp.connect(s.alice).redeem(s.batches.forest2020, 99n * T);
      await s.ncp.connect(s.bob).redeem(s.batches.forest2020, T / 2n);
      await s.ncp.connect(s.bob).redeem(s.batches.forest2020, T / 2n);
      await s.ncp.connect(s.alice).deposit(s.batches.forest2020, 2n * T);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.mangrove2021, s.batches.forest2020]);
      const [ids, amounts] = await s.ncp.connect(s.bob).redeemAuto.staticCall(10n * T);
      expect(ids).to.deep.equal([s.batches.mangrove2021]);
      expect(amounts).to.deep.equal([10n * T]);
    });

    it("skips batches of non-Active projects (BatchSkipped) and serves the next ones", async function () {
      const s = await loadFixture(withDeposits);
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Suspended);
      const tx = s.ncp.connect(s.alice).redeemAuto(10n * T);
      await expect(tx)
        .to.emit(s.ncp, "BatchSkipped")
        .withArgs(s.batches.forest2020, s.projects.forest, ProjectStatus.Suspended);
      await expect(tx)
        .to.emit(s.ncp, "Redeemed")
        .withArgs(s.alice.address, s.batches.mangrove2021, 10n * T, tokens(10n * T), feeOf(10n * T, 100n));
      expect(await s.ncp.heldKg(s.batches.forest2020)).to.equal(100n * T);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.forest2020, s.batches.mangrove2021]);
    });

    it("reverts NotEnoughActiveCredits when the Active batches hold too little", async function () {
      const s = await loadFixture(withDeposits);
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Suspended);
      await expect(s.ncp.connect(s.alice).redeemAuto(51n * T))
        .to.be.revertedWithCustomError(s.ncp, "NotEnoughActiveCredits")
        .withArgs(51n * T, 50n * T);
    });

    it("touches at most 20 batches: 20 one-tonne batches work, 21 revert AmountExceedsBatchesPerCall", async function () {
      const s = await loadFixture(withManyBatches);
      await expect(s.ncp.connect(s.dave).redeemAuto(21n * T))
        .to.be.revertedWithCustomError(s.ncp, "AmountExceedsBatchesPerCall")
        .withArgs(21n * T, 20n * T, 20n);
      const [ids, amounts] = await s.ncp.connect(s.dave).redeemAuto.staticCall(19n * T + 1n);
      expect(ids).to.deep.equal(s.many.slice(0, 20));
      expect(amounts[19]).to.equal(1n);
      await s.ncp.setFees(0, 0, s.treasury.address);
      await s.ncp.connect(s.dave).redeemAuto(20n * T);
      expect(await queueOrder(s.ncp)).to.deep.equal(s.many.slice(20));
      await expectBacked(s.ncp, s.credit, s.many);
    });

    it("counts skips against the cap", async function () {
      const s = await loadFixture(withManyBatches);
      const pool = s.ncp;
      const suspended = await activeProject(s, s.carol.address, { category: Category.Forestry });
      const sb = await issueBatch(s, issueParams(suspended, s.carol.address, { vintage: 2022, serialEnd: 1n }));
      await pool.connect(s.dave).redeemAuto(2n * T); // empties the first two many-batches
      await pool.connect(s.carol).deposit(sb, T);
      // queue now: many[2..21] (20 batches), then sb; suspending many's project makes the first 20 all skips
      await s.registry.connect(s.verifier).setProjectStatus(s.manyProject, ProjectStatus.Suspended);
      await expect(pool.connect(s.carol).redeemAuto(1n))
        .to.be.revertedWithCustomError(pool, "AmountExceedsBatchesPerCall")
        .withArgs(1n, 0n, 20n);
      const [, , covered] = await pool.previewAuto(1n);
      expect(covered).to.equal(0n);
      // after redeeming one skipped batch by id, 19 skips + sb fit in the cap
      await pool.connect(s.dave).redeem(s.many[2], T);
      const tx = pool.connect(s.carol).redeemAuto(1n);
      await expect(tx).to.emit(pool, "Redeemed").withArgs(s.carol.address, sb, 1n, tokens(1n), feeOf(1n, 100n));
      await expect(tx).to.emit(pool, "BatchSkipped").withArgs(s.many[21], s.manyProject, ProjectStatus.Suspended);
    });

    it("reverts ZeroAmount and ERC20InsufficientBalance", async function () {
      const s = await loadFixture(withDeposits);
      await expect(s.ncp.connect(s.alice).redeemAuto(0n)).to.be.revertedWithCustomError(s.ncp, "ZeroAmount");
      await expect(s.ncp.connect(s.carol).redeemAuto(T))
        .to.be.revertedWithCustomError(s.ncp, "ERC20InsufficientBalance")
        .withArgs(s.carol.address, 0n, tokens(T) + feeOf(T, 100n));
      const empty = s.tcp;
      await expect(empty.connect(s.alice).redeemAuto(1n))
        .to.be.revertedWithCustomError(empty, "NotEnoughActiveCredits")
        .withArgs(1n, 0n);
    });
  });

  describe("retireFromPool", function () {
    it("retires a chosen batch for the beneficiary with one certificate and burns the caller's tokens", async function () {
      const s = await loadFixture(withDeposits);
      const pool = await s.ncp.getAddress();
      const kg = 2_500n;
      const certId = await s.ncp
        .connect(s.alice)
        .retireFromPool.staticCall(s.batches.mangrove2021, kg, s.carol.address, "Carol Ltd", "2025 offsets");
      const tx = s.ncp
        .connect(s.alice)
        .retireFromPool(s.batches.mangrove2021, kg, s.carol.address, "Carol Ltd", "2025 offsets");
      await expect(tx)
        .to.emit(s.ncp, "RetiredFromPool")
        .withArgs(s.alice.address, s.batches.mangrove2021, certId, s.carol.address, kg, tokens(kg), 0n);
      await expect(tx)
        .to.emit(s.credit, "Retired")
        .withArgs(certId, s.batches.mangrove2021, pool, s.carol.address, kg, "Carol Ltd", "2025 offsets");
      await expect(tx).to.changeTokenBalances(s.ncp, [s.alice, s.treasury], [-tokens(kg), 0n]);
      expect(await s.certificate.ownerOf(certId)).to.equal(s.carol.address);
      const c = await s.certificate.certificate(certId);
      expect(c.batchIds).to.deep.equal([s.batches.mangrove2021]);
      expect(c.amountKg).to.equal(kg);
      expect(c.account).to.equal(pool);
      expect((await s.credit.batch(s.batches.mangrove2021)).retiredKg).to.equal(kg);
      await expectBacked(s.ncp, s.credit);
    });

    it("makes the caller the beneficiary when none is given (never the pool)", async function () {
      const s = await loadFixture(withDeposits);
      const certId = await s.ncp
        .connect(s.bob)
        .retireFromPool.staticCall(s.batches.forest2020, T, ethers.ZeroAddress, "", "");
      await expect(s.ncp.connect(s.bob).retireFromPool(s.batches.forest2020, T, ethers.ZeroAddress, "", ""))
        .to.emit(s.ncp, "RetiredFromPool")
        .withArgs(s.bob.address, s.batches.forest2020, certId, s.bob.address, T, tokens(T), 0n);
      expect(await s.certificate.ownerOf(certId)).to.equal(s.bob.address);
      const pool = await s.ncp.getAddress();
      await expect(s.ncp.connect(s.bob).retireFromPool(0n, T, pool, "", ""))
        .to.be.revertedWithCustomError(s.ncp, "InvalidBeneficiary")
        .withArgs(pool);
    });

    it("retires FIFO across batches under ONE certificate (batch 0 = auto) and charges the retire fee", async function () {
      const s = await loadFixture(withDeposits);
      await s.ncp.setFees(100, 50, s.treasury.address);
      const kg = 101n * T;
      await s.ncp.connect(s.bob).transfer(s.alice.address, tokens(10n * T));
      const certId = await s.ncp.connect(s.alice).retireFromPool.staticCall(0n, kg, s.dave.address, "Dave", "Net zero");
      const tx = s.ncp.connect(s.alice).retireFromPool(0n, kg, s.dave.address, "Dave", "Net zero");
      await expect(tx)
        .to.emit(s.ncp, "RetiredFromPool")
        .withArgs(
          s.alice.address,
          s.batches.forest2020,
          certId,
          s.dave.address,
          100n * T,
          tokens(100n * T),
          feeOf(100n * T, 50n),
        );
      await expect(tx)
        .to.emit(s.ncp, "RetiredFromPool")
        .withArgs(s.alice.address, s.batches.mangrove2021, certId, s.dave.address, T, tokens(T), feeOf(T, 50n));
      await expect(tx).to.changeTokenBalances(
        s.ncp,
        [s.alice, s.treasury],
        [-(tokens(kg) + feeOf(kg, 50n)), feeOf(kg, 50n)],
      );
      const c = await s.certificate.certificate(certId);
      expect(c.batchIds).to.deep.equal([s.batches.forest2020, s.batches.mangrove2021]);
      expect(c.amountKg).to.equal(kg);
      expect(await s.certificate.ownerOf(certId)).to.equal(s.dave.address);
      expect(await s.certificate.balanceOf(s.dave.address)).to.equal(1n);
      expect(await queueOrder(s.ncp)).to.deep.equal([s.batches.mangrove2021]);
      await expectBacked(s.ncp, s.credit, [s.batches.forest2020]);
    });

    it("retires auto from a single batch with a single-batch certificate", async function () {
      const s = await loadFixture(withDeposits);
      const certId = await s.ncp.connect(s.alice).retireFromPool.staticCall(0n, T, ethers.ZeroAddress, "A", "R");
      await s.ncp.connect(s.alice).retireFromPool(0n, T, ethers.ZeroAddress, "A", "R");
      const c = await s.certificate.certificate(certId);
      expect(c.batchIds).to.deep.equal([s.batches.forest2020]);
      expect(c.amountKg).to.equal(T);
    });

    it("skips non-Active projects in auto mode and refuses a chosen batch of one (ProjectNotActive)", async function () {
      const s = await loadFixture(withDeposits);
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Suspended);
      await expect(s.ncp.connect(s.alice).retireFromPool(s.batches.forest2020, T, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "ProjectNotActive")
        .withArgs(s.projects.forest, ProjectStatus.Suspended);
      const tx = s.ncp.connect(s.alice).retireFromPool(0n, T, ethers.ZeroAddress, "", "");
      await expect(tx)
        .to.emit(s.ncp, "BatchSkipped")
        .withArgs(s.batches.forest2020, s.projects.forest, ProjectStatus.Suspended);
      await expect(tx).to.emit(s.ncp, "RetiredFromPool");
      expect(await s.ncp.heldKg(s.batches.mangrove2021)).to.equal(49n * T);
    });

    it("reverts ZeroAmount, InsufficientPoolBalance, ERC20InsufficientBalance, caps and text limits", async function () {
      const s = await loadFixture(withManyBatches);
      await s.ncp.connect(s.alice).deposit(s.batches.forest2020, 10n * T);
      const p = s.ncp.connect(s.alice);
      await expect(p.retireFromPool(0n, 0n, ethers.ZeroAddress, "", "")).to.be.revertedWithCustomError(
        s.ncp,
        "ZeroAmount",
      );
      await expect(p.retireFromPool(s.batches.forest2020, 11n * T, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.ncp, "InsufficientPoolBalance")
        .withArgs(s.batches.forest2020, 10n * T, 11n * T);
      await expect(s.ncp.connect(s.carol).retireFromPool(s.batches.forest2020, T, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.ncp, "ERC20InsufficientBalance")
        .withArgs(s.carol.address, 0n, tokens(T));
      await expect(s.ncp.connect(s.dave).retireFromPool(0n, 21n * T, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.ncp, "AmountExceedsBatchesPerCall")
        .withArgs(21n * T, 20n * T, 20n);
      await expect(p.retireFromPool(s.batches.forest2020, T, ethers.ZeroAddress, "x".repeat(257), ""))
        .to.be.revertedWithCustomError(s.credit, "BeneficiaryNameTooLong")
        .withArgs(257n, 256n);
      await expect(p.retireFromPool(0n, 2n * T, ethers.ZeroAddress, "", "y".repeat(257)))
        .to.be.revertedWithCustomError(s.credit, "ReasonTooLong")
        .withArgs(257n, 256n);
      await s.registry.connect(s.verifier).setProjectStatus(s.manyProject, ProjectStatus.Suspended);
      await s.registry.connect(s.verifier).setProjectStatus(s.projects.forest, ProjectStatus.Suspended);
      await expect(s.tcp.connect(s.alice).retireFromPool(0n, 1n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.tcp, "NotEnoughActiveCredits")
        .withArgs(1n, 0n);
      await expectBacked(s.ncp, s.credit, s.many);
    });

    it("retires 20 batches in one call under one certificate", async function () {
      const s = await loadFixture(withManyBatches);
      const certId = await s.ncp.connect(s.dave).retireFromPool.staticCall(0n, 20n * T, ethers.ZeroAddress, "", "");
      await s.ncp.connect(s.dave).retireFromPool(0n, 20n * T, ethers.ZeroAddress, "", "");
      const c = await s.certificate.certificate(certId);
      expect(c.batchIds).to.deep.equal(s.many.slice(0, 20));
      expect(c.amountKg).to.equal(20n * T);
      expect(await queueOrder(s.ncp)).to.deep.equal(s.many.slice(20));
      await expectBacked(s.ncp, s.credit, s.many);
    });
  });

  describe("admin", function () {
    it("setCriteria stores the criteria and emits CriteriaUpdated; POOL_ADMIN only", async function () {
      const s = await loadFixture(base);
      const standards = Array.from({ length: 16 }, (_, i) => ethers.id(`std-${i}`));
      await expect(s.ncp.setCriteria({ minVintage: 2018, categoryMask: 3n, standards }))
        .to.emit(s.ncp, "CriteriaUpdated")
        .withArgs(2018n, 3n, standards);
      const c = await s.ncp.criteria();
      expect(c.minVintage).to.equal(2018n);
      expect(c.categoryMask).to.equal(3n);
      expect(c.standards).to.deep.equal(standards);
      await s.ncp.setCriteria({ minVintage: 0, categoryMask: 0n, standards: [] });
      expect((await s.ncp.criteria()).standards).to.deep.equal([]);
      await expect(s.ncp.connect(s.alice).setCriteria({ minVintage: 0, categoryMask: 0n, standards: [] }))
        .to.be.revertedWithCustomError(s.ncp, "AccessControlUnauthorizedAccount")
        .withArgs(s.alice.address, ROLE.POOL_ADMIN);
    });

    it("setCriteria refuses more than 16 standards and zero hashes", async function () {
      const s = await loadFixture(base);
      const standards = Array.from({ length: 17 }, (_, i) => ethers.id(`std-${i}`));
      await expect(s.ncp.setCriteria({ minVintage: 0, categoryMask: 1n, standards }))
        .to.be.revertedWithCustomError(s.ncp, "TooManyStandards")
        .withArgs(17n, 16n);
      await expect(s.ncp.setCriteria({ minVintage: 0, categoryMask: 1n, standards: [ethers.id("a"), ethers.ZeroHash] }))
        .to.be.revertedWithCustomError(s.ncp, "InvalidStandard")
        .withArgs(1n);
    });

    it("setFees stores fees and treasury (cap 1,000 bps each) and emits FeesUpdated; POOL_ADMIN only", async function () {
      const s = await loadFixture(base);
      await expect(s.ncp.setFees(1000, 1000, s.carol.address))
        .to.emit(s.ncp, "FeesUpdated")
        .withArgs(1000n, 1000n, s.carol.address);
      expect(await s.ncp.redeemFeeBps()).to.equal(1000n);
      expect(await s.ncp.retireFeeBps()).to.equal(1000n);
      expect(await s.ncp.treasury()).to.equal(s.carol.address);
      await expect(s.ncp.setFees(1001, 0, s.carol.address))
        .to.be.revertedWithCustomError(s.ncp, "FeeTooHigh")
        .withArgs(1001n, 1000n);
      await expect(s.ncp.setFees(0, 1001, s.carol.address))
        .to.be.revertedWithCustomError(s.ncp, "FeeTooHigh")
        .withArgs(1001n, 1000n);
      await expect(s.ncp.setFees(0, 0, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(s.ncp, "InvalidTreasury")
        .withArgs(ethers.ZeroAddress);
      await expect(s.ncp.connect(s.treasury).setFees(0, 0, s.treasury.address))
        .to.be.revertedWithCustomError(s.ncp, "AccessControlUnauthorizedAccount")
        .withArgs(s.treasury.address, ROLE.POOL_ADMIN);
    });

    it("pause needs PAUSER_ROLE and unpause DEFAULT_ADMIN_ROLE", async function () {
      const s = await loadFixture(base);
      await expect(s.ncp.connect(s.alice).pause())
        .to.be.revertedWithCustomError(s.ncp, "AccessControlUnauthorizedAccount")
        .withArgs(s.alice.address, ROLE.PAUSER);
      await s.ncp.pause();
      expect(await s.ncp.paused()).to.equal(true);
      await expect(s.ncp.connect(s.alice).unpause())
        .to.be.revertedWithCustomError(s.ncp, "AccessControlUnauthorizedAccount")
        .withArgs(s.alice.address, ROLE.DEFAULT_ADMIN);
    });

    it("a granted POOL_ADMIN can configure, a revoked one cannot", async function () {
      const s = await loadFixture(base);
      await s.ncp.grantRole(ROLE.POOL_ADMIN, s.carol.address);
      await expect(s.ncp.connect(s.carol).setFees(10, 10, s.carol.address)).to.emit(s.ncp, "FeesUpdated");
      await s.ncp.revokeRole(ROLE.POOL_ADMIN, s.carol.address);
      await expect(s.ncp.connect(s.carol).setFees(10, 10, s.carol.address)).to.be.revertedWithCustomError(
        s.ncp,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("ERC-20 and ERC-2612", function () {
    it("accepts a permit signed by the holder and lets the spender transferFrom", async function () {
      const s = await loadFixture(withDeposits);
      const pool = await s.ncp.getAddress();
      const value = tokens(5n * T);
      const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3600);
      const nonce = await s.ncp.nonces(s.alice.address);
      const sig = await signPermit(s.ncp, s.alice, s.dave.address, value, deadline);
      await expect(s.ncp.connect(s.dave).permit(s.alice.address, s.dave.address, value, deadline, sig.v, sig.r, sig.s))
        .to.emit(s.ncp, "Approval")
        .withArgs(s.alice.address, s.dave.address, value);
      expect(await s.ncp.nonces(s.alice.address)).to.equal(nonce + 1n);
      await expect(s.ncp.connect(s.dave).transferFrom(s.alice.address, s.dave.address, value)).to.changeTokenBalances(
        s.ncp,
        [s.alice, s.dave],
        [-value, value],
      );
      // replay fails
      await expect(
        s.ncp.connect(s.dave).permit(s.alice.address, s.dave.address, value, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(s.ncp, "ERC2612InvalidSigner");
    });

    it("refuses pool tokens sent to the pool itself (they would be stranded)", async function () {
      const s = await loadFixture(withDeposits);
      const pool = await s.ncp.getAddress();
      await expect(s.ncp.connect(s.alice).transfer(pool, 1n))
        .to.be.revertedWithCustomError(s.ncp, "ERC20InvalidReceiver")
        .withArgs(pool);
    });
  });

  describe("views", function () {
    it("holdings pages through the queue in order", async function () {
      const s = await loadFixture(withManyBatches);
      const [ids1, amounts1, next1] = await s.ncp.holdings(0n, 5n);
      expect(ids1).to.deep.equal(s.many.slice(0, 5));
      expect(amounts1).to.deep.equal(Array(5).fill(T));
      expect(next1).to.equal(s.many[5]);
      const [ids2, , next2] = await s.ncp.holdings(next1, 100n);
      expect(ids2).to.deep.equal(s.many.slice(5));
      expect(next2).to.equal(0n);
      const [ids3, , next3] = await s.ncp.holdings(999n, 10n);
      expect(ids3).to.deep.equal([]);
      expect(next3).to.equal(0n);
      const [ids4] = await s.tcp.holdings(0n, 10n);
      expect(ids4).to.deep.equal([]);
    });

    it("previewAuto shows what an auto path takes without reverting", async function () {
      const s = await loadFixture(withDeposits);
      const [ids, amounts, covered] = await s.ncp.previewAuto(120n * T);
      expect(ids).to.deep.equal([s.batches.forest2020, s.batches.mangrove2021]);
      expect(amounts).to.deep.equal([100n * T, 20n * T]);
      expect(covered).to.equal(120n * T);
      const [, , all] = await s.ncp.previewAuto(1_000n * T);
      expect(all).to.equal(150n * T);
    });
  });
});
