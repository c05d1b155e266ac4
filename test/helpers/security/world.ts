/**
 * The whole deployed suite for the adversarial tests: `deployments.fixture()` (every deploy script that
 * exists), seeded by each active area's setup, with contracts created at run time added, plus helpers to
 * decode revert data against every ABI of the suite and to digest the suite's observable state in one
 * `eth_call` (StateProbe).
 */
import fs from "fs";
import path from "path";
import hre, { deployments, ethers, network } from "hardhat";
import { Contract, ErrorDescription, FunctionFragment, Interface, ParamType, Wallet, keccak256 } from "ethers";
import { revertDataOf as revertData } from "../../../sdk";
import { ethersAbi } from "../../../sdk/abi-clean";
import type { StateProbe } from "../../../typechain-types";
import type { Area, ContractSpec, World } from "./types";

/** Areas in file order (test/helpers/security/areas/NN-name.ts). */
export function allAreas(): Area[] {
  const dir = path.join(__dirname, "areas");
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d+-.*\.ts$/.test(f))
    .sort()
    .map((f) => require(path.join(dir, f)).default as Area);
}

/** Contract type of a deployment, from its compiler metadata (falls back to the deployment name). */
function artifactNameOf(name: string, metadata?: string): string {
  if (metadata) {
    try {
      const target = JSON.parse(metadata).settings?.compilationTarget as Record<string, string> | undefined;
      const names = target ? Object.values(target) : [];
      if (names.length === 1) return names[0];
    } catch {
      /* no metadata */
    }
  }
  return name;
}

/** The artifact whose deployed bytecode matches (so NatureCarbonPool and TechCarbonPool map to CarbonPool). */
async function artifactByBytecode(code: string | undefined, fallback: string): Promise<string> {
  if (!code) return fallback;
  for (const fq of await hre.artifacts.getAllFullyQualifiedNames()) {
    if (!fq.startsWith("contracts/")) continue;
    const a = await hre.artifacts.readArtifact(fq);
    if (a.deployedBytecode === code) return a.contractName;
  }
  return fallback;
}

let areasCache: Area[] | undefined;
export function areas(): Area[] {
  return (areasCache ??= allAreas());
}

/** Deploys everything, seeds every active area, returns the world. Use inside loadFixture. */
export async function world(): Promise<World> {
  await deployments.fixture();
  const [deployer, verifier, treasury, alice, bob, carol, dave, outsider] = await ethers.getSigners();
  const stranger = Wallet.createRandom().connect(ethers.provider) as unknown as Wallet;
  await network.provider.send("hardhat_setBalance", [stranger.address, "0x56BC75E2D63100000"]); // 100 ETH for gas
  const contracts: Record<string, Contract> = {};
  const artifactOf: Record<string, string> = {};
  for (const [name, d] of Object.entries(await deployments.all())) {
    contracts[name] = new Contract(d.address, ethersAbi(d.abi), ethers.provider);
    artifactOf[name] = await artifactByBytecode(d.deployedBytecode, artifactNameOf(name, d.metadata));
  }
  const w: World = {
    deployer,
    verifier,
    treasury,
    alice,
    bob,
    carol,
    dave,
    outsider,
    stranger,
    contracts,
    artifactOf,
    ids: {},
    addr: {},
    data: {},
    actors: [deployer, verifier, treasury, alice, bob, carol, dave, outsider]
      .map((s) => s.address)
      .concat(stranger.address),
    probeIds: [0n, 1n, 2n, 3n],
  };
  for (const area of activeAreas(w)) {
    if (area.setup) await area.setup(w);
    if (area.runtime) {
      for (const rt of await area.runtime(w)) {
        const artifact = await hre.artifacts.readArtifact(rt.artifact);
        w.contracts[rt.name] = new Contract(rt.address, ethersAbi(artifact.abi), ethers.provider);
        w.artifactOf[rt.name] = rt.artifact;
      }
    }
  }
  for (const c of Object.values(w.contracts)) {
    const a = (c.target as string).toLowerCase();
    if (!w.actors.some((x) => x.toLowerCase() === a)) w.actors.push(c.target as string); // contracts hold tokens too
  }
  await ensureProbe();
  return w;
}

/** Areas whose deployments all exist. */
export function activeAreas(w: Pick<World, "contracts">): Area[] {
  return areas().filter((a) => a.deployments.every((d) => d in w.contracts));
}

/** The description of a contract type, from whichever area declares it. */
export function specOf(artifact: string): ContractSpec | undefined {
  for (const a of areas()) if (a.specs[artifact]) return a.specs[artifact];
  return undefined;
}

