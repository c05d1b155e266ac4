import { expect } from "chai";
import { ethers, getNamedAccounts } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ROLE, ProjectStatus, deployed } from "../../helpers/suite";
import { bondSuite, createBond, defaultTerms, linkedBondFactory } from "../../helpers/bonds";

/** GreenBond's interface (its errors), linked to a placeholder library address. */
const bondFactory = () => linkedBondFactory(ethers.ZeroAddress);

/** This file's own fixture: loadFixture keys snapshots by function, and another file's snapshot of a shared
 * function is invalidated as soon as that file's fixtures revert to the deployment snapshot. */
async function factoryFixture() {
  return bondSuite();
}

describe("GreenBondFactory", () => {
  describe("deployment", () => {
    it("is wired to the registry, escrow and compliance registry, with the deployer as admin, issuer and bond roles", async () => {
      const s = await loadFixture(factoryFixture);
      const { factory, deployer } = s;
      expect(await factory.registry()).to.equal(await s.registry.getAddress());
      expect(await factory.escrow()).to.equal(await s.escrow.getAddress());
      expect(await factory.compliance()).to.equal(await s.compliance.getAddress());
      expect(await factory.deployer()).to.equal((await deployed<any>("GreenBondDeployer")).target);
      expect(await factory.hasRole(ROLE.DEFAULT_ADMIN, deployer.address)).to.equal(true);
      expect(await factory.hasRole(ROLE.ISSUER, deployer.address)).to.equal(true);
      expect(await factory.ISSUER_ROLE()).to.equal(ROLE.ISSUER);
      expect(await factory.MAX_VERIFIERS()).to.equal(16n);
      expect(await factory.bondAdmin()).to.equal(deployer.address);
      expect(await factory.bondAgent()).to.equal(deployer.address);
      // locally the deploy names the guardian as the second pauser of new bonds (whether or not the hand-over ran)
      expect(await factory.bondPauser()).to.equal((await getNamedAccounts()).guardian);
      expect(await factory.bondCount()).to.equal(0n);
    });

    it("refuses zero addresses in the constructor", async () => {
      const s = await loadFixture(factoryFixture);
      const F = await ethers.getContractFactory("GreenBondFactory");
      const a = s.deployer.address;
      const z = ethers.ZeroAddress;
      const fields = ["admin", "registry", "escrow", "compliance", "deployer", "bondAdmin", "bondAgent", "bondPauser"];
      for (let i = 0; i < 8; i++) {
        const args = [a, a, a, a, a, a, a, a];
        args[i] = z;
        await expect(F.deploy(...(args as [string, string, string, string, string, string, string, string])))
          .to.be.revertedWithCustomError(F, "ZeroAddress")
          .withArgs(fields[i]);
      }
    });
  });

  describe("createBond", () => {
    it("deploys a bond with the terms, lists it and emits BondCreated(bond, issuer, paymentToken, terms)", async () => {
      const s = await loadFixture(factoryFixture);
      const { factory, issuer, usd } = s;
      const t = await defaultTerms(s);
      const expected = await factory.connect(issuer).createBond.staticCall(t, "Kasigau SLB 2027", "KSLB27");
      const tx = factory.connect(issuer).createBond(t, "Kasigau SLB 2027", "KSLB27");
      await expect(tx)
        .to.emit(factory, "BondCreated")
        .withArgs(expected, issuer.address, await usd.getAddress(), anyValue);
      const rc = await (await tx).wait();
      const ev = rc!.logs.map((l) => factory.interface.parseLog(l)).find((e) => e?.name === "BondCreated")!;
      const terms = ev.args.terms;
      expect(terms.unitPrice).to.equal(t.unitPrice);
      expect(terms.cap).to.equal(t.cap);
      expect(terms.maturity).to.equal(t.maturity);
      expect(terms.couponRateBps).to.equal(500n);
      expect(terms.proceeds.projectId).to.equal(s.projectId);
      expect(terms.proceeds.milestones.length).to.equal(2);
      expect(await factory.isBond(expected)).to.equal(true);
      expect(await factory.isBond(issuer.address)).to.equal(false);
      expect(await factory.bondCount()).to.equal(1n);
      expect(await factory.bondAt(0)).to.equal(expected);
      const bond = await ethers.getContractAt("GreenBond", expected);
      expect(await bond.issuer()).to.equal(issuer.address);
      expect(await bond.hasRole(ROLE.DEFAULT_ADMIN, s.deployer.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.AGENT, s.deployer.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.VERIFIER, s.verifier.address)).to.equal(true);
    });

    it("is restricted to ISSUER_ROLE", async () => {
      const s = await loadFixture(factoryFixture);
      const t = await defaultTerms(s, { issuer: s.outsider.address });
      await expect(s.factory.connect(s.outsider).createBond(t, "n", "s"))
        .to.be.revertedWithCustomError(s.factory, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.ISSUER);
    });

    it("only for the caller as issuer", async () => {
      const s = await loadFixture(factoryFixture);
      const t = await defaultTerms(s, { issuer: s.bob.address });
      await expect(s.factory.connect(s.issuer).createBond(t, "n", "s"))
        .to.be.revertedWithCustomError(s.factory, "IssuerNotCaller")
        .withArgs(s.bob.address, s.issuer.address);
    });

    it("only with the factory's escrow and compliance registry", async () => {
      const s = await loadFixture(factoryFixture);
      const other = s.bob.address;
      await expect(s.factory.connect(s.issuer).createBond(await defaultTerms(s, { escrow: other }), "n", "s"))
        .to.be.revertedWithCustomError(s.factory, "UnapprovedEscrow")
        .withArgs(other, await s.escrow.getAddress());
      await expect(s.factory.connect(s.issuer).createBond(await defaultTerms(s, { compliance: other }), "n", "s"))
        .to.be.revertedWithCustomError(s.factory, "UnapprovedCompliance")
        .withArgs(other, await s.compliance.getAddress());
    });

    it("refuses an empty name or symbol", async () => {
      const s = await loadFixture(factoryFixture);
      const t = await defaultTerms(s);
      await expect(s.factory.connect(s.issuer).createBond(t, "", "s")).to.be.revertedWithCustomError(
        s.factory,
        "EmptyNameOrSymbol",
      );
      await expect(s.factory.connect(s.issuer).createBond(t, "n", "")).to.be.revertedWithCustomError(
        s.factory,
        "EmptyNameOrSymbol",
      );
    });

    it("refuses a project that is not Active", async () => {
      const s = await loadFixture(factoryFixture);
      await s.registry.connect(s.verifier).setProjectStatus(s.projectId, ProjectStatus.Suspended);
      await expect(s.factory.connect(s.issuer).createBond(await defaultTerms(s), "n", "s"))
        .to.be.revertedWithCustomError(s.factory, "ProjectNotActive")
        .withArgs(s.projectId, ProjectStatus.Suspended);
      const t = await defaultTerms(s);
      await expect(
        s.factory.connect(s.issuer).createBond({ ...t, proceeds: { ...t.proceeds, projectId: 999n } }, "n", "s"),
      )
        .to.be.revertedWithCustomError(s.factory, "ProjectNotFound")
        .withArgs(999n);
    });

    it("checks the deal's verifiers, threshold and arbiter", async () => {
      const s = await loadFixture(factoryFixture);
      const { factory, issuer } = s;
      const t = await defaultTerms(s);
      const withP = (p: Record<string, unknown>) => ({ ...t, proceeds: { ...t.proceeds, ...p } });
      await expect(factory.connect(issuer).createBond(withP({ verifiers: [s.bob.address] }), "n", "s"))
        .to.be.revertedWithCustomError(factory, "NotRegistryVerifier")
        .withArgs(s.bob.address);
      await expect(factory.connect(issuer).createBond(withP({ verifiers: [issuer.address] }), "n", "s"))
        .to.be.revertedWithCustomError(factory, "VerifierIsIssuer")
        .withArgs(issuer.address);
      await expect(factory.connect(issuer).createBond(withP({ threshold: 0 }), "n", "s"))
        .to.be.revertedWithCustomError(factory, "InvalidThreshold")
        .withArgs(0, 1);
      await expect(factory.connect(issuer).createBond(withP({ threshold: 2 }), "n", "s"))
        .to.be.revertedWithCustomError(factory, "InvalidThreshold")
        .withArgs(2, 1);
      await expect(factory.connect(issuer).createBond(withP({ arbiter: ethers.ZeroAddress }), "n", "s"))
        .to.be.revertedWithCustomError(factory, "ArbiterNotIndependent")
        .withArgs(ethers.ZeroAddress);
      await expect(factory.connect(issuer).createBond(withP({ arbiter: issuer.address }), "n", "s"))
        .to.be.revertedWithCustomError(factory, "ArbiterNotIndependent")
        .withArgs(issuer.address);
      const many = Array.from({ length: 17 }, (_, i) => ethers.getAddress(ethers.toBeHex(i + 1, 20)));
      await expect(factory.connect(issuer).createBond(withP({ verifiers: many, threshold: 1 }), "n", "s"))
        .to.be.revertedWithCustomError(await bondFactory(), "InvalidVerifierCount")
        .withArgs(17, 16);
    });

    it("propagates the bond's own term validation", async () => {
      const s = await loadFixture(factoryFixture);
      const bondIface = await bondFactory();
      await expect(
        s.factory.connect(s.issuer).createBond(await defaultTerms(s, { unitPrice: 0 }), "n", "s"),
      ).to.be.revertedWithCustomError(bondIface, "ZeroUnitPrice");
    });
  });

  describe("setBondRoles", () => {
    it("changes the roles given to new bonds (admin only) and emits BondRolesUpdated", async () => {
      const s = await loadFixture(factoryFixture);
      const { factory, outsider, bob, carol } = s;
      await expect(factory.connect(outsider).setBondRoles(bob.address, carol.address))
        .to.be.revertedWithCustomError(factory, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.DEFAULT_ADMIN);
      await expect(factory.setBondRoles(ethers.ZeroAddress, carol.address))
        .to.be.revertedWithCustomError(factory, "ZeroAddress")
        .withArgs("bondAdmin");
      await expect(factory.setBondRoles(bob.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(factory, "ZeroAddress")
        .withArgs("bondAgent");
      await expect(factory.setBondRoles(bob.address, carol.address))
        .to.emit(factory, "BondRolesUpdated")
        .withArgs(bob.address, carol.address);
      const bond = await createBond(s);
      expect(await bond.hasRole(ROLE.DEFAULT_ADMIN, bob.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.PAUSER, bob.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.AGENT, carol.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.AGENT, s.deployer.address)).to.equal(false);
    });
  });

  describe("setBondPauser", () => {
    it("changes who also pauses new bonds (admin only) and emits BondPauserUpdated; earlier bonds keep their pausers", async () => {
      const s = await loadFixture(factoryFixture);
      const { factory, outsider, bob } = s;
      const before = await createBond(s);
      await expect(factory.connect(outsider).setBondPauser(bob.address))
        .to.be.revertedWithCustomError(factory, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ROLE.DEFAULT_ADMIN);
      await expect(factory.setBondPauser(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(factory, "ZeroAddress")
        .withArgs("bondPauser");
      expect(await factory.bondPauser()).to.equal((await getNamedAccounts()).guardian);
      await expect(factory.setBondPauser(bob.address)).to.emit(factory, "BondPauserUpdated").withArgs(bob.address);
      expect(await factory.bondPauser()).to.equal(bob.address);
      const bond = await createBond(s);
      expect(await bond.hasRole(ROLE.PAUSER, bob.address)).to.equal(true);
      expect(await bond.hasRole(ROLE.PAUSER, s.deployer.address)).to.equal(true); // bondAdmin pauses too
      expect(await bond.hasRole(ROLE.DEFAULT_ADMIN, bob.address)).to.equal(false);
      expect(await before.hasRole(ROLE.PAUSER, bob.address)).to.equal(false);
    });
  });

  describe("deploy scripts", () => {
    it("are idempotent: a second run deploys and sends nothing", async () => {
      const s = await loadFixture(factoryFixture);
      const hre = await import("hardhat");
      const before = await ethers.provider.getBlockNumber();
      await hre.deployments.run(["compliance", "bonds"], { resetMemory: false, writeDeploymentsToFiles: false });
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
      expect(await s.factory.getAddress()).to.equal((await hre.deployments.get("GreenBondFactory")).address);
    });
  });
});
