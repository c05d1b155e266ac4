/**
 * A real `hardhat node` child process for end-to-end tests, plus a runner for Hardhat CLI commands
 * against it. The node listens on 127.0.0.1 on a free port, is started in its own process group and is
 * always stopped: by `stop()` (call it in `after`), on process exit and on SIGINT/SIGTERM of mocha.
 */
import { spawn, spawnSync, type ChildProcess } from "child_process";
import fs from "fs";
import net from "net";
import os from "os";
import path from "path";

export const ROOT = path.resolve(__dirname, "..", "..", "..");

/** A free TCP port on 127.0.0.1 (the OS picks one; we release it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

const live = new Set<HardhatNode>();
let hooksInstalled = false;
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", () => {
    for (const n of live) n.kill();
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      for (const n of live) n.kill();
      process.kill(process.pid, sig);
    });
  }
}

export class HardhatNode {
  readonly url: string;
  /** Deployment records of this node's runs (a temp dir: never touches deployments/localhost). */
  readonly deploymentsDir: string;
  private log = "";

  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    deploymentsDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.deploymentsDir = deploymentsDir;
    child.stdout?.on("data", (d) => (this.log += d));
    child.stderr?.on("data", (d) => (this.log += d));
  }

  /**
   * Starts `npx hardhat node --no-deploy` on a free port and waits until it answers eth_chainId (with the deploy
   * at start-up, exactly as `npx hardhat node`, when `opts.deploy`; then it waits for the deploy to finish).
   * `opts.env` adds variables to the node's environment (e.g. HARDHAT_CHAIN_ID=11155111 to pose as Sepolia).
   */
  static async start(
    timeoutMs = 90_000,
    opts: { deploy?: boolean; env?: Record<string, string> } = {},
  ): Promise<HardhatNode> {
    installExitHooks();
    const port = await freePort();
    const deploymentsDir = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-it-deployments-"));
    const args = ["hardhat", "node", "--port", String(port), "--hostname", "127.0.0.1"];
    if (!opts.deploy) args.push("--no-deploy");
    const child = spawn("npx", args, {
      cwd: ROOT,
      env: { ...process.env, DOTENV_PATH: "none", TREELION_DEPLOYMENTS_DIR: deploymentsDir, ...opts.env },
      detached: true, // own process group: npx → node → hardhat all stop together
      stdio: ["ignore", "pipe", "pipe"],
    });
    const node = new HardhatNode(port, child, deploymentsDir);
    live.add(node);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) {
        node.stop();
        throw new Error(`hardhat node exited with code ${child.exitCode}:\n${node.log}`);
      }
      try {
        const id = await rpc(node.url, "eth_chainId");
        if (id) return node;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) {
        node.stop();
        throw new Error(`hardhat node did not answer eth_chainId within ${timeoutMs} ms:\n${node.log}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Environment for CLI children: `--network localhost` → this node, records in the temp dir, no .env. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      LOCALHOST_RPC_URL: this.url,
      TREELION_DEPLOYMENTS_DIR: this.deploymentsDir,
      DOTENV_PATH: "none",
      ...extra,
    };
  }

  /** Runs `npx hardhat <args>` (add `--network localhost` yourself) and captures its output. */
  hardhat(args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 120_000): CliResult {
    return hardhatCli(args, this.env(extraEnv), timeoutMs);
  }

  kill(): void {
    if (this.child.pid && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
  }

  /** Stops the node (whole process group) and removes the temp deployment records. */
  stop(): void {
    this.kill();
    live.delete(this);
    fs.rmSync(this.deploymentsDir, { recursive: true, force: true });
  }
}

/** Runs a Hardhat CLI command synchronously with the given environment. */
export function hardhatCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): CliResult {
  const r = spawnSync("npx", ["hardhat", ...args], { cwd: ROOT, env, encoding: "utf8", timeout: timeoutMs });
  return {
    code: r.status,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    output: (r.stdout ?? "") + (r.stderr ?? ""),
  };
}

/**
 * Runs a Hardhat CLI command without blocking this process's event loop (for tests that serve HTTP themselves,
 * e.g. a mock explorer API the command talks to).
 */
export function hardhatCliAsync(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["hardhat", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output: stdout + stderr });
    });
  });
}
