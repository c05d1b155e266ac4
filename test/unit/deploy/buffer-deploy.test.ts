import { expect } from "chai";
import { deployments, ethers, getNamedAccounts } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { BufferPool, CarbonCredit, GreenProjectRegistry } from "../../../typechain-types";
import { ROLE, activeProject, issueParams } from "../../helpers/suite";

describe("deploy: buffer", function () {
  async function fixture() {
    await deployments.fixture(["buffer"], { fallbackToGlobal: false });
    const named = await getNamedAccounts();
    const at = async <T>(name: string) =>
      (await ethers.getContractAt(name, (await deployments.get(name)).address)) as unknown as T;
    return {
      named,
      registry: await at<GreenProjectRegistry>("GreenProjectRegistry"),
      credit: await at<CarbonCredit>("CarbonCredit"),
      buffer: await at<BufferPool>("BufferPool"),
    };
  }

  /** A credits-only deployment: CarbonCredit without a buffer pool. */
  async function creditsOnlyFixture() {
    await deployments.fixture(["credits"], { fallbackToGlobal: false });
    const [deployer, verifier, , alice] = await ethers.getSigners();
    const at = async <T>(name: string) =>
      (await ethers.getContractAt(name, (await deployments.get(name)).address)) as unknown as T;
    return {
      registry: await at<GreenProjectRegistry>("GreenProjectRegistry"),
      credit: await at<CarbonCredit>("CarbonCredit"),
      deployer,
      verifier,
      alice,
    };
  }

  async function wiring(s: Awaited<ReturnType<typeof fixture>>) {
    return {
      address: await s.buffer.getAddress(),
      wired: await s.credit.bufferPool(),
      credit: await s.buffer.credit(),
      registry: await s.buffer.registry(),
      adminDeployer: await s.buffer.hasRole(ROLE.DEFAULT_ADMIN, s.named.deployer),
      pauserDeployer: await s.buffer.hasRole(ROLE.PAUSER, s.named.deployer),
      pauserVerifier: await s.buffer.hasRole(ROLE.PAUSER, s.named.verifier),
    };
  }

  it("deploys BufferPool under the tag `buffer` (with the credits it needs) and wires it into CarbonCredit", async function () {
    const s = await loadFixture(fixture);
    expect(Object.keys(await deployments.all()).sort()).to.deep.equal([
      "BufferPool",
      "CarbonCredit",
      "GreenProjectRegistry",
      "RetirementCertificate",
    ]);
    expect(await wiring(s)).to.deep.equal({
      address: await s.buffer.getAddress(),
      wired: await s.buffer.getAddress(),
      credit: await s.credit.getAddress(),
      registry: await s.registry.getAddress(),
      adminDeployer: true,
      pauserDeployer: true,
      pauserVerifier: false,
    });
  });

  it("running the scripts again sends no transaction and changes nothing", async function () {
    const s = await loadFixture(fixture);
    const before = await wiring(s);
    const block = await ethers.provider.getBlockNumber();
    const nonce = await ethers.provider.getTransactionCount(s.named.deployer);
    await deployments.run(["buffer"], {
      resetMemory: false,
      deletePreviousDeployments: false,
      writeDeploymentsToFiles: false,
    });
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect(await ethers.provider.getTransactionCount(s.named.deployer)).to.equal(nonce);
    expect(await wiring(s)).to.deep.equal(before);
  });

  it("stops before any transaction when CarbonCredit is wired to a buffer that is not this network's BufferPool", async function () {
    const s = await loadFixture(creditsOnlyFixture);
    await s.credit.connect(s.deployer).setBufferPool(s.alice.address);
    const block = await ethers.provider.getBlockNumber();
    await expect(
      deployments.run(["buffer"], {
        resetMemory: false,
        deletePreviousDeployments: false,
        writeDeploymentsToFiles: false,
      }),
    ).to.be.rejectedWith(/wired to the buffer .* once and for all.*stopped before sending anything/);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("without the buffer, rate-0 projects issue as before and rated ones revert BufferPoolNotSet", async function () {
    const s = await loadFixture(creditsOnlyFixture);
    const plain = await activeProject(s, s.alice.address);
    const rated = await activeProject(s, s.alice.address);
    await s.registry.connect(s.verifier).setBufferRate(rated, 500);
    await expect(s.credit.connect(s.verifier).issue(issueParams(rated, s.alice.address))).to.be.revertedWithCustomError(
      s.credit,
      "BufferPoolNotSet",
    );
    await s.credit.connect(s.verifier).issue(issueParams(plain, s.alice.address));
    expect(await s.credit.balanceOf(s.alice.address, 1n)).to.equal(10_000n);
    await expect(s.credit.connect(s.deployer).setBufferPool(ethers.ZeroAddress))
      .to.be.revertedWithCustomError(s.credit, "ZeroAddress")
      .withArgs("bufferPool");
    await expect(s.credit.connect(s.deployer).setBufferPool(s.alice.address))
      .to.emit(s.credit, "BufferPoolSet")
      .withArgs(s.alice.address);
  });
});
