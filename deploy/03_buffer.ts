import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * BufferPool (the non-permanence buffer), wired into CarbonCredit (`setBufferPool`, once) so projects with a
 * buffer rate can be issued. PAUSER_ROLE goes to the deployer on local networks (governance elsewhere).
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
    await deployments.execute("CarbonCredit", { from: deployer, log: true }, "setBufferPool", pool.address);
  }
  if (isLocal(hre)) await ensureRole(hre, "BufferPool", "PAUSER", deployer);
};
func.tags = ["buffer"];
func.dependencies = ["credits"];
export default func;
