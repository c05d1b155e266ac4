/**
 * A live `hardhat node` for the SDK/indexer integration tests: 127.0.0.1, a free port, always stopped.
 * (Named sdk-node.ts so it does not collide with the ops helper's node.ts.)
 */
import { spawn, type ChildProcess } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { freePort } from "./node";

export const ROOT = path.resolve(__dirname, "../../..");

/**
 * Deployment records of these tests live in a temporary directory (TREELION_DEPLOYMENTS_DIR for every
 * child process, `deploymentsDir` for the in-process SDK), so `npm test` never touches a developer's
 * deployments/localhost. Removed when the test process exits.
 */
export const DEPLOYMENTS = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-sdk-deployments-"));
process.on("exit", () => fs.rmSync(DEPLOYMENTS, { recursive: true, force: true }));

/** The one free-port helper (test/integration/helpers/node.ts). */
export { freePort };

export interface LiveNode {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `hardhat node --no-deploy` and resolves when it listens. */
export async function startNode(timeoutMs = 90_000): Promise<LiveNode> {
  const port = await freePort();
  const child = spawn("npx", ["hardhat", "node", "--no-deploy", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    detached: true, // own process group: stop() ends npx and the node it started, nothing else
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hardhat node did not start in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("Started HTTP")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited (${code}):\n${out}`));
    });
  });
  child.stdout!.removeAllListeners("data");
  child.stderr!.removeAllListeners("data");
  child.stdout!.resume();
  child.stderr!.resume();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    child,
    stop: () => killGroup(child),
  };
}

/** Ends a process started by these helpers (and its children) by its process group id. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    try {
      process.kill(-child.pid, signal);
    } catch {
      clearTimeout(t);
      resolve();
    }
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npx hardhat <args>` against the node (LOCALHOST_RPC_URL) and collects its output. */
export function hardhat(args: string[], env: Record<string, string>, timeoutMs = 180_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["hardhat", ...args], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, FORCE_COLOR: "0", TREELION_DEPLOYMENTS_DIR: DEPLOYMENTS, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const t = setTimeout(() => {
      void killGroup(child, "SIGKILL");
      reject(new Error(`hardhat ${args.join(" ")} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}
