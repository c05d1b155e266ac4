/**
 * Generates `sdk/generated/` — the one TypeScript source of contract facts — from the compiler output:
 * every suite contract's ABI `as const`, every enum with its member names (from the AST: enums are not in the
 * ABI), every role id by name (constant `*_ROLE` declarations evaluated from the AST), every event and error
 * signature with its topic / selector, and the typed arguments of every event.
 *
 * Run by the compile hook in `config/facts.ts` (so by `npx hardhat compile`, `npm test`, every script that
 * compiles). Pure Node: reads JSON, writes TypeScript; it never imports the files it writes.
 */
import fs from "fs";
import path from "path";
import { id as keccakText, keccak256, toUtf8Bytes, zeroPadValue, toBeHex } from "ethers";

/** Bumped when the output format changes (forces a rewrite of an up-to-date tree). */
export const GENERATOR_VERSION = 2;

/** Suite contracts live under contracts/ (mocks in contracts/test are not part of the product)… */
const SUITE_PREFIX = "contracts/";
const MOCKS_PREFIX = "contracts/test/";
/** …except the test stablecoin, which the deploy scripts ship on local networks and the SDK exposes as `usd`. */
const SHIPPED_MOCKS = new Set(["TestStablecoin"]);

export interface AbiParam {
  name: string;
  type: string;
  internalType?: string;
  indexed?: boolean;
  components?: AbiParam[];
}
export interface AbiItem {
  type: string;
  name?: string;
  inputs?: AbiParam[];
  outputs?: AbiParam[];
  anonymous?: boolean;
  stateMutability?: string;
}

/** What the generator needs of one compiled contract. */
export interface CompiledContract {
  /** e.g. "contracts/bonds/GreenBond.sol" */
  sourceName: string;
  contractName: string;
  abi: AbiItem[];
}

/** Minimal view of the Solidity AST nodes the generator reads. */
interface AstNode {
  id: number;
  nodeType: string;
  name?: string;
  canonicalName?: string;
  contractKind?: string;
  abstract?: boolean;
  constant?: boolean;
  value?: AstNode;
  kind?: string;
  hexValue?: string;
  arguments?: AstNode[];
  expression?: AstNode;
  referencedDeclaration?: number;
  members?: { name: string }[];
  nodes?: AstNode[];
  typeDescriptions?: { typeString?: string };
  [k: string]: unknown;
}

export interface FactsInput {
  contracts: CompiledContract[];
  /** solc output `sources[file].ast` of every source of every build the contracts come from */
  asts: Record<string, AstNode>;
}

export interface EnumFact {
  name: string;
  canonicalName: string;
  sourceName: string;
  members: string[];
}

export interface SignatureFact {
  name: string;
  signature: string;
  /** topic0 (events) or 4-byte selector (errors) */
  hash: string;
  /** suite contracts whose ABI has it */
  contracts: string[];
}

export interface Facts {
  abis: Record<string, AbiItem[]>;
  /** contract kind from the AST: contract | library */
  kinds: Record<string, string>;
  enums: EnumFact[];
  roles: Record<string, string>;
  rolesByContract: Record<string, string[]>;
  events: SignatureFact[];
  errors: SignatureFact[];
  /** error selector → its JSON fragment (one per selector) */
  errorFragments: AbiItem[];
  /** event topic → its JSON fragments (one per indexed layout: ERC-20 and ERC-721 Transfer share a topic) */
  eventFragments: AbiItem[];
}

export function isSuiteSource(sourceName: string, contractName: string): boolean {
  if (!sourceName.startsWith(SUITE_PREFIX)) return false;
  return !sourceName.startsWith(MOCKS_PREFIX) || SHIPPED_MOCKS.has(contractName);
}

function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, visit);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as AstNode;
  if (typeof n.nodeType === "string") visit(n);
  for (const [k, v] of Object.entries(n)) {
    if (k === "typeDescriptions" || k === "documentation") continue;
    if (v && typeof v === "object") walk(v, visit);
  }
}

