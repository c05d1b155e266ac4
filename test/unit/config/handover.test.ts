import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ROLES, suiteDeployments } from "../../../config/deploy-utils";
import { ADMIN_ROLES, handOverRoles, rolesDefined } from "../../../config/handover";

describe("deploy hand-over (config/handover)", function () {
  async function deployedSuite() {
    await deployments.fixture();
    const [deployer, , , alice, bob] = await ethers.getSigners();
    return { deployer, admin: alice, guardian: bob, to: { admin: alice.address, guardian: bob.address } };
  }

  it("finds the roles each contract defines from its ABI", async function () {
    await loadFixture(deployedSuite);
    const all = await suiteDeployments(hre);
    expect(rolesDefined(all.GreenProjectRegistry.abi)).to.have.members(["DEFAULT_ADMIN", "REGISTRAR", "VERIFIER"]);
    expect(rolesDefined(all.CarbonCredit.abi)).to.include.members(["DEFAULT_ADMIN", "ISSUER", "PAUSER"]);
    expect(rolesDefined(all.TestStablecoin.abi)).to.deep.equal([]);
  });

  it("grants the admin roles to the admin, PAUSER_ROLE to the guardian, and leaves the deployer with no role on any Treelion contract", async function () {
    const { deployer, admin, guardian, to } = await loadFixture(deployedSuite);
    const actions = await handOverRoles(hre, to, { send: true, log: () => {} });
    expect(actions.some((a) => a.action === "renounce" && a.role === "DEFAULT_ADMIN")).to.equal(true);

    const all = await suiteDeployments(hre);
    let checked = 0;
    for (const [name, d] of Object.entries(all)) {
      const roles = rolesDefined(d.abi);
      if (roles.length === 0 || name === "TreelionTimelock") continue; // self-administered: checked below
      const c = await ethers.getContractAt(d.abi, d.address);
      for (const r of roles) {
        expect(await c.hasRole(ROLES[r], deployer.address), `${name} ${r} (deployer)`).to.equal(false);
        if (ADMIN_ROLES.includes(r))
          expect(await c.hasRole(ROLES[r], admin.address), `${name} ${r} (admin)`).to.equal(true);
        expect(await c.hasRole(ROLES[r], guardian.address), `${name} ${r} (guardian)`).to.equal(r === "PAUSER");
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(6);
    // the timelock administers itself: nobody else holds its admin role
    const timelock = await ethers.getContractAt("TreelionTimelock", all.TreelionTimelock.address);
    expect(await timelock.hasRole(ROLES.DEFAULT_ADMIN, all.TreelionTimelock.address)).to.equal(true);
    expect(await timelock.hasRole(ROLES.DEFAULT_ADMIN, deployer.address)).to.equal(false);
    // bonds created from now on get the admin, not the deployer
    const factory = await ethers.getContractAt("GreenBondFactory", all.GreenBondFactory.address);
    expect(await factory.bondAdmin()).to.equal(admin.address);
    expect(await factory.bondAgent()).to.equal(admin.address);
    // the verifier keeps its operational roles
    const [, verifier] = await ethers.getSigners();
    const registry = await ethers.getContractAt("GreenProjectRegistry", all.GreenProjectRegistry.address);
    expect(await registry.hasRole(ROLES.VERIFIER, verifier.address)).to.equal(true);
    // and the admin governs: it can grant a role the deployer no longer can
    await expect(registry.connect(deployer).grantRole(ROLES.REGISTRAR, deployer.address)).to.be.revertedWithCustomError(
      registry,
      "AccessControlUnauthorizedAccount",
    );
    await expect(registry.connect(admin).grantRole(ROLES.REGISTRAR, verifier.address)).to.emit(registry, "RoleGranted");
  });

  it("is idempotent: a second run plans nothing and sends no transaction", async function () {
    const { deployer, to } = await loadFixture(deployedSuite);
    await handOverRoles(hre, to, { send: true, log: () => {} });
    const block = await ethers.provider.getBlockNumber();
    const nonce = await ethers.provider.getTransactionCount(deployer.address);
    expect(await handOverRoles(hre, to, { send: true, log: () => {} })).to.deep.equal([]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });

  it("plans without sending when send is false", async function () {
    const { deployer, admin, guardian, to } = await loadFixture(deployedSuite);
    const nonce = await ethers.provider.getTransactionCount(deployer.address);
    const plan = await handOverRoles(hre, to, { send: false });
    expect(plan.length).to.be.greaterThan(0);
    const grants = plan.filter((a) => a.action === "grant");
    expect(
      grants.every((a) => a.account === admin.address || (a.account === guardian.address && a.role === "PAUSER")),
    ).to.equal(true);
    expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });

  it("refuses an ADMIN_ADDRESS equal to the deployer (it would never hand anything over)", async function () {
    const { deployer, to } = await loadFixture(deployedSuite);
    await expect(handOverRoles(hre, { ...to, admin: deployer.address }, { send: false })).to.be.rejectedWith(
      /ADMIN_ADDRESS is the deployer/,
    );
    await expect(handOverRoles(hre, { ...to, guardian: deployer.address }, { send: false })).to.be.rejectedWith(
      /GUARDIAN_ADDRESS is the deployer/,
    );
  });

  it("on local networks keeps the deployer as admin beside the timelock, and the named guardian pauses", async function () {
    const { deployer } = await loadFixture(deployedSuite);
    const { guardian } = await hre.getNamedAccounts();
    const all = await suiteDeployments(hre);
    const timelock = all.TreelionTimelock.address;
    let checked = 0;
    for (const [name, d] of Object.entries(all)) {
      const roles = rolesDefined(d.abi);
      if (roles.length === 0 || name === "TreelionTimelock") continue;
      const c = await ethers.getContractAt(d.abi, d.address);
      expect(await c.hasRole(ROLES.DEFAULT_ADMIN, deployer.address), `${name} (deployer)`).to.equal(true);
      expect(await c.hasRole(ROLES.DEFAULT_ADMIN, timelock), `${name} (timelock)`).to.equal(true);
      if (roles.includes("PAUSER"))
        expect(await c.hasRole(ROLES.PAUSER, guardian), `${name} (guardian)`).to.equal(true);
      checked++;
    }
    expect(checked).to.be.greaterThan(6);
    // a repeated local hand-over sends nothing
    const nonce = await ethers.provider.getTransactionCount(deployer.address);
    const again = await handOverRoles(hre, { admin: timelock, guardian }, { send: true, keepDeployer: true });
    expect(again).to.deep.equal([]);
    expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });
});
