import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";
import { Category } from "../sdk/generated";

/** Category enum of IGreenProjectRegistry, generated from the compiler output (bit i of a category mask = Category(i)). */
export type CategoryName = keyof typeof Category;

export function categoryMask(categories: CategoryName[]): bigint {
  return categories.reduce((m, c) => m | (1n << BigInt(Category[c])), 0n);
}

export interface PoolConfig {
  deployment: string;
  name: string;
  symbol: string;
  minVintage: number;
  categories: CategoryName[];
  /** Accepted standard strings (hashed with keccak256 on chain); empty = any standard. */
  standards: string[];
  redeemFeeBps: number;
  retireFeeBps: number;
}

/** The pools this script deploys (each its own CarbonPool deployment). */
export const POOLS: PoolConfig[] = [
  {
    deployment: "NatureCarbonPool",
    name: "Treelion Nature Carbon Pool",
    symbol: "NCP",
    minVintage: 2016,
    categories: ["Forestry", "BlueCarbon", "Agriculture"],
    standards: [],
    redeemFeeBps: 100,
    retireFeeBps: 0,
  },
  {
    deployment: "TechCarbonPool",
    name: "Treelion Tech Carbon Pool",
    symbol: "TCP",
    minVintage: 0,
    categories: ["CarbonRemoval"],
    standards: [],
    redeemFeeBps: 100,
    retireFeeBps: 50,
  },
];

/**
 * CarbonPool deployments `NatureCarbonPool` (NCP) and `TechCarbonPool` (TCP), fees to the named `treasury`.
 * Criteria and fees are set by transactions (not constructor arguments), so changing them here later updates the
 * live pool instead of redeploying a token that holds credits. POOL_ADMIN_ROLE goes to the deployer (needed to
 * configure; hand it to governance afterwards), PAUSER_ROLE to the deployer on local networks.
 * Idempotent: every value is read first and only what differs is sent.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer, treasury } = await hre.getNamedAccounts();
  const { ethers, deployments } = hre;
  const credit = await deployments.get("CarbonCredit");
  const opts = await deployOptions(hre);

  for (const pool of POOLS) {
    await deployments.deploy(pool.deployment, {
      ...opts,
      contract: "CarbonPool",
      args: [deployer, credit.address, pool.name, pool.symbol],
    });
    await ensureRole(hre, pool.deployment, "POOL_ADMIN", deployer);
    if (isLocal(hre)) await ensureRole(hre, pool.deployment, "PAUSER", deployer);

    const mask = categoryMask(pool.categories);
    const standards = pool.standards.map((s) => ethers.id(s));
    const current = await deployments.read(pool.deployment, "criteria");
    const same =
      Number(current.minVintage) === pool.minVintage &&
      BigInt(current.categoryMask) === mask &&
      current.standards.length === standards.length &&
      standards.every((h, i) => current.standards[i] === h);
    if (!same) {
      await deployments.execute(pool.deployment, { from: deployer, log: true }, "setCriteria", {
        minVintage: pool.minVintage,
        categoryMask: mask,
        standards,
      });
    }
    const [redeemFee, retireFee, currentTreasury] = await Promise.all([
      deployments.read(pool.deployment, "redeemFeeBps"),
      deployments.read(pool.deployment, "retireFeeBps"),
      deployments.read(pool.deployment, "treasury"),
    ]);
    if (
      Number(redeemFee) !== pool.redeemFeeBps ||
      Number(retireFee) !== pool.retireFeeBps ||
      String(currentTreasury).toLowerCase() !== treasury.toLowerCase()
    ) {
      await deployments.execute(
        pool.deployment,
        { from: deployer, log: true },
        "setFees",
        pool.redeemFeeBps,
        pool.retireFeeBps,
        treasury,
      );
    }
  }
};
func.tags = ["pools"];
func.dependencies = ["credits"];
export default func;