/** Canonical type of an ABI parameter (tuples expanded), as in a signature. */
export function canonicalType(p: AbiParam): string {
  if (p.type.startsWith("tuple")) return `(${(p.components ?? []).map(canonicalType).join(",")})${p.type.slice(5)}`;
  return p.type;
}

export function signatureOf(item: AbiItem): string {
  return `${item.name}(${(item.inputs ?? []).map(canonicalType).join(",")})`;
}

/** Evaluates a bytes32 constant initialiser: 0x literals, keccak256("text"), references to other constants. */
function evaluateBytes32(node: AstNode | undefined, byId: Map<number, AstNode>, where: string): string {
  if (!node) throw new Error(`facts: ${where} has no initialiser`);
  if (node.nodeType === "Literal" && node.kind === "number" && typeof node.value === "string") {
    return zeroPadValue(toBeHex(BigInt(node.value as unknown as string)), 32);
  }
  if (node.nodeType === "Literal" && node.kind === "hexString" && typeof node.hexValue === "string") {
    return zeroPadValue("0x" + node.hexValue, 32);
  }
  if (
    node.nodeType === "FunctionCall" &&
    node.expression?.nodeType === "Identifier" &&
    node.expression.name === "keccak256" &&
    node.arguments?.length === 1 &&
    node.arguments[0].nodeType === "Literal"
  ) {
    const lit = node.arguments[0];
    if (lit.kind === "string") return keccakText(lit.value as unknown as string);
    if (lit.kind === "hexString") return keccak256("0x" + lit.hexValue);
  }
  if ((node.nodeType === "Identifier" || node.nodeType === "MemberAccess") && node.referencedDeclaration) {
    const decl = byId.get(node.referencedDeclaration);
    if (decl?.nodeType === "VariableDeclaration" && decl.constant) return evaluateBytes32(decl.value, byId, where);
  }
  throw new Error(
    `facts: cannot evaluate the initialiser of ${where} (${node.nodeType}); ` +
      `write it as keccak256("NAME_ROLE"), a 0x literal or a reference to such a constant`,
  );
}

