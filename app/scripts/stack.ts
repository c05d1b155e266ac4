/**
 * The app's local stack: a Hardhat node (which deploys the suite), the demo story plus the app's own seed, the
 * indexer following new blocks, the ledger API and the built app. `npm run app` and the browser tests both start it.
 */
import { spawn, type ChildProcess } from "child_process";
import fs from "fs";
import net from "net";
import os from "os";
import path from "path";
import { freePort, rpc } from "../../test/integration/helpers/node";
import { readDeployments, type DeploymentRecord } from "../../sdk/node";
import { serveApp, type AppConfig } from "./serve";
import type { AppSeed } from "./seed";

export { freePort };

export const ROOT = path.resolve(__dirname, "..", "..");
export const APP_DIR = path.join(ROOT, "app");
export const DIST_DIR = path.join(APP_DIR, "dist");
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
const VITE = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");

export interface StackOptions {
  nodePort: number;
  apiPort: number;
  appPort: number;
  /** hardhat-deploy records root (default `$TREELION_DEPLOYMENTS_DIR` or ./deployments) */
  deploymentsDir?: string;
  /** ledger file (default: a fresh temporary file) */
  db?: string;
  /** skips `vite build` when app/dist is newer than every source file */
  rebuild?: "always" | "if-stale";
  log?: (line: string) => void;
}

