import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";

/**
 * GreenBondDeployer (holds the bond creation code) + GreenBondFactory wired to GreenProjectRegistry,
 * MilestoneEscrow and ComplianceRegistry. Factory admin = deployer; new bonds get the deployer as admin/pauser and
 * agent (governance changes this with setBondRoles). On local networks the deployer may create bonds (ISSUER_ROLE);
 * elsewhere governance onboards issuers. Idempotent: a second run sends nothing.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer } = await hre.getNamedAccounts();
  const opts = await deployOptions(hre);
  const registry = await hre.deployments.get("GreenProjectRegistry");
  const escrow = await hre.deployments.get("MilestoneEscrow");
  const compliance = await hre.deployments.get("ComplianceRegistry");
  const bondDeployer = await hre.deployments.deploy("GreenBondDeployer", { ...opts, args: [] });
  await hre.deployments.deploy("GreenBondFactory", {
    ...opts,
    args: [deployer, registry.address, escrow.address, compliance.address, bondDeployer.address, deployer, deployer],
  });
  if (isLocal(hre)) await ensureRole(hre, "GreenBondFactory", "ISSUER", deployer);
};
func.tags = ["bonds"];
func.dependencies = ["registry", "compliance", "escrow"];
export default func;