/** Builds every fact from compiled contracts and their ASTs (pure; `writeFacts` renders it). */
export function buildFacts(input: FactsInput): Facts {
  const byId = new Map<number, AstNode>();
  for (const ast of Object.values(input.asts)) walk(ast, (n) => byId.set(n.id, n));

  // contract definitions by source + name (kind, abstract, the constants it declares or inherits)
  const defs = new Map<string, AstNode>();
  for (const [source, ast] of Object.entries(input.asts)) {
    for (const n of ast.nodes ?? []) if (n.nodeType === "ContractDefinition") defs.set(`${source}:${n.name}`, n);
  }

  const suite = input.contracts
    .filter((c) => isSuiteSource(c.sourceName, c.contractName))
    .sort((a, b) => a.contractName.localeCompare(b.contractName));
  const abis: Record<string, AbiItem[]> = {};
  const kinds: Record<string, string> = {};
  const errorSources: CompiledContract[] = [];
  for (const c of suite) {
    const def = defs.get(`${c.sourceName}:${c.contractName}`);
    if (!def) throw new Error(`facts: no AST for ${c.sourceName}:${c.contractName}`);
    if (abis[c.contractName]) throw new Error(`facts: two suite contracts are named ${c.contractName}`);
    errorSources.push(c);
    const concrete = def.contractKind === "contract" && !def.abstract;
    const library = def.contractKind === "library" && c.abi.length > 0;
    if (!concrete && !library) continue;
    abis[c.contractName] = c.abi;
    kinds[c.contractName] = def.contractKind!;
  }

  // enums: every enum an ABI refers to (internalType "enum X") and every enum declared in the suite
  const enumNodes = new Map<string, { node: AstNode; source: string }>();
  for (const [source, ast] of Object.entries(input.asts)) {
    walk(ast, (n) => {
      // an enum also seen in an older build info (private "#k:" key) keeps its source's own copy
      const key = n.canonicalName ?? n.name!;
      if (n.nodeType === "EnumDefinition" && (!enumNodes.has(key) || !source.startsWith("#")))
        enumNodes.set(key, { node: n, source });
    });
  }
  const usedEnums = new Set<string>();
  const visitParams = (ps: AbiParam[] | undefined) => {
    for (const p of ps ?? []) {
      const m = /^enum ([\w.]+)/.exec(p.internalType ?? "");
      if (m) usedEnums.add(m[1]);
      visitParams(p.components);
    }
  };
  for (const c of errorSources)
    for (const item of c.abi) {
      visitParams(item.inputs);
      visitParams(item.outputs);
    }
  const enums: EnumFact[] = [];
  const simpleNames = new Map<string, string>();
  for (const [canonical, { node, source }] of [...enumNodes].sort(([a], [b]) => a.localeCompare(b))) {
    if (!usedEnums.has(canonical) && !(source.startsWith(SUITE_PREFIX) && !source.startsWith(MOCKS_PREFIX))) continue;
    const name = node.name!;
    const clash = simpleNames.get(name);
    if (clash && clash !== canonical) throw new Error(`facts: two enums are named ${name} (${clash}, ${canonical})`);
    simpleNames.set(name, canonical);
    enums.push({
      name,
      canonicalName: canonical,
      sourceName: source,
      members: (node.members ?? []).map((m) => m.name),
    });
  }

  // roles: public bytes32 constants named *_ROLE of every suite contract, including inherited ones
  const roles: Record<string, string> = {};
  const rolesByContract: Record<string, string[]> = {};
  for (const c of suite) {
    const getters = c.abi.filter(
      (i) =>
        i.type === "function" &&
        /^[A-Z0-9_]+_ROLE$/.test(i.name ?? "") &&
        (i.inputs ?? []).length === 0 &&
        i.outputs?.length === 1 &&
        i.outputs[0].type === "bytes32",
    );
    if (getters.length === 0) continue;
    const def = defs.get(`${c.sourceName}:${c.contractName}`)!;
    const bases = ((def.linearizedBaseContracts as number[] | undefined) ?? [def.id]).map((b) => byId.get(b));
    const names: string[] = [];
    for (const g of getters) {
      let decl: AstNode | undefined;
      for (const base of bases) {
        decl = base?.nodes?.find((n) => n.nodeType === "VariableDeclaration" && n.name === g.name && n.constant);
        if (decl) break;
      }
      if (!decl) throw new Error(`facts: ${c.contractName}.${g.name}() is not a constant declaration`);
      const value = evaluateBytes32(decl.value, byId, `${c.contractName}.${g.name}`);
      if (roles[g.name!] && roles[g.name!] !== value)
        throw new Error(`facts: ${g.name} has two values (${roles[g.name!]}, ${value})`);
      roles[g.name!] = value;
      names.push(g.name!);
    }
    rolesByContract[c.contractName] = names.sort();
  }

  // events of concrete contracts; errors of every suite source (interfaces and libraries too)
  const eventMap = new Map<string, SignatureFact>();
  const eventFragments = new Map<string, AbiItem>();
  const errorMap = new Map<string, SignatureFact>();
  const errorFragments = new Map<string, AbiItem>();
  for (const c of errorSources) {
    for (const item of c.abi) {
      if (item.type === "event" && abis[c.contractName] && !item.anonymous) {
        const signature = signatureOf(item);
        const fact = eventMap.get(signature) ?? {
          name: item.name!,
          signature,
          hash: keccakText(signature),
          contracts: [],
        };
        fact.contracts.push(c.contractName);
        eventMap.set(signature, fact);
        const layout = `${signature}/${(item.inputs ?? []).map((i) => (i.indexed ? 1 : 0)).join("")}`;
        if (!eventFragments.has(layout)) eventFragments.set(layout, item);
      }
      if (item.type === "error") {
        const signature = signatureOf(item);
        const fact = errorMap.get(signature) ?? {
          name: item.name!,
          signature,
          hash: keccakText(signature).slice(0, 10),
          contracts: [],
        };
        if (!fact.contracts.includes(c.contractName)) fact.contracts.push(c.contractName);
        errorMap.set(signature, fact);
        if (!errorFragments.has(signature)) errorFragments.set(signature, item);
      }
    }
  }
  const bySig = (a: SignatureFact, b: SignatureFact) => a.signature.localeCompare(b.signature);
  return {
    abis,
    kinds,
    enums,
    roles: Object.fromEntries(Object.entries(roles).sort(([a], [b]) => a.localeCompare(b))),
    rolesByContract,
    events: [...eventMap.values()].sort(bySig),
    errors: [...errorMap.values()].sort(bySig),
    errorFragments: [...errorFragments.values()].sort((a, b) => signatureOf(a).localeCompare(signatureOf(b))),
    eventFragments: [...eventFragments.values()].sort((a, b) => signatureOf(a).localeCompare(signatureOf(b))),
  };
}

