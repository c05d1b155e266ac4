/**
 * Deployment records as data (browser-safe): what `createTreelion` accepts. Reading them from
 * `deployments/<network>/` on disk is Node-only: `readDeployments` in `treelion-contracts/node` (sdk/node.ts).
 */
import type { JsonFragment } from "ethers";
import { kindOfAbi, type ContractKind } from "./abi";

export interface DeploymentRecord {
  name: string;
  address: string;
  abi: JsonFragment[];
  kind?: ContractKind;
  /** block of the deployment transaction, when the record has its receipt */
  blockNumber?: number;
  transactionHash?: string;
}

/** Deployment name → address (e.g. { CarbonCredit: "0x…", NatureCarbonPool: "0x…" }). */
export type AddressMap = Record<string, string>;

/** The `deployments/<network>/addresses.json` summary the deploy writes. */
export interface AddressesSummary {
  network?: string;
  chainId?: number | string;
  contracts: AddressMap;
}

/** What a hardhat-deploy record file holds (the parts the SDK reads); `import rec from ".../CarbonCredit.json"`. */
export interface DeploymentJson {
  address: string;
  abi?: JsonFragment[];
  transactionHash?: string;
  receipt?: { blockNumber?: number | string; transactionHash?: string };
}

/** One record from a hardhat-deploy JSON object (kind detected from its ABI); undefined for non-records. */
export function recordFromJson(name: string, raw: unknown): DeploymentRecord | undefined {
  const r = raw as DeploymentJson | undefined;
  if (!r || typeof r.address !== "string") return undefined;
  const abi = Array.isArray(r.abi) ? r.abi : [];
  return {
    name,
    address: r.address,
    abi,
    kind: abi.length ? kindOfAbi(abi) : undefined,
    blockNumber: r.receipt?.blockNumber !== undefined ? Number(r.receipt.blockNumber) : undefined,
    transactionHash: r.transactionHash ?? r.receipt?.transactionHash,
  };
}

/**
 * Records from data: an address map, an `addresses.json` summary, or hardhat-deploy record objects by name
 * (e.g. imported JSON files). Without an ABI the kind comes from the well-known deployment names.
 */
export function recordsFrom(
  data: AddressMap | AddressesSummary | Record<string, DeploymentJson>,
): Record<string, DeploymentRecord> {
  const entries: [string, unknown][] =
    data && typeof (data as AddressesSummary).contracts === "object" && (data as AddressesSummary).contracts !== null
      ? Object.entries((data as AddressesSummary).contracts)
      : Object.entries(data);
  const out: Record<string, DeploymentRecord> = {};
  for (const [name, value] of entries) {
    const rec = typeof value === "string" ? { name, address: value, abi: [] } : recordFromJson(name, value);
    if (!rec) throw new Error(`deployment "${name}" has no address`);
    out[name] = rec;
  }
  return out;
}
