/**
 * One check for every task that changes an administered setting (roles:grant, pause/unpause, fee and criteria
 * tasks): on a network whose contracts are administered by the TreelionTimelock, a direct call by an account
 * without the role can only fail with AccessControlUnauthorizedAccount. Say so before sending anything and
 * print the gov:schedule command that makes the change through governance instead.
 */
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, ZeroHash } from "ethers";
import { TIMELOCK_DEPLOYMENT } from "../../config/governance";
import { PLUGIN } from "./runner";

/** The gov:schedule command line for a call on a contract. */
export function govScheduleCommand(hre: HardhatRuntimeEnvironment, contract: string, call: string): string {
  return `npx hardhat gov:schedule --network ${hre.network.name} --contract ${contract} --call "${call}"`;
}

/**
 * Stops (nothing sent) when `signer` lacks `role` on `c` while the TreelionTimelock holds it.
 * `call` is the function call as gov:schedule takes it, e.g. `setFee(250, 0x…)`. Returns quietly otherwise
 * (the signer holds the role, or the network has no timelock in charge: the task's own checks apply).
 */
export async function refuseIfTimelockGoverned(
  hre: HardhatRuntimeEnvironment,
  c: Contract,
  contract: string,
  signer: string,
  role: string,
  call: string,
): Promise<void> {
  if (!c.interface.getFunction("hasRole")) return;
  if (await c.hasRole(role, signer)) return;
  const timelock = await hre.deployments.getOrNull(TIMELOCK_DEPLOYMENT);
  if (!timelock || !(await c.hasRole(role, timelock.address))) return;
  // loaded here, not at the top: this module loads with hardhat.config.ts, before sdk/generated exists
  const { roleNameOf } = await import("../../sdk/governance");
  const name = roleNameOf(c.interface, role) ?? (role === ZeroHash ? "DEFAULT_ADMIN_ROLE" : role);
  throw new HardhatPluginError(
    PLUGIN,
    `${contract}: ${signer} does not hold ${name}; on ${hre.network.name} it belongs to the ${TIMELOCK_DEPLOYMENT} ` +
      `(changes wait its delay). Schedule it instead:\n  ${govScheduleCommand(hre, contract, call)}\n`,
  );
}
