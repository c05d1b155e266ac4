/**
 * Names for numbers the contracts return: enum members and role ids, read from the compiled artifacts
 * (the Solidity AST of the build info), never copied by hand.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import fs from "fs";
import { id } from "ethers";

let enums: Map<string, string[]> | undefined;

/** Every enum of the suite's sources: name → members in order. */
export async function suiteEnums(hre: HardhatRuntimeEnvironment): Promise<Map<string, string[]>> {
  if (enums) return enums;
  const out = new Map<string, string[]>();
  const walk = (n: any) => {
    if (!n || typeof n !== "object") return;
    if (n.nodeType === "EnumDefinition" && !out.has(n.name))
      out.set(
        n.name,
        n.members.map((m: any) => m.name),
      );
    for (const v of Object.values(n)) if (v && typeof v === "object") walk(v);
  };
  // each build info once (a build info is large: never read it per artifact)
  for (const p of await hre.artifacts.getBuildInfoPaths()) {
    const bi = JSON.parse(await fs.promises.readFile(p, "utf8"));
    for (const [src, s] of Object.entries(bi.output.sources)) if (src.startsWith("contracts/")) walk((s as any).ast);
  }
  enums = out;
  return out;
}

/** "Active (1)" for enum `BondStatus` value 1; the number alone when unknown. */
export async function enumLabel(hre: HardhatRuntimeEnvironment, enumName: string, value: unknown): Promise<string> {
  const members = (await suiteEnums(hre)).get(enumName);
  const n = Number(value);
  return members?.[n] !== undefined ? `${members[n]} (${n})` : String(value);
}

/** The members of an enum (for parsing choices), or throws when the artifacts have no such enum. */
export async function enumMembers(hre: HardhatRuntimeEnvironment, enumName: string): Promise<string[]> {
  const members = (await suiteEnums(hre)).get(enumName);
  if (!members) throw new Error(`no enum ${enumName} in the compiled contracts (run npx hardhat compile)`);
  return members;
}

/** Role id → "VERIFIER_ROLE" for every `*_ROLE` constant in the artifacts' ABIs (plus DEFAULT_ADMIN_ROLE). */
export async function roleNames(hre: HardhatRuntimeEnvironment): Promise<Map<string, string>> {
  const out = new Map<string, string>([["0x" + "00".repeat(32), "DEFAULT_ADMIN_ROLE"]]);
  for (const fq of await hre.artifacts.getAllFullyQualifiedNames()) {
    const a = await hre.artifacts.readArtifact(fq);
    for (const f of a.abi as any[])
      if (f.type === "function" && /_ROLE$/.test(f.name) && f.name !== "DEFAULT_ADMIN_ROLE")
        out.set(id(f.name), f.name);
  }
  return out;
}
