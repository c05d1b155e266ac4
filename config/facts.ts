/**
 * Compile hook: after every Solidity compilation (`npx hardhat compile`, `hardhat test`, `deploy`, `run`, …)
 * regenerate `sdk/generated/` from the artifacts (scripts/facts/generate.ts). Skipped when the artifacts'
 * fingerprint (names, build ids) is unchanged; files whose content is unchanged are not rewritten.
 *
 * Loaded by hardhat.config.ts before anything is compiled, so nothing here (or in any module hardhat.config.ts
 * loads: tasks/, config/) may import `sdk/generated` statically: on a fresh clone it does not exist yet. Task
 * definitions that need names at definition time use `readFactsJson()` (plain JSON, no module cache).
 */
import fs from "fs";
import path from "path";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY } from "hardhat/builtin-tasks/task-names";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

export const FACTS_DIR = path.join(__dirname, "..", "sdk", "generated");
const FACTS_JSON = "facts.json";

/** The data part of the generated facts, as written to `sdk/generated/facts.json`. */
export interface FactsJson {
  fingerprint: string;
  enums: Record<string, string[]>;
  roles: Record<string, string>;
  rolesByContract: Record<string, string[]>;
}

/**
 * The generated facts as plain data, read from disk on every call (no module cache, so a compile in the same
 * process is seen), or undefined before the first compile.
 */
export function readFactsJson(dir = FACTS_DIR): FactsJson | undefined {
  const file = path.join(dir, FACTS_JSON);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as FactsJson;
}

/** Ids of one build info's AST nodes stay below this; build info k's are shifted by k × this. */
const AST_ID_RANGE = 10_000_000;
const AST_ID_KEYS = new Set(["id", "referencedDeclaration", "scope"]);
const AST_ID_LIST_KEYS = new Set(["linearizedBaseContracts", "contractDependencies", "usedErrors", "usedEvents"]);

/** Shifts every node id and id reference of an AST by `offset` (in place). */
function shiftAstIds(node: any, offset: number): void {
  if (offset === 0 || node === null || typeof node !== "object") return;
  if (Array.isArray(node)) return node.forEach((n) => shiftAstIds(n, offset));
  for (const [k, v] of Object.entries(node)) {
    if (AST_ID_KEYS.has(k) && typeof v === "number" && v >= 0) node[k] = v + offset;
    else if (AST_ID_LIST_KEYS.has(k) && Array.isArray(v))
      node[k] = v.map((x) => (typeof x === "number" ? x + offset : x));
    else if (typeof v === "object") shiftAstIds(v, offset);
  }
}

/** Regenerates sdk/generated from the project's artifacts; returns whether anything was (re)written. */
export async function generateFacts(hre: HardhatRuntimeEnvironment, outDir = FACTS_DIR): Promise<boolean> {
  const gen = await import("../scripts/facts/generate");
  const names = (await hre.artifacts.getAllFullyQualifiedNames()).filter((fqn) => {
    const [source, name] = fqn.split(":");
    return gen.isSuiteSource(source, name);
  });
  const parts: string[] = [];
  const buildInfoPaths = new Set<string>();
  const contracts = [];
  for (const fqn of names) {
    const artifact = await hre.artifacts.readArtifact(fqn);
    const dbg = path.join(hre.config.paths.artifacts, artifact.sourceName, `${artifact.contractName}.dbg.json`);
    if (!fs.existsSync(dbg)) throw new Error(`facts: no build info for ${fqn} (run npx hardhat compile --force)`);
    const bip = path.resolve(path.dirname(dbg), JSON.parse(fs.readFileSync(dbg, "utf8")).buildInfo);
    buildInfoPaths.add(bip);
    contracts.push({ sourceName: artifact.sourceName, contractName: artifact.contractName, abi: artifact.abi });
    parts.push(`${fqn}:${path.basename(bip)}`);
  }
  const fingerprint = gen.fingerprintOf(parts);
  if (readFactsJson(outDir)?.fingerprint === fingerprint && fs.existsSync(path.join(outDir, "index.ts"))) return false;

  // AST node ids are unique only within one compilation. After an incremental compile the suite's artifacts point at
  // several build infos, so each one's ids are shifted into a range of their own; a source takes the AST of the build
  // info its suite contracts were compiled in, and every other copy stays reachable by id under a private key.
  const asts: Record<string, any> = {};
  const ownBuildInfo = new Map<string, string>();
  for (const [i, fqn] of names.entries()) ownBuildInfo.set(fqn.split(":")[0], parts[i].slice(fqn.length + 1));
  [...buildInfoPaths].forEach((bip, k) => {
    const bi = JSON.parse(fs.readFileSync(bip, "utf8"));
    for (const [source, out] of Object.entries<any>(bi.output.sources)) {
      shiftAstIds(out.ast, k * AST_ID_RANGE);
      const own = ownBuildInfo.get(source);
      if (own === path.basename(bip) || (own === undefined && !(source in asts))) asts[source] = out.ast;
      else asts[`#${k}:${source}`] = out.ast;
    }
  });
  const facts = gen.buildFacts({ contracts, asts });
  const files = gen.renderFacts(facts, fingerprint);
  const data: FactsJson = {
    fingerprint,
    enums: Object.fromEntries(facts.enums.map((e) => [e.name, e.members])),
    roles: facts.roles,
    rolesByContract: facts.rolesByContract,
  };
  files[FACTS_JSON] = JSON.stringify(data, null, 2) + "\n";
  gen.writeFacts(outDir, files);
  return true;
}

subtask(TASK_COMPILE_SOLIDITY).setAction(async (args: { quiet?: boolean }, hre, runSuper) => {
  const result = await runSuper(args);
  const wrote = await generateFacts(hre);
  if (wrote && !args.quiet) console.log(`Generated contract facts in ${path.relative(process.cwd(), FACTS_DIR)}/`);
  return result;
});
