/**
 * Shared machinery of the operator tasks: resolving deployments and signers, sending a transaction and
 * printing hash / gas / decoded events, and turning every failure into a readable HardhatPluginError
 * (a revert becomes the contract's custom error name with decoded arguments, never raw hex).
 * Imports no TypeChain types: contracts are built from the deployment records' ABIs.
 */
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, Interface, type ContractTransactionResponse, type Signer, type TransactionReceipt } from "ethers";
import { formatUnits } from "../../scripts/lib/format";
import { TaskInputError, parseAddress } from "./parse";
import { suiteDeployments } from "../../config/deploy-utils";

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

/** Wraps a task action: input errors and failures become one readable message and a non-zero exit. */
export function action<A>(fn: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment): Promise<void> => {
    try {
      await fn(args, hre);
    } catch (err) {
      if (err instanceof HardhatPluginError) throw err;
      if (err instanceof TaskInputError) throw new HardhatPluginError(PLUGIN, `invalid argument: ${err.message}`);
      throw new HardhatPluginError(PLUGIN, await describeError(hre, err));
    }
  };
}

let cachedAbis: any[][] | undefined;

/** ABIs of every deployment and every compiled artifact (for errors of contracts created at run time). */
export async function suiteAbis(hre: HardhatRuntimeEnvironment): Promise<any[][]> {
  if (cachedAbis) return cachedAbis;
  const out: any[][] = Object.values(await suiteDeployments(hre)).map((d) => d.abi as any[]);
  for (const fq of await hre.artifacts.getAllFullyQualifiedNames()) {
    const a = await hre.artifacts.readArtifact(fq);
    if (a.abi.some((x: any) => x.type === "error" || x.type === "event")) out.push(a.abi as any[]);
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
    if (decoded) return `${prefix}reverted with ${decoded.formatted}`;
    return `${prefix}reverted with an unknown error (selector ${data.slice(0, 10)})`;
  }
  const e = err as any;
  const msg: string = e?.shortMessage ?? e?.reason ?? e?.message ?? String(err);
  if (/reverted without a reason|missing revert data/i.test(msg)) return `${prefix}reverted without a reason`;
  return prefix + msg.split("\n")[0];
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
 * The signer of a task: `--from` as a named account (deployer, verifier, treasury, admin), an index into the
 * configured accounts, or an address among them. Default: the deployer.
 */
export async function resolveSigner(hre: HardhatRuntimeEnvironment, from?: string): Promise<Signer> {
  const signers = await hre.ethers.getSigners();
  const f = (from ?? "deployer").trim();
  if (/^\d+$/.test(f)) {
    const i = Number(f);
    if (i >= signers.length)
      throw new TaskInputError(`--from: account index ${i} is out of range (0..${signers.length - 1})`);
    return signers[i];
  }
  let address: string;
  if (f.startsWith("0x")) address = parseAddress("from", f);
  else {
    const named = await hre.getNamedAccounts();
    if (!named[f])
      throw new TaskInputError(
        `--from: "${f}" is not a named account (${Object.keys(named).join(", ")}), index or address`,
      );
    address = named[f];
  }
  const s = signers.find((x) => x.address.toLowerCase() === address.toLowerCase());
  if (!s) throw new TaskInputError(`--from: no key for ${address} on network "${hre.network.name}"`);
  return s;
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
  receipt: TransactionReceipt;
  events: DecodedEvent[];
}

/**
 * Sends one transaction and prints its hash, gas used and decoded events. A revert (at gas estimation —
 * nothing is sent — or on chain) becomes "<label>: reverted with Name(args)".
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
    throw new HardhatPluginError(PLUGIN, `${await describeError(hre, err, label)} — nothing was sent`);
  }
  try {
    const response: ContractTransactionResponse = await fn.send(...args, { gasLimit: gasLimit + gasLimit / 5n });
    out(`${label}`);
    out(`  tx ${response.hash}`);
    receipt = await response.wait();
  } catch (err) {
    throw new HardhatPluginError(PLUGIN, await describeError(hre, err, label));
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
  return { address, symbol, decimals, contract: c };
}

export function money(amount: bigint, t: Pick<TokenInfo, "decimals" | "symbol">): string {
  return `${formatUnits(amount, t.decimals)} ${t.symbol}`;
}

/** Approves `spender` for `amount` of the token when the allowance is lower (one tx, printed). */
export async function ensureAllowance(
  hre: HardhatRuntimeEnvironment,
  token: TokenInfo,
  owner: Signer,
  spender: string,
  amount: bigint,
): Promise<void> {
  const ownerAddr = await owner.getAddress();
  const balance: bigint = await token.contract.balanceOf(ownerAddr);
  if (balance < amount) {
    throw new HardhatPluginError(PLUGIN, `${ownerAddr} holds ${money(balance, token)}, needs ${money(amount, token)}`);
  }
  const allowance: bigint = await token.contract.allowance(ownerAddr, spender);
  if (allowance >= amount) return;
  const c = token.contract.connect(owner) as Contract;
  await send(hre, `approve ${money(amount, token)} to ${spender}`, c, "approve", [spender, amount]);
}

/** ERC-1155 setApprovalForAll(operator) on CarbonCredit when not yet approved. */
export async function ensureCreditApproval(
  hre: HardhatRuntimeEnvironment,
  owner: Signer,
  operator: string,
): Promise<void> {
  const credit = await deployed(hre, "CarbonCredit", owner);
  if (await credit.isApprovedForAll(await owner.getAddress(), operator)) return;
  await send(hre, `approve ${operator} for CarbonCredit (setApprovalForAll)`, credit, "setApprovalForAll", [
    operator,
    true,
  ]);
}

/** Names of the functions of a contract's ABI. */
export function functionNames(c: Contract): Set<string> {
  const out = new Set<string>();
  (c.interface as Interface).forEachFunction((f) => out.add(f.name));
  return out;
}
