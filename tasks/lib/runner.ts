/**
 * Shared machinery of the operator tasks: resolving deployments and signers, sending a transaction and
 * printing hash / gas / decoded events, and turning every failure into a readable HardhatPluginError
 * (a revert becomes the contract's custom error name with decoded arguments, never raw hex).
 * Imports no TypeChain types: contracts are built from the deployment records' ABIs.
 */
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  Contract,
  Interface,
  getAddress,
  type ContractTransactionResponse,
  type Signer,
  type TransactionReceipt,
} from "ethers";
import { formatUnits, tonnes } from "../../scripts/lib/format";
import { TaskInputError, parseAddress } from "./parse";
import { suiteDeployments } from "../../config/deploy-utils";
import { ethersAbi } from "../../sdk/abi-clean";
import type { AbiParamLike } from "../../sdk/names";
import { TESTNETS, isLocalNetwork } from "../../config/networks";
import { isProposal, resolveSigner } from "./signers";
import { EVENT_ARG_UNITS, errorArgUnit, eventArgUnit, type ArgUnit } from "./arg-units";

export { resolveSigner };

export const PLUGIN = "treelion";

/**
 * The SDK's decoders, loaded on first use: this module loads with hardhat.config.ts, before anything is compiled,
 * and the SDK imports the generated contract facts (sdk/generated).
 */
const sdk = () => import("../../sdk");

/** A decoded event of a task's transaction (the SDK's ParsedEvent, args by parameter name). */
export interface DecodedEvent {
  contract: string;
  address: string;
  name: string;
  args: Record<string, unknown>;
}

/** One transaction this task run sent (for a truthful failure message). */
export interface SentRecord {
  label: string;
  hash: string;
}

const journal: SentRecord[] = [];

/** What this task run has sent so far, in order. */
export function sentSoFar(): SentRecord[] {
  return [...journal];
}

/** "nothing was sent", or every transaction sent so far with its hash. */
export function sentSummary(): string {
  if (journal.length === 0) return "nothing was sent";
  return `sent before this failure: ${journal.map((j) => `${j.label} (tx ${j.hash})`).join("; ")}`;
}

/**
 * Wraps a task action: input errors and failures become one readable message and a non-zero exit. The message
 * ends with what was sent: "— nothing was sent", or each transaction this run sent (hash and what it did).
 */
export function action<A>(
  fn: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>,
  opts: { localOnly?: string } = {},
) {
  return async (args: A, hre: HardhatRuntimeEnvironment): Promise<void> => {
    journal.length = 0;
    resetRun();
    retryDroppedReads(hre);
    try {
      // a local-only task is refused as such first (not for a missing RPC URL it would never use)
      if (opts.localOnly && !isLocalNetwork(hre.network.name))
        throw new HardhatPluginError(
          PLUGIN,
          `${opts.localOnly} works on local networks only (hardhat, localhost), not on "${hre.network.name}"`,
        );
      assertNetworkEnv(hre.network.name);
      await fn(args, hre);
    } catch (err) {
      let msg: string;
      if (err instanceof HardhatPluginError) msg = err.message;
      else if (err instanceof TaskInputError) msg = `invalid argument: ${err.message}`;
      else msg = await describeError(hre, err);
      throw new HardhatPluginError(PLUGIN, `${msg} — ${sentSummary()}`);
    }
  };
}

/** JSON-RPC methods that only read: safe to send again. */
const READ_METHOD =
  /^(eth_(call|chainId|blockNumber|estimateGas|gasPrice|feeHistory|maxPriorityFeePerGas|get\w+)|net_version)$/;
/** A request lost on a keep-alive socket the server had just closed (it never reached the node). */
const DROPPED = /other side closed|socket hang up|ECONNRESET|EPIPE|UND_ERR_SOCKET/;
const patched = new WeakSet<object>();

/**
 * An HTTP server closes idle keep-alive sockets (Node's default: after 5 s); a request sent on one at that
 * moment fails with "other side closed" although the node never saw it. A read is sent once more; a write
 * (eth_sendRawTransaction, eth_sendTransaction) never is, so nothing is ever sent twice.
 */
