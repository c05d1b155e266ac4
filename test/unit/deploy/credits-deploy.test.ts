import { expect } from "chai";
import { deployments, ethers, getNamedAccounts } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { CarbonCredit, GreenProjectRegistry, RetirementCertificate } from "../../../typechain-types";
import { ProjectStatus, ROLE, projectInput } from "../../helpers/suite";

describe("deploy: credits", function () {
  async function fixture() {
    await deployments.fixture(["credits"], { fallbackToGlobal: false }); // not the full suite another file deployed
    const named = await getNamedAccounts();
    const at = async <T>(name: string) =>
      (await ethers.getContractAt(name, (await deployments.get(name)).address)) as unknown as T;
    return {
      named,
      registry: await at<GreenProjectRegistry>("GreenProjectRegistry"),
      credit: await at<CarbonCredit>("CarbonCredit"),
      certificate: await at<RetirementCertificate>("RetirementCertificate"),
    };
  }

  /** Everything the scripts set, as one comparable snapshot. */
  async function wiring(s: Awaited<ReturnType<typeof fixture>>) {
    const { deployer, verifier, treasury } = s.named;
    const who = { deployer, verifier, treasury };
    const roles: Record<string, boolean> = {};
    for (const [c, name, list] of [
      [s.registry, "registry", ["DEFAULT_ADMIN", "REGISTRAR", "VERIFIER"]],
      [s.credit, "credit", ["DEFAULT_ADMIN", "ISSUER", "PAUSER"]],
      [s.certificate, "certificate", ["DEFAULT_ADMIN"]],
    ] as const) {
      for (const role of list) {
        for (const [wname, addr] of Object.entries(who)) {
          roles[`${name}.${role}.${wname}`] = await c.hasRole(ROLE[role as keyof typeof ROLE], addr);
        }
      }
    }
    return {
      addresses: Object.fromEntries(Object.entries(await deployments.all()).map(([k, v]) => [k, v.address])),
      minter: await s.certificate.minter(),
      creditRegistry: await s.credit.registry(),
      creditCertificate: await s.credit.certificate(),
      roles,
    };
  }

  it("deploys the registry, the certificate and CarbonCredit (no test tokens under this tag)", async function () {
    const s = await loadFixture(fixture);
    const all = await deployments.all();
    expect(Object.keys(all).sort()).to.deep.equal(["CarbonCredit", "GreenProjectRegistry", "RetirementCertificate"]);
    for (const d of Object.values(all)) expect(await ethers.provider.getCode(d.address)).to.not.equal("0x");
    void s;
  });

  it("wires CarbonCredit to the registry and makes it the certificate's only minter", async function () {
    const s = await loadFixture(fixture);
    expect(await s.credit.registry()).to.equal(await s.registry.getAddress());
    expect(await s.credit.certificate()).to.equal(await s.certificate.getAddress());
    expect(await s.certificate.minter()).to.equal(await s.credit.getAddress());
  });

  it("grants roles per named account: deployer admin + every operator role locally, verifier VERIFIER + ISSUER", async function () {
    const s = await loadFixture(fixture);
    const w = await wiring(s);
    expect(w.roles).to.deep.equal({
      "registry.DEFAULT_ADMIN.deployer": true,
      "registry.DEFAULT_ADMIN.verifier": false,
      "registry.DEFAULT_ADMIN.treasury": false,
      "registry.REGISTRAR.deployer": true,
      "registry.REGISTRAR.verifier": false,
      "registry.REGISTRAR.treasury": false,
      "registry.VERIFIER.deployer": true,
      "registry.VERIFIER.verifier": true,
      "registry.VERIFIER.treasury": false,
      "credit.DEFAULT_ADMIN.deployer": true,
      "credit.DEFAULT_ADMIN.verifier": false,
      "credit.DEFAULT_ADMIN.treasury": false,
      "credit.ISSUER.deployer": true,
      "credit.ISSUER.verifier": true,
      "credit.ISSUER.treasury": false,
      "credit.PAUSER.deployer": true,
      "credit.PAUSER.verifier": false,
      "credit.PAUSER.treasury": false,
      "certificate.DEFAULT_ADMIN.deployer": true,
      "certificate.DEFAULT_ADMIN.verifier": false,
      "certificate.DEFAULT_ADMIN.treasury": false,
    });
    expect(await s.registry.isVerifier(s.named.verifier)).to.equal(true);
  });

  it("yields a working system: register → activate → issue → retire → certificate", async function () {
    const s = await loadFixture(fixture);
    const [deployer, verifier, , alice] = await ethers.getSigners();
    await s.registry.connect(deployer).registerProject(projectInput(alice.address));
    await s.registry.connect(verifier).setProjectStatus(1n, ProjectStatus.Active);
    await s.credit.connect(verifier).issue({
      projectId: 1n,
      vintage: 2020,
      serialStart: 1n,
      serialEnd: 2n,
      to: alice.address,
      attestation: ethers.id("report"),
    });
    await s.credit.connect(alice).retire(1n, 1_500n, ethers.ZeroAddress, "Alice", "demo");
    expect(await s.certificate.ownerOf(1n)).to.equal(alice.address);
    expect(await s.credit.balanceOf(alice.address, 1n)).to.equal(500n);
  });

  it("running the scripts again sends no transaction and changes nothing", async function () {
    const s = await loadFixture(fixture);
    const before = await wiring(s);
    const block = await ethers.provider.getBlockNumber();
    const nonce = await ethers.provider.getTransactionCount(s.named.deployer);
    await deployments.run(["credits"], {
      resetMemory: false,
      deletePreviousDeployments: false,
      writeDeploymentsToFiles: false,
    });
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect(await ethers.provider.getTransactionCount(s.named.deployer)).to.equal(nonce);
    expect(await wiring(s)).to.deep.equal(before);
  });

  it("running the scripts again restores a revoked role and nothing else", async function () {
    const s = await loadFixture(fixture);
    const before = await wiring(s);
    const [deployer] = await ethers.getSigners();
    await s.credit.connect(deployer).revokeRole(ROLE.ISSUER, s.named.verifier);
    const block = await ethers.provider.getBlockNumber();
    await deployments.run(["credits"], {
      resetMemory: false,
      deletePreviousDeployments: false,
      writeDeploymentsToFiles: false,
    });
    expect(await ethers.provider.getBlockNumber()).to.equal(block + 1);
    expect(await wiring(s)).to.deep.equal(before);
  });
});
