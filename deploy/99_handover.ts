import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, isLocal, writeAddressSummary } from "../config/deploy-utils";
import { handOverRoles } from "../config/handover";

/**
 * Runs after every other deploy script (whatever areas exist). Public networks: hands DEFAULT_ADMIN_ROLE and
 * the operator roles to ADMIN_ADDRESS and renounces every role of the deployer on every Treelion contract.
 * Local networks keep the deployer as admin. Writes deployments/<network>/addresses.json on every network whose records are saved.
 * Idempotent: a second run finds nothing to grant or renounce and sends no transaction.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  if (!isLocal(hre)) {
    const admin = process.env.ADMIN_ADDRESS!.trim();
    const actions = await handOverRoles(hre, admin, { send: true });
    if (actions.length === 0) hre.deployments.log("  hand-over: nothing to do (roles already with ADMIN_ADDRESS)");
  }
  // Not on the in-process `hardhat` network: its records live in memory only, and a lone addresses.json in
  // deployments/hardhat/ (no .chainId) would make hardhat-deploy refuse to load that folder.
  if (hre.network.name !== "hardhat") {
    const file = await writeAddressSummary(hre);
    hre.deployments.log(`  address summary: ${file}`);
  }
};
func.tags = ["handover"];
func.runAtTheEnd = true;
export default func;