export function retryDroppedReads(hre: HardhatRuntimeEnvironment): void {
  type Req = { method: string; params?: unknown };
  const provider = hre.network.provider as unknown as {
    request: (a: Req) => Promise<unknown>;
    send: (method: string, params?: unknown[]) => Promise<unknown>;
  };
  if (patched.has(provider)) return;
  patched.add(provider);
  const request = provider.request.bind(provider);
  const once = async (args: Req) => {
    try {
      return await request(args);
    } catch (err) {
      if (!READ_METHOD.test(args.method) || !DROPPED.test(String((err as Error)?.message ?? err))) throw err;
      return request(args);
    }
  };
  provider.request = once;
  provider.send = (method, params) => once({ method, params }); // hardhat-ethers calls send()
}

/** A task on a public network without its RPC URL names the variable (instead of HH108: Cannot connect). */
function assertNetworkEnv(network: string): void {
  const spec = TESTNETS.find((t) => t.name === network);
  if (spec && !process.env[spec.rpcEnv]?.trim()) {
    throw new HardhatPluginError(
      PLUGIN,
      `network "${network}" needs the environment variable ${spec.rpcEnv} (its RPC URL; see .env.example)`,
    );
  }
}

let cachedAbis: any[][] | undefined;

/** ABIs of every deployment and every compiled artifact (for errors of contracts created at run time). */
export async function suiteAbis(hre: HardhatRuntimeEnvironment): Promise<any[][]> {
  if (cachedAbis) return cachedAbis;
  const out: any[][] = Object.values(await suiteDeployments(hre)).map((d) => d.abi as any[]);
  for (const fq of await hre.artifacts.getAllFullyQualifiedNames()) {
    const a = await hre.artifacts.readArtifact(fq);
    if (a.abi.some((x: any) => x.type === "error" || x.type === "event")) out.push(ethersAbi(a.abi as any[]));
  }
  cachedAbis = out;
  return out;
}

/** A readable one-line description of a failed call or transaction. */
export async function describeError(hre: HardhatRuntimeEnvironment, err: unknown, label?: string): Promise<string> {
  const prefix = label ? `${label}: ` : "";
  const { decodeError, revertDataOf } = await sdk();
  const data = revertDataOf(err);
  if (data) {
    const decoded = decodeError(data, await suiteAbis(hre));
    if (decoded) {
      const { formatError } = await sdk();
      const unitOf = (arg: string | undefined) => errorArgUnit(decoded.name, arg);
      const units = await argUnits(hre, unitOf, decoded.inputs, decoded);
      const text = formatError(decoded, { value: (p, v, i) => humanValue(units[i], p, v) });
      const unknown = units.some((u) => u === null) ? ` (${UNIDENTIFIED})` : "";
      return `${prefix}reverted with ${text}${unknown}`;
    }
    return `${prefix}reverted with an unknown error (selector ${data.slice(0, 10)})`;
  }
  const e = err as any;
  const msg: string = e?.shortMessage ?? e?.reason ?? e?.message ?? String(err);
  if (/reverted without a reason|missing revert data/i.test(msg)) return `${prefix}reverted without a reason`;
  return prefix + msg.split("\n")[0];
}

type Units = Pick<TokenInfo, "decimals" | "symbol">;
/**
 * How one error argument is printed: as kg, as a time, in a token's units, as a plain number (undefined), or raw
 * for want of its token (null).
 */
type ArgUnits = "kg" | "time" | Units | undefined | null;

export const UNIDENTIFIED = "amounts in the smallest unit of a token this task could not identify";

let unitToken: Units | undefined;
/** The contracts this task run read as ERC-20s or called (lower-case addresses): where an ERC-20 error may come from. */
const tokensSeen = new Set<string>();
/** lower-case address → its ERC-20 units (null: not an ERC-20) */
const unitsCache = new Map<string, Units | null>();
/** emitter:paymentToken:dealId:listingId → the token its money events count in (eventMoney). */
const moneyCache = new Map<string, Units | null>();
/** Every account this task run signed or simulated as (the owners an allowance error can be about). */
const accountsSeen = new Set<string>();

/** The payment token of this task run: money in its errors is printed in its units (e.g. `250.00 tUSD`). */
export function useToken(token: Units | undefined): void {
  unitToken = token;
}

/** Remembers a contract this run calls and the account calling it (to tie an ERC-20 error to its token). */
export function noteCall(address: string, from?: string): void {
  tokensSeen.add(address.toLowerCase());
  if (from) accountsSeen.add(from);
}

function resetRun(): void {
  unitToken = undefined;
  tokensSeen.clear();
  unitsCache.clear();
  moneyCache.clear();
  accountsSeen.clear();
}

