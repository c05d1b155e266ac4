import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ROLE } from "../../helpers/suite";
import { bondSuite, createBond } from "../../helpers/bonds";
import { handOverRoles } from "../../../config/handover";
import { DEFAULT_PUBLIC_DELAY } from "../../../config/governance";

/**
 * Bonds the factory creates after the public-network hand-over (admin roles to a TreelionTimelock, PAUSER_ROLE to
 * the guardian): the guardian stops every such bond at once, only DEFAULT_ADMIN_ROLE (the timelock, after its
 * delay) resumes it. Its own file: its fixture deploys afresh, which would invalidate another fixture's snapshot.
 */
describe("GreenBondFactory after the public-network hand-over", () => {
  /** The bond suite handed over as on a public network: admin → a TreelionTimelock, PAUSER → the guardian. */
  async function handedOverFactory() {
    const s = await bondSuite();
    const [multisig, guardian] = [s.signers[11], s.signers[12]];
    const timelock = await (
      await ethers.getContractFactory("TreelionTimelock")
    ).deploy(DEFAULT_PUBLIC_DELAY, [multisig.address], [multisig.address]);
    const tl = await timelock.getAddress();
    await handOverRoles(hre, { admin: tl, guardian: guardian.address }, { send: true, log: () => {} });
    return { ...s, multisig, guardian, timelock, tl };
  }

  it("gives a bond created after the hand-over the guardian as pauser: it pauses at once, only the timelock (DEFAULT_ADMIN_ROLE) unpauses", async () => {
    const s = await loadFixture(handedOverFactory);
    expect(await s.factory.bondPauser()).to.equal(s.guardian.address);
    expect(await s.factory.bondAdmin()).to.equal(s.tl);
    const bond = await createBond(s);
    expect(await bond.hasRole(ROLE.PAUSER, s.guardian.address)).to.equal(true);
    expect(await bond.hasRole(ROLE.DEFAULT_ADMIN, s.guardian.address)).to.equal(false);
    expect(await bond.hasRole(ROLE.DEFAULT_ADMIN, s.tl)).to.equal(true);
    for (const r of [ROLE.DEFAULT_ADMIN, ROLE.PAUSER, ROLE.AGENT])
      expect(await bond.hasRole(r, s.deployer.address)).to.equal(false);

    await expect(bond.connect(s.guardian).pause()).to.emit(bond, "Paused").withArgs(s.guardian.address);
    for (const who of [s.guardian, s.multisig, s.deployer])
      await expect(bond.connect(who).unpause())
        .to.be.revertedWithCustomError(bond, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, ROLE.DEFAULT_ADMIN);
    const target = await bond.getAddress();
    const data = bond.interface.encodeFunctionData("unpause");
    await (
      await s.timelock
        .connect(s.multisig)
        .schedule(target, 0, data, ethers.ZeroHash, ethers.ZeroHash, DEFAULT_PUBLIC_DELAY)
    ).wait();
    await time.increase(DEFAULT_PUBLIC_DELAY);
    await expect(s.timelock.connect(s.multisig).execute(target, 0, data, ethers.ZeroHash, ethers.ZeroHash))
      .to.emit(bond, "Unpaused")
      .withArgs(s.tl);
    expect(await bond.paused()).to.equal(false);
  });
});