export interface Stack {
  urls: { node: string; api: string; app: string };
  config: AppConfig;
  /** what the seed created (open deal, bond in subscription, open listing, the cast's addresses) */
  seed: AppSeed;
  deploymentsDir: string;
  db: string;
  stop(): Promise<void>;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(true));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(false)));
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, child?: Child) {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (child?.exited) throw new Error(`${what}: ${child.name} exited early (code ${child.exitCode})\n${child.tail()}`);
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(`${what}: timed out after ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const running = new Set<ChildProcess>();
/** Kills every child this process started (on exit, and on Ctrl-C while the stack is still starting). */
export function killChildren(): void {
  for (const p of running) p.kill("SIGKILL");
}
process.on("exit", killChildren);

/** A child process whose output is kept (the last lines are shown when it fails); killed if this process exits. */
class Child {
  readonly proc: ChildProcess;
  exited = false;
  exitCode: number | null = null;
  private lines: string[] = [];
  readonly done: Promise<void>;

  constructor(
    readonly name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    log?: (line: string) => void,
  ) {
    this.proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(this.proc);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line.trim()) continue;
        this.lines.push(line);
        if (this.lines.length > 40) this.lines.shift();
        log?.(`[${name}] ${line}`);
      }
    };
    this.proc.stdout!.on("data", keep);
    this.proc.stderr!.on("data", keep);
    this.done = new Promise((resolve) =>
      this.proc.once("exit", (code) => {
        running.delete(this.proc);
        this.exited = true;
        this.exitCode = code;
        resolve();
      }),
    );
  }

  tail(): string {
    return this.lines.join("\n");
  }

  /** Waits for a one-shot child to finish successfully. */
  async finished(): Promise<void> {
    await this.done;
    if (this.exitCode !== 0) throw new Error(`${this.name} failed (exit ${this.exitCode}):\n${this.tail()}`);
  }

  /** SIGINT, then SIGKILL after a grace period. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited) return;
    this.proc.kill("SIGINT");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await this.done;
    clearTimeout(timer);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds app/dist with Vite unless it is newer than every source (app/src, app/index.html, sdk/). */
export async function buildApp(mode: "always" | "if-stale" = "if-stale", log?: (l: string) => void): Promise<void> {
  const index = path.join(DIST_DIR, "index.html");
  if (mode === "if-stale" && fs.existsSync(index)) {
    const built = fs.statSync(index).mtimeMs;
    const sources = Math.max(
      newestMtime(path.join(APP_DIR, "src")),
      newestMtime(path.join(ROOT, "sdk")),
      fs.statSync(path.join(APP_DIR, "index.html")).mtimeMs,
      fs.statSync(path.join(APP_DIR, "vite.config.ts")).mtimeMs,
    );
    if (built > sources) return;
  }
  log?.("building the app (vite build)…");
  await new Child("vite", [VITE, "build", "--config", path.join(APP_DIR, "vite.config.ts")], process.env).finished();
}

function hardhat(args: string[]): string[] {
  return [HARDHAT, ...args];
}

/** Starts everything; on any failure stops what was started and rethrows. */
export async function startStack(o: StackOptions): Promise<Stack> {
  const log = o.log ?? (() => undefined);
  for (const [flag, port] of [
    ["--node-port", o.nodePort],
    ["--api-port", o.apiPort],
    ["--app-port", o.appPort],
  ] as const) {
    if (await portInUse(port)) throw new Error(`port ${port} (${flag}) is already in use on 127.0.0.1`);
  }
  const deploymentsDir = path.resolve(o.deploymentsDir ?? process.env.TREELION_DEPLOYMENTS_DIR ?? "deployments");
  const nodeUrl = `http://127.0.0.1:${o.nodePort}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-app-"));
  const db = o.db ?? path.join(work, "ledger.sqlite");
  const seedFile = path.join(work, "seed.json");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TREELION_DEPLOYMENTS_DIR: deploymentsDir,
    LOCALHOST_RPC_URL: nodeUrl,
    TS_NODE_TRANSPILE_ONLY: "1",
    TREELION_APP_SEED: seedFile,
  };
  const children: Child[] = [];
  let server: { close(): Promise<void> } | undefined;
  const stop = async () => {
    await server?.close();
    for (const c of children.reverse()) await c.stop();
  };
  try {
    const build = buildApp(o.rebuild, log);

    log(`starting a Hardhat node on ${nodeUrl} (it deploys the suite to ${path.join(deploymentsDir, "localhost")})…`);
    const node = new Child("node", hardhat(["node", "--port", String(o.nodePort), "--hostname", "127.0.0.1"]), env);
    children.push(node);
    const chainId = Number(await waitFor("node", 180_000, () => rpc(nodeUrl, "eth_chainId"), node));

    log("seeding the demo story and the app's open deal, bond and listing…");
    await new Child(
      "seed",
      hardhat(["run", path.join(APP_DIR, "scripts", "seed.ts"), "--network", "localhost"]),
      env,
    ).finished();
    const seed = JSON.parse(fs.readFileSync(seedFile, "utf8")) as AppSeed;

    log("indexing (following new blocks) and serving the ledger API…");
    const indexer = new Child(
      "indexer",
      hardhat(["indexer", "--network", "localhost", "--db", db, "--follow", "--poll-interval", "500", "--quiet"]),
      env,
    );
    children.push(indexer);
    const head = Number(await rpc(nodeUrl, "eth_blockNumber"));
    // the API opens an existing ledger: the indexer creates it first
    await waitFor("ledger file", 180_000, async () => (fs.existsSync(db) ? true : undefined), indexer);
    const api = new Child(
      "api",
      hardhat(["ledger:serve", "--network", "localhost", "--db", db, "--port", String(o.apiPort)]),
      env,
    );
    children.push(api);
    const apiUrl = `http://127.0.0.1:${o.apiPort}`;
    await waitFor(
      "ledger API",
      180_000,
      async () => {
        const res = await fetch(`${apiUrl}/health`);
        if (!res.ok) return undefined;
        const h = (await res.json()) as { blockNumber: number | string };
        return Number(h.blockNumber) >= head ? h : undefined;
      },
      api,
    );

    await build;
    const config = appConfig(deploymentsDir, chainId, nodeUrl);
    server = await serveApp({ port: o.appPort, dist: DIST_DIR, config, apiUrl, rpcUrl: nodeUrl });
    return {
      urls: { node: nodeUrl, api: `${apiUrl}/graphql`, app: `http://127.0.0.1:${o.appPort}` },
      config,
      seed,
      deploymentsDir,
      db,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The config the app is served with: chain, addresses from the deployment records, API and RPC through the app. */
export function appConfig(deploymentsDir: string, chainId: number, nodeUrl: string): AppConfig {
  const addresses = deploymentAddresses(readDeployments("localhost", deploymentsDir));
  return {
    network: "localhost",
    chainId,
    chainName: "Treelion local (Hardhat)",
    rpcUrl: nodeUrl,
    readRpcUrl: "/rpc",
    apiUrl: "/graphql",
    addresses,
  };
}

/** Deployment name → address. */
export function deploymentAddresses(records: Record<string, DeploymentRecord>): Record<string, string> {
  return Object.fromEntries(Object.values(records).map((r) => [r.name, r.address]));
}
