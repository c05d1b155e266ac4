import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, isLocal } from "../config/deploy-utils";

/** Local networks only: the open-mint 6-decimal test stablecoin (tUSD) used by tests and the demo. */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  await hre.deployments.deploy("TestStablecoin", { ...(await deployOptions(hre)), args: [] });
};
func.tags = ["test-tokens"];
func.skip = async (hre) => !isLocal(hre);
export default func;