async function unitsOf(hre: HardhatRuntimeEnvironment, address: string): Promise<Units | null> {
  const known = unitsCache.get(address);
  if (known !== undefined) return known;
  const c = new Contract(address, ERC20_ABI, hre.ethers.provider);
  let units: Units | null;
  try {
    const [decimals, symbol] = await Promise.all([c.decimals().then(Number), c.symbol()]);
    units = { decimals, symbol };
  } catch {
    units = null; // not an ERC-20 (a marketplace, CarbonCredit, …)
  }
  unitsCache.set(address, units);
  return units;
}

/**
 * The ERC-20 that raised `ERC20InsufficientBalance(sender, balance, …)` / `ERC20InsufficientAllowance(spender,
 * allowance, …)`: the one token among those this run touched whose `balanceOf(sender)` (or `allowance(owner,
 * spender)` for an account of this run) equals the error's figure. Undefined when none or several do.
 */
async function raisingToken(
  hre: HardhatRuntimeEnvironment,
  error: string,
  args: unknown[],
): Promise<Units | undefined> {
  const [who, figure] = args as [string, bigint];
  const matches: Units[] = [];
  for (const address of tokensSeen) {
    const units = await unitsOf(hre, address);
    if (!units) continue;
    const c = new Contract(address, ERC20_ABI, hre.ethers.provider);
    try {
      const reads: Promise<bigint>[] =
        error === "ERC20InsufficientBalance"
          ? [c.balanceOf(who)]
          : [...accountsSeen].map((owner) => c.allowance(owner, who));
      if ((await Promise.all(reads)).some((v) => v === figure)) matches.push(units);
    } catch {
      // a token whose views revert is not the one
    }
  }
  return matches.length === 1 ? matches[0] : undefined;
}

/** What an argument's unit is resolved against: the error or event it belongs to. */
interface UnitSource {
  name: string;
  args: unknown[];
  namedArgs: Record<string, unknown>;
  /** the event's emitter (undefined for an error) */
  emitter?: string;
}

/**
 * How an argument with `unit` (tasks/lib/arg-units.ts) is printed, with its token found where it has one: the
 * payment token of the run (an error) or of the emitting bond, deal or listing (an event), the one named by a
 * `token` argument, the emitter, the token that raised the error. `raising` memoises the last (one per error).
 */
async function resolveUnit(
  hre: HardhatRuntimeEnvironment,
  unit: ArgUnit | undefined,
  src: UnitSource,
  raising: { units?: Promise<Units | undefined> },
): Promise<ArgUnits> {
  if (unit === undefined) return undefined;
  if (unit === "kg" || unit === "time") return unit;
  if (unit === "money") return src.emitter ? eventMoney(hre, src.emitter, src.namedArgs) : (unitToken ?? null);
  if (unit === "bondUnits") return BOND_UNITS;
  if (unit === "ether") return ETHER;
  if (unit === "argToken" || unit === "emitterToken") {
    const token = String((unit === "argToken" ? src.namedArgs.token : src.emitter) ?? "").toLowerCase();
    return /^0x[0-9a-f]{40}$/.test(token) ? unitsOf(hre, token) : null;
  }
  raising.units ??= raisingToken(hre, src.name, src.args);
  return (await raising.units) ?? null;
}

/** The unit of each argument of a decoded error or event. */
async function argUnits(
  hre: HardhatRuntimeEnvironment,
  unitOf: (arg: string | undefined) => ArgUnit | undefined,
  inputs: readonly { name?: string }[],
  src: UnitSource,
): Promise<ArgUnits[]> {
  const raising = {};
  const out: ArgUnits[] = [];
  for (const p of inputs) out.push(await resolveUnit(hre, unitOf(p.name), src, raising));
  return out;
}

/**
 * The token an event's money is counted in, read from the contract that emitted it: a bond's `paymentToken()`,
 * the token of the escrow deal (`deal(dealId)`) or of the listing (`listing(listingId)`) the event names. When
 * none of these answers, the run's payment token (`useToken`), else null (printed raw).
 */
