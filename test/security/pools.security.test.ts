import { expect } from "chai";
import { ethers } from "hardhat";
import type { Interface } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { CarbonCredit, ReentrantActor } from "../../typechain-types";
import { ROLE, issueParams } from "../helpers/suite";
import { Ineligibility, expectBacked, poolSuite, tokens } from "../helpers/pools";

const T = 1000n;
const ATTACKS = ["Redeem", "RedeemAuto", "Deposit", "RetireFromPool", "PushBack"] as const;
const REENTRANT = ethers.id("ReentrancyGuardReentrantCall()").slice(0, 10);

describe("CarbonPool security", function () {
  /** alice 100 t forest2020 and bob 50 t mangrove in NCP; the attacker holds 30 t NCP and 5 t of forest2020. */
  async function base() {
    const s = await poolSuite();
    await s.ncp.connect(s.alice).deposit(s.batches.forest2020, 90n * T);
    await s.ncp.connect(s.bob).deposit(s.batches.mangrove2021, 50n * T);
    const attacker = (await ethers.deployContract("ReentrantActor", [s.deployer.address])) as unknown as ReentrantActor;
    const a = await attacker.getAddress();
    await s.ncp.connect(s.alice).transfer(a, tokens(30n * T));
    await s.credit.connect(s.alice).safeTransferFrom(s.alice.address, a, s.batches.forest2020, 5n * T, "0x");
    const approve = s.credit.interface.encodeFunctionData("setApprovalForAll", [s.ncp.target, true]);
    await (await attacker.exec(s.credit.target, approve)).wait();
    return { ...s, attacker, a, ncpAddr: await s.ncp.getAddress(), creditAddr: await s.credit.getAddress() };
  }
  type S = Awaited<ReturnType<typeof base>>;

  /** The attacker's own call to the pool (it acts as a pool-token holder). */
  const poolCall = (s: S, fn: "deposit" | "redeem" | "redeemAuto", args: unknown[]) =>
    s.attacker.exec(s.ncp.target, (s.ncp.interface as Interface).encodeFunctionData(fn, args));

  /**
   * Arms the attacker: when the credits of its redeem (2 t of forest2020, the queue's head) arrive from CarbonCredit
   * it re-enters the pool with `name`; with `bubble` the failure reverts the callback, else it is recorded.
   */
  async function configure(s: S, name: (typeof ATTACKS)[number], bubble: boolean) {
    const [id, kg] = [s.batches.forest2020, 2n * T];
    const pool = s.ncp.interface;
    const attacks: Record<(typeof ATTACKS)[number], [string, string]> = {
      Redeem: [s.ncpAddr, pool.encodeFunctionData("redeem", [id, 1n])],
      RedeemAuto: [s.ncpAddr, pool.encodeFunctionData("redeemAuto", [1n])],
      Deposit: [s.ncpAddr, pool.encodeFunctionData("deposit", [id, kg])],
      RetireFromPool: [
        s.ncpAddr,
        pool.encodeFunctionData("retireFromPool", [0n, 1n, ethers.ZeroAddress, "reentrant", "attack"]),
      ],
      PushBack: [
        s.creditAddr,
        s.credit.interface.encodeFunctionData("safeTransferFrom", [s.a, s.ncp.target, id, kg, "0x"]),
      ],
    };
    const [target, data] = attacks[name];
    await (await s.attacker.arm([{ target, data }])).wait();
    await (await s.attacker.configure(s.credit.target, bubble)).wait();
  }

  /** Everything that must not move when a call reverts. */
  async function state(s: S) {
    const who = [s.a, s.alice.address, s.bob.address, s.treasury.address, await s.ncp.getAddress()];
    const out: string[] = [(await s.ncp.totalSupply()).toString(), (await s.ncp.queue()).join(",")];
    for (const w of who) {
      out.push((await s.ncp.balanceOf(w)).toString());
      for (const b of [s.batches.forest2020, s.batches.mangrove2021])
        out.push((await s.credit.balanceOf(w, b)).toString());
    }
    return out;
  }

  for (const name of ATTACKS) {
    for (const entry of ["redeem", "redeemAuto"] as const) {
      it(`a receiver re-entering with ${name} during ${entry} makes the whole ${entry} revert`, async function () {
        const s = await loadFixture(base);
        await configure(s, name, true);
        const before = await state(s);
        const call =
          entry === "redeem"
            ? poolCall(s, "redeem", [s.batches.forest2020, 2n * T])
            : poolCall(s, "redeemAuto", [2n * T]);
        await expect(call).to.be.revertedWithCustomError(s.ncp, "ReentrancyGuardReentrantCall");
        expect(await state(s)).to.deep.equal(before);
        await expectBacked(s.ncp, s.credit);
      });

      it(`a receiver swallowing the failed ${name} re-entry during ${entry} gets exactly what it paid for`, async function () {
        const s = await loadFixture(base);
        await configure(s, name, false);
        const supply = await s.ncp.totalSupply();
        const credits = await s.credit.balanceOf(s.a, s.batches.forest2020);
        const call =
          entry === "redeem"
            ? poolCall(s, "redeem", [s.batches.forest2020, 2n * T])
            : poolCall(s, "redeemAuto", [2n * T]);
        await expect(call).to.changeTokenBalances(
          s.ncp,
          [s.attacker, s.treasury],
          [-(tokens(2n * T) + tokens(2n * T) / 100n), tokens(2n * T) / 100n],
        );
        expect(await s.attacker.attempts()).to.equal(1n);
        expect(await s.attacker.successes()).to.equal(0n);
        expect((await s.attacker.lastRevert()).slice(0, 10)).to.equal(REENTRANT);
        expect(await s.credit.balanceOf(s.a, s.batches.forest2020)).to.equal(credits + 2n * T);
        expect(await s.ncp.totalSupply()).to.equal(supply - tokens(2n * T));
        await expectBacked(s.ncp, s.credit);
      });
    }
  }

  it("outside a pool call the same contract deposits, redeems and pushes normally (the guard is not sticky)", async function () {
    const s = await loadFixture(base);
    await expect(poolCall(s, "deposit", [s.batches.forest2020, T]))
      .to.emit(s.ncp, "Deposited")
      .withArgs(s.a, s.batches.forest2020, T, tokens(T));
    await expect(poolCall(s, "redeem", [s.batches.mangrove2021, T])).to.emit(s.ncp, "Redeemed");
    await expectBacked(s.ncp, s.credit);
  });

  it("pushes of another ERC-1155 contract's tokens are refused (UnsupportedToken)", async function () {
    const s = await loadFixture(base);
    const fake = (await ethers.deployContract("CarbonCredit", [
      s.deployer.address,
      await s.registry.getAddress(),
      await s.certificate.getAddress(),
    ])) as unknown as CarbonCredit;
    await fake.grantRole(ROLE.ISSUER, s.verifier.address);
    // same project/serials as a real eligible batch: only the contract address differs
    await fake
      .connect(s.verifier)
      .issue(issueParams(s.projects.forest, s.alice.address, { vintage: 2020, serialStart: 1001n, serialEnd: 1100n }));
    const pool = await s.ncp.getAddress();
    await expect(fake.connect(s.alice).safeTransferFrom(s.alice.address, pool, 1n, T, "0x"))
      .to.be.revertedWithCustomError(s.ncp, "UnsupportedToken")
      .withArgs(await fake.getAddress());
    await expect(fake.connect(s.alice).safeBatchTransferFrom(s.alice.address, pool, [1n], [T], "0x"))
      .to.be.revertedWithCustomError(s.ncp, "UnsupportedToken")
      .withArgs(await fake.getAddress());
    expect(await fake.balanceOf(pool, 1n)).to.equal(0n);
  });

  it("ineligible pushes are refused and eligible ones are never stranded: they mint for the sender", async function () {
    const s = await loadFixture(base);
    const pool = await s.ncp.getAddress();
    for (const [id, reason] of [
      [s.batches.forest2015, Ineligibility.VintageTooOld],
      [s.batches.solar2022, Ineligibility.CategoryNotAllowed],
    ] as const) {
      await expect(s.credit.connect(s.alice).safeTransferFrom(s.alice.address, pool, id, 1n, "0x"))
        .to.be.revertedWithCustomError(s.ncp, "BatchNotEligible")
        .withArgs(id, reason);
      expect(await s.credit.balanceOf(pool, id)).to.equal(0n);
    }
    // a TCP batch pushed to NCP is refused; to TCP it counts
    await expect(
      s.credit.connect(s.carol).safeTransferFrom(s.carol.address, pool, s.batches.dac2024, T, "0x"),
    ).to.be.revertedWithCustomError(s.ncp, "BatchNotEligible");
    await expect(
      s.credit.connect(s.carol).safeTransferFrom(s.carol.address, await s.tcp.getAddress(), s.batches.dac2024, T, "0x"),
    ).to.changeTokenBalances(s.tcp, [s.carol], [tokens(T)]);
    await expectBacked(s.ncp, s.credit, [s.batches.forest2015, s.batches.solar2022, s.batches.dac2024]);
    await expectBacked(s.tcp, s.credit, [s.batches.dac2024]);
  });
});
