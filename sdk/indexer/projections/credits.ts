/** Credit batches, ERC-1155 transfers and balances, retirements and certificates (CarbonCredit). */
import { sql } from "kysely";
import { p, stmt } from "../db";
import { kgToTonnesString } from "../../units";
import { ZERO, addr, big, type EventContext, type HandlerTable, type Work } from "./context";

const q = {
  insBatch: stmt("insBatch", (db) =>
    db.insertInto("batches").values({
      batch_id: p("batchId"),
      project_id: p("projectId"),
      vintage: p("vintage"),
      serial_start: p("serialStart"),
      serial_end: p("serialEnd"),
      issued_to: p("to"),
      attestation: p("attestation"),
      issued_kg: p("kg"),
      block_number: p("blockNumber"),
      tx_hash: p("txHash"),
      timestamp: p("timestamp"),
    }),
  ),
  insCreditTransfer: stmt("insCreditTransfer", (db) =>
    db.insertInto("credit_transfers").values({
      block_number: p("blockNumber"),
      log_index: p("logIndex"),
      seq: p("seq"),
      tx_hash: p("txHash"),
      operator: p("operator"),
      from_addr: p("from"),
      to_addr: p("to"),
      batch_id: p("batchId"),
      amount_kg: p("kg"),
    }),
  ),
  addCredit: stmt("addCredit", (db) =>
    db
      .insertInto("credit_balances")
      .values({ batch_id: p("batchId"), account: p("account"), balance_kg: p("delta") })
      .onConflict((oc) =>
        oc
          .columns(["batch_id", "account"])
          .doUpdateSet({ balance_kg: sql`credit_balances.balance_kg + excluded.balance_kg` }),
      )
      .returning("balance_kg"),
  ),
  delCredit: stmt("delCredit", (db) =>
    db.deleteFrom("credit_balances").where("batch_id", "=", p("batchId")).where("account", "=", p("account")),
  ),
  batchInfo: stmt("batchInfo", (db) =>
    db.selectFrom("batches").select(["project_id", "vintage"]).where("batch_id", "=", p("batchId")),
  ),
  insRetirement: stmt("insRetirement", (db) =>
    db.insertInto("retirements").values({
      block_number: p("blockNumber"),
      log_index: p("logIndex"),
      certificate_id: p("certificateId"),
      batch_id: p("batchId"),
      project_id: p("projectId"),
      vintage: p("vintage"),
      account: p("account"),
      via: p("via"),
      beneficiary: p("beneficiary"),
      beneficiary_name: p("beneficiaryName"),
      reason: p("reason"),
      amount_kg: p("kg"),
      tonnes: p("tonnes"),
      tx_hash: p("txHash"),
      timestamp: p("timestamp"),
    }),
  ),
  addRetired: stmt("addRetired", (db) =>
    db
      .updateTable("batches")
      .set({ retired_kg: sql`retired_kg + ${p("kg")}` })
      .where("batch_id", "=", p("batchId")),
  ),
  upCertificate: stmt("upCertificate", (db) =>
    db
      .insertInto("certificates")
      .values({
        certificate_id: p("certificateId"),
        account: p("account"),
        beneficiary: p("beneficiary"),
        beneficiary_name: p("beneficiaryName"),
        reason: p("reason"),
        amount_kg: p("kg"),
        batch_count: 1,
        block_number: p("blockNumber"),
        tx_hash: p("txHash"),
        timestamp: p("timestamp"),
      })
      .onConflict((oc) =>
        oc.column("certificate_id").doUpdateSet({
          amount_kg: sql`certificates.amount_kg + excluded.amount_kg`,
          batch_count: sql`certificates.batch_count + 1`,
        }),
      ),
  ),
};

/** The project of a batch (0 when the ledger has no such batch). */
export function* projectOfBatch(c: EventContext, batchId: bigint): Work<bigint> {
  const info = yield* c.get<{ project_id: bigint }>(q.batchInfo, { batchId });
  return info?.project_id ?? 0n;
}

function* creditDelta(c: EventContext, batchId: bigint, account: string, delta: bigint): Work<void> {
  if (account === ZERO || delta === 0n) return;
  const r = yield* c.get<{ balance_kg: bigint }>(q.addCredit, { batchId, account, delta });
  if (r!.balance_kg === 0n) yield c.run(q.delCredit, { batchId, account });
}

function* creditTransfer(c: EventContext, seq: number, id: bigint, value: bigint): Work<void> {
  const from = addr(c.a.from);
  const to = addr(c.a.to);
  yield c.run(q.insCreditTransfer, { seq, operator: addr(c.a.operator), from, to, batchId: id, kg: value });
  yield* creditDelta(c, id, from, -value);
  yield* creditDelta(c, id, to, value);
}

export const creditHandlers: HandlerTable = {
  "credit.BatchIssued": (c) =>
    c.run(q.insBatch, {
      batchId: big(c.a.batchId),
      projectId: big(c.a.projectId),
      vintage: Number(c.a.vintage),
      serialStart: big(c.a.serialStart),
      serialEnd: big(c.a.serialEnd),
      to: addr(c.a.to),
      attestation: c.a.attestation,
      kg: (big(c.a.serialEnd) - big(c.a.serialStart) + 1n) * 1000n,
    }),
  "credit.TransferSingle": (c) => creditTransfer(c, 0, big(c.a.id), big(c.a.value)),
  "credit.TransferBatch": function* (c) {
    const ids = c.a.ids as string[];
    for (let i = 0; i < ids.length; i++) yield* creditTransfer(c, i, big(ids[i]), big(c.a.values[i]));
  },
  "credit.Retired": function* (c) {
    const batchId = big(c.a.batchId);
    const info = yield* c.get<{ project_id: bigint; vintage: bigint }>(q.batchInfo, { batchId });
    const account = addr(c.a.account);
    const kg = big(c.a.amountKg);
    const args = {
      certificateId: big(c.a.certificateId),
      batchId,
      projectId: info?.project_id ?? 0n,
      vintage: info?.vintage ?? 0n,
      account,
      via: c.kinds.get(account) ?? "holder",
      beneficiary: addr(c.a.beneficiary),
      beneficiaryName: c.a.beneficiaryName,
      reason: c.a.reason,
      kg,
      tonnes: kgToTonnesString(kg),
    };
    yield c.run(q.insRetirement, args);
    yield c.run(q.addRetired, args);
    yield c.run(q.upCertificate, args);
  },
};