async function eventMoney(
  hre: HardhatRuntimeEnvironment,
  emitter: string,
  args: Record<string, unknown>,
): Promise<Units | null> {
  const key = [emitter, args.paymentToken, args.dealId, args.listingId]
    .map((x) => String(x ?? "").toLowerCase())
    .join(":");
  if (moneyCache.has(key)) return moneyCache.get(key)!;
  const c = new Contract(emitter, (await moneyAbi(hre)) as any[], hre.ethers.provider);
  const reads: (() => Promise<unknown>)[] = [async () => args.paymentToken, () => c.paymentToken()];
  if (args.dealId !== undefined) reads.push(async () => (await c.deal(args.dealId)).token);
  if (args.listingId !== undefined) reads.push(async () => (await c.listing(args.listingId)).paymentToken);
  for (const read of reads) {
    const token = await read().then(String, () => "");
    if (/^0x[0-9a-fA-F]{40}$/.test(token)) {
      const units = await unitsOf(hre, token.toLowerCase());
      if (units) {
        moneyCache.set(key, units);
        return units;
      }
    }
  }
  moneyCache.set(key, unitToken ?? null);
  return unitToken ?? null;
}

let moneyViews: unknown[] | undefined;
/** The views that name the payment token of a bond, an escrow deal and a listing, from the compiled artifacts. */
async function moneyAbi(hre: HardhatRuntimeEnvironment): Promise<unknown[]> {
  if (moneyViews) return moneyViews;
  const out: unknown[] = [];
  for (const [artifact, fn] of [
    ["GreenBond", "paymentToken"],
    ["MilestoneEscrow", "deal"],
    ["CreditMarketplace", "listing"],
  ]) {
    const abi = (await hre.artifacts.readArtifact(artifact)).abi as { type: string; name?: string }[];
    out.push(...abi.filter((x) => x.type === "function" && x.name === fn));
  }
  return (moneyViews = out);
}

const BOND_UNITS: Units = { decimals: 18, symbol: "units" };
const ETHER: Units = { decimals: 18, symbol: "ETH" };

/** Human units for an error or event argument: kg as tonnes, a time with its UTC date, money in its token. */
function humanValue(unit: ArgUnits, p: { type?: string }, v: unknown): string | undefined {
  if (!unit) return undefined;
  if (Array.isArray(v) && /^uint\d*\[\]$/.test(p.type ?? ""))
    return `[${v.map((x) => humanValue(unit, { type: "uint256" }, x) ?? String(x)).join(", ")}]`;
  if (typeof v !== "bigint" || !/^uint/.test(p.type ?? "")) return undefined;
  if (unit === "kg") return tonnes(v);
  if (unit === "time") return v > 0n && v < 2n ** 40n ? `${v} (${isoSeconds(v)})` : undefined;
  if (unit === BOND_UNITS) return `${formatUnits(v, 18)} units`;
  if (unit === ETHER) return `${formatUnits(v, 18)} ETH`;
  return money(v, unit);
}

/** One decoded event as `Name(arg=value (human units), …)` with enum, role and country names (the SDK's formatEvent). */
async function eventLine(hre: HardhatRuntimeEnvironment, e: DecodedEvent): Promise<string> {
  const { formatEvent: format, eventInputsOf } = await sdk();
  const inputs = eventInputsOf(e);
  const values = inputs.map((p, i) => e.args[p.name || `arg${i}`]);
  const unitOf = (arg: string | undefined) => eventArgUnit(e.name, arg);
  const units = await argUnits(hre, unitOf, inputs, {
    name: e.name,
    args: values,
    namedArgs: e.args,
    emitter: e.address,
  });
  const nested = await componentUnits(hre, e);
  // an event keeps its raw figure (what an indexer or a script sees) with the human units next to it
  const withUnits = (unit: ArgUnits, p: AbiParamLike, v: unknown) => {
    const human = humanValue(unit, p, v);
    return human === undefined || unit === "time" ? human : `${String(v)} (${human})`; // a time has its raw figure
  };
  const { formatValue } = await sdk();
  /** A struct (or array of structs) with each component's units, by its dotted path. */
  const struct = (p: AbiParamLike, v: unknown, path: string): string => {
    const type = p.type ?? "";
    const arr = /^(.*)\[\d*\]$/.exec(type);
    if (arr && Array.isArray(v)) return `[${v.map((x) => struct({ ...p, type: arr[1] }, x, path)).join(", ")}]`;
    if (type === "tuple" && v && typeof v === "object") {
      const get = (c: AbiParamLike, i: number) =>
        Array.isArray(v) ? v[i] : (v as Record<string, unknown>)[c.name || `arg${i}`];
      const parts = (p.components ?? []).map((c, i) => `${c.name}: ${struct(c, get(c, i), `${path}.${c.name}`)}`);
      return `{ ${parts.join(", ")} }`;
    }
    return withUnits(nested.get(path), p, v) ?? formatValue(p, v);
  };
  return format(e, {
    value: (p, v, i) =>
      /^tuple/.test(p.type ?? "") && nested.size > 0 ? struct(p, v, p.name ?? "") : withUnits(units[i], p, v),
  });
}

