/**
 * Contract access through the SDK (loaded on demand, so pages that only read the ledger never download ethers):
 * a read client over the app's RPC, and a signing client over the connected wallet.
 */
import {
  BrowserProvider,
  JsonRpcProvider,
  Signature,
  id as keccakText,
  type ContractTransactionResponse,
} from "ethers";
import { Contract } from "ethers";
import {
  BufferPoolAbi,
  createTreelion,
  decodeDataURI,
  decodeError,
  signPermit,
  type PermitSigner,
  type Treelion,
} from "treelion-contracts";
import { config } from "./config";
import type { Eip1193 } from "./wallet";

export { decodeError, Signature, keccakText };
export type { Treelion, ContractTransactionResponse };

let reader: Treelion | undefined;

/** Read-only client (no wallet needed): certificate checks, quotes, balances. */
export function readClient(): Treelion {
  if (!reader) {
    const url = new URL(config.readRpcUrl ?? config.rpcUrl, window.location.href).toString();
    const provider = new JsonRpcProvider(url, config.chainId, { staticNetwork: true, batchMaxCount: 20 });
    reader = createTreelion({ runner: provider, addresses: config.addresses });
  }
  return reader;
}

/** Client whose contracts send through the wallet as `account`. */
export async function signingClient(wallet: Eip1193, account: string): Promise<Treelion> {
  const provider = new BrowserProvider(wallet, config.chainId, { staticNetwork: true });
  // a local node mines at once: poll receipts quickly there
  provider.pollingInterval = config.chainId === 31337 ? 250 : 4000;
  const signer = await provider.getSigner(account);
  return createTreelion({ runner: signer, addresses: config.addresses });
}

/** An ERC-2612 permit of `value` of the test dollar to `spender` for an hour (the SDK's signPermit). */
export async function permitFor(
  t: Treelion,
  token: string,
  spender: string,
  value: bigint,
): Promise<{ deadline: bigint; v: number; r: string; s: string }> {
  if (!t.usd || t.usd.target.toString().toLowerCase() !== token.toLowerCase()) {
    throw new Error(`no permit support known for payment token ${token}`);
  }
  const signer = t.runner as unknown as PermitSigner & {
    provider: { getBlock(tag: string): Promise<{ timestamp: number } | null> };
  };
  const latest = await signer.provider.getBlock("latest");
  const deadline = BigInt(latest!.timestamp) + 3600n;
  const sig = await signPermit(t.usd, signer, spender, value, deadline);
  return { deadline, v: sig.v, r: sig.r, s: sig.s };
}

/** Tonnes held back in the non-permanence buffer (BufferPool.totalBufferKg), or undefined without a buffer pool. */
export async function bufferedKg(): Promise<bigint | undefined> {
  const address = config.addresses.BufferPool;
  if (!address) return undefined;
  const runner = readClient().runner;
  return (await new Contract(address, BufferPoolAbi, runner).totalBufferKg()) as bigint;
}

/** A batch's quality labels, as its on-chain JSON metadata (CarbonCredit.uri) names them. */
export async function batchLabels(batchIds: string[]): Promise<Record<string, string[]>> {
  const credit = readClient().credit;
  const uris = await Promise.all(batchIds.map((id) => credit.uri(BigInt(id))));
  return Object.fromEntries(
    batchIds.map((id, i) => [
      id,
      decodeDataURI(uris[i])
        .attributes.filter((a) => a.trait_type === "Label")
        .map((a) => String(a.value)),
    ]),
  );
}
