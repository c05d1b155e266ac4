/**
 * The ledger's buffer, reversal, cancellation, label and governance tables against a real `hardhat node`, on both
 * backends: a project with a 10 % buffer, labels, an avoidable fire covered by the own buffer and compensated in
 * two parts, an unavoidable storm that spends the pooled rest and leaves a shortfall, and timelock operations
 * (executed, cancelled, pending). The indexer's tables equal the contract views, `ledger:verify` finds no
 * difference and says what it checked, and a tampered ledger is caught by the new checks.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { Contract, id as keccakText, type JsonRpcSigner } from "ethers";
import { HttpRpc, openIndexer, verify, type Ledger } from "../../sdk/indexer";
import { operationId, type TimelockCall } from "../../sdk";
import { grab, startTaskNode, type TaskNode } from "./helpers/cli";
import { rpc } from "./helpers/node";
import { BACKENDS, newLedgerTarget } from "./helpers/ledger-backends";
import { stopPgServer } from "./helpers/pg";

const ZERO_WORD = "0x" + "0".repeat(64);

describe("ledger: buffer, labels and governance against a live node", function () {
  this.timeout(600_000);
  let t: TaskNode;
  let tmp: string;
  let batchId: bigint;
  const ops: Record<"executed" | "cancelled" | "pending", string> = { executed: "", cancelled: "", pending: "" };

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-ledger-integrity-"));
    t = await startTaskNode({ name: "Fire Forest", country: "BR", externalId: "VCS-LEDGER-1" });
    const { provider, acc, record } = t;
    const signer = async (i: number): Promise<JsonRpcSigner> => provider.getSigner(acc[i]);
    const at = (name: string, i: number) =>
      signer(i).then((s) => new Contract(record(name).address, record(name).abi, s));
    const send = async (p: Promise<any>) => (await (await p).wait())!;
    const pid = BigInt(t.projectId);
    const registry = await at("GreenProjectRegistry", 1);
    const credit = await at("CarbonCredit", 0);
    const buffer = await at("BufferPool", 1);
    const timelock = await at("TreelionTimelock", 0);

    await send(registry.setBufferRate(pid, 1000));
    const issued = t.run(
      "credits:issue",
      "--project",
      t.projectId,
      "--vintage",
      "2022",
      "--serials",
      "1-50",
      "--to",
      acc[3],
      "--attestation",
      "ipfs://report",
    );
    batchId = BigInt(grab(issued, /batch id (\d+)/));
    await send(credit.setLabels(batchId, 1));
    await send(credit.setLabels(batchId, 1 | 8));
    const fire = keccakText("fire");
    // 5 t withheld; an avoidable 3 t fire takes them from the own buffer; the owner pays back 1 t
    await send(buffer.reportReversal(pid, 3000n, true, fire));
    const owner = await at("CarbonCredit", 3);
    await send(owner.setApprovalForAll(record("BufferPool").address, true));
    const payer = await at("BufferPool", 3);
    await send(payer.compensate(1n, batchId, 1000n));
    // an unavoidable 4 t storm: the own buffer's last 2 t, the pooled 1 t, then 1 t uncovered; 1 t more paid back
    await send(buffer.reportReversal(pid, 4000n, false, keccakText("storm")));
    await send(payer.compensate(1n, batchId, 1000n));

    // governance: the admin (proposer, executor) schedules grants of REGISTRAR_ROLE through the timelock
    const delay = await timelock.getMinDelay();
    const regRead = new Contract(record("GreenProjectRegistry").address, record("GreenProjectRegistry").abi, provider);
    const call = (who: string, salt: string): TimelockCall => ({
      target: record("GreenProjectRegistry").address,
      value: 0n,
      data: regRead.interface.encodeFunctionData("grantRole", [keccakText("REGISTRAR_ROLE"), who]),
      predecessor: ZERO_WORD,
      salt,
    });
    const schedule = async (c: TimelockCall) => {
      await send(timelock.schedule(c.target, c.value, c.data, c.predecessor, c.salt, delay));
      return operationId(c);
    };
    const executed = call(acc[9], ZERO_WORD);
    ops.executed = await schedule(executed);
    ops.cancelled = await schedule(call(acc[8], keccakText("salt")));
    await send(timelock.cancel(ops.cancelled));
    await rpc(t.node.url, "evm_increaseTime", [Number(delay) + 1]);
    await rpc(t.node.url, "evm_mine", []);
    await send(timelock.execute(executed.target, executed.value, executed.data, executed.predecessor, executed.salt));
    ops.pending = await schedule(call(acc[7], ZERO_WORD));
    expect(await regRead.hasRole(keccakText("REGISTRAR_ROLE"), acc[9])).to.equal(true);
  });

  after(async () => {
    t?.stop();
    await stopPgServer();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const backend of BACKENDS)
    describe(`on ${backend}`, function () {
      let ledger: Ledger;
      let db: string;
      before(async function () {
        db = await newLedgerTarget(backend, tmp, "integrity");
        const opened = await openIndexer({
          db,
          network: "localhost",
          deploymentsDir: t.node.deploymentsDir,
          rpc: new HttpRpc(t.node.url),
          initialChunk: 2,
        });
        await opened.indexer.run();
        ledger = opened.ledger;
      });
      after(() => ledger?.close());

      it("the buffer, reversal, cancellation and label tables equal the contract views", async function () {
        const { provider, record } = t;
        const view = (name: string) => new Contract(record(name).address, record(name).abi, provider);
        const buffer = view("BufferPool");
        const credit = view("CarbonCredit");
        const tag = { blockTag: (await ledger.checkpoint())!.blockNumber };
        const rows = (sql: string) => ledger.query<any>(sql);

        const reversals = await rows("SELECT * FROM reversals ORDER BY reversal_id");
        expect(reversals).to.have.length(2);
        for (const r of reversals) {
          const c = await buffer.reversal(r.reversal_id, tag);
          expect([r.project_id, r.amount_kg, r.cancelled_kg, r.uncovered_kg, r.owed_kg]).to.deep.equal([
            c.projectId,
            c.amountKg,
            c.cancelledKg,
            c.uncoveredKg,
            c.owedKg,
          ]);
        }
        expect(reversals.map((r) => [r.cancelled_kg, r.uncovered_kg, r.owed_kg, r.compensated_kg])).to.deep.equal([
          [3000n, 0n, 1000n, 2000n],
          [3000n, 1000n, 0n, 0n],
        ]);
        const [own, pooled] = await buffer.heldKg(batchId, tag);
        const held = await rows(
          `SELECT pooled, balance_kg FROM buffer_holdings WHERE batch_id = ${batchId} ORDER BY pooled`,
        );
        expect(held.map((h) => h.balance_kg)).to.deep.equal([own, pooled]);
        expect(pooled).to.equal(1000n); // the second payment, after the storm spent the first
        const [cancelled] = await rows(`SELECT SUM(amount_kg) AS kg FROM cancellations WHERE batch_id = ${batchId}`);
        expect(BigInt(cancelled.kg)).to.equal(await credit.cancelledKg(batchId, tag));
        expect(BigInt(cancelled.kg)).to.equal(6000n);
        const kinds = await rows("SELECT kind, amount_kg FROM buffer_movements ORDER BY block_number, log_index");
        expect(kinds.map((k) => `${k.kind} ${k.amount_kg}`)).to.deep.equal([
          "withheld 5000",
          "cancelled 3000",
          "compensated 1000",
          "cancelled 2000",
          "cancelled 1000",
          "shortfall 1000",
          "compensated 1000",
        ]);
        const [labels] = await rows(`SELECT labels FROM batch_labels WHERE batch_id = ${batchId}`);
        expect(labels.labels).to.equal(await credit.labelsOf(batchId, tag));
        expect(
          await rows(`SELECT added, removed FROM label_changes WHERE batch_id = ${batchId} ORDER BY block_number`),
        ).to.deep.equal([
          { added: 1n, removed: 0n },
          { added: 8n, removed: 0n },
        ]);
      });

      it("governance operations have the timelock's state: done, cancelled, pending until getTimestamp", async function () {
        const { provider, record } = t;
        const timelock = new Contract(record("TreelionTimelock").address, record("TreelionTimelock").abi, provider);
        const got = await ledger.query<any>(
          "SELECT operation_id, status, ready_at, calls, salt FROM gov_operations ORDER BY scheduled_block",
        );
        expect(got.map((o) => [o.operation_id, o.status])).to.deep.equal([
          [ops.executed, "done"],
          [ops.cancelled, "cancelled"],
          [ops.pending, "pending"],
        ]);
        expect(got[1].salt).to.equal(keccakText("salt"));
        expect(got[2].ready_at).to.equal(await timelock.getTimestamp(ops.pending));
        const [c] = await ledger.query<any>("SELECT target, value, data FROM gov_calls WHERE operation_id = ?", [
          ops.pending,
        ]);
        expect(c.target).to.equal(record("GreenProjectRegistry").address.toLowerCase());
        expect(c.value).to.equal("0");
      });

      it("verify finds no difference and lists the buffer, conservation and timelock checks it ran", async function () {
        const r = await verify(ledger, t.provider);
        expect(r.differences).to.deep.equal([]);
        const count = (check: string) => r.checked.find((c) => c.check === check)?.count ?? 0;
        for (const check of [
          "ledger Σ balances == issuedKg − retiredKg − cancelledKg",
          "credit.cancelledKg",
          "credit.labelsOf",
          "buffer.totalBufferKg",
          "buffer.heldKg own",
          "buffer.heldKg pooled",
          "ledger buffer holdings == buffer's credit balance",
          "buffer.bufferOf",
          "buffer.owedBy",
          "reversal().owedKg",
          "timelock.getTimestamp (done)",
          "timelock.getTimestamp (cancelled)",
          "timelock.getTimestamp (pending)",
          "timelock.isOperationPending",
        ])
          expect(count(check), check).to.be.greaterThan(0);
        expect(count("reversal().cancelledKg")).to.equal(2);
      });

      it("verify reports a tampered buffer, cancellation, reversal and operation", async function () {
        await ledger.query("UPDATE buffer_holdings SET balance_kg = balance_kg + 1 WHERE pooled = 1");
        await ledger.query("UPDATE reversals SET owed_kg = owed_kg + 5 WHERE reversal_id = 1");
        await ledger.query("UPDATE gov_operations SET ready_at = ready_at + 1 WHERE status = 'pending'");
        await ledger.query("UPDATE cancellations SET amount_kg = amount_kg - 1 WHERE amount_kg = 1000");
        const r = await verify(ledger, t.provider);
        const failed = new Set(r.differences.map((d) => d.check));
        for (const check of [
          "buffer.heldKg pooled",
          "buffer.totalBufferKg",
          "ledger buffer holdings == buffer's credit balance",
          "reversal().owedKg",
          "buffer.owedBy",
          "timelock.getTimestamp (pending)",
          "credit.cancelledKg",
          "ledger Σ balances == issuedKg − retiredKg − cancelledKg",
        ])
          expect(failed.has(check), `${check} in ${[...failed].join(", ")}`).to.equal(true);
        if (backend === "sqlite") {
          const v = t.node.hardhat(["ledger:verify", "--network", "localhost", "--db", db]);
          expect(v.code, v.output).to.equal(1);
          expect(v.stdout).to.match(
            /DIFF timelock\.getTimestamp \(pending\) \[operation 0x[0-9a-f]{64}\]: ledger \d+ ≠ chain \d+/,
          );
          expect(v.stdout).to.include("checked (ledger vs contract views");
          expect(v.stdout).to.match(/ {2}buffer\.heldKg own: 1\n/);
          expect(v.stdout).to.match(/ledger:verify at block \d+: \d+ checks, [1-9]\d* differences/);
        }
      });
    });
});