/** The units of the struct components of an event's arguments (rows with a dotted path in tasks/lib/arg-units.ts). */
async function componentUnits(hre: HardhatRuntimeEnvironment, e: DecodedEvent): Promise<Map<string, ArgUnits>> {
  const out = new Map<string, ArgUnits>();
  const src: UnitSource = { name: e.name, args: Object.values(e.args), namedArgs: e.args, emitter: e.address };
  for (const [path, unit] of Object.entries(EVENT_ARG_UNITS[e.name] ?? {}))
    if (path.includes(".")) out.set(path, await resolveUnit(hre, unit, src, {}));
  return out;
}

/** 1767225600 → "2026-01-01T00:00:00Z". */
function isoSeconds(v: bigint): string {
  return new Date(Number(v) * 1000).toISOString().replace(".000Z", "Z");
}

/** Deployment → ethers Contract with its ABI (a readable error when the area is not deployed). */
export async function deployed(hre: HardhatRuntimeEnvironment, name: string, signer?: Signer): Promise<Contract> {
  const d = await hre.deployments.getOrNull(name);
  if (!d) {
    throw new HardhatPluginError(
      PLUGIN,
      `no deployment "${name}" on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\` first (is this area deployed?)`,
    );
  }
  return new Contract(d.address, d.abi, signer ?? hre.ethers.provider);
}

/** Contract at an address with the ABI of a compiled artifact. */
export async function atArtifact(hre: HardhatRuntimeEnvironment, artifact: string, address: string, signer?: Signer) {
  const a = await hre.artifacts.readArtifact(artifact);
  const code = await hre.ethers.provider.getCode(address);
  if (code === "0x") throw new HardhatPluginError(PLUGIN, `no contract at ${address} on network "${hre.network.name}"`);
  return new Contract(address, a.abi, signer ?? hre.ethers.provider);
}

/** An address given directly or as a deployment name ("TestStablecoin"). */
export async function resolveAddress(hre: HardhatRuntimeEnvironment, argName: string, value: string): Promise<string> {
  const v = value.trim();
  if (v.startsWith("0x")) return parseAddress(argName, v);
  const d = await hre.deployments.getOrNull(v);
  if (!d)
    throw new TaskInputError(`--${argName}: "${v}" is neither an address nor a deployment on ${hre.network.name}`);
  return d.address;
}

/**
 * The SDK's event decoder with every deployment registered by name (kind from its ABI); contracts created at run
 * time (bonds) decode through the suite's compiled ABIs. `emitters` (a receipt's log addresses): each one that is
 * no deployment but a bond of the factory (`isBond`, one read per unknown emitter, never a walk over every bond)
 * is labelled `GreenBond@<address>`, as bond:create labels a new one (else the SDK would name a bond's Transfer
 * after the first kind with that event, e.g. "pool.Transfer").
 */
export async function suiteDecoder(hre: HardhatRuntimeEnvironment, emitters: readonly string[] = []) {
  const { SuiteEventDecoder, kindOfAbi } = await sdk();
  const decoder = new SuiteEventDecoder();
  for (const [name, d] of Object.entries(await suiteDeployments(hre))) {
    const kind = kindOfAbi(d.abi as any[]);
    if (kind) decoder.register(d.address, kind, name);
  }
  const unknown = [...new Set(emitters.map((a) => a.toLowerCase()))].filter((a) => !decoder.routeOf(a));
  const factory = unknown.length ? await hre.deployments.getOrNull("GreenBondFactory") : undefined;
  if (factory) {
    const f = new Contract(factory.address, factory.abi, hre.ethers.provider);
    for (const a of unknown) {
      const bond = getAddress(a);
      if (await f.isBond(bond).catch(() => false)) decoder.register(bond, "bond", `GreenBond@${bond}`);
    }
  }
  return decoder;
}

export interface SentTx {
  /** undefined when the signer is a ProposalSigner (the transaction was printed, not sent) */
  receipt?: TransactionReceipt;
  events: DecodedEvent[];
}

