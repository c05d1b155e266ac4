import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, isLocal, writeAddressSummary } from "../config/deploy-utils";
import { handOverRoles } from "../config/handover";
import { guardianAddress, TIMELOCK_DEPLOYMENT } from "../config/governance";
import { preflight } from "../config/preflight";

/**
 * Runs after every other deploy script (whatever areas exist). Public networks: hands DEFAULT_ADMIN_ROLE and
 * the operator roles to the TreelionTimelock (proposer: ADMIN_ADDRESS), PAUSER_ROLE to GUARDIAN_ADDRESS, and
 * renounces every role of the deployer on every Treelion contract. Local networks keep the deployer as admin
 * beside the timelock (proposer and executor: the named `admin`); the named `guardian` gets PAUSER_ROLE. Writes deployments/<network>/addresses.json on every network whose records are saved.
 * Idempotent: a second run finds nothing to grant or renounce and sends no transaction.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  await preflight(hre);
  const timelock = await hre.deployments.getOrNull(TIMELOCK_DEPLOYMENT);
  if (timelock) {
    const targets = { admin: timelock.address, guardian: await guardianAddress(hre) };
    const actions = await handOverRoles(hre, targets, { send: true, keepDeployer: isLocal(hre) });
    if (actions.length === 0)
      hre.deployments.log(`  hand-over: nothing to do (roles already with ${TIMELOCK_DEPLOYMENT} and the guardian)`);
  } else if (!isLocal(hre)) {
    throw new Error(
      `${TIMELOCK_DEPLOYMENT} is not deployed: run the whole deploy (tag governance) before the hand-over`,
    );
  }
  // Not on the in-process `hardhat` network: its records live in memory only, and a lone addresses.json in
  // deployments/hardhat/ (no .chainId) would make hardhat-deploy refuse to load that folder.
  if (hre.network.name !== "hardhat") {
    const file = await writeAddressSummary(hre);
    hre.deployments.log(`  address summary: ${file}`);
  }
};
func.tags = ["handover"];
func.dependencies = ["governance"];
func.runAtTheEnd = true;
export default func;
