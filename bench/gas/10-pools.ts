import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { CarbonCredit, CarbonPool, GreenProjectRegistry } from "../../typechain-types";
import { type GasModule, type GasRow, measureTx } from "../lib";

/**
 * CarbonPool (NatureCarbonPool deployment): deposit, push, redeem, redeemAuto (1 / 10 batches), retireFromPool
 * (one batch / auto over 10), and redeemAuto of a fixed amount after 10 and after 1,000 batches were deposited and
 * fully redeemed (they left the queue): the two must cost the same.
 */
const mod: GasModule = {
  area: "pools",
  tags: ["pools"],
  async measure(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
    const { ethers, deployments } = hre;
    const [deployer, verifier, treasury, dev, buyer] = await ethers.getSigners();
    const at = async <T>(name: string, artifact = name) =>
      (await ethers.getContractAt(artifact, (await deployments.get(name)).address)) as unknown as T;
    const registry = await at<GreenProjectRegistry>("GreenProjectRegistry");
    const credit = await at<CarbonCredit>("CarbonCredit");
    const pool = await at<CarbonPool>("NatureCarbonPool", "CarbonPool");
    const poolAddr = await pool.getAddress();
    const rows: GasRow[] = [];
    const row = (key: string, op: string, gas: number, note?: string) =>
      rows.push({ key, area: "pools", op, gas, note });

    await (
      await registry.connect(deployer).registerProject({
        owner: dev.address,
        name: "Kasigau Corridor REDD+",
        category: 0,
        country: "0x4b45",
        standard: "Verra VCS",
        externalId: "VCS-612-pools",
        methodology: "VM0009",
        metadataURI: "ipfs://bafy-project",
      })
    ).wait();
    const projectId = await registry.projectCount();
    await (await registry.connect(verifier).setProjectStatus(projectId, 1)).wait();
    let serial = 1n;
    /** Issues `n` batches of `tonnes` t each to the developer; returns their ids. */
    const issue = async (n: number, tonnes: bigint): Promise<bigint[]> => {
      const ids: bigint[] = [];
      for (let i = 0; i < n; i++) {
        await (
          await credit.connect(verifier).issue({
            projectId,
            vintage: 2022,
            serialStart: serial,
            serialEnd: serial + tonnes - 1n,
            to: dev.address,
            attestation: ethers.id("report"),
          })
        ).wait();
        serial += tonnes;
        ids.push(await credit.batchCount());
      }
      return ids;
    };
    await (await credit.connect(dev).setApprovalForAll(poolAddr, true)).wait();
    const T = 1000n;

    // ── redeemAuto must not grow with the number of batches ever deposited (fresh pool; fees off while churning) ──
    await (await pool.connect(deployer).setFees(0, 0, treasury.address)).wait();
    const [probe] = await issue(1, 10n);
    /** Deposits `n` fresh 1-t batches with batch pushes of 100, then redeems them all (20 batches per call). */
    const churn = async (n: number) => {
      const ids = await issue(n, 1n);
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        await (
          await credit.connect(dev).safeBatchTransferFrom(
            dev.address,
            poolAddr,
            chunk,
            chunk.map(() => T),
            "0x",
          )
        ).wait();
      }
      for (let i = 0; i < ids.length; i += 20) {
        await (await pool.connect(dev).redeemAuto(BigInt(Math.min(20, ids.length - i)) * T)).wait();
      }
    };
    /** Probe batch enters the empty queue; redeemAuto 1 t with the 100 bps fee is measured; the probe leaves again. */
    const measureProbe = async () => {
      await (await pool.connect(deployer).setFees(100, 0, treasury.address)).wait();
      await (await pool.connect(dev).deposit(probe, 10n * T)).wait();
      const g = (await measureTx(pool.connect(dev).redeemAuto(T))).gas;
      await (await pool.connect(deployer).setFees(0, 0, treasury.address)).wait();
      await (await pool.connect(treasury).transfer(dev.address, await pool.balanceOf(treasury.address))).wait();
      await (await pool.connect(dev).redeem(probe, 9n * T)).wait();
      return g;
    };
    await churn(10);
    const after10 = await measureProbe();
    await churn(990);
    const after1000 = await measureProbe();
    const [, , finalLen] = await pool.queue();
    if (finalLen !== 0n) throw new Error("bench: pool not empty after churn");
    row("pools.redeemAuto.after10", "redeemAuto 1 t after 10 batches were deposited and fully redeemed", after10);
    if (after1000 > after10) throw new Error(`redeemAuto grew with batches ever deposited: ${after10} → ${after1000}`);
    row(
      "pools.redeemAuto.after1000",
      "redeemAuto 1 t after 1,000 batches (990 more) were deposited and fully redeemed",
      after1000,
      after1000 === after10 ? "same gas as after10" : `Δ ${after1000 - after10} vs after10`,
    );
    await (await pool.connect(deployer).setFees(100, 0, treasury.address)).wait();

    // ── deposits ──
    const [a, b, c, ...more] = await issue(13, 10n);
    row(
      "pools.deposit.first",
      "deposit (first holder, batch enters an empty queue)",
      (await measureTx(pool.connect(dev).deposit(a, 5n * T))).gas,
    );
    row(
      "pools.deposit",
      "deposit (new batch appended to the queue tail)",
      (await measureTx(pool.connect(dev).deposit(b, 5n * T))).gas,
    );
    row(
      "pools.deposit.topUp",
      "deposit (batch already queued)",
      (await measureTx(pool.connect(dev).deposit(a, 5n * T))).gas,
    );
    row(
      "pools.push",
      "safeTransferFrom straight to the pool (counted as a deposit)",
      (await measureTx(credit.connect(dev).safeTransferFrom(dev.address, poolAddr, c, 5n * T, "0x"))).gas,
    );
    for (const id of more) await (await pool.connect(dev).deposit(id, 10n * T)).wait();
    await (await pool.connect(dev).transfer(buyer.address, 95n * T * 10n ** 15n)).wait();

    // ── redeem ──
    row(
      "pools.redeem",
      "redeem a chosen batch (partial, fee to treasury)",
      (await measureTx(pool.connect(buyer).redeem(a, T))).gas,
    );
    row(
      "pools.redeem.empties",
      "redeem the rest of a batch (leaves the queue)",
      (await measureTx(pool.connect(buyer).redeem(b, 5n * T))).gas,
    );
    // queue now: a (9 t), c (5 t), more[0..9] (10 t each)
    row("pools.redeemAuto.1", "redeemAuto within 1 batch", (await measureTx(pool.connect(buyer).redeemAuto(T))).gas);
    // 8 t of a, 5 t of c, then 8 more batches fully and part of a 9th: 11 batches... take exactly 10 batches:
    row(
      "pools.redeemAuto.10",
      "redeemAuto across 10 batches (8 emptied)",
      (await measureTx(pool.connect(buyer).redeemAuto(8n * T + 5n * T + 7n * 10n * T + T))).gas,
    );

    // ── retire ──
    row(
      "pools.retireFromPool",
      "retireFromPool a chosen batch (one certificate)",
      (
        await measureTx(
          pool.connect(dev).retireFromPool(more[8], T, buyer.address, "Acme Airlines 25", "Scope 3 travel25"),
        )
      ).gas,
    );
    const fill = await issue(10, 2n);
    for (const id of fill) await (await pool.connect(dev).deposit(id, 2n * T)).wait();
    const [, , len] = await pool.queue();
    // remaining: more[7] (9 t), more[8] (9 t), more[9] (10 t), then fill: take 10 batches
    row(
      "pools.retireFromPool.auto10",
      `retireFromPool auto across 10 batches (one multi-batch certificate; queue of ${len})`,
      (await measureTx(pool.connect(dev).retireFromPool(0n, 28n * T + 7n * 2n * T, buyer.address, "Acme", "Scope 3")))
        .gas,
    );

    // ── redeemAuto must not grow with the number of batches ever deposited ──
    return rows;
  },
};
export default mod;
