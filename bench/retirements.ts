/**
 * What the indexer benches share: retireBatch traffic on a local node and one measured indexing run in its own
 * process (bench/indexer-worker.ts). (Not in bench/indexer.ts: `require("./indexer")` would load indexer.json.)
 */
import path from "path";
import { spawn } from "child_process";
import type { JsonRpcProvider } from "ethers";
import { DEPLOYMENTS } from "../test/integration/helpers/sdk-node";
import { createTreelion } from "../sdk/node";

/** Batches retired by each retireBatch transaction. */
export const BATCHES = 20;

/** One measured run in its own process (bench/indexer-worker.ts); `db` is a SQLite file or a postgres:// URL. */
export function worker(mode: string, url: string, db: string, toBlock: number): Promise<any> {
  return new Promise((resolve, reject) => {
    const prof = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE] : [];
    const child = spawn(
      process.execPath,
      [
        ...prof,
        "-r",
        "ts-node/register/transpile-only",
        path.join(__dirname, "indexer-worker.ts"),
        mode,
        url,
        db,
        String(toBlock),
        DEPLOYMENTS,
      ],
      {
        cwd: path.resolve(__dirname, ".."),
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      if (err) process.stderr.write(err);
      if (code === 0) resolve(JSON.parse(out.trim().split("\n").pop()!));
      else reject(new Error(`${mode} worker failed: ${err}`));
    });
  });
}

/**
 * Generates ≥ `targetEvents` events on the node (a project, 20 batches, then `retireBatch` transactions of 20
 * batches, 21 events each, many per block with automine off). Returns the head block and the count of txs.
 */
export async function generateRetirements(provider: JsonRpcProvider, targetEvents: number) {
  const accounts: string[] = await provider.send("eth_accounts", []);
  const deployer = await provider.getSigner(accounts[0]);
  const verifier = await provider.getSigner(accounts[1]);
  const t = createTreelion({
    runner: deployer,
    network: "localhost",
    deploymentsDir: DEPLOYMENTS,
  });
  const g0 = Date.now();
  await (
    await t.registry.registerProject({
      owner: accounts[0],
      name: "Bench forest",
      category: 0,
      country: "0x4b45",
      standard: "VCS",
      externalId: "BENCH-1",
      methodology: "m",
      metadataURI: "u",
    })
  ).wait();
  await (await t.registry.connect(verifier).setProjectStatus(1n, 1)).wait();
  const ids: bigint[] = [];
  for (let i = 0; i < BATCHES; i++) {
    await (
      await t.credit.connect(verifier).issue({
        projectId: 1n,
        vintage: 2020,
        serialStart: BigInt(i * 1_000_000 + 1),
        serialEnd: BigInt((i + 1) * 1_000_000),
        to: accounts[0],
        attestation: "0x" + "ab".repeat(32),
      })
    ).wait();
    ids.push(BigInt(i + 1));
  }
  // each retireBatch of 20 batches emits 20 Retired + 1 TransferBatch = 21 events
  const txs = Math.ceil(targetEvents / (BATCHES + 1));
  const data = t.credit.interface.encodeFunctionData("retireBatch", [
    ids,
    ids.map(() => 1n),
    accounts[0],
    "Bench",
    "bench",
  ]);
  const to = await t.credit.getAddress();
  const gas = await provider.estimateGas({ from: accounts[0], to, data });
  await provider.send("evm_setAutomine", [false]);
  let nonce = await provider.getTransactionCount(accounts[0]);
  const perBlock = Math.max(1, Math.floor(25_000_000 / Number(gas)));
  for (let i = 0; i < txs;) {
    const n = Math.min(perBlock, txs - i);
    await Promise.all(
      Array.from({ length: n }, () =>
        provider.send("eth_sendTransaction", [
          {
            from: accounts[0],
            to,
            data,
            gas: "0x" + ((gas * 12n) / 10n).toString(16),
            nonce: "0x" + (nonce++).toString(16),
          },
        ]),
      ),
    );
    await provider.send("evm_mine", []);
    i += n;
  }
  await provider.send("evm_setAutomine", [true]);
  const head = parseInt(await provider.send("eth_blockNumber", []), 16);
  return { head, txs, g0 };
}
