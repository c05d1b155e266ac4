import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { EscrowFunderMock, MilestoneEscrow } from "../../../typechain-types";
import { ProjectStatus, ROLE, projectInput } from "../../helpers/suite";
import {
  BPS,
  DAY,
  DealStatus,
  FEE_BPS,
  MilestoneState,
  WINDOW,
  createDeal,
  dealInput,
  escrowSuite,
  feeOf,
  fundedDeal,
  type EscrowSuite,
} from "../../helpers/escrow";
import { signPermit } from "../../../sdk";

const M1 = 1_000_000_000n;
const M2 = 2_000_000_000n;
const M3 = 3_000_000_000n;
const TOTAL = M1 + M2 + M3;
const EVIDENCE = ethers.id("site-visit-report.pdf");
const REASON = ethers.id("work done, verifiers absent");

describe("MilestoneEscrow", function () {
  let s: EscrowSuite;
  let escrow: MilestoneEscrow;
  let usdAddr: string;

  beforeEach(async function () {
    s = await loadFixture(escrowSuite);
    escrow = s.escrow;
    usdAddr = await s.usd.getAddress();
  });

  async function deadlineOf(dealId: bigint, index: number): Promise<bigint> {
    return (await escrow.milestone(dealId, index)).deadline;
  }

  async function releaseFirst(dealId: bigint): Promise<void> {
    await (await escrow.connect(s.v1).attest(dealId, 0, EVIDENCE)).wait();
    await (await escrow.connect(s.v2).attest(dealId, 0, EVIDENCE)).wait();
  }

  async function disputeAt(dealId: bigint, index: number, offset: bigint, by = s.beneficiary): Promise<bigint> {
    const at = (await deadlineOf(dealId, index)) + offset;
    await time.setNextBlockTimestamp(at);
    await (await escrow.connect(by).dispute(dealId, index, REASON)).wait();
    return at;
  }

  describe("deployment", function () {
    it("is wired to the registry and the treasury with a 1 % fee, deployer admin and pauser", async function () {
      expect(await escrow.registry()).to.equal(await s.registry.getAddress());
      expect(await escrow.treasury()).to.equal(s.treasury.address);
      expect(await escrow.feeBps()).to.equal(FEE_BPS);
      expect(await escrow.hasRole(ROLE.DEFAULT_ADMIN, s.deployer.address)).to.equal(true);
      expect(await escrow.hasRole(ROLE.PAUSER, s.deployer.address)).to.equal(true);
      expect(await escrow.dealCount()).to.equal(0n);
      expect(await escrow.MAX_FEE_BPS()).to.equal(1000n);
    });

    it("refuses a zero treasury and a fee above the cap", async function () {
      const f = await ethers.getContractFactory("MilestoneEscrow");
      const reg = await s.registry.getAddress();
      await expect(f.deploy(s.deployer.address, reg, ethers.ZeroAddress, 100))
        .to.be.revertedWithCustomError(escrow, "InvalidTreasury")
        .withArgs(ethers.ZeroAddress);
      await expect(f.deploy(s.deployer.address, reg, s.treasury.address, 1001))
        .to.be.revertedWithCustomError(escrow, "FeeTooHigh")
        .withArgs(1001, 1000);
    });
  });

  describe("createDeal", function () {
    it("records the deal, makes the caller the funder and emits DealCreated and DealTerms", async function () {
      const input = await dealInput(s);
      await expect(escrow.connect(s.funder).createDeal(input))
        .to.emit(escrow, "DealCreated")
        .withArgs(1n, s.projectId, s.funder.address, s.beneficiary.address, usdAddr, TOTAL, 2)
        .and.to.emit(escrow, "DealTerms")
        .withArgs(1n, s.arbiter.address, WINDOW, FEE_BPS, input.verifiers, anyValue);
      const d = await escrow.deal(1n);
      expect(d.projectId).to.equal(s.projectId);
      expect(d.funder).to.equal(s.funder.address);
      expect(d.beneficiary).to.equal(s.beneficiary.address);
      expect(d.token).to.equal(usdAddr);
      expect(d.arbiter).to.equal(s.arbiter.address);
      expect(d.total).to.equal(TOTAL);
      expect(d.disputeWindow).to.equal(WINDOW);
      expect(d.feeBps).to.equal(FEE_BPS);
      expect(d.threshold).to.equal(2n);
      expect(d.milestoneCount).to.equal(3n);
      expect(d.verifierCount).to.equal(3n);
      expect(d.openMilestones).to.equal(3n);
      expect(d.status).to.equal(DealStatus.Created);
      expect(d.funderConsentsToCancel).to.equal(false);
      expect(d.beneficiaryConsentsToCancel).to.equal(false);
      const m = await escrow.milestone(1n, 1);
      const mi = (input.milestones as { amount: bigint; deadline: bigint }[])[1];
      expect(m.amount).to.equal(M2);
      expect(m.deadline).to.equal(mi.deadline);
      expect(m.state).to.equal(MilestoneState.Pending);
      expect(m.attestations).to.equal(0n);
      expect(m.attestedMask).to.equal(0n);
      expect(m.disputedAt).to.equal(0n);
      expect(await escrow.verifiers(1n)).to.deep.equal([s.v1.address, s.v2.address, s.v3.address]);
      expect(await escrow.dealCount()).to.equal(1n);
      expect(await escrow.totalLiabilities(usdAddr)).to.equal(0n);
    });

    it("emits every milestone's amount, deadline and document hash in DealTerms", async function () {
      const input = await dealInput(s);
      const rc = await (await escrow.connect(s.funder).createDeal(input)).wait();
      const log = rc!.logs.map((l) => escrow.interface.parseLog(l)).find((e) => e?.name === "DealTerms")!;
      const ms = log.args.milestones as { amount: bigint; deadline: bigint; description: string }[];
      const inMs = input.milestones as { amount: bigint; deadline: bigint; description: string }[];
      expect(ms.map((m) => [m.amount, m.deadline, m.description])).to.deep.equal(
        inMs.map((m) => [m.amount, m.deadline, m.description]),
      );
    });

    it("accepts the bounds: 16 verifiers with threshold 16 and 32 milestones", async function () {
      const extra = [s.deployer, s.treasury, s.carol, s.outsider, ...s.signers.slice(10, 19)];
      for (const v of extra) await (await s.registry.grantRole(ROLE.VERIFIER, v.address)).wait();
      const vs = [s.v1, s.v2, s.v3, ...extra].map((x) => x.address);
      expect(vs.length).to.equal(16);
      const now = BigInt(await time.latest());
      const milestones = Array.from({ length: 32 }, (_, i) => ({
        amount: 1n,
        deadline: now + BigInt(i + 1) * DAY,
        description: ethers.ZeroHash,
      }));
      const id = await createDeal(s, await dealInput(s, { verifiers: vs, threshold: 16, milestones }));
      await (await escrow.connect(s.funder).fund(id)).wait();
      const signers = [s.v1, s.v2, s.v3, ...extra];
      for (let i = 0; i < 15; i++) await (await escrow.connect(signers[i]).attest(id, 31, EVIDENCE)).wait();
      expect((await escrow.milestone(id, 31)).state).to.equal(MilestoneState.Pending);
      await expect(escrow.connect(signers[15]).attest(id, 31, EVIDENCE))
        .to.emit(escrow, "MilestoneReleased")
        .withArgs(id, 31n, 1n, 0n);
      expect((await escrow.milestone(id, 31)).attestedMask).to.equal(0xffffn);
    });

    it("refuses a project that is unknown, pending, suspended or beyond 96 bits", async function () {
      const pending = projectInput(s.bob.address);
      const pendingId = await s.registry.registerProject.staticCall(pending);
      await (await s.registry.registerProject(pending)).wait();
      for (const id of [999n, 2n ** 96n]) {
        await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { projectId: id })))
          .to.be.revertedWithCustomError(escrow, "ProjectNotFound")
          .withArgs(id);
      }
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { projectId: pendingId })))
        .to.be.revertedWithCustomError(escrow, "ProjectNotActive")
        .withArgs(pendingId, ProjectStatus.Pending);
      await (await s.registry.connect(s.verifier).setProjectStatus(s.projectId, ProjectStatus.Suspended)).wait();
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s)))
        .to.be.revertedWithCustomError(escrow, "ProjectNotActive")
        .withArgs(s.projectId, ProjectStatus.Suspended);
    });

    it("refuses zero beneficiary, zero token, a token without code and zero arbiter", async function () {
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { beneficiary: ethers.ZeroAddress })))
        .to.be.revertedWithCustomError(escrow, "ZeroAddress")
        .withArgs("beneficiary");
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { token: ethers.ZeroAddress })))
        .to.be.revertedWithCustomError(escrow, "ZeroAddress")
        .withArgs("token");
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { token: s.carol.address })))
        .to.be.revertedWithCustomError(escrow, "TokenNotContract")
        .withArgs(s.carol.address);
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { arbiter: ethers.ZeroAddress })))
        .to.be.revertedWithCustomError(escrow, "ZeroAddress")
        .withArgs("arbiter");
    });

    it("refuses an arbiter who is the funder or the beneficiary", async function () {
      for (const a of [s.funder.address, s.beneficiary.address]) {
        await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { arbiter: a })))
          .to.be.revertedWithCustomError(escrow, "ArbiterNotIndependent")
          .withArgs(a);
      }
    });

    it("refuses a dispute window shorter than 1 hour or longer than 365 days", async function () {
      for (const w of [3599n, 365n * DAY + 1n]) {
        await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { disputeWindow: w })))
          .to.be.revertedWithCustomError(escrow, "InvalidDisputeWindow")
          .withArgs(w, 3600n, 365n * DAY);
      }
    });

    it("refuses 0 or more than 16 verifiers and a threshold of 0 or above the verifier count", async function () {
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { verifiers: [] })))
        .to.be.revertedWithCustomError(escrow, "InvalidVerifierCount")
        .withArgs(0n, 16n);
      const many = s.signers.slice(3, 20).map((x) => x.address);
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { verifiers: many })))
        .to.be.revertedWithCustomError(escrow, "InvalidVerifierCount")
        .withArgs(17n, 16n);
      for (const t of [0, 4]) {
        await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { threshold: t })))
          .to.be.revertedWithCustomError(escrow, "InvalidThreshold")
          .withArgs(t, 3n);
      }
    });

    it("refuses a duplicate verifier and a verifier that is zero, the funder or the beneficiary", async function () {
      await expect(
        escrow
          .connect(s.funder)
          .createDeal(await dealInput(s, { verifiers: [s.v1.address, s.v2.address, s.v1.address] })),
      )
        .to.be.revertedWithCustomError(escrow, "DuplicateVerifier")
        .withArgs(s.v1.address);
      for (const v of [ethers.ZeroAddress, s.funder.address, s.beneficiary.address]) {
        await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { verifiers: [s.v1.address, v] })))
          .to.be.revertedWithCustomError(escrow, "VerifierNotIndependent")
          .withArgs(v);
      }
    });

    it("refuses 0 or more than 32 milestones", async function () {
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { milestones: [] })))
        .to.be.revertedWithCustomError(escrow, "InvalidMilestoneCount")
        .withArgs(0n, 32n);
      const now = BigInt(await time.latest());
      const ms = Array.from({ length: 33 }, (_, i) => ({
        amount: 1n,
        deadline: now + BigInt(i + 1) * DAY,
        description: ethers.ZeroHash,
      }));
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { milestones: ms })))
        .to.be.revertedWithCustomError(escrow, "InvalidMilestoneCount")
        .withArgs(33n, 32n);
    });

    it("refuses a zero amount and an amount beyond 128 bits", async function () {
      const now = BigInt(await time.latest());
      for (const amount of [0n, 2n ** 128n]) {
        const ms = [
          { amount: 5n, deadline: now + DAY, description: ethers.ZeroHash },
          { amount, deadline: now + 2n * DAY, description: ethers.ZeroHash },
        ];
        await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { milestones: ms })))
          .to.be.revertedWithCustomError(escrow, "InvalidMilestoneAmount")
          .withArgs(1n, amount);
      }
    });

    it("refuses a first deadline that is not in the future and deadlines that do not strictly increase", async function () {
      const now = BigInt(await time.latest());
      const next = now + 1n; // timestamp of the createDeal block
      await time.setNextBlockTimestamp(next);
      await expect(
        escrow
          .connect(s.funder)
          .createDeal(
            await dealInput(s, { milestones: [{ amount: 1n, deadline: next, description: ethers.ZeroHash }] }),
          ),
      )
        .to.be.revertedWithCustomError(escrow, "DeadlineNotInFuture")
        .withArgs(0n, next, next);
      const t = BigInt(await time.latest()) + DAY;
      const ms = [
        { amount: 1n, deadline: t, description: ethers.ZeroHash },
        { amount: 1n, deadline: t + 10n, description: ethers.ZeroHash },
        { amount: 1n, deadline: t + 10n, description: ethers.ZeroHash },
      ];
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s, { milestones: ms })))
        .to.be.revertedWithCustomError(escrow, "DeadlinesNotIncreasing")
        .withArgs(2n, t + 10n, t + 10n);
    });

    it("is stopped by pause", async function () {
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s))).to.be.revertedWithCustomError(
        escrow,
        "EnforcedPause",
      );
    });

    it("fixes the platform fee per deal at creation", async function () {
      const first = await createDeal(s, await dealInput(s));
      await expect(escrow.connect(s.deployer).setFeeBps(500))
        .to.emit(escrow, "EscrowFeeUpdated")
        .withArgs(FEE_BPS, 500);
      const second = await createDeal(s, await dealInput(s));
      expect((await escrow.deal(first)).feeBps).to.equal(FEE_BPS);
      expect((await escrow.deal(second)).feeBps).to.equal(500n);
      await (await escrow.connect(s.funder).fund(first)).wait();
      await (await escrow.connect(s.funder).fund(second)).wait();
      await releaseFirst(first);
      await releaseFirst(second);
      expect(await escrow.owed(s.treasury.address, usdAddr)).to.equal(feeOf(M1) + feeOf(M1, 500n));
    });
  });

  describe("fund", function () {
    it("pulls the total from the funder and locks it", async function () {
      const id = await createDeal(s, await dealInput(s));
      const tx = escrow.connect(s.funder).fund(id);
      await expect(tx).to.emit(escrow, "DealFunded").withArgs(id, TOTAL);
      await expect(tx).to.changeTokenBalances(s.usd, [s.funder, escrow], [-TOTAL, TOTAL]);
      expect((await escrow.deal(id)).status).to.equal(DealStatus.Funded);
      expect(await escrow.totalLiabilities(usdAddr)).to.equal(TOTAL);
    });

    it("refuses anyone but the funder, a second funding, an unknown and a cancelled deal", async function () {
      const id = await createDeal(s, await dealInput(s));
      await expect(escrow.connect(s.beneficiary).fund(id))
        .to.be.revertedWithCustomError(escrow, "NotFunder")
        .withArgs(id, s.beneficiary.address);
      await (await escrow.connect(s.funder).fund(id)).wait();
      await expect(escrow.connect(s.funder).fund(id))
        .to.be.revertedWithCustomError(escrow, "DealAlreadyFunded")
        .withArgs(id);
      await expect(escrow.connect(s.funder).fund(42n))
        .to.be.revertedWithCustomError(escrow, "DealNotFound")
        .withArgs(42n);
      const other = await createDeal(s, await dealInput(s));
      await (await escrow.connect(s.funder).cancel(other)).wait();
      await expect(escrow.connect(s.funder).fund(other))
        .to.be.revertedWithCustomError(escrow, "DealIsCancelled")
        .withArgs(other);
    });

    it("refuses when the project was suspended after creation", async function () {
      const id = await createDeal(s, await dealInput(s));
      await (await s.registry.connect(s.verifier).setProjectStatus(s.projectId, ProjectStatus.Suspended)).wait();
      await expect(escrow.connect(s.funder).fund(id))
        .to.be.revertedWithCustomError(escrow, "ProjectNotActive")
        .withArgs(s.projectId, ProjectStatus.Suspended);
    });

    it("refuses once the first milestone's deadline has passed", async function () {
      const id = await createDeal(s, await dealInput(s));
      const d0 = await deadlineOf(id, 0);
      await time.setNextBlockTimestamp(d0);
      await expect(escrow.connect(s.funder).fund(id))
        .to.be.revertedWithCustomError(escrow, "MilestoneExpired")
        .withArgs(id, 0n, d0);
    });

    it("is stopped by pause", async function () {
      const id = await createDeal(s, await dealInput(s));
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.funder).fund(id)).to.be.revertedWithCustomError(escrow, "EnforcedPause");
    });

    it("refuses a fee-on-transfer token with TokenTransferShortfall(expected, received)", async function () {
      const amount = 10n ** 18n;
      const now = BigInt(await time.latest());
      const id = await createDeal(
        s,
        await dealInput(s, {
          token: await s.fot.getAddress(),
          milestones: [{ amount, deadline: now + DAY, description: ethers.ZeroHash }],
        }),
      );
      await expect(escrow.connect(s.funder).fund(id))
        .to.be.revertedWithCustomError(escrow, "TokenTransferShortfall")
        .withArgs(amount, amount - amount / 100n);
      expect((await escrow.deal(id)).status).to.equal(DealStatus.Created);
    });

    it("fails in the token when the allowance is missing", async function () {
      const id = await createDeal(s, await dealInput(s));
      await (await s.usd.connect(s.funder).approve(await escrow.getAddress(), 0)).wait();
      await expect(escrow.connect(s.funder).fund(id)).to.be.revertedWithCustomError(
        s.usd,
        "ERC20InsufficientAllowance",
      );
    });
  });

  describe("fundWithPermit", function () {
    async function permit(owner = s.carol, value = TOTAL, deadline?: bigint) {
      const dl = deadline ?? BigInt(await time.latest()) + DAY;
      const sig = await signPermit(s.usd, owner, await escrow.getAddress(), value, dl);
      return { dl, sig };
    }

    it("funds without a prior approval", async function () {
      await (await s.usd.mint(s.carol.address, TOTAL)).wait();
      const id = await createDeal(s, await dealInput(s), s.carol);
      const { dl, sig } = await permit();
      const tx = escrow.connect(s.carol).fundWithPermit(id, dl, sig.v, sig.r, sig.s);
      await expect(tx).to.emit(escrow, "DealFunded").withArgs(id, TOTAL);
      await expect(tx).to.changeTokenBalances(s.usd, [s.carol, escrow], [-TOTAL, TOTAL]);
    });

    it("still funds when someone front-ran the permit", async function () {
      await (await s.usd.mint(s.carol.address, TOTAL)).wait();
      const id = await createDeal(s, await dealInput(s), s.carol);
      const { dl, sig } = await permit();
      await (await s.usd.permit(s.carol.address, await escrow.getAddress(), TOTAL, dl, sig.v, sig.r, sig.s)).wait();
      await expect(escrow.connect(s.carol).fundWithPermit(id, dl, sig.v, sig.r, sig.s)).to.emit(escrow, "DealFunded");
    });

    it("fails in the token on a bad signature and no allowance, and refuses an unknown deal and pause", async function () {
      await (await s.usd.mint(s.carol.address, TOTAL)).wait();
      const id = await createDeal(s, await dealInput(s), s.carol);
      const { dl, sig } = await permit(s.carol, TOTAL - 1n);
      await expect(escrow.connect(s.carol).fundWithPermit(id, dl, sig.v, sig.r, sig.s)).to.be.revertedWithCustomError(
        s.usd,
        "ERC20InsufficientAllowance",
      );
      await expect(escrow.connect(s.carol).fundWithPermit(77n, dl, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(escrow, "DealNotFound")
        .withArgs(77n);
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.carol).fundWithPermit(id, dl, sig.v, sig.r, sig.s)).to.be.revertedWithCustomError(
        escrow,
        "EnforcedPause",
      );
    });
  });

  describe("attest", function () {
    it("counts attestations and releases at the threshold: beneficiary owed amount − fee, treasury the fee", async function () {
      const id = await fundedDeal(s);
      await expect(escrow.connect(s.v1).attest(id, 0, EVIDENCE))
        .to.emit(escrow, "MilestoneAttested")
        .withArgs(id, 0n, s.v1.address, EVIDENCE, 1)
        .and.not.to.emit(escrow, "MilestoneReleased");
      expect(await escrow.hasAttested(id, 0, s.v1.address)).to.equal(true);
      expect(await escrow.hasAttested(id, 0, s.v2.address)).to.equal(false);
      expect(await escrow.hasAttested(id, 0, s.outsider.address)).to.equal(false);
      const fee = feeOf(M1);
      await expect(escrow.connect(s.v3).attest(id, 0, EVIDENCE))
        .to.emit(escrow, "MilestoneAttested")
        .withArgs(id, 0n, s.v3.address, EVIDENCE, 2)
        .and.to.emit(escrow, "MilestoneReleased")
        .withArgs(id, 0n, M1 - fee, fee);
      const m = await escrow.milestone(id, 0);
      expect(m.state).to.equal(MilestoneState.Released);
      expect(m.attestations).to.equal(2n);
      expect(m.attestedMask).to.equal(0b101n);
      expect(await escrow.owed(s.beneficiary.address, usdAddr)).to.equal(M1 - fee);
      expect(await escrow.owed(s.treasury.address, usdAddr)).to.equal(fee);
      expect((await escrow.deal(id)).openMilestones).to.equal(2n);
      expect(await escrow.totalLiabilities(usdAddr)).to.equal(TOTAL);
    });

    it("releases on a single attestation when the threshold is 1, up to and including the deadline", async function () {
      const id = await fundedDeal(s, { threshold: 1 });
      await time.setNextBlockTimestamp(await deadlineOf(id, 0));
      await expect(escrow.connect(s.v2).attest(id, 0, EVIDENCE))
        .to.emit(escrow, "MilestoneReleased")
        .withArgs(id, 0n, M1 - feeOf(M1), feeOf(M1));
    });

    it("refuses non-verifiers, a second attestation, after the deadline, and after release", async function () {
      const id = await fundedDeal(s);
      await expect(escrow.connect(s.outsider).attest(id, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "NotDealVerifier")
        .withArgs(id, s.outsider.address);
      await (await escrow.connect(s.v1).attest(id, 0, EVIDENCE)).wait();
      await expect(escrow.connect(s.v1).attest(id, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "AlreadyAttested")
        .withArgs(id, 0n, s.v1.address);
      await (await escrow.connect(s.v2).attest(id, 0, EVIDENCE)).wait();
      await expect(escrow.connect(s.v3).attest(id, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "MilestoneAlreadySettled")
        .withArgs(id, 0n, MilestoneState.Released);
      const d1 = await deadlineOf(id, 1);
      await time.setNextBlockTimestamp(d1 + 1n);
      await expect(escrow.connect(s.v1).attest(id, 1, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "MilestoneExpired")
        .withArgs(id, 1n, d1);
    });

    it("refuses an index out of range, an unknown, an unfunded and a cancelled deal", async function () {
      const id = await fundedDeal(s);
      await expect(escrow.connect(s.v1).attest(id, 3, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "MilestoneOutOfRange")
        .withArgs(id, 3n, 3n);
      await expect(escrow.connect(s.v1).attest(99n, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "DealNotFound")
        .withArgs(99n);
      const unfunded = await createDeal(s, await dealInput(s));
      await expect(escrow.connect(s.v1).attest(unfunded, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "DealNotFunded")
        .withArgs(unfunded);
      await (await escrow.connect(s.funder).cancel(unfunded)).wait();
      await expect(escrow.connect(s.v1).attest(unfunded, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "DealIsCancelled")
        .withArgs(unfunded);
    });

    it("refuses a listed verifier who no longer holds VERIFIER_ROLE", async function () {
      const id = await fundedDeal(s);
      await (await s.registry.revokeRole(ROLE.VERIFIER, s.v2.address)).wait();
      await expect(escrow.connect(s.v2).attest(id, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "VerifierRoleMissing")
        .withArgs(s.v2.address);
    });

    it("no longer counts an earlier attestation of a verifier who lost the role", async function () {
      const id = await fundedDeal(s);
      await (await escrow.connect(s.v1).attest(id, 0, EVIDENCE)).wait();
      await (await s.registry.revokeRole(ROLE.VERIFIER, s.v1.address)).wait();
      expect(await escrow.validAttestations(id, 0)).to.equal(0n);
      await expect(escrow.connect(s.v2).attest(id, 0, EVIDENCE))
        .to.emit(escrow, "MilestoneAttested")
        .withArgs(id, 0n, s.v2.address, EVIDENCE, 2)
        .and.not.to.emit(escrow, "MilestoneReleased");
      expect(await escrow.validAttestations(id, 0)).to.equal(1n);
      expect((await escrow.milestone(id, 0)).state).to.equal(MilestoneState.Pending);
      await expect(escrow.connect(s.v3).attest(id, 0, EVIDENCE)).to.emit(escrow, "MilestoneReleased");
      expect(await escrow.validAttestations(id, 0)).to.equal(2n);
    });

    it("refuses while the project is not Active", async function () {
      const id = await fundedDeal(s);
      await (await s.registry.connect(s.verifier).setProjectStatus(s.projectId, ProjectStatus.Suspended)).wait();
      await expect(escrow.connect(s.v1).attest(id, 0, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "ProjectNotActive")
        .withArgs(s.projectId, ProjectStatus.Suspended);
    });

    it("is stopped by pause", async function () {
      const id = await fundedDeal(s);
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.v1).attest(id, 0, EVIDENCE)).to.be.revertedWithCustomError(escrow, "EnforcedPause");
    });
  });

  describe("refundExpired", function () {
    it("lets anyone refund a milestone to the funder after deadline + dispute window, once", async function () {
      const id = await fundedDeal(s);
      const until = (await deadlineOf(id, 1)) + WINDOW;
      await time.setNextBlockTimestamp(until);
      await expect(escrow.connect(s.outsider).refundExpired(id, 1))
        .to.be.revertedWithCustomError(escrow, "RefundNotAvailable")
        .withArgs(id, 1n, until);
      await expect(escrow.connect(s.outsider).refundExpired(id, 1))
        .to.emit(escrow, "MilestoneRefunded")
        .withArgs(id, 1n, M2);
      expect(await escrow.owed(s.funder.address, usdAddr)).to.equal(M2);
      expect((await escrow.milestone(id, 1)).state).to.equal(MilestoneState.Refunded);
      await expect(escrow.refundExpired(id, 1))
        .to.be.revertedWithCustomError(escrow, "MilestoneAlreadySettled")
        .withArgs(id, 1n, MilestoneState.Refunded);
    });

    it("refuses a released milestone, an unfunded deal and an index out of range", async function () {
      const id = await fundedDeal(s);
      await releaseFirst(id);
      await time.increaseTo((await deadlineOf(id, 0)) + WINDOW + 1n);
      await expect(escrow.refundExpired(id, 0))
        .to.be.revertedWithCustomError(escrow, "MilestoneAlreadySettled")
        .withArgs(id, 0n, MilestoneState.Released);
      await expect(escrow.refundExpired(id, 5))
        .to.be.revertedWithCustomError(escrow, "MilestoneOutOfRange")
        .withArgs(id, 5n, 3n);
      const unfunded = await createDeal(s, await dealInput(s));
      await expect(escrow.refundExpired(unfunded, 0))
        .to.be.revertedWithCustomError(escrow, "DealNotFunded")
        .withArgs(unfunded);
    });

    it("refunds a dispute the arbiter left unresolved, dispute window after the dispute", async function () {
      const id = await fundedDeal(s);
      const at = await disputeAt(id, 0, 3n * DAY);
      await expect(escrow.refundExpired(id, 0))
        .to.be.revertedWithCustomError(escrow, "RefundNotAvailable")
        .withArgs(id, 0n, at + WINDOW);
      await time.increaseTo(at + WINDOW + 1n);
      await expect(escrow.refundExpired(id, 0)).to.emit(escrow, "MilestoneRefunded").withArgs(id, 0n, M1);
    });

    it("works while paused", async function () {
      const id = await fundedDeal(s);
      await (await escrow.connect(s.deployer).pause()).wait();
      await time.increaseTo((await deadlineOf(id, 0)) + WINDOW + 1n);
      await expect(escrow.refundExpired(id, 0)).to.emit(escrow, "MilestoneRefunded");
    });
  });

  describe("dispute", function () {
    it("opens only after the deadline, for the funder or the beneficiary, once, within the window", async function () {
      const id = await fundedDeal(s);
      const d0 = await deadlineOf(id, 0);
      await time.setNextBlockTimestamp(d0);
      await expect(escrow.connect(s.beneficiary).dispute(id, 0, REASON))
        .to.be.revertedWithCustomError(escrow, "DisputeTooEarly")
        .withArgs(id, 0n, d0);
      await expect(escrow.connect(s.outsider).dispute(id, 0, REASON))
        .to.be.revertedWithCustomError(escrow, "NotParty")
        .withArgs(id, s.outsider.address);
      await time.setNextBlockTimestamp(d0 + WINDOW);
      await expect(escrow.connect(s.beneficiary).dispute(id, 0, REASON))
        .to.emit(escrow, "DisputeRaised")
        .withArgs(id, 0n, s.beneficiary.address, REASON);
      const m = await escrow.milestone(id, 0);
      expect(m.state).to.equal(MilestoneState.Disputed);
      expect(m.disputedAt).to.equal(d0 + WINDOW);
      await expect(escrow.connect(s.funder).dispute(id, 0, REASON))
        .to.be.revertedWithCustomError(escrow, "MilestoneAlreadyDisputed")
        .withArgs(id, 0n);
      const d1 = await deadlineOf(id, 1);
      await time.increaseTo(d1 + WINDOW + 1n);
      await expect(escrow.connect(s.funder).dispute(id, 1, REASON))
        .to.be.revertedWithCustomError(escrow, "DisputeWindowClosed")
        .withArgs(id, 1n, d1 + WINDOW);
    });

    it("refuses a released milestone and is stopped by pause", async function () {
      const id = await fundedDeal(s);
      await releaseFirst(id);
      await time.increaseTo((await deadlineOf(id, 0)) + 1n);
      await expect(escrow.connect(s.funder).dispute(id, 0, REASON))
        .to.be.revertedWithCustomError(escrow, "MilestoneAlreadySettled")
        .withArgs(id, 0n, MilestoneState.Released);
      await time.increaseTo((await deadlineOf(id, 1)) + 1n);
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.funder).dispute(id, 1, REASON)).to.be.revertedWithCustomError(
        escrow,
        "EnforcedPause",
      );
    });
  });

  describe("resolve", function () {
    it("splits a disputed milestone 60/40, the fee on the beneficiary's share only", async function () {
      const id = await fundedDeal(s);
      await disputeAt(id, 2, DAY, s.funder);
      const released = (M3 * 6000n) / BPS;
      const fee = feeOf(released);
      await expect(escrow.connect(s.arbiter).resolve(id, 2, 6000))
        .to.emit(escrow, "DisputeResolved")
        .withArgs(id, 2n, 6000)
        .and.to.emit(escrow, "DisputeSettled")
        .withArgs(id, 2n, released - fee, fee, M3 - released);
      expect(await escrow.owed(s.beneficiary.address, usdAddr)).to.equal(released - fee);
      expect(await escrow.owed(s.treasury.address, usdAddr)).to.equal(fee);
      expect(await escrow.owed(s.funder.address, usdAddr)).to.equal(M3 - released);
      expect((await escrow.milestone(id, 2)).state).to.equal(MilestoneState.Resolved);
      await expect(escrow.connect(s.arbiter).resolve(id, 2, 0))
        .to.be.revertedWithCustomError(escrow, "MilestoneAlreadySettled")
        .withArgs(id, 2n, MilestoneState.Resolved);
      await time.increase(30n * DAY);
      await expect(escrow.refundExpired(id, 2))
        .to.be.revertedWithCustomError(escrow, "MilestoneAlreadySettled")
        .withArgs(id, 2n, MilestoneState.Resolved);
    });

    it("gives everything to the funder at 0 bps and everything minus fee to the beneficiary at 10000", async function () {
      const id = await fundedDeal(s);
      await disputeAt(id, 0, 1n);
      await expect(escrow.connect(s.arbiter).resolve(id, 0, 0))
        .to.emit(escrow, "DisputeSettled")
        .withArgs(id, 0n, 0n, 0n, M1);
      await disputeAt(id, 1, 1n, s.funder);
      await expect(escrow.connect(s.arbiter).resolve(id, 1, 10000))
        .to.emit(escrow, "DisputeSettled")
        .withArgs(id, 1n, M2 - feeOf(M2), feeOf(M2), 0n);
    });

    it("refuses anyone but the arbiter, releaseBps above 10000, an undisputed milestone and a late ruling", async function () {
      const id = await fundedDeal(s);
      await expect(escrow.connect(s.funder).resolve(id, 0, 5000))
        .to.be.revertedWithCustomError(escrow, "NotArbiter")
        .withArgs(id, s.funder.address);
      await expect(escrow.connect(s.arbiter).resolve(id, 0, 10001))
        .to.be.revertedWithCustomError(escrow, "InvalidReleaseBps")
        .withArgs(10001);
      await expect(escrow.connect(s.arbiter).resolve(id, 0, 5000))
        .to.be.revertedWithCustomError(escrow, "MilestoneNotDisputed")
        .withArgs(id, 0n);
      const at = await disputeAt(id, 0, DAY);
      await time.increaseTo(at + WINDOW + 1n);
      await expect(escrow.connect(s.arbiter).resolve(id, 0, 5000))
        .to.be.revertedWithCustomError(escrow, "ArbitrationClosed")
        .withArgs(id, 0n, at + WINDOW);
    });

    it("works while paused", async function () {
      const id = await fundedDeal(s);
      await disputeAt(id, 0, DAY);
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.arbiter).resolve(id, 0, 5000)).to.emit(escrow, "DisputeResolved");
    });
  });

  describe("cancel", function () {
    it("lets the funder cancel before funding, once, and nobody else", async function () {
      const id = await createDeal(s, await dealInput(s));
      await expect(escrow.connect(s.beneficiary).cancel(id))
        .to.be.revertedWithCustomError(escrow, "NotFunder")
        .withArgs(id, s.beneficiary.address);
      await expect(escrow.connect(s.funder).cancel(id))
        .to.emit(escrow, "DealCancelled")
        .withArgs(id, s.funder.address, 0n);
      expect((await escrow.deal(id)).status).to.equal(DealStatus.Cancelled);
      await expect(escrow.connect(s.funder).cancel(id))
        .to.be.revertedWithCustomError(escrow, "DealIsCancelled")
        .withArgs(id);
      await expect(escrow.cancel(55n)).to.be.revertedWithCustomError(escrow, "DealNotFound").withArgs(55n);
    });

    it("after funding needs both parties: the second consent returns every locked milestone to the funder", async function () {
      const id = await fundedDeal(s);
      await releaseFirst(id);
      await disputeAt(id, 1, DAY);
      await expect(escrow.connect(s.funder).cancel(id)).to.emit(escrow, "CancelConsent").withArgs(id, s.funder.address);
      expect((await escrow.deal(id)).funderConsentsToCancel).to.equal(true);
      await expect(escrow.connect(s.funder).cancel(id))
        .to.be.revertedWithCustomError(escrow, "CancelAlreadyConsented")
        .withArgs(id, s.funder.address);
      await expect(escrow.connect(s.outsider).cancel(id))
        .to.be.revertedWithCustomError(escrow, "NotParty")
        .withArgs(id, s.outsider.address);
      const tx = escrow.connect(s.beneficiary).cancel(id);
      await expect(tx)
        .to.emit(escrow, "DealCancelled")
        .withArgs(id, s.beneficiary.address, M2 + M3);
      await expect(tx).to.emit(escrow, "MilestoneCancelled").withArgs(id, 1n, M2);
      await expect(tx).to.emit(escrow, "MilestoneCancelled").withArgs(id, 2n, M3);
      expect(await escrow.owed(s.funder.address, usdAddr)).to.equal(M2 + M3);
      const d = await escrow.deal(id);
      expect(d.status).to.equal(DealStatus.Cancelled);
      expect(d.openMilestones).to.equal(0n);
      expect(d.beneficiaryConsentsToCancel).to.equal(true);
      expect((await escrow.milestone(id, 0)).state).to.equal(MilestoneState.Released);
      expect((await escrow.milestone(id, 1)).state).to.equal(MilestoneState.Cancelled);
      await expect(escrow.connect(s.v1).attest(id, 2, EVIDENCE))
        .to.be.revertedWithCustomError(escrow, "DealIsCancelled")
        .withArgs(id);
      await expect(escrow.connect(s.arbiter).resolve(id, 1, 1))
        .to.be.revertedWithCustomError(escrow, "DealIsCancelled")
        .withArgs(id);
      await expect(escrow.refundExpired(id, 2)).to.be.revertedWithCustomError(escrow, "DealIsCancelled").withArgs(id);
      await expect(escrow.connect(s.funder).cancel(id))
        .to.be.revertedWithCustomError(escrow, "DealIsCancelled")
        .withArgs(id);
    });

    it("works with the beneficiary first and while paused", async function () {
      const id = await fundedDeal(s);
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.beneficiary).cancel(id))
        .to.emit(escrow, "CancelConsent")
        .withArgs(id, s.beneficiary.address);
      await expect(escrow.connect(s.funder).cancel(id))
        .to.emit(escrow, "DealCancelled")
        .withArgs(id, s.funder.address, TOTAL);
    });

    it("refuses a funded deal whose milestones are all settled", async function () {
      const id = await fundedDeal(s, { threshold: 1 });
      for (const i of [0, 1, 2]) await (await escrow.connect(s.v1).attest(id, i, EVIDENCE)).wait();
      await expect(escrow.connect(s.funder).cancel(id))
        .to.be.revertedWithCustomError(escrow, "DealSettled")
        .withArgs(id);
    });

    it("lets a party revoke its standing consent", async function () {
      const id = await fundedDeal(s);
      await (await escrow.connect(s.funder).cancel(id)).wait();
      await expect(escrow.connect(s.beneficiary).revokeCancelConsent(id))
        .to.be.revertedWithCustomError(escrow, "NoCancelConsent")
        .withArgs(id, s.beneficiary.address);
      await expect(escrow.connect(s.outsider).revokeCancelConsent(id))
        .to.be.revertedWithCustomError(escrow, "NotParty")
        .withArgs(id, s.outsider.address);
      await expect(escrow.connect(s.funder).revokeCancelConsent(id))
        .to.emit(escrow, "CancelConsentRevoked")
        .withArgs(id, s.funder.address);
      expect((await escrow.deal(id)).funderConsentsToCancel).to.equal(false);
      await expect(escrow.connect(s.beneficiary).cancel(id)).to.emit(escrow, "CancelConsent");
      expect((await escrow.deal(id)).status).to.equal(DealStatus.Funded);
      const unfunded = await createDeal(s, await dealInput(s));
      await expect(escrow.connect(s.funder).revokeCancelConsent(unfunded))
        .to.be.revertedWithCustomError(escrow, "DealNotFunded")
        .withArgs(unfunded);
    });
  });

  describe("withdraw", function () {
    it("pays everything owed in a token and resets it", async function () {
      const id = await fundedDeal(s);
      await releaseFirst(id);
      const net = M1 - feeOf(M1);
      const tx = escrow.connect(s.beneficiary).withdraw(usdAddr);
      await expect(tx).to.emit(escrow, "Withdrawn").withArgs(s.beneficiary.address, usdAddr, net);
      await expect(tx).to.changeTokenBalances(s.usd, [s.beneficiary, escrow], [net, -net]);
      expect(await escrow.owed(s.beneficiary.address, usdAddr)).to.equal(0n);
      expect(await escrow.totalLiabilities(usdAddr)).to.equal(TOTAL - net);
      expect(await escrow.connect(s.treasury).withdraw.staticCall(usdAddr)).to.equal(feeOf(M1));
    });

    it("refuses when nothing is owed", async function () {
      await expect(escrow.connect(s.beneficiary).withdraw(usdAddr))
        .to.be.revertedWithCustomError(escrow, "NothingOwed")
        .withArgs(s.beneficiary.address, usdAddr);
    });

    it("works while paused", async function () {
      const id = await fundedDeal(s);
      await releaseFirst(id);
      await (await escrow.connect(s.deployer).pause()).wait();
      await expect(escrow.connect(s.treasury).withdraw(usdAddr)).to.changeTokenBalance(s.usd, s.treasury, feeOf(M1));
    });
  });

  describe("administration", function () {
    it("lets only the admin set the fee (capped) and the treasury (non-zero)", async function () {
      await expect(escrow.connect(s.outsider).setFeeBps(10))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
      await expect(escrow.connect(s.deployer).setFeeBps(1001))
        .to.be.revertedWithCustomError(escrow, "FeeTooHigh")
        .withArgs(1001, 1000);
      await expect(escrow.connect(s.outsider).setTreasury(s.carol.address))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
      await expect(escrow.connect(s.deployer).setTreasury(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(escrow, "InvalidTreasury")
        .withArgs(ethers.ZeroAddress);
    });

    it("credits fees of later releases to a new treasury while the old one keeps what it is owed", async function () {
      const id = await fundedDeal(s, { threshold: 1 });
      await (await escrow.connect(s.v1).attest(id, 0, EVIDENCE)).wait();
      await expect(escrow.connect(s.deployer).setTreasury(s.carol.address))
        .to.emit(escrow, "TreasuryUpdated")
        .withArgs(s.treasury.address, s.carol.address);
      await (await escrow.connect(s.v1).attest(id, 1, EVIDENCE)).wait();
      expect(await escrow.owed(s.treasury.address, usdAddr)).to.equal(feeOf(M1));
      expect(await escrow.owed(s.carol.address, usdAddr)).to.equal(feeOf(M2));
    });

    it("lets only a pauser pause and only the admin unpause", async function () {
      await expect(escrow.connect(s.outsider).pause())
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.PAUSER);
      await expect(escrow.connect(s.deployer).pause()).to.emit(escrow, "Paused").withArgs(s.deployer.address);
      await expect(escrow.connect(s.outsider).unpause())
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
      await expect(escrow.connect(s.deployer).unpause()).to.emit(escrow, "Unpaused").withArgs(s.deployer.address);
      await expect(escrow.connect(s.funder).createDeal(await dealInput(s))).to.emit(escrow, "DealCreated");
    });
  });

  describe("views", function () {
    it("reject unknown deals and out-of-range milestones", async function () {
      await expect(escrow.deal(1n)).to.be.revertedWithCustomError(escrow, "DealNotFound").withArgs(1n);
      await expect(escrow.verifiers(1n)).to.be.revertedWithCustomError(escrow, "DealNotFound").withArgs(1n);
      const id = await createDeal(s, await dealInput(s));
      await expect(escrow.milestone(id, 3))
        .to.be.revertedWithCustomError(escrow, "MilestoneOutOfRange")
        .withArgs(id, 3n, 3n);
      await expect(escrow.hasAttested(id, 9, s.v1.address)).to.be.revertedWithCustomError(
        escrow,
        "MilestoneOutOfRange",
      );
      await expect(escrow.validAttestations(id, 9)).to.be.revertedWithCustomError(escrow, "MilestoneOutOfRange");
    });

    it("supports the IAccessControl interface (ERC-165)", async function () {
      expect(await escrow.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
    });
  });

  describe("tokens", function () {
    it("works end to end with an 18-decimal token", async function () {
      const t = await s.token18.getAddress();
      const now = BigInt(await time.latest());
      const amount = 12_345n * 10n ** 18n + 7n;
      const id = await fundedDeal(s, {
        token: t,
        threshold: 1,
        milestones: [{ amount, deadline: now + DAY, description: ethers.ZeroHash }],
      });
      await (await escrow.connect(s.v1).attest(id, 0, EVIDENCE)).wait();
      const fee = feeOf(amount);
      await expect(escrow.connect(s.beneficiary).withdraw(t)).to.changeTokenBalance(
        s.token18,
        s.beneficiary,
        amount - fee,
      );
      await expect(escrow.connect(s.treasury).withdraw(t)).to.changeTokenBalance(s.token18, s.treasury, fee);
      expect(await s.token18.balanceOf(await escrow.getAddress())).to.equal(0n);
      expect(await escrow.totalLiabilities(t)).to.equal(0n);
    });

    it("works end to end with a token whose transfer and transferFrom return no bool", async function () {
      const t = await s.noReturn.getAddress();
      const id = await fundedDeal(s, { token: t });
      expect(await s.noReturn.balanceOf(await escrow.getAddress())).to.equal(TOTAL);
      await releaseFirst(id);
      await time.increaseTo((await deadlineOf(id, 2)) + WINDOW + 1n);
      await (await escrow.refundExpired(id, 1)).wait();
      await (await escrow.refundExpired(id, 2)).wait();
      const before = await s.noReturn.balanceOf(s.funder.address);
      await (await escrow.connect(s.funder).withdraw(t)).wait();
      await (await escrow.connect(s.beneficiary).withdraw(t)).wait();
      await (await escrow.connect(s.treasury).withdraw(t)).wait();
      expect((await s.noReturn.balanceOf(s.funder.address)) - before).to.equal(M2 + M3);
      expect(await s.noReturn.balanceOf(s.beneficiary.address)).to.equal(M1 - feeOf(M1));
      expect(await s.noReturn.balanceOf(s.treasury.address)).to.equal(feeOf(M1));
      expect(await s.noReturn.balanceOf(await escrow.getAddress())).to.equal(0n);
    });
  });

  describe("contract funder", function () {
    it("a contract can create, approve-and-fund, dispute and withdraw its refund", async function () {
      const mock = (await (
        await ethers.getContractFactory("EscrowFunderMock")
      ).deploy(await escrow.getAddress())) as unknown as EscrowFunderMock;
      const mockAddr = await mock.getAddress();
      await (await s.usd.mint(mockAddr, TOTAL)).wait();
      const input = await dealInput(s);
      const tx = mock.createAndFund(input);
      await expect(tx).to.emit(escrow, "DealFunded").withArgs(1n, TOTAL);
      await expect(tx).to.changeTokenBalances(s.usd, [mockAddr, await escrow.getAddress()], [-TOTAL, TOTAL]);
      expect((await escrow.deal(1n)).funder).to.equal(mockAddr);
      await releaseFirst(1n);
      await time.increaseTo((await deadlineOf(1n, 1)) + 1n);
      await expect(mock.dispute(1n, 1, REASON))
        .to.emit(escrow, "DisputeRaised")
        .withArgs(1n, 1n, mockAddr, REASON);
      await (await escrow.connect(s.arbiter).resolve(1n, 1, 0)).wait();
      await expect(mock.withdraw(usdAddr)).to.changeTokenBalance(s.usd, mockAddr, M2);
      await (await mock.cancel(1n)).wait();
      await expect(escrow.connect(s.beneficiary).cancel(1n))
        .to.emit(escrow, "DealCancelled")
        .withArgs(1n, s.beneficiary.address, M3);
      await expect(mock.withdraw(usdAddr)).to.changeTokenBalance(s.usd, mockAddr, M3);
    });

    it("a contract funder can cancel its unfunded deal", async function () {
      const mock = (await (
        await ethers.getContractFactory("EscrowFunderMock")
      ).deploy(await escrow.getAddress())) as unknown as EscrowFunderMock;
      await (await mock.create(await dealInput(s))).wait();
      await expect(mock.cancel(1n))
        .to.emit(escrow, "DealCancelled")
        .withArgs(1n, await mock.getAddress(), 0n);
    });
  });

  describe("full story", function () {
    it("funded = beneficiary + treasury + funder refunds, and the escrow ends empty", async function () {
      const id = await fundedDeal(s);
      const funderStart = (await s.usd.balanceOf(s.funder.address)) + TOTAL;
      await releaseFirst(id);
      await time.increaseTo((await deadlineOf(id, 1)) + WINDOW + 1n);
      await (await escrow.refundExpired(id, 1)).wait();
      await disputeAt(id, 2, DAY);
      await (await escrow.connect(s.arbiter).resolve(id, 2, 6000)).wait();
      for (const who of [s.funder, s.beneficiary, s.treasury])
        await (await escrow.connect(who).withdraw(usdAddr)).wait();
      const toFunder = (await s.usd.balanceOf(s.funder.address)) - (funderStart - TOTAL);
      const toBen = await s.usd.balanceOf(s.beneficiary.address);
      const toTreasury = await s.usd.balanceOf(s.treasury.address);
      expect(toFunder + toBen + toTreasury).to.equal(TOTAL);
      const r3 = (M3 * 6000n) / BPS;
      expect(toBen).to.equal(M1 - feeOf(M1) + r3 - feeOf(r3));
      expect(toTreasury).to.equal(feeOf(M1) + feeOf(r3));
      expect(toFunder).to.equal(M2 + M3 - r3);
      expect(await s.usd.balanceOf(await escrow.getAddress())).to.equal(0n);
      expect(await escrow.totalLiabilities(usdAddr)).to.equal(0n);
      expect((await escrow.deal(id)).openMilestones).to.equal(0n);
    });
  });
});