/** Key of a function in a ContractSpec: its name, or its signature when the name is overloaded. */
export function fnKey(c: Contract, fn: FunctionFragment): string {
  const same = c.interface.fragments.filter((f) => f.type === "function" && (f as FunctionFragment).name === fn.name);
  return same.length > 1 ? fn.format("sighash") : fn.name;
}

/** State-changing functions (non-view, non-pure) of an ABI. */
export function stateChanging(c: Contract): FunctionFragment[] {
  return c.interface.fragments.filter(
    (f): f is FunctionFragment =>
      f.type === "function" && !["view", "pure"].includes((f as FunctionFragment).stateMutability),
  );
}

// ───────────────────────────── errors ─────────────────────────────

let suiteErrors: Interface | undefined;

/** One Interface holding every custom error declared in any artifact of the suite (ours and OpenZeppelin's). */
export async function suiteErrorInterface(): Promise<Interface> {
  if (suiteErrors) return suiteErrors;
  const bySelector = new Map<string, string>();
  for (const fq of await hre.artifacts.getAllFullyQualifiedNames()) {
    const { abi } = await hre.artifacts.readArtifact(fq);
    // an external library's ABI (BondTermsLib) has library-only parameter types: without them, no Invalid Fragment
    const iface = new Interface(ethersAbi(abi));
    iface.forEachError((e) => {
      if (!bySelector.has(e.selector)) bySelector.set(e.selector, e.format("full"));
    });
  }
  suiteErrors = new Interface([...bySelector.values()]);
  return suiteErrors;
}

export interface Outcome {
  ok: boolean;
  /** Raw revert data ("0x" for an empty revert). */
  data?: string;
  /** Custom error decoded from the suite's ABIs. */
  error?: ErrorDescription;
  /** "Panic(0x11)", "Error(\"…\")", "empty revert" or "unknown 0x…" when the revert is not a suite custom error. */
  other?: string;
}

/** Human-readable outcome. */
export function describe(o: Outcome): string {
  if (o.ok) return "succeeds";
  if (o.error) return `reverts ${o.error.name}`;
  return `reverts ${o.other}`;
}

/** Decodes revert data: a suite custom error, or a description of what else it is. */
export async function decodeOutcomeData(data: string | undefined): Promise<Outcome> {
  if (!data || data === "0x") return { ok: false, data: "0x", other: "empty revert" };
  const std = new Interface(["error Error(string)", "error Panic(uint256)"]);
  try {
    const d = std.parseError(data);
    if (d) return { ok: false, data, other: `${d.name}(${d.args.map(String).join(",")})` };
  } catch {
    /* not standard */
  }
  const iface = await suiteErrorInterface();
  try {
    const e = iface.parseError(data);
    if (e) return { ok: false, data, error: e };
  } catch {
    /* unknown selector */
  }
  return { ok: false, data, other: `unknown ${data.slice(0, 10)}` };
}

/** Runs a read-only simulation of the call (eth_call from `from`); never changes state. */
export async function simulate(c: Contract, fn: FunctionFragment, args: unknown[], from: string): Promise<Outcome> {
  const data = c.interface.encodeFunctionData(fn, args);
  try {
    await ethers.provider.call({ from, to: c.target as string, data });
    return { ok: true };
  } catch (err) {
    const d = revertData(err);
    if (d === undefined) {
      const msg = String((err as Error).message ?? err);
      if (/reverted without a reason|execution reverted$|reverted$/i.test(msg))
        return { ok: false, data: "0x", other: "empty revert" };
      throw err;
    }
    return decodeOutcomeData(d);
  }
}

/** Sends the call as a real transaction (fixed gas limit, so it is mined even when it reverts). */
export async function send(
  c: Contract,
  fn: FunctionFragment,
  args: unknown[],
  signer: { sendTransaction: (tx: any) => Promise<any> },
): Promise<Outcome> {
  const data = c.interface.encodeFunctionData(fn, args);
  try {
    const tx = await signer.sendTransaction({ to: c.target as string, data, gasLimit: 8_000_000 });
    const rc = await tx.wait();
    return { ok: rc?.status === 1 };
  } catch (err) {
    return decodeOutcomeData(revertData(err) ?? "0x");
  }
}

// ───────────────────────────── dummy arguments ─────────────────────────────

