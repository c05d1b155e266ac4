/**
 * Governance settings of a deploy: the TreelionTimelock's delay, proposers and executors, and the guardian.
 * Read from the environment (public networks) or the named accounts (hardhat/localhost). Pure functions first
 * (tested without a chain), then the lookups a deploy script needs.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { computeAddress, ZeroAddress } from "ethers";
import { isLocalNetwork } from "./networks";

/** hardhat-deploy name of the timelock (issue #18). */
export const TIMELOCK_DEPLOYMENT = "TreelionTimelock";
/** Default `minDelay` on public networks: 2 days. */
export const DEFAULT_PUBLIC_DELAY = 2 * 86_400;
/** Smallest `minDelay` accepted on public networks: 1 hour. */
export const MIN_PUBLIC_DELAY = 3_600;
/** `minDelay` on hardhat/localhost, so the governance flow can be exercised in a minute. */
export const LOCAL_DELAY = 60;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Parses a duration: whole seconds (`172800`) or a number with a unit s/m/h/d/w (`2d`, `36h`, `90m`). */
export function parseDuration(value: string): number {
  const m = /^\s*(\d+)\s*([smhdw]?)\s*$/i.exec(value);
  if (!m) throw new Error(`"${value}" is not a duration: write seconds (172800) or a number with s, m, h, d or w (2d)`);
  const seconds = Number(m[1]) * UNIT_SECONDS[(m[2] || "s").toLowerCase()];
  if (!Number.isSafeInteger(seconds)) throw new Error(`"${value}" is too long a duration`);
  return seconds;
}

/** A duration in the largest exact unit a human reads (`2 d`, `36 h`, `90 s`). */
export function formatDuration(seconds: number | bigint): string {
  const s = Number(seconds);
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
  ] as const) {
    if (s >= size && s % size === 0) return `${s / size} ${unit}`;
  }
  return `${s} s`;
}

/** The timelock's `minDelay` for a network from TIMELOCK_MIN_DELAY (throws on a malformed or too short value). */
export function timelockDelay(network: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TIMELOCK_MIN_DELAY?.trim();
  const local = isLocalNetwork(network);
  const delay = raw ? parseDuration(raw) : local ? LOCAL_DELAY : DEFAULT_PUBLIC_DELAY;
  if (!local && delay < MIN_PUBLIC_DELAY) {
    throw new Error(
      `TIMELOCK_MIN_DELAY is ${formatDuration(delay)}: public networks need at least ${formatDuration(MIN_PUBLIC_DELAY)}`,
    );
  }
  return delay;
}

/** Whether TIMELOCK_OPEN_EXECUTOR asks for open execution (anyone executes a ready operation). */
export function openExecutor(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.TIMELOCK_OPEN_EXECUTOR?.trim().toLowerCase();
  if (v === undefined || v === "" || v === "false") return false;
  if (v === "true") return true;
  throw new Error(`TIMELOCK_OPEN_EXECUTOR must be true or false`);
}

/** The deployer's address from DEPLOYER_PRIVATE_KEY, when it is a well-formed key. */
export function deployerFromKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env.DEPLOYER_PRIVATE_KEY?.trim();
  if (!key || !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) return undefined;
  try {
    return computeAddress(key.startsWith("0x") ? key : `0x${key}`);
  } catch {
    return undefined; // out of the curve's range: networks.ts reports the key
  }
}

/**
 * Governance problems of a public-network environment, found before any transaction: the delay, the executor
 * switch, and role holders that would leave the deployer in control. Never echoes a value.
 */
export function governanceEnvProblems(network: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (isLocalNetwork(network)) return [];
  const problems: string[] = [];
  for (const check of [() => timelockDelay(network, env), () => openExecutor(env)]) {
    try {
      check();
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const deployer = deployerFromKey(env)?.toLowerCase();
  if (deployer) {
    if (env.ADMIN_ADDRESS?.trim().toLowerCase() === deployer)
      problems.push(
        "ADMIN_ADDRESS is the deployer: the hand-over would leave the deployer in control; use a separate (multisig) address",
      );
    if (env.GUARDIAN_ADDRESS?.trim().toLowerCase() === deployer)
      problems.push("GUARDIAN_ADDRESS is the deployer: the guardian must be an account of its own");
  }
  return problems;
}

export interface TimelockSettings {
  minDelay: number;
  proposers: string[];
  executors: string[];
}

/** Constructor arguments of the timelock: proposers (and cancellers) = the admin; executors = admin or open. */
export async function timelockSettings(hre: HardhatRuntimeEnvironment): Promise<TimelockSettings> {
  const { admin } = await hre.getNamedAccounts();
  const open = !isLocalNetwork(hre.network.name) && openExecutor();
  return {
    minDelay: timelockDelay(hre.network.name),
    proposers: [admin],
    executors: [open ? ZeroAddress : admin],
  };
}

/** The guardian (PAUSER_ROLE everywhere): GUARDIAN_ADDRESS on public networks, the named account locally. */
export async function guardianAddress(hre: HardhatRuntimeEnvironment): Promise<string> {
  return (await hre.getNamedAccounts()).guardian;
}
