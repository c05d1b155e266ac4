/**
 * One check for every task that changes an administered setting (roles:grant, pause/unpause, fee and criteria
 * tasks): on a network whose contracts are administered by the TreelionTimelock, a direct call by an account
 * without the role can only fail with AccessControlUnauthorizedAccount. Say so before sending anything and
 * print the gov:schedule command that makes the change through governance instead.
 */
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, ZeroHash, type Signer } from "ethers";
import { TIMELOCK_DEPLOYMENT } from "../../config/governance";
import { PLUGIN, describeError, resolveAddress, send } from "./runner";
import { TaskInputError, parseBps } from "./parse";

/** The gov:schedule command line for a call on a contract. */
export function govScheduleCommand(hre: HardhatRuntimeEnvironment, contract: string, call: string): string {
  return `npx hardhat gov:schedule --network ${hre.network.name} --contract ${contract} --call "${call}"`;
}

/**
 * Why `signer` cannot make a change needing `role` on `c` directly: the TreelionTimelock holds the role and the
 * signer does not. undefined when the signer holds it, or no timelock is in charge (the task's own checks apply).
 */
async function governedBy(
  hre: HardhatRuntimeEnvironment,
  c: Contract,
  contract: string,
  signer: string,
  role: string,
): Promise<string | undefined> {
  if (!c.interface.getFunction("hasRole")) return undefined;
  if (await c.hasRole(role, signer)) return undefined;
  const timelock = await hre.deployments.getOrNull(TIMELOCK_DEPLOYMENT);
  if (!timelock || !(await c.hasRole(role, timelock.address))) return undefined;
  // loaded here, not at the top: this module loads with hardhat.config.ts, before sdk/generated exists
  const { roleNameOf } = await import("../../sdk/governance");
  const name = roleNameOf(c.interface, role) ?? (role === ZeroHash ? "DEFAULT_ADMIN_ROLE" : role);
  return (
    `${contract}: ${signer} does not hold ${name}; on ${hre.network.name} it belongs to the ${TIMELOCK_DEPLOYMENT} ` +
    `(changes wait its delay)`
  );
}

/**
 * Stops (nothing sent) when `signer` lacks `role` on `c` while the TreelionTimelock holds it.
 * `calls` are the function calls as gov:schedule takes them, e.g. `setFee(250, 0x…)`: the message prints the
 * gov:schedule command of each. Returns quietly otherwise.
 */
export async function refuseIfTimelockGoverned(
  hre: HardhatRuntimeEnvironment,
  c: Contract,
  contract: string,
  signer: string,
  role: string,
  ...calls: string[]
): Promise<void> {
  const why = await governedBy(hre, c, contract, signer, role);
  if (!why) return;
  const cmds = calls.map((call) => `  ${govScheduleCommand(hre, contract, call)}`).join("\n");
  throw new HardhatPluginError(PLUGIN, `${why}. Schedule it instead:\n${cmds}\n`);
}

/** One change of an administered setting: what it does, the call, and the gov:schedule form of the call. */
export interface AdminChange {
  /** what the transaction does, e.g. "set the CreditMarketplace fee to 2.50 % (250 bps)" */
  label: string;
  method: string;
  args: unknown[];
  /** the call as gov:schedule takes it, e.g. `setFee(250, 0x…)` */
  call: string;
}

/**
 * Sends administered changes of one contract (fees, treasury, criteria) after checking all of them: when the
 * timelock holds `role` and the signer does not, every change is refused before the first transaction with the
 * gov:schedule command of each; otherwise each is sent (a revert at estimation is refused before sending).
 */
export async function sendAdminChanges(
  hre: HardhatRuntimeEnvironment,
  c: Contract,
  contract: string,
  role: string,
  changes: AdminChange[],
): Promise<void> {
  const signer = await (c.runner as Signer).getAddress();
  await refuseIfTimelockGoverned(hre, c, contract, signer, role, ...changes.map((ch) => ch.call));
  // every change is estimated before the first is sent: a refusal of a later one sends nothing at all
  for (const ch of changes) {
    try {
      await c.getFunction(ch.method).estimateGas(...ch.args);
    } catch (err) {
      throw new HardhatPluginError(PLUGIN, await describeError(hre, err, ch.label));
    }
  }
  for (const ch of changes) await send(hre, ch.label, c, ch.method, ch.args);
}

/** An account argument: an address, a named account (treasury, admin, …) or a deployment name. */
export async function resolveAccount(hre: HardhatRuntimeEnvironment, argName: string, value: string): Promise<string> {
  const named = await hre.getNamedAccounts();
  if (named[value.trim()]) return named[value.trim()];
  return resolveAddress(hre, argName, value);
}

/** "2.50 % (250 bps)". */
export const formatBps = (v: bigint | number) => `${(Number(v) / 100).toFixed(2)} % (${v} bps)`;

/** A fee argument in bps, refused above the contract's own MAX_FEE_BPS (read from the contract) before sending. */
export async function parseFeeBps(c: Contract, argName: string, value: string): Promise<number> {
  const max = Number(await c.MAX_FEE_BPS());
  const bps = parseBps(argName, value, 10_000);
  if (bps > max)
    throw new TaskInputError(`--${argName}: ${formatBps(bps)} is above the contract's MAX_FEE_BPS (${max})`);
  return bps;
}

/** A treasury argument: an account (see resolveAccount), never the zero address or the contract itself. */
export async function parseTreasury(
  hre: HardhatRuntimeEnvironment,
  c: Contract,
  argName: string,
  value: string,
): Promise<string> {
  const t = await resolveAccount(hre, argName, value);
  if (t.toLowerCase() === (await c.getAddress()).toLowerCase())
    throw new TaskInputError(`--${argName}: the treasury cannot be the contract itself (its fees could never leave)`);
  return t;
}
