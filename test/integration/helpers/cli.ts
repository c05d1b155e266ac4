/** Assertions for Hardhat CLI runs against a live node: success, refusal with nothing sent, printed values. */
import { expect } from "chai";
import type { JsonRpcProvider } from "ethers";
import type { CliResult, HardhatNode } from "./node";

export const L = ["--network", "localhost"];

/** Output of a command that must succeed (the output is in the failure message). */
export function ok(r: CliResult): string {
  if (r.code !== 0) throw new Error(`command failed (exit ${r.code}):\n${r.output}`);
  return r.output;
}

/**
 * Runs a command that must be refused before sending anything: non-zero exit, the message names `expected`
 * and says "nothing was sent", and the block number and `signer`'s nonce are unchanged.
 */
export async function refused(
  node: HardhatNode,
  provider: JsonRpcProvider,
  signer: string,
  args: string[],
  expected: string | RegExp,
): Promise<string> {
  const block = await provider.getBlockNumber();
  const nonce = await provider.getTransactionCount(signer);
  const r = node.hardhat(args);
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
