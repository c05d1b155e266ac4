import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ROLES } from "../config/deploy-utils";
import { formatDuration, timelockSettings, TIMELOCK_DEPLOYMENT } from "../config/governance";

/**
 * TreelionTimelock (OpenZeppelin TimelockController, self-administered), on every network. minDelay from
 * TIMELOCK_MIN_DELAY (default 2 days on public networks, at least 1 hour there; 60 s on hardhat/localhost);
 * proposers and cancellers = the named `admin` (ADMIN_ADDRESS, the multisig); executors = `admin`, or anyone with
 * TIMELOCK_OPEN_EXECUTOR=true. The hand-over (99_handover.ts) gives it the admin roles.
 * Idempotent: once any Treelion contract is administered by the timelock it is never redeployed (a new build or
 * new settings would strand the roles on the old one); `preflight` refuses settings that differ from the chain.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const opts = await deployOptions(hre);
  const settings = await timelockSettings(hre);
  const existing = await hre.deployments.getOrNull(TIMELOCK_DEPLOYMENT);
  let inUse = false;
  if (existing && (await hre.ethers.provider.getCode(existing.address)) !== "0x") {
    for (const [name, d] of Object.entries(await hre.deployments.all())) {
      if (name === TIMELOCK_DEPLOYMENT || !Array.isArray(d.abi) || !d.abi.some((f: any) => f.name === "hasRole"))
        continue;
      if ((await hre.ethers.provider.getCode(d.address)) === "0x") continue;
      if (await hre.deployments.read(name, "hasRole", ROLES.DEFAULT_ADMIN, existing.address)) {
        inUse = true;
        break;
      }
    }
  }
  const result = await hre.deployments.deploy(TIMELOCK_DEPLOYMENT, {
    ...opts,
    contract: "TreelionTimelock",
    args: [settings.minDelay, settings.proposers, settings.executors],
    skipIfAlreadyDeployed: inUse,
  });
  if (result.newlyDeployed)
    hre.deployments.log(
      `  ${TIMELOCK_DEPLOYMENT}: minDelay ${formatDuration(settings.minDelay)}, proposer ${settings.proposers.join(", ")}, ` +
        `executor ${settings.executors.join(", ")}`,
    );
};
func.tags = ["governance"];
export default func;
