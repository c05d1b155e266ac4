/**
 * Who signs a task: `--from <named account | index | address>`.
 *
 * Local networks (hardhat, localhost) sign with the node's unlocked accounts. On public networks every
 * named account (deployer, admin, verifier, treasury, guardian, …) may have its own optional key:
 * `<NAME>_PRIVATE_KEY` (e.g. ADMIN_PRIVATE_KEY, VERIFIER_PRIVATE_KEY; DEPLOYER_PRIVATE_KEY for the deployer),
 * or any key of the comma-separated `OPERATOR_KEYS` list whose address matches. Keys are never printed.
 *
 * When the account is a contract (a multisig, the timelock) or has no key on a public network, the
 * signer is a ProposalSigner: tasks simulate the call from that address and print the transaction for it
 * to submit instead of sending it. Shared by every task file (tasks/gov.ts included).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { VoidSigner, Wallet, type Provider, type Signer } from "ethers";
import { isLocalNetwork } from "../../config/networks";
import { TaskInputError, parseAddress } from "./parse";

const KEY_RE = /^(0x)?[0-9a-fA-F]{64}$/;

/** A signer without a key: the transaction is printed for the account (multisig, timelock) to submit. */
export class ProposalSigner extends VoidSigner {
  constructor(
    address: string,
    provider: Provider,
    /** why nothing is sent, e.g. "admin is a contract (multisig or timelock)" */
    readonly reason: string,
  ) {
    super(address, provider);
  }
}

export function isProposal(signer: Signer | undefined): signer is ProposalSigner {
  return signer instanceof ProposalSigner;
}

/** `guardian` → GUARDIAN_PRIVATE_KEY, `bondAgent` → BOND_AGENT_PRIVATE_KEY. */
export function keyVariable(namedAccount: string): string {
  return `${namedAccount.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_PRIVATE_KEY`;
}

function normKey(k: string): string {
  const t = k.trim();
  return t.startsWith("0x") ? t : `0x${t}`;
}

/**
 * Every operator key configured for a public network: DEPLOYER_PRIVATE_KEY, every `<NAME>_PRIVATE_KEY` of a
 * named account, and OPERATOR_KEYS. A malformed value is named (never shown).
 */
export function operatorKeys(namedAccounts: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const vars = Array.from(new Set(["deployer", ...namedAccounts].map(keyVariable)));
  const out: string[] = [];
  for (const v of vars) {
    const k = env[v]?.trim();
    if (!k) continue;
    if (!KEY_RE.test(k)) throw new TaskInputError(`${v} is not a 32-byte hex private key`);
    out.push(normKey(k));
  }
  const list = (env.OPERATOR_KEYS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  list.forEach((k, i) => {
    if (!KEY_RE.test(k)) throw new TaskInputError(`OPERATOR_KEYS entry ${i + 1} is not a 32-byte hex private key`);
    out.push(normKey(k));
  });
  return out;
}

/**
 * The signer of a task: `--from` as a named account (deployer, verifier, treasury, admin, …), an index into the
 * configured accounts, or an address. Default: the deployer.
 */
export async function resolveSigner(hre: HardhatRuntimeEnvironment, from?: string): Promise<Signer> {
  const f = (from ?? "deployer").trim();
  const named = await hre.getNamedAccounts();
  const local = isLocalNetwork(hre.network.name);
  const signers = await hre.ethers.getSigners();
  let address: string;
  let label: string;
  if (/^\d+$/.test(f)) {
    const i = Number(f);
    if (i >= signers.length)
      throw new TaskInputError(`--from: account index ${i} is out of range (0..${signers.length - 1})`);
    return signers[i];
  } else if (f.startsWith("0x")) {
    address = parseAddress("from", f);
    label = address;
  } else {
    if (!named[f])
      throw new TaskInputError(
        `--from: "${f}" is not a named account (${Object.keys(named).join(", ")}), index or address`,
      );
    address = named[f];
    label = `${f} (${address})`;
  }
  const provider = hre.ethers.provider;
  const code = await provider.getCode(address);
  if (code !== "0x") return new ProposalSigner(address, provider, `${label} is a contract (multisig or timelock)`);
  const s = signers.find((x) => x.address.toLowerCase() === address.toLowerCase());
  if (s) return s;
  if (!local) {
    for (const k of operatorKeys(Object.keys(named))) {
      const w = new Wallet(k);
      if (w.address.toLowerCase() === address.toLowerCase()) return w.connect(provider);
    }
    const hint = f.startsWith("0x")
      ? "add its key to OPERATOR_KEYS"
      : `set ${keyVariable(f)} or add the key to OPERATOR_KEYS`;
    throw new TaskInputError(`--from: no key for ${label} on network "${hre.network.name}": ${hint}`);
  }
  throw new TaskInputError(`--from: no key for ${label} on network "${hre.network.name}"`);
}