const HEADER =
  "// Generated by `npx hardhat compile` (scripts/facts/generate.ts) from the compiled artifacts. Do not edit:\n" +
  "// change the contracts and compile. Not committed (see .gitignore).\n";

const json = (v: unknown) => JSON.stringify(v, null, 2);

/** TypeScript type of a decoded value (ethers v6 conventions; tuples as plain objects, as the SDK returns them). */
function tsType(p: AbiParam): string {
  const arr = /^(.*)\[(\d*)\]$/.exec(p.type);
  if (arr) return `${tsType({ ...p, type: arr[1] })}[]`;
  if (p.type === "tuple")
    return `{ ${(p.components ?? []).map((c, i) => `${c.name || `arg${i}`}: ${tsType(c)}`).join("; ")} }`;
  if (/^u?int\d*$/.test(p.type)) return "bigint";
  if (p.type === "bool") return "boolean";
  return "string";
}

/** Renders the facts as TypeScript modules (name → file content). */
export function renderFacts(facts: Facts, fingerprint: string): Record<string, string> {
  const files: Record<string, string> = {};
  const abiNames = Object.keys(facts.abis);

  files["abis.ts"] =
    HEADER +
    abiNames
      .map(
        (n) => `\n/** ABI of ${n} (${facts.kinds[n]}). */\nexport const ${n}Abi = ${json(facts.abis[n])} as const;\n`,
      )
      .join("") +
    `\n/** Every suite contract's ABI by contract name. */\nexport const ABIS = {\n${abiNames.map((n) => `  ${n}: ${n}Abi,`).join("\n")}\n} as const;\n` +
    `\nexport type SuiteContractName = keyof typeof ABIS;\n` +
    `\n/** Contract kind (contract | library) by name. */\nexport const CONTRACT_KINDS = ${json(facts.kinds)} as const;\n`;

  files["enums.ts"] =
    HEADER +
    facts.enums
      .map(
        (e) =>
          `\n/** ${e.canonicalName} (${e.sourceName}). */\nexport const ${e.name} = {\n${e.members.map((m, i) => `  ${m}: ${i},`).join("\n")}\n} as const;\n` +
          `export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];\n`,
      )
      .join("") +
    `\n/** Member names of every enum, in declaration order (index = on-chain value). */\nexport const ENUMS = {\n${facts.enums
      .map((e) => `  ${e.name}: ${JSON.stringify(e.members)},`)
      .join("\n")}\n} as const;\n` +
    `\nexport type EnumName = keyof typeof ENUMS;\n` +
    `\n/** ABI internalType name ("enum X" / "enum C.X") → key of ENUMS. */\nexport const ENUM_BY_INTERNAL_NAME: Record<string, EnumName> = ${json(
      Object.fromEntries(facts.enums.map((e) => [e.canonicalName, e.name])),
    )};\n`;

  files["roles.ts"] =
    HEADER +
    `\n/** Every role id by its constant's name (keccak256 of the name; DEFAULT_ADMIN_ROLE is 0x00). */\nexport const ROLES = ${json(facts.roles)} as const;\n` +
    `\nexport type RoleConstant = keyof typeof ROLES;\n` +
    `\n/** The role constants each suite contract defines (inherited ones included). */\nexport const ROLES_BY_CONTRACT = ${json(facts.rolesByContract)} as const;\n`;

  const sigTable = (rows: SignatureFact[]) =>
    `[\n${rows.map((r) => `  { name: ${JSON.stringify(r.name)}, signature: ${JSON.stringify(r.signature)}, hash: ${JSON.stringify(r.hash)}, contracts: ${JSON.stringify(r.contracts)} },`).join("\n")}\n]`;
  files["signatures.ts"] =
    HEADER +
    `\nexport interface SignatureInfo {\n  name: string;\n  /** canonical signature, e.g. "Transfer(address,address,uint256)" */\n  signature: string;\n  /** topic0 of an event, 4-byte selector of an error */\n  hash: string;\n  /** suite contracts whose ABI has it */\n  contracts: readonly string[];\n}\n` +
    `\n/** Every event of every suite contract (one row per signature). */\nexport const EVENT_SIGNATURES: readonly SignatureInfo[] = ${sigTable(facts.events)};\n` +
    `\n/** Every custom error of every suite contract, interface and library (one row per signature). */\nexport const ERROR_SIGNATURES: readonly SignatureInfo[] = ${sigTable(facts.errors)};\n` +
    `\n/** One JSON fragment per error signature (for decoding revert data). */\nexport const ERROR_FRAGMENTS = ${json(facts.errorFragments)} as const;\n` +
    `\n/** One JSON fragment per event signature and indexed layout (for decoding logs of any suite contract). */\nexport const EVENT_FRAGMENTS = ${json(facts.eventFragments)} as const;\n`;

  // typed event arguments: one shape per event name and layout (a union where names are shared)
  const shapes = new Map<string, Set<string>>();
  for (const f of facts.eventFragments) {
    const body = `{ ${(f.inputs ?? []).map((p, i) => `${p.name || `arg${i}`}: ${tsType(p)}`).join("; ")} }`;
    if (!shapes.has(f.name!)) shapes.set(f.name!, new Set());
    shapes.get(f.name!)!.add(body);
  }
  files["events.ts"] =
    HEADER +
    `\n/** Decoded arguments of every suite event, by event name (integers as bigint, tuples as objects). */\nexport interface TreelionEventMap {\n${[
      ...shapes,
    ]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, set]) => `  ${name}: ${[...set].join(" | ")};`)
      .join("\n")}\n}\n`;

  files["index.ts"] =
    HEADER +
    `\nexport * from "./abis";\nexport * from "./enums";\nexport * from "./roles";\nexport * from "./signatures";\nexport * from "./events";\n` +
    `\n/** Fingerprint of the artifacts this tree was generated from. */\nexport const FACTS_FINGERPRINT = ${JSON.stringify(fingerprint)};\n`;
  return files;
}

/** Writes the rendered files into `outDir` (replacing it), returns the file names. */
export function writeFacts(outDir: string, files: Record<string, string>): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir)) if (!(f in files)) fs.rmSync(path.join(outDir, f), { force: true });
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(outDir, name);
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
  }
  return Object.keys(files);
}

/** Fingerprint of a set of artifacts (name + ABI + build) and the generator version. */
export function fingerprintOf(parts: string[]): string {
  return keccak256(toUtf8Bytes([`v${GENERATOR_VERSION}`, ...parts.sort()].join("\n"))).slice(0, 18);
}
