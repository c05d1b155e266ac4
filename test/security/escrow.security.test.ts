import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { EscrowBeneficiaryMock, ReentrantToken, MilestoneEscrow } from "../../typechain-types";
import { DAY, WINDOW, createDeal, dealInput, escrowSuite, feeOf, type EscrowSuite } from "../helpers/escrow";

const EVIDENCE = ethers.id("evidence");

describe("MilestoneEscrow security", function () {
  let s: EscrowSuite;
  let escrow: MilestoneEscrow;
  let escrowAddr: string;

  async function setup() {
    const base = await escrowSuite();
    const evil = (await (await ethers.getContractFactory("ReentrantToken")).deploy()) as unknown as ReentrantToken;
    const benMock = (await (
      await ethers.getContractFactory("EscrowBeneficiaryMock")
    ).deploy(await base.escrow.getAddress())) as unknown as EscrowBeneficiaryMock;
    await (await evil.mint(base.funder.address, 10n ** 24n)).wait();
    await (await evil.connect(base.funder).approve(await base.escrow.getAddress(), ethers.MaxUint256)).wait();
    return { base, evil, benMock };
  }

  let evil: ReentrantToken;
  let evilAddr: string;
  let benMock: EscrowBeneficiaryMock;

  beforeEach(async function () {
    const f = await loadFixture(setup);
    s = f.base;
    evil = f.evil;
    benMock = f.benMock;
    escrow = s.escrow;
    escrowAddr = await escrow.getAddress();
    evilAddr = await evil.getAddress();
  });

  /** A funded 1-milestone deal in the malicious token, released (threshold 1) so the beneficiary and treasury are owed. */
  async function releasedEvilDeal(amount = 1_000_000n, beneficiary = s.beneficiary.address): Promise<bigint> {
    const now = BigInt(await time.latest());
    const id = await createDeal(
      s,
      await dealInput(s, {
        token: evilAddr,
        beneficiary,
        threshold: 1,
        milestones: [{ amount, deadline: now + DAY, description: ethers.ZeroHash }],
      }),
    );
    await (await escrow.connect(s.funder).fund(id)).wait();
    await (await escrow.connect(s.v1).attest(id, 0, EVIDENCE)).wait();
    return id;
  }

  describe("malicious token re-entering the escrow during withdraw", function () {
    it("a re-entrant withdraw is stopped by the guard and the whole withdrawal reverts", async function () {
      await releasedEvilDeal();
      const owedBefore = await escrow.owed(s.beneficiary.address, evilAddr);
      await (
        await evil.arm(escrowAddr, escrowAddr, escrow.interface.encodeFunctionData("withdraw", [evilAddr]), true, true)
      ).wait();
      await expect(escrow.connect(s.beneficiary).withdraw(evilAddr)).to.be.revertedWithCustomError(
        escrow,
        "ReentrancyGuardReentrantCall",
      );
      expect(await escrow.owed(s.beneficiary.address, evilAddr)).to.equal(owedBefore);
      expect(await evil.balanceOf(s.beneficiary.address)).to.equal(0n);
    });

    it("when the token swallows the failed re-entry, the caller is paid exactly once", async function () {
      await releasedEvilDeal();
      const owedBefore = await escrow.owed(s.beneficiary.address, evilAddr);
      const liabilities = await escrow.totalLiabilities(evilAddr);
      await (
        await evil.arm(escrowAddr, escrowAddr, escrow.interface.encodeFunctionData("withdraw", [evilAddr]), true, false)
      ).wait();
      await expect(escrow.connect(s.beneficiary).withdraw(evilAddr)).to.changeTokenBalances(
        evil,
        [s.beneficiary, escrow],
        [owedBefore, -owedBefore],
      );
      expect(await evil.attempts()).to.equal(1n);
      expect(await evil.successes()).to.equal(0n);
      expect(await evil.lastRevert()).to.equal(escrow.interface.getError("ReentrancyGuardReentrantCall")!.selector);
      expect(await escrow.owed(s.beneficiary.address, evilAddr)).to.equal(0n);
      expect(await escrow.totalLiabilities(evilAddr)).to.equal(liabilities - owedBefore);
      expect(await evil.balanceOf(escrowAddr)).to.be.gte(await escrow.totalLiabilities(evilAddr));
    });

    it("re-entering fund from inside a withdraw is stopped by the guard too", async function () {
      await releasedEvilDeal();
      const other = await createDeal(s, await dealInput(s, { token: evilAddr }));
      await (
        await evil.arm(escrowAddr, escrowAddr, escrow.interface.encodeFunctionData("fund", [other]), true, true)
      ).wait();
      await expect(escrow.connect(s.treasury).withdraw(evilAddr)).to.be.revertedWithCustomError(
        escrow,
        "ReentrancyGuardReentrantCall",
      );
    });

    it("a re-entry into a function without money movement cannot double-pay (state is written before the transfer)", async function () {
      const id = await releasedEvilDeal();
      // re-enter cancel (not guarded: it only books amounts) during the treasury's withdrawal
      await (
        await evil.arm(escrowAddr, escrowAddr, escrow.interface.encodeFunctionData("cancel", [id]), true, false)
      ).wait();
      const fee = await escrow.owed(s.treasury.address, evilAddr);
      await expect(escrow.connect(s.treasury).withdraw(evilAddr)).to.changeTokenBalance(evil, s.treasury, fee);
      expect(await evil.attempts()).to.equal(1n);
      expect(await evil.successes()).to.equal(0n); // the token is not a party of the deal
      expect(await escrow.owed(s.treasury.address, evilAddr)).to.equal(0n);
    });
  });

  describe("malicious beneficiary contract", function () {
    let benAddr: string;
    beforeEach(async function () {
      benAddr = await benMock.getAddress();
    });

    it("cannot take what it is not owed, attest, resolve or cancel alone", async function () {
      const id = await createDeal(s, await dealInput(s, { beneficiary: benAddr }));
      await (await escrow.connect(s.funder).fund(id)).wait();
      await expect(benMock.callEscrow(escrow.interface.encodeFunctionData("attest", [id, 0, EVIDENCE])))
        .to.be.revertedWithCustomError(escrow, "NotDealVerifier")
        .withArgs(id, benAddr);
      await expect(benMock.callEscrow(escrow.interface.encodeFunctionData("fund", [id])))
        .to.be.revertedWithCustomError(escrow, "NotFunder")
        .withArgs(id, benAddr);
      await expect(benMock.withdraw(await s.usd.getAddress()))
        .to.be.revertedWithCustomError(escrow, "NothingOwed")
        .withArgs(benAddr, await s.usd.getAddress());
      await expect(benMock.cancel(id)).to.emit(escrow, "CancelConsent").withArgs(id, benAddr);
      expect((await escrow.deal(id)).status).to.equal(2n); // still Funded: consent alone does nothing
      await time.increaseTo((await escrow.milestone(id, 0)).deadline + 1n);
      await (await benMock.dispute(id, 0, ethers.id("pay me"))).wait();
      await expect(benMock.callEscrow(escrow.interface.encodeFunctionData("resolve", [id, 0, 10000])))
        .to.be.revertedWithCustomError(escrow, "NotArbiter")
        .withArgs(id, benAddr);
      await expect(
        benMock.callEscrow(escrow.interface.encodeFunctionData("refundExpired", [id, 0])),
      ).to.be.revertedWithCustomError(escrow, "RefundNotAvailable");
    });

    it("a beneficiary that never withdraws (or rejects ETH) cannot block the funder or the treasury", async function () {
      const now = BigInt(await time.latest());
      const id = await createDeal(
        s,
        await dealInput(s, {
          beneficiary: benAddr,
          threshold: 1,
          milestones: [
            { amount: 1_000_000n, deadline: now + DAY, description: ethers.ZeroHash },
            { amount: 2_000_000n, deadline: now + 2n * DAY, description: ethers.ZeroHash },
          ],
        }),
      );
      await (await escrow.connect(s.funder).fund(id)).wait();
      await (await escrow.connect(s.v1).attest(id, 0, EVIDENCE)).wait();
      await time.increaseTo(now + 2n * DAY + WINDOW + 1n);
      await (await escrow.refundExpired(id, 1)).wait();
      const usd = await s.usd.getAddress();
      await expect(escrow.connect(s.funder).withdraw(usd)).to.changeTokenBalance(s.usd, s.funder, 2_000_000n);
      await expect(escrow.connect(s.treasury).withdraw(usd)).to.changeTokenBalance(
        s.usd,
        s.treasury,
        feeOf(1_000_000n),
      );
      expect(await escrow.owed(benAddr, usd)).to.equal(1_000_000n - feeOf(1_000_000n));
      await expect(s.funder.sendTransaction({ to: benAddr, value: 1n })).to.be.reverted;
      await expect(benMock.withdraw(usd)).to.changeTokenBalance(s.usd, benAddr, 1_000_000n - feeOf(1_000_000n));
    });

    it("a funder cannot claw back a released milestone by cancelling", async function () {
      const id = await releasedEvilDeal(1_000_000n, benAddr);
      await expect(escrow.connect(s.funder).cancel(id))
        .to.be.revertedWithCustomError(escrow, "DealSettled")
        .withArgs(id);
      expect(await escrow.owed(benAddr, evilAddr)).to.equal(1_000_000n - feeOf(1_000_000n));
    });
  });

  describe("roles cannot move money they do not own", function () {
    it("the arbiter can only act on disputed milestones; verifiers only release to the beneficiary", async function () {
      const id = await createDeal(s, await dealInput(s, { threshold: 1 }));
      await (await escrow.connect(s.funder).fund(id)).wait();
      await expect(escrow.connect(s.arbiter).resolve(id, 1, 10000))
        .to.be.revertedWithCustomError(escrow, "MilestoneNotDisputed")
        .withArgs(id, 1n);
      await (await escrow.connect(s.v1).attest(id, 0, EVIDENCE)).wait();
      const usd = await s.usd.getAddress();
      expect(await escrow.owed(s.v1.address, usd)).to.equal(0n);
      expect(await escrow.owed(s.arbiter.address, usd)).to.equal(0n);
      await expect(escrow.connect(s.v1).withdraw(usd)).to.be.revertedWithCustomError(escrow, "NothingOwed");
      await expect(escrow.connect(s.deployer).withdraw(usd)).to.be.revertedWithCustomError(escrow, "NothingOwed");
    });
  });
});
