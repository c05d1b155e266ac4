import type { DeployFunction } from "hardhat-deploy/types";
import { ROLES, assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";
import { scheduleHint } from "../config/preflight";

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * BufferPool (the non-permanence buffer), wired into CarbonCredit (`setBufferPool`, once) so projects with a
 * buffer rate can be issued. PAUSER_ROLE goes to the deployer on local networks (the guardian everywhere, by the
 * hand-over). When CarbonCredit is already administered by governance (a later deploy on a public network), the
 * pool is deployed and the one call governance must make is printed instead of being sent.
 * Idempotent: a re-run finds the pool deployed and wired and sends nothing. A CarbonCredit already wired to another
 * buffer stops the deploy before any transaction (the wiring cannot change).
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer } = await hre.getNamedAccounts();
  const { deployments } = hre;
  const credit = await deployments.get("CarbonCredit");
  const registry = await deployments.get("GreenProjectRegistry");
  const wired = String(await deployments.read("CarbonCredit", "bufferPool"));
  const opts = { ...(await deployOptions(hre)), args: [deployer, credit.address, registry.address] };
  if (wired !== ZERO) {
    // set once: only the BufferPool it points at may stay; a new deployment could never be wired
    const previous = await deployments.getOrNull("BufferPool");
    const { differences } = await deployments.fetchIfDifferent("BufferPool", opts);
    if (previous?.address.toLowerCase() !== wired.toLowerCase() || differences) {
      throw new Error(
        `CarbonCredit ${credit.address} is wired to the buffer ${wired} once and for all; the BufferPool deployment ` +
          `of this network ${previous ? `(${previous.address}) differs` : "is missing"}: stopped before sending anything.`,
      );
    }
  }
  const pool = await deployments.deploy("BufferPool", opts);
  if (wired === ZERO) {
    if (await deployments.read("CarbonCredit", "hasRole", ROLES.DEFAULT_ADMIN, deployer)) {
      await deployments.execute("CarbonCredit", { from: deployer, log: true }, "setBufferPool", pool.address);
    } else {
      deployments.log(
        `  BufferPool ${pool.address} is not wired yet: CarbonCredit is administered by governance; schedule ` +
          scheduleHint(hre.network.name, "CarbonCredit", `setBufferPool(${pool.address})`),
      );
    }
  }
  if (isLocal(hre)) await ensureRole(hre, "BufferPool", "PAUSER", deployer);
};
func.tags = ["buffer"];
func.dependencies = ["credits"];
export default func;
