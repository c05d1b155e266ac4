import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal, verifierAddresses } from "../config/deploy-utils";

/** GreenProjectRegistry; registrar = deployer, verifiers = named `verifier` (local) or VERIFIER_ADDRESSES. */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer } = await hre.getNamedAccounts();
  await hre.deployments.deploy("GreenProjectRegistry", { ...(await deployOptions(hre)), args: [deployer] });
  await ensureRole(hre, "GreenProjectRegistry", "REGISTRAR", deployer);
  if (isLocal(hre)) await ensureRole(hre, "GreenProjectRegistry", "VERIFIER", deployer);
  for (const v of await verifierAddresses(hre)) await ensureRole(hre, "GreenProjectRegistry", "VERIFIER", v);
};
func.tags = ["registry"];
export default func;
