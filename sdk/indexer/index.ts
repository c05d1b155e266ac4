/** Indexer as a library: `openIndexer({ rpc, db, network })` then `indexer.run()`. */
import type { InterfaceAbi, JsonFragment } from "ethers";
import { readDeployments, type DeploymentRecord } from "../node";
import type { ContractKind } from "../abi";
import { Indexer, type IndexerOptions, type IndexedContract } from "./indexer";
import { Ledger } from "./ledger";
import type { Rpc, RpcCall } from "./rpc";

export * from "./indexer";
export * from "./ledger";
export * from "./rpc";
export * from "./queries";
export * from "./db";
export type { LedgerServer, LedgerServerOptions } from "./api/server";
export { DEFAULT_LIMITS, type QueryLimits } from "./api/limits";
export { HANDLERS, type HandlerTable, type Handler, EventContext } from "./projections";
export { SCHEMA, SCHEMA_VERSION, DERIVED_TABLES, schemaFor } from "./schema";

/** An EIP-1193 provider (e.g. `hre.network.provider`) as an indexer Rpc. */
export class Eip1193Rpc implements Rpc {
  constructor(readonly provider: { request(a: { method: string; params?: unknown[] }): Promise<any> }) {}
  send(method: string, params: unknown[]) {
    return this.provider.request({ method, params });
  }
  batch(calls: RpcCall[]) {
    return Promise.all(calls.map((c) => this.send(c.method, c.params)));
  }
}

/** Contracts to index and their ABIs, from deployment records (kinds detected from each ABI). */
export function contractsFromDeployments(records: Record<string, DeploymentRecord>, bondAbi?: JsonFragment[]) {
  const contracts: IndexedContract[] = [];
  const abis: Partial<Record<ContractKind, InterfaceAbi>> = {};
  for (const r of Object.values(records)) {
    if (!r.kind) continue;
    contracts.push({ address: r.address, name: r.name, kind: r.kind });
    abis[r.kind] ??= r.abi;
  }
  if (bondAbi) abis.bond = bondAbi;
  const starts = Object.values(records)
    .filter((r) => r.kind && r.blockNumber !== undefined)
    .map((r) => r.blockNumber!);
  return { contracts, abis, firstBlock: starts.length ? Math.min(...starts) : 0 };
}

export interface OpenIndexerOptions extends Omit<IndexerOptions, "ledger" | "contracts" | "fromBlock"> {
  /** SQLite file (or ":memory:") or a `postgres://` URL */
  db: string;
  network?: string;
  deploymentsDir?: string;
  records?: Record<string, DeploymentRecord>;
  fromBlock?: number;
}

/** Opens (or creates) the ledger and an indexer over the network's deployment records. */
export async function openIndexer(o: OpenIndexerOptions): Promise<{ indexer: Indexer; ledger: Ledger }> {
  const records = o.records ?? readDeployments(o.network ?? "localhost", o.deploymentsDir);
  const { contracts, abis, firstBlock } = contractsFromDeployments(records);
  const ledger = await Ledger.open(o.db);
  const fromBlock = o.fromBlock ?? firstBlock;
  const indexer = new Indexer({ ...o, abis: { ...abis, ...(o.abis ?? {}) }, ledger, contracts, fromBlock });
  return { indexer, ledger };
}

/**
 * The ledger's GraphQL API server (see `./api/server`). Loaded on first use, so a process that only indexes
 * never loads the GraphQL stack (about 55 MB of its memory).
 */
export async function createLedgerServer(
  o: import("./api/server").LedgerServerOptions,
): ReturnType<typeof import("./api/server").createLedgerServer> {
  return (await import("./api/server")).createLedgerServer(o);
}
