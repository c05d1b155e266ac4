import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ReentrantActor, RejectingERC1155Receiver } from "../../typechain-types";
import { ROLE } from "../helpers/suite";
import { creditsSuite, issue, range, walkRanges, type CreditsSuite } from "../helpers/credits";

/** What the hostile receiver calls on CarbonCredit from its receipt callback. */
type Attack = "issue" | "issueWithHint" | "retire" | "retireBatch" | "transfer";
const Mode = { Accept: 0, WrongMagic: 1, CustomError: 2, EmptyRevert: 3 } as const;
const Z = ethers.ZeroAddress;

describe("CarbonCredit security", function () {
  /** File-local base fixture (never share a fixture function across files: see CarbonCredit.test.ts). */
  async function base() {
    return creditsSuite();
  }

  async function fixture() {
    const s = await loadFixture(base);
    const attacker = (await ethers.deployContract("ReentrantActor", [s.deployer.address])) as unknown as ReentrantActor;
    const rejecter = (await ethers.deployContract("RejectingERC1155Receiver", [
      Mode.WrongMagic,
    ])) as unknown as RejectingERC1155Receiver;
    const attackerAddr = await attacker.getAddress();
    // the worst case: the malicious receiver even holds ISSUER_ROLE, so only the reentrancy guard stops it
    await s.credit.connect(s.deployer).grantRole(ROLE.ISSUER, attackerAddr);
    return { ...s, attacker, rejecter, attackerAddr, rejecterAddr: await rejecter.getAddress() };
  }
  type S = Awaited<ReturnType<typeof fixture>>;

  /** The parameters the attacker uses when it re-enters issue: an overlapping range of project A, to itself. */
  const nestedIssue = (s: S) => range(s.projectA, s.attackerAddr, 5n, 5n);

  /**
   * Arms the hostile receiver: on its next CarbonCredit receipt callback it calls `attack` (on the units it receives:
   * `id`, `kg`; a transfer goes to `to`); with `bubble` a failure reverts the callback, else it is recorded.
   */
  async function configure(s: S, attack: Attack, bubble: boolean, at: { id?: bigint; kg?: bigint; to?: string } = {}) {
    const { id = 1n, kg = 10_000n, to = Z } = at;
    const c = s.credit.interface;
    const data = {
      issue: () => c.encodeFunctionData("issue", [nestedIssue(s)]),
      issueWithHint: () => c.encodeFunctionData("issueWithHint", [nestedIssue(s), 0n]),
      retire: () => c.encodeFunctionData("retire", [id, kg, Z, "reentrant", "attack"]),
      retireBatch: () => c.encodeFunctionData("retireBatch", [[id], [kg], Z, "reentrant", "attack"]),
      transfer: () => c.encodeFunctionData("safeTransferFrom", [s.attackerAddr, to, id, kg, "0x"]),
    }[attack]();
    await (await s.attacker.arm([{ target: s.credit.target, data }])).wait();
    await (await s.attacker.configure(s.credit.target, bubble)).wait();
  }

  /** The hostile receiver retires units it holds (its own call, no callback involved). */
  const retireOwn = (s: S, id: bigint, kg: bigint) =>
    s.attacker.exec(s.credit.target, s.credit.interface.encodeFunctionData("retire", [id, kg, Z, "attacker", "test"]));

  /** Units of a batch in existence (sum over the given holders) plus retired equals issued. */
  async function expectConserved(s: CreditsSuite, batchId: bigint, holders: string[]) {
    const b = await s.credit.batch(batchId);
    let held = 0n;
    for (const h of holders) held += await s.credit.balanceOf(h, batchId);
    expect(held + b.retiredKg).to.equal(b.issuedKg);
  }

  function errorName(s: CreditsSuite, data: string): string {
    return s.credit.interface.parseError(data)?.name ?? `unknown ${data}`;
  }

  describe("a receiver that re-enters during issue", function () {
    for (const [label, attack] of [
      ["issue", "issue"],
      ["issueWithHint", "issueWithHint"],
      ["retire", "retire"],
      ["retireBatch", "retireBatch"],
    ] as const) {
      it(`makes the whole issue revert ReentrancyGuardReentrantCall when it re-enters ${label}`, async function () {
        const s = await loadFixture(fixture);
        await configure(s, attack, true);
        await expect(
          s.credit.connect(s.verifier).issue(range(s.projectA, s.attackerAddr, 1n, 10n)),
        ).to.be.revertedWithCustomError(s.credit, "ReentrancyGuardReentrantCall");
        expect(await s.credit.batchCount()).to.equal(0n);
        expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([0n, 0n]);
        expect(await s.credit.balanceOf(s.attackerAddr, 1n)).to.equal(0n);
        expect(await s.certificate.totalCertificates()).to.equal(0n);
      });

      it(`gains nothing when it swallows the failed re-entrant ${label}`, async function () {
        const s = await loadFixture(fixture);
        await configure(s, attack, false);
        await issue(s, range(s.projectA, s.attackerAddr, 1n, 10n));
        expect(await s.attacker.attempts()).to.equal(1n);
        expect(await s.attacker.successes()).to.equal(0n);
        expect(errorName(s, await s.attacker.lastRevert())).to.equal("ReentrancyGuardReentrantCall");
        expect(await s.credit.batchCount()).to.equal(1n);
        expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([[1n, 1n, 10n]]);
        const b = await s.credit.batch(1n);
        expect(b.issuedKg).to.equal(10_000n);
        expect(b.retiredKg).to.equal(0n);
        expect(await s.credit.balanceOf(s.attackerAddr, 1n)).to.equal(10_000n);
        expect(await s.certificate.totalCertificates()).to.equal(0n);
        // the list is intact: the next range goes on top, an overlapping one is still refused
        await issue(s, range(s.projectA, s.alice.address, 11n, 20n));
        await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 20n, 20n)))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 2n, 11n, 20n);
      });
    }

    it("without ISSUER_ROLE a re-entrant issue fails on the role check", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.deployer).revokeRole(ROLE.ISSUER, s.attackerAddr);
      await configure(s, "issue", true);
      await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.attackerAddr, 1n, 10n)))
        .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
        .withArgs(s.attackerAddr, ROLE.ISSUER);
    });

    it("can only pass on the units it just received (re-transfer), with batch and list already booked", async function () {
      const s = await loadFixture(fixture);
      await configure(s, "transfer", true, { to: s.bob.address });
      await issue(s, range(s.projectA, s.attackerAddr, 1n, 10n));
      expect(await s.attacker.successes()).to.equal(1n);
      expect(await s.credit.balanceOf(s.attackerAddr, 1n)).to.equal(0n);
      expect(await s.credit.balanceOf(s.bob.address, 1n)).to.equal(10_000n);
      expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([[1n, 1n, 10n]]);
      await expectConserved(s, 1n, [s.attackerAddr, s.bob.address]);
    });
  });

  describe("a receiver that re-enters during transfers", function () {
    async function heldFixture() {
      const s = await loadFixture(fixture);
      const b1 = await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
      const b2 = await issue(s, range(s.projectB, s.alice.address, 1n, 10n));
      return { ...s, b1, b2 };
    }

    it("re-transfers what it receives: balances stay conserved", async function () {
      const s = await loadFixture(heldFixture);
      await configure(s, "transfer", true, { id: s.b1, kg: 3_000n, to: s.carol.address });
      await s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.attackerAddr, s.b1, 3_000n, "0x");
      expect(await s.credit.balanceOf(s.alice.address, s.b1)).to.equal(7_000n);
      expect(await s.credit.balanceOf(s.attackerAddr, s.b1)).to.equal(0n);
      expect(await s.credit.balanceOf(s.carol.address, s.b1)).to.equal(3_000n);
      await expectConserved(s, s.b1, [s.alice.address, s.attackerAddr, s.carol.address]);
    });

    it("re-transfers inside a batch transfer callback too", async function () {
      const s = await loadFixture(heldFixture);
      await configure(s, "transfer", true, { id: s.b1, kg: 100n, to: s.carol.address });
      await s.credit
        .connect(s.alice)
        .safeBatchTransferFrom(s.alice.address, s.attackerAddr, [s.b1, s.b2], [100n, 200n], "0x");
      expect(await s.credit.balanceOf(s.carol.address, s.b1)).to.equal(100n); // it forwards the first id
      expect(await s.credit.balanceOf(s.attackerAddr, s.b2)).to.equal(200n);
      await expectConserved(s, s.b1, [s.alice.address, s.attackerAddr, s.carol.address]);
      await expectConserved(s, s.b2, [s.alice.address, s.attackerAddr, s.carol.address]);
    });

    it("a transfer that bounces back to its sender through the callback keeps balances exact", async function () {
      const s = await loadFixture(heldFixture);
      await configure(s, "transfer", true, { id: s.b1, kg: 10_000n, to: s.alice.address });
      await s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.attackerAddr, s.b1, 10_000n, "0x");
      expect(await s.credit.balanceOf(s.alice.address, s.b1)).to.equal(10_000n);
      expect(await s.credit.balanceOf(s.attackerAddr, s.b1)).to.equal(0n);
    });

    it("may retire what it just received (no guard is held during a transfer): every account stays exact", async function () {
      const s = await loadFixture(heldFixture);
      await configure(s, "retire", true, { id: s.b1, kg: 2_500n });
      await expect(s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.attackerAddr, s.b1, 2_500n, "0x"))
        .to.emit(s.credit, "Retired")
        .withArgs(1n, s.b1, s.attackerAddr, s.attackerAddr, 2_500n, "reentrant", "attack");
      expect(await s.credit.balanceOf(s.attackerAddr, s.b1)).to.equal(0n);
      expect((await s.credit.batch(s.b1)).retiredKg).to.equal(2_500n);
      expect(await s.certificate.ownerOf(1n)).to.equal(s.attackerAddr);
      expect((await s.certificate.certificate(1n)).amountKg).to.equal(2_500n);
      await expectConserved(s, s.b1, [s.alice.address, s.attackerAddr]);
    });

    it("may retireBatch what it just received in a batch transfer: every account stays exact", async function () {
      const s = await loadFixture(heldFixture);
      await configure(s, "retireBatch", true, { id: s.b1, kg: 700n });
      await s.credit
        .connect(s.alice)
        .safeBatchTransferFrom(s.alice.address, s.attackerAddr, [s.b1, s.b2], [700n, 800n], "0x");
      expect((await s.credit.batch(s.b1)).retiredKg).to.equal(700n);
      expect((await s.credit.batch(s.b2)).retiredKg).to.equal(0n);
      expect(await s.credit.balanceOf(s.attackerAddr, s.b2)).to.equal(800n);
      await expectConserved(s, s.b1, [s.alice.address, s.attackerAddr]);
      await expectConserved(s, s.b2, [s.alice.address, s.attackerAddr]);
    });

    it("cannot retire more than it holds from inside the callback", async function () {
      const s = await loadFixture(heldFixture);
      // the holder's own retire: the certificate is minted without a receiver callback, so nothing re-enters
      await s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.attackerAddr, s.b1, 1_000n, "0x");
      await retireOwn(s, s.b1, 1_000n);
      await expect(retireOwn(s, s.b1, 1n))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.attackerAddr, 0n, 1n, s.b1);
      await expectConserved(s, s.b1, [s.alice.address, s.attackerAddr]);
    });
  });

  describe("a receiver that rejects", function () {
    for (const [label, mode] of [
      ["answers a wrong magic value", Mode.WrongMagic],
      ["reverts without data", Mode.EmptyRevert],
    ] as const) {
      it(`makes issue revert ERC1155InvalidReceiver when it ${label}, leaving no trace`, async function () {
        const s = await loadFixture(fixture);
        await s.rejecter.setMode(mode);
        await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.rejecterAddr, 1n, 10n)))
          .to.be.revertedWithCustomError(s.credit, "ERC1155InvalidReceiver")
          .withArgs(s.rejecterAddr);
        expect(await s.credit.batchCount()).to.equal(0n);
        expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([0n, 0n]);
        // the same serials can still be issued to someone who accepts them
        expect(await issue(s, range(s.projectA, s.alice.address, 1n, 10n))).to.equal(1n);
      });
    }

    it("bubbles the receiver's own custom error", async function () {
      const s = await loadFixture(fixture);
      await s.rejecter.setMode(Mode.CustomError);
      await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.rejecterAddr, 1n, 10n)))
        .to.be.revertedWithCustomError(s.rejecter, "NoThanks")
        .withArgs(1n, 10_000n);
    });

    it("treats a contract without the receiver interface as invalid", async function () {
      const s = await loadFixture(fixture);
      const usd = await s.usd.getAddress();
      await expect(s.credit.connect(s.verifier).issue(range(s.projectA, usd, 1n, 10n)))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InvalidReceiver")
        .withArgs(usd);
    });

    it("makes transfers to it revert with balances unchanged, and accepts once it changes its mind", async function () {
      const s = await loadFixture(fixture);
      const b = await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
      await expect(s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.rejecterAddr, b, 1n, "0x"))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InvalidReceiver")
        .withArgs(s.rejecterAddr);
      await expect(s.credit.connect(s.alice).safeBatchTransferFrom(s.alice.address, s.rejecterAddr, [b], [1n], "0x"))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InvalidReceiver")
        .withArgs(s.rejecterAddr);
      expect(await s.credit.balanceOf(s.alice.address, b)).to.equal(10_000n);
      await s.rejecter.setMode(Mode.Accept);
      await s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.rejecterAddr, b, 1n, "0x");
      expect(await s.credit.balanceOf(s.rejecterAddr, b)).to.equal(1n);
    });

    it("cannot block a retirement naming it as beneficiary (certificates are minted without a receiver check)", async function () {
      const s = await loadFixture(fixture);
      const b = await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
      await s.rejecter.setMode(Mode.CustomError);
      await s.credit.connect(s.alice).retire(b, 1_000n, s.rejecterAddr, "Rejecter", "test");
      expect(await s.certificate.ownerOf(1n)).to.equal(s.rejecterAddr);
    });
  });
});
