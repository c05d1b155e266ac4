/** Assertions for Hardhat CLI runs against a live node: success, refusal with nothing sent, printed values. */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { JsonRpcProvider } from "ethers";
import { HardhatNode, type CliResult } from "./node";

export const L = ["--network", "localhost"];

/** Output of a command that must succeed (the output is in the failure message). */
export function ok(r: CliResult): string {
  if (r.code !== 0) throw new Error(`command failed (exit ${r.code}):\n${r.output}`);
  return r.output;
}

/**
 * Runs a command that must be refused before sending anything: non-zero exit, the message names `expected`
 * and says "nothing was sent", and the block number and `signer`'s nonce are unchanged. `env` adds variables to the
 * command's environment (e.g. a public network's RPC URL and keys).
 */
export async function refused(
  node: HardhatNode,
  provider: JsonRpcProvider,
  signer: string,
  args: string[],
  expected: string | RegExp,
  env: Record<string, string> = {},
): Promise<string> {
  const block = await provider.getBlockNumber();
  const nonce = await provider.getTransactionCount(signer);
  const r = node.hardhat(args, env);
  expect(r.code, r.output).to.not.equal(0);
  if (typeof expected === "string") expect(r.output).to.include(expected);
  else expect(r.output).to.match(expected);
  expect(r.output).to.include("— nothing was sent");
  expect(r.output).to.not.match(/^\s+tx 0x/m); // no transaction hash printed: nothing went out
  expect(await provider.getBlockNumber(), "block number").to.equal(block);
  expect(await provider.getTransactionCount(signer), "signer nonce").to.equal(nonce);
  return r.output;
}

/** The first capture of `re` in `out` (fails readably when absent). */
export function grab(out: string, re: RegExp): string {
  const m = re.exec(out);
  if (!m) throw new Error(`no match for ${re} in:\n${out}`);
  return m[1];
}

/** A fresh `hardhat node` with the suite deployed and one Active project, set up with tasks only. */
export interface TaskNode {
  node: HardhatNode;
  provider: JsonRpcProvider;
  /** The node's unlocked accounts (index = the tasks' `--from` index). */
  acc: string[];
  /** Runs a task on the node (`--network localhost` inserted after the task name); fails the test on exit ≠ 0. */
  run: (...args: string[]) => string;
  /** A deployment record of the node (address and ABI). */
  record: (name: string) => { address: string; abi: any[] };
  projectId: string;
  /** Stops the node and closes the provider. */
  stop: () => void;
}

/** Starts a node, deploys, registers a Forestry project owned by account 3 and activates it (verifier). */
export async function startTaskNode(project: { name: string; country: string; externalId: string }): Promise<TaskNode> {
  const node = await HardhatNode.start();
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const acc = (await provider.listAccounts()).map((a) => a.address);
  const run = (...args: string[]) => ok(node.hardhat([...args.slice(0, 1), ...L, ...args.slice(1)], {}, 600_000));
  const record = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(node.deploymentsDir, "localhost", `${name}.json`), "utf8"));
  run("deploy");
  const reg = run(
    "project:register",
    "--owner",
    acc[3],
    "--name",
    project.name,
    "--category",
    "Forestry",
    "--country",
    project.country,
    "--standard",
    "Verra VCS",
    "--external-id",
    project.externalId,
  );
  const projectId = grab(reg, /project id (\d+)/);
  run("project:status", "--id", projectId, "--set", "Active", "--from", "verifier");
  const stop = () => {
    provider.destroy();
    node.stop();
  };
  return { node, provider, acc, run, record, projectId, stop };
}

/**
 * The examples of a task's --help text (`Example: npx hardhat …` or `Example (when …): npx hardhat …` lines), each
 * as the argument list after `npx hardhat`, split as a POSIX shell would (double and single quotes).
 */
export function helpExamples(help: string): string[][] {
  return [...help.matchAll(/Example(?: \([^)]*\))?: npx hardhat (.+)$/gm)].map((m) => shellWords(m[1]));
}

/** Splits a command line into words: whitespace separates, quotes group (no variables, no escapes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/** The tasks of tasks/buffer.ts, in the order their examples build on each other (rate, labels, reversal, …). */
export const BUFFER_TASKS = [
  "project:buffer",
  "credits:labels",
  "buffer:reversal",
  "buffer:settle",
  "buffer:compensate",
  "buffer:show",
];
