import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import type { CreditMarketplace, TreelionTimelock } from "../../../typechain-types";
import { ROLES, suiteDeployments } from "../../../config/deploy-utils";
import { ADMIN_ROLES, handOverRoles, rolesDefined } from "../../../config/handover";
import { DEFAULT_PUBLIC_DELAY } from "../../../config/governance";

/**
 * The public-network hand-over, in process: a TreelionTimelock whose proposer is a multisig stand-in (alice)
 * receives every admin role, the guardian (bob) PAUSER_ROLE only, the deployer renounces everything. Then the
 * governance flow: schedule → early execute refused → execute after the delay; cancel; stop fast, resume slowly.
 */
describe("TreelionTimelock: governance after the public-network hand-over", function () {
  async function handedOver() {
    await deployments.fixture();
    const [deployer, , , multisig, guardian, user] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("TreelionTimelock");
    const timelock = (await factory.deploy(
      DEFAULT_PUBLIC_DELAY,
      [multisig.address],
      [multisig.address],
    )) as unknown as TreelionTimelock;
    await timelock.waitForDeployment();
    const tl = await timelock.getAddress();
    await handOverRoles(hre, { admin: tl, guardian: guardian.address }, { send: true, log: () => {} });
    const all = await suiteDeployments(hre);
    const market = (await ethers.getContractAt(
      "CreditMarketplace",
      all.CreditMarketplace.address,
    )) as unknown as CreditMarketplace;
    return { deployer, multisig, guardian, user, timelock, tl, market, all };
  }

  /** timelock.schedule/execute arguments of a call to the market. */
  async function op(s: Awaited<ReturnType<typeof handedOver>>, data: string, salt = ZeroHash) {
    const target = await s.market.getAddress();
    const id = await s.timelock.hashOperation(target, 0, data, ZeroHash, salt);
    return { target, data, salt, id };
  }

  it("leaves every admin role with the timelock: ADMIN_ADDRESS holds none directly, the deployer none, the guardian only PAUSER_ROLE", async function () {
    const { deployer, multisig, guardian, tl, all } = await loadFixture(handedOver);
    let contracts = 0;
    for (const [name, d] of Object.entries(all)) {
      const roles = rolesDefined(d.abi);
      if (roles.length === 0 || name === "TreelionTimelock") continue;
      const c = await ethers.getContractAt(d.abi, d.address);
      for (const r of roles) {
        expect(await c.hasRole(ROLES[r], tl), `${name} ${r} (timelock)`).to.equal(ADMIN_ROLES.includes(r));
        expect(await c.hasRole(ROLES[r], multisig.address), `${name} ${r} (multisig)`).to.equal(false);
        expect(await c.hasRole(ROLES[r], deployer.address), `${name} ${r} (deployer)`).to.equal(false);
        expect(await c.hasRole(ROLES[r], guardian.address), `${name} ${r} (guardian)`).to.equal(r === "PAUSER");
      }
      contracts++;
    }
    expect(contracts).to.be.greaterThan(6);
  });

  it("schedules a fee change, refuses to execute it before minDelay, and applies it after", async function () {
    const s = await loadFixture(handedOver);
    const treasury = await s.market.treasury();
    const o = await op(s, s.market.interface.encodeFunctionData("setFee", [250, treasury]));
    await expect(s.timelock.connect(s.multisig).schedule(o.target, 0, o.data, ZeroHash, o.salt, DEFAULT_PUBLIC_DELAY))
      .to.emit(s.timelock, "CallScheduled")
      .withArgs(o.id, 0, o.target, 0, o.data, ZeroHash, DEFAULT_PUBLIC_DELAY);
    await expect(s.timelock.connect(s.multisig).execute(o.target, 0, o.data, ZeroHash, o.salt))
      .to.be.revertedWithCustomError(s.timelock, "TimelockUnexpectedOperationState")
      .withArgs(o.id, "0x" + (1 << 2).toString(16).padStart(64, "0")); // Ready bit
    expect(await s.market.feeBps()).to.equal(100);
    await time.increase(DEFAULT_PUBLIC_DELAY);
    await expect(s.timelock.connect(s.multisig).execute(o.target, 0, o.data, ZeroHash, o.salt))
      .to.emit(s.market, "FeeUpdated")
      .withArgs(250, treasury)
      .and.to.emit(s.timelock, "CallExecuted");
    expect(await s.market.feeBps()).to.equal(250);
    expect(await s.timelock.isOperationDone(o.id)).to.equal(true);
  });

  it("refuses a schedule by anyone but the proposer, and a direct admin call by the multisig", async function () {
    const s = await loadFixture(handedOver);
    const o = await op(s, s.market.interface.encodeFunctionData("setFee", [250, await s.market.treasury()]));
    await expect(s.timelock.connect(s.user).schedule(o.target, 0, o.data, ZeroHash, o.salt, DEFAULT_PUBLIC_DELAY))
      .to.be.revertedWithCustomError(s.timelock, "AccessControlUnauthorizedAccount")
      .withArgs(s.user.address, await s.timelock.PROPOSER_ROLE());
    await expect(s.market.connect(s.multisig).setFee(250, await s.market.treasury()))
      .to.be.revertedWithCustomError(s.market, "AccessControlUnauthorizedAccount")
      .withArgs(s.multisig.address, ROLES.DEFAULT_ADMIN);
  });

  it("refuses a delay below minDelay", async function () {
    const s = await loadFixture(handedOver);
    const o = await op(s, s.market.interface.encodeFunctionData("setFee", [250, await s.market.treasury()]));
    await expect(s.timelock.connect(s.multisig).schedule(o.target, 0, o.data, ZeroHash, o.salt, 60))
      .to.be.revertedWithCustomError(s.timelock, "TimelockInsufficientDelay")
      .withArgs(60, DEFAULT_PUBLIC_DELAY);
  });

  it("cancels a pending operation: it can no longer be executed", async function () {
    const s = await loadFixture(handedOver);
    const o = await op(s, s.market.interface.encodeFunctionData("setFee", [900, await s.market.treasury()]));
    await (
      await s.timelock.connect(s.multisig).schedule(o.target, 0, o.data, ZeroHash, o.salt, DEFAULT_PUBLIC_DELAY)
    ).wait();
    await expect(s.timelock.connect(s.user).cancel(o.id))
      .to.be.revertedWithCustomError(s.timelock, "AccessControlUnauthorizedAccount")
      .withArgs(s.user.address, await s.timelock.CANCELLER_ROLE());
    await expect(s.timelock.connect(s.multisig).cancel(o.id)).to.emit(s.timelock, "Cancelled").withArgs(o.id);
    await time.increase(DEFAULT_PUBLIC_DELAY);
    await expect(
      s.timelock.connect(s.multisig).execute(o.target, 0, o.data, ZeroHash, o.salt),
    ).to.be.revertedWithCustomError(s.timelock, "TimelockUnexpectedOperationState");
    expect(await s.market.feeBps()).to.equal(100);
  });

  it("lets the guardian pause at once but not unpause; the timelock resumes after the delay", async function () {
    const s = await loadFixture(handedOver);
    await expect(s.market.connect(s.guardian).pause()).to.emit(s.market, "Paused").withArgs(s.guardian.address);
    await expect(s.market.connect(s.guardian).unpause())
      .to.be.revertedWithCustomError(s.market, "AccessControlUnauthorizedAccount")
      .withArgs(s.guardian.address, ROLES.DEFAULT_ADMIN);
    await expect(s.market.connect(s.multisig).unpause())
      .to.be.revertedWithCustomError(s.market, "AccessControlUnauthorizedAccount")
      .withArgs(s.multisig.address, ROLES.DEFAULT_ADMIN);
    const o = await op(s, s.market.interface.encodeFunctionData("unpause"));
    await (
      await s.timelock.connect(s.multisig).schedule(o.target, 0, o.data, ZeroHash, o.salt, DEFAULT_PUBLIC_DELAY)
    ).wait();
    await time.increase(DEFAULT_PUBLIC_DELAY);
    await expect(s.timelock.connect(s.multisig).execute(o.target, 0, o.data, ZeroHash, o.salt))
      .to.emit(s.market, "Unpaused")
      .withArgs(s.tl);
    expect(await s.market.paused()).to.equal(false);
  });

  it("is self-administered: no account can change its delay except through a scheduled operation", async function () {
    const s = await loadFixture(handedOver);
    await expect(s.timelock.connect(s.multisig).updateDelay(3600))
      .to.be.revertedWithCustomError(s.timelock, "TimelockUnauthorizedCaller")
      .withArgs(s.multisig.address);
    expect(await s.timelock.hasRole(ROLES.DEFAULT_ADMIN, s.tl)).to.equal(true);
    expect(await s.timelock.hasRole(ROLES.DEFAULT_ADMIN, s.deployer.address)).to.equal(false);
    expect(await s.timelock.hasRole(await s.timelock.CANCELLER_ROLE(), s.multisig.address)).to.equal(true);
  });
});
