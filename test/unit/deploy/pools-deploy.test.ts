import { expect } from "chai";
import { deployments, ethers, getNamedAccounts } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { CarbonPool } from "../../../typechain-types";
import { ROLE } from "../../helpers/suite";
import { POOLS, categoryMask } from "../../../deploy/10_pools";

describe("deploy: pools", function () {
  async function fixture() {
    await deployments.fixture(["pools"]);
    const named = await getNamedAccounts();
    const at = async (name: string) =>
      (await ethers.getContractAt("CarbonPool", (await deployments.get(name)).address)) as unknown as CarbonPool;
    return { named, ncp: await at("NatureCarbonPool"), tcp: await at("TechCarbonPool") };
  }

  async function snapshot(s: Awaited<ReturnType<typeof fixture>>) {
    const out: Record<string, unknown> = {};
    for (const [name, pool] of [
      ["NatureCarbonPool", s.ncp],
      ["TechCarbonPool", s.tcp],
    ] as const) {
      const c = await pool.criteria();
      out[name] = {
        address: await pool.getAddress(),
        symbol: await pool.symbol(),
        criteria: [c.minVintage, c.categoryMask, [...c.standards]],
        fees: [await pool.redeemFeeBps(), await pool.retireFeeBps(), await pool.treasury()],
        deployerRoles: await Promise.all(
          [ROLE.DEFAULT_ADMIN, ROLE.POOL_ADMIN, ROLE.PAUSER].map((r) => pool.hasRole(r, s.named.deployer)),
        ),
      };
    }
    return out;
  }

  const rerun = () =>
    deployments.run(["pools"], {
      resetMemory: false,
      deletePreviousDeployments: false,
      writeDeploymentsToFiles: false,
    });

  it("deploys both pools from the CarbonPool artifact with the configured criteria and fees", async function () {
    const s = await loadFixture(fixture);
    for (const cfg of POOLS) {
      const d = await deployments.get(cfg.deployment);
      const pool = cfg.deployment === "NatureCarbonPool" ? s.ncp : s.tcp;
      expect(await pool.getAddress()).to.equal(d.address);
      expect(await pool.name()).to.equal(cfg.name);
      expect(await pool.symbol()).to.equal(cfg.symbol);
      const c = await pool.criteria();
      expect(c.minVintage).to.equal(BigInt(cfg.minVintage));
      expect(c.categoryMask).to.equal(categoryMask(cfg.categories));
      expect(await pool.treasury()).to.equal(s.named.treasury);
    }
    expect(await s.ncp.getAddress()).to.not.equal(await s.tcp.getAddress());
  });

  it("running the scripts again sends no transaction and changes nothing", async function () {
    const s = await loadFixture(fixture);
    const before = await snapshot(s);
    const block = await ethers.provider.getBlockNumber();
    await rerun();
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect(await snapshot(s)).to.deep.equal(before);
  });

  it("running the scripts again restores changed criteria and fees in place (no redeploy)", async function () {
    const s = await loadFixture(fixture);
    const before = await snapshot(s);
    await s.ncp.setCriteria({ minVintage: 1990, categoryMask: 1n, standards: [ethers.id("x")] });
    await s.tcp.setFees(7, 7, s.named.deployer);
    await s.tcp.revokeRole(ROLE.PAUSER, s.named.deployer);
    const block = await ethers.provider.getBlockNumber();
    await rerun();
    expect(await ethers.provider.getBlockNumber()).to.equal(block + 3);
    expect(await snapshot(s)).to.deep.equal(before);
  });
});