/** Prints a transaction for a multisig / timelock to submit (the call was simulated from its address). */
function printProposal(
  label: string,
  from: string,
  reason: string,
  to: string,
  data: string,
  out: (l: string) => void,
) {
  out(`${label}: NOT sent (${reason}); submit this transaction from ${from}:`);
  out(`  to    ${to}`);
  out(`  value 0`);
  out(`  data  ${data}`);
}

/**
 * Sends one transaction and prints its hash, gas used and decoded events. A revert at gas estimation is
 * refused before sending ("<label>: reverted with Name(args)"); a revert on chain names the sent hash.
 * With a ProposalSigner the call is simulated from its address and printed for it to submit.
 */
export async function send(
  hre: HardhatRuntimeEnvironment,
  label: string,
  contract: Contract,
  method: string,
  args: unknown[],
  out: (line: string) => void = console.log,
): Promise<SentTx> {
  let receipt: TransactionReceipt | null;
  const fn = contract.getFunction(method);
  noteCall(await contract.getAddress(), await (contract.runner as Signer | null)?.getAddress?.());
  // Estimate first: a revert is reported without sending anything (a Hardhat node would otherwise mine
  // the failing transaction), and the estimate becomes the gas limit.
  let gasLimit: bigint;
  try {
    gasLimit = await fn.estimateGas(...args);
  } catch (err) {
    throw new HardhatPluginError(PLUGIN, await describeError(hre, err, label));
  }
  const runner = contract.runner as Signer | null;
  if (isProposal(runner ?? undefined)) {
    const tx = await fn.populateTransaction(...args);
    printProposal(label, await runner!.getAddress(), (runner as any).reason, tx.to!, tx.data!, out);
    return { events: [] };
  }
  let hash: string | undefined;
  try {
    const response: ContractTransactionResponse = await fn.send(...args, { gasLimit: gasLimit + gasLimit / 5n });
    hash = response.hash;
    journal.push({ label, hash });
    out(`${label}`);
    out(`  tx ${response.hash}`);
    receipt = await response.wait();
  } catch (err) {
    const d = await describeError(hre, err, label);
    throw new HardhatPluginError(PLUGIN, hash ? `${d} (the transaction ${hash} was sent and failed)` : d);
  }
  if (!receipt) throw new HardhatPluginError(PLUGIN, `${label}: no receipt`);
  const decoder = await suiteDecoder(
    hre,
    receipt.logs.map((l) => l.address),
  );
  const events: DecodedEvent[] = decoder.decodeAll(receipt.logs).map((e) =>
    // a contract the suite does not know (not deployed, not a factory bond): named by its address, not a guess
    decoder.routeOf(e.address) ? e : { ...e, contract: e.address },
  );
  out(`  block ${receipt.blockNumber}, gas used ${receipt.gasUsed.toString()}`);
  for (const e of events) out(`  event ${e.contract}.${await eventLine(hre, e)}`);
  return { receipt, events };
}

/** `Contract.Event(name=value, …)` with enum, role and country names and amounts in human units. */
export async function formatEvent(hre: HardhatRuntimeEnvironment, e: DecodedEvent): Promise<string> {
  return `${e.contract}.${await eventLine(hre, e)}`;
}

const ERC20_ABI = [
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
];

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
  contract: Contract;
}

export async function erc20(hre: HardhatRuntimeEnvironment, address: string, signer?: Signer): Promise<TokenInfo> {
  const code = await hre.ethers.provider.getCode(address);
  if (code === "0x")
    throw new HardhatPluginError(PLUGIN, `no token contract at ${address} on network "${hre.network.name}"`);
  const c = new Contract(address, ERC20_ABI, signer ?? hre.ethers.provider);
  const [decimals, symbol] = await Promise.all([c.decimals().then(Number), c.symbol().catch(() => "tokens")]);
  useToken({ decimals, symbol }); // the task's money: its errors print amounts in this token
  noteCall(address);
  unitsCache.set(address.toLowerCase(), { decimals, symbol }); // read once
  return { address, symbol, decimals, contract: c };
}

export function money(amount: bigint, t: Pick<TokenInfo, "decimals" | "symbol">): string {
  return `${formatUnits(amount, t.decimals, Math.min(2, t.decimals))} ${t.symbol}`;
}

/** Names of the functions of a contract's ABI. */
export function functionNames(c: Contract): Set<string> {
  const out = new Set<string>();
  (c.interface as Interface).forEachFunction((f) => out.add(f.name));
  return out;
}