/** A type-appropriate dummy value: addresses → `account`, numbers → 1, strings "x", one-element arrays. */
export function dummy(p: ParamType, account: string): unknown {
  if (p.baseType === "array") {
    const n = p.arrayLength !== null && p.arrayLength >= 0 ? p.arrayLength : 1;
    return Array.from({ length: n }, () => dummy(p.arrayChildren!, account));
  }
  if (p.baseType === "tuple") return p.components!.map((c) => dummy(c, account));
  if (p.type === "address") return account;
  if (p.type === "bool") return true;
  if (p.type === "string") return "x";
  if (p.type === "bytes") return "0x01";
  if (p.type.startsWith("bytes")) return "0x" + "01".padStart(Number(p.type.slice(5)) * 2, "0");
  if (p.type.startsWith("uint") || p.type.startsWith("int")) return 1n;
  throw new Error(`no dummy for ${p.type}`);
}

export function dummyArgs(fn: FunctionFragment, account: string): unknown[] {
  return fn.inputs.map((p) => dummy(p, account));
}

// ───────────────────────────── state digest ─────────────────────────────

/** Views too expensive or irrelevant for a digest (string building, constants). */
const SKIP_VIEWS = new Set([
  "uri",
  "tokenURI",
  "supportsInterface",
  "eip712Domain",
  "DOMAIN_SEPARATOR",
  "name",
  "symbol",
  "decimals",
]);

let probeContract: StateProbe | undefined;
async function probe(): Promise<StateProbe> {
  const code = probeContract ? await ethers.provider.getCode(await probeContract.getAddress()) : "0x";
  if (!probeContract || code === "0x") {
    probeContract = (await (await ethers.getContractFactory("StateProbe")).deploy()) as unknown as StateProbe;
    await probeContract.waitForDeployment();
  }
  return probeContract;
}

/** Deploys the StateProbe now (call inside the fixture so that later snapshots contain it). */
export async function ensureProbe(): Promise<string> {
  return (await probe()).getAddress();
}

interface ProbeCall {
  label: string;
  target: string;
  data: string;
}

/**
 * Every view of every contract with arguments drawn from the world: no-argument views, views of one
 * address (each actor), of one uint (each probe id), of (address, uint) and (uint, address) pairs, and of
 * (address, address) pairs (each actor × each contract, e.g. allowances and owed amounts per token).
 */
export function digestCalls(w: World): ProbeCall[] {
  const calls: ProbeCall[] = [];
  const contractAddrs = Object.values(w.contracts).map((c) => c.target as string);
  // (account, token/spender) pairs: accounts that are not contracts, × every contract
  const people = w.actors.filter((a) => !contractAddrs.some((c) => c.toLowerCase() === a.toLowerCase()));
  for (const [name, c] of Object.entries(w.contracts)) {
    for (const f of c.interface.fragments) {
      if (f.type !== "function") continue;
      const fn = f as FunctionFragment;
      if (!["view", "pure"].includes(fn.stateMutability) || SKIP_VIEWS.has(fn.name)) continue;
      if (fn.stateMutability === "pure") continue;
      const types = fn.inputs.map((i) => i.type).join(",");
      let argSets: unknown[][] = [];
      if (types === "") argSets = [[]];
      else if (types === "address") argSets = w.actors.map((a) => [a]);
      else if (/^u?int\d*$/.test(types)) argSets = w.probeIds.map((i) => [i]);
      else if (/^address,u?int\d*$/.test(types)) argSets = w.actors.flatMap((a) => w.probeIds.map((i) => [a, i]));
      else if (/^u?int\d*,address$/.test(types)) argSets = w.probeIds.flatMap((i) => w.actors.map((a) => [i, a]));
      else if (types === "address,address") argSets = people.flatMap((a) => contractAddrs.map((t) => [a, t]));
      else continue;
      for (const args of argSets) {
        calls.push({
          label: `${name}.${fn.name}(${args.map(String).join(",")})`,
          target: c.target as string,
          data: c.interface.encodeFunctionData(fn, args),
        });
      }
    }
  }
  return calls;
}

export interface Digest {
  hash: string;
  values: Map<string, string>;
}

/** The suite's observable state in one eth_call. */
export async function digest(w: World, calls = digestCalls(w)): Promise<Digest> {
  const p = await probe();
  const values = new Map<string, string>();
  // chunks keep each eth_call well under the block gas limit
  for (let i = 0; i < calls.length; i += 1000) {
    const chunk = calls.slice(i, i + 1000);
    const [ok, results] = await p.probe(chunk.map((c) => ({ target: c.target, data: c.data })));
    chunk.forEach((c, j) => values.set(c.label, `${ok[j] ? "" : "!"}${results[j]}`));
  }
  const hash = keccak256(Buffer.from([...values.entries()].map(([k, v]) => `${k}=${v}`).join("\n")));
  return { hash, values };
}

/** Labels whose values differ between two digests. */
export function diff(a: Digest, b: Digest): string[] {
  const out: string[] = [];
  for (const [k, v] of a.values) if (b.values.get(k) !== v) out.push(k);
  return out;
}
