import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";

/**
 * ComplianceRegistry (verified investors, blocked countries): admin = deployer.
 * On local networks the deployer is also the compliance officer (COMPLIANCE_ROLE); on testnets governance grants it.
 * Idempotent: a second run sends nothing.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer } = await hre.getNamedAccounts();
  await hre.deployments.deploy("ComplianceRegistry", { ...(await deployOptions(hre)), args: [deployer] });
  if (isLocal(hre)) await ensureRole(hre, "ComplianceRegistry", "COMPLIANCE", deployer);
};
func.tags = ["compliance"];
export default func;
