/**
 * Enum member names for the numbers the contracts return, from the SDK's generated tables (sdk/generated, made
 * from the artifacts at compile). Loaded on first use: this module loads with hardhat.config.ts, before anything
 * is compiled on a fresh clone.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";

const generated = () => import("../../sdk/generated");

/** "Active (2)" for enum `BondStatus` value 2. */
export async function enumLabel(_hre: HardhatRuntimeEnvironment, enumName: string, value: unknown): Promise<string> {
  const members = ((await generated()).ENUMS as Record<string, readonly string[]>)[enumName];
  const n = Number(value);
  return members?.[n] !== undefined ? `${members[n]} (${n})` : String(value);
}

/** The members of an enum, in order. */
export async function enumMembers(_hre: HardhatRuntimeEnvironment, enumName: string): Promise<readonly string[]> {
  const members = ((await generated()).ENUMS as Record<string, readonly string[]>)[enumName];
  if (!members) throw new Error(`no enum ${enumName} in sdk/generated (run npx hardhat compile)`);
  return members;
}
