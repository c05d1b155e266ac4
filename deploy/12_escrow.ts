import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";

/** Platform fee on released milestone amounts, in basis points (1 %). Fixed per deal at creation. */
export const ESCROW_FEE_BPS = 100;

/**
 * MilestoneEscrow: admin = deployer, registry = GreenProjectRegistry, treasury = named `treasury`, fee 100 bps.
 * On local networks the deployer also gets PAUSER_ROLE. Idempotent: a second run sends nothing.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer, treasury } = await hre.getNamedAccounts();
  const registry = await hre.deployments.get("GreenProjectRegistry");
  await hre.deployments.deploy("MilestoneEscrow", {
    ...(await deployOptions(hre)),
    args: [deployer, registry.address, treasury, ESCROW_FEE_BPS],
  });
  if (isLocal(hre)) await ensureRole(hre, "MilestoneEscrow", "PAUSER", deployer);
};
func.tags = ["escrow"];
// test-tokens skips itself on non-local networks; listing it makes fixtures("escrow") bring tUSD along.
func.dependencies = ["credits", "test-tokens"];
export default func;
