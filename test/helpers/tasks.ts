import { expect } from "chai";
import hre, { ethers } from "hardhat";

/** Runs a Hardhat task in process and returns what it printed (console.log lines). */
export async function runTask(name: string, args: Record<string, unknown>): Promise<string> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    await hre.run(name, args);
  } finally {
    console.log = orig;
  }
  return lines.join("\n");
}

/** Expects the task to fail with `message` and to send no transaction (no new block). */
export async function expectRefused(name: string, args: Record<string, unknown>, message: RegExp | string) {
  const block = await ethers.provider.getBlockNumber();
  await expect(runTask(name, args)).to.be.rejectedWith(message);
  expect(await ethers.provider.getBlockNumber(), "a refusal sent a transaction").to.equal(block);
}
