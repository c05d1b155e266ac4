/**
 * Shared machinery of the operator tasks: resolving deployments and signers, sending a transaction and
 * printing hash / gas / decoded events, and turning every failure into a readable HardhatPluginError
 * (a revert becomes the contract's custom error name with decoded arguments, never raw hex).
 * Imports no TypeChain types: contracts are built from the deployment records' ABIs.
 */
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, Interface, type ContractTransactionResponse, type Signer, type TransactionReceipt } from "ethers";
import { formatUnits, tonnes } from "../../scripts/lib/format";
import { TaskInputError, parseAddress } from "./parse";
import { suiteDeployments } from "../../config/deploy-utils";
import { ethersAbi } from "../../sdk/abi-clean";
import { TESTNETS } from "../../config/networks";
import { isProposal, resolveSigner } from "./signers";

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
export function action<A>(fn: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment): Promise<void> => {
    journal.length = 0;
    unitToken = undefined;
    retryDroppedReads(hre);
    try {
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
      return `${prefix}reverted with ${formatError(decoded, { value: (p, v) => humanValue(decoded.name, p, v) })}`;
    }
    return `${prefix}reverted with an unknown error (selector ${data.slice(0, 10)})`;
  }
  const e = err as any;
  const msg: string = e?.shortMessage ?? e?.reason ?? e?.message ?? String(err);
  if (/reverted without a reason|missing revert data/i.test(msg)) return `${prefix}reverted without a reason`;
  return prefix + msg.split("\n")[0];
}

let unitToken: Pick<TokenInfo, "decimals" | "symbol"> | undefined;

/** The payment token of this task run: money in its errors is printed in its units (e.g. `250.00 tUSD`). */
export function useToken(token: Pick<TokenInfo, "decimals" | "symbol"> | undefined): void {
  unitToken = token;
}

const MONEY_PARAM = /price|amount|total|balance|needed|allowance|owed|paid|value|cost|face|pot/i;

/** Human units for an error argument: kg as tonnes, money in the task's payment token, bond units; else default. */
function humanValue(error: string, p: { name?: string; type?: string }, v: unknown): string | undefined {
  if (typeof v !== "bigint" || !/^uint/.test(p.type ?? "")) return undefined;
  const name = p.name ?? "";
  if (/kg$/i.test(name) || (/^ERC1155/.test(error) && /balance|needed/.test(name))) return tonnes(v);
  if (/units$/i.test(name)) return `${formatUnits(v, 18)} units`;
  if (unitToken && MONEY_PARAM.test(name) && !/bps|id$|index|period|count/i.test(name)) return money(v, unitToken);
  return undefined;
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
 * time (bonds) decode through the suite's compiled ABIs.
 */
export async function suiteDecoder(hre: HardhatRuntimeEnvironment) {
  const { SuiteEventDecoder, kindOfAbi } = await sdk();
  const decoder = new SuiteEventDecoder();
  for (const [name, d] of Object.entries(await suiteDeployments(hre))) {
    const kind = kindOfAbi(d.abi as any[]);
    if (kind) decoder.register(d.address, kind, name);
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
  const { formatEvent: format } = await sdk();
  const events: DecodedEvent[] = (await suiteDecoder(hre)).decodeAll(receipt.logs);
  out(`  block ${receipt.blockNumber}, gas used ${receipt.gasUsed.toString()}`);
  for (const e of events) out(`  event ${e.contract}.${format(e)}`);
  return { receipt, events };
}

/** `Contract.Event(name=value, …)` with enum, role and country names (the SDK's formatEvent). */
export async function formatEvent(e: DecodedEvent): Promise<string> {
  const { formatEvent: format } = await sdk();
  return `${e.contract}.${format(e)}`;
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
