/** Deals, milestones, attestations, disputes, withdrawals and what each account is owed (MilestoneEscrow). */
import { sql } from "kysely";
import { p, stmt } from "../db";
import { AT, ZERO, addr, big, str, type EventContext, type HandlerTable, type Work } from "./context";

const deal = (db: any) => db.updateTable("deals").where("deal_id", "=", p("dealId"));
const milestone = (db: any) =>
  db.updateTable("milestones").where("deal_id", "=", p("dealId")).where("idx", "=", p("index"));

const q = {
  insDeal: stmt("insDeal", (db) =>
    db.insertInto("deals").values({
      deal_id: p("dealId"),
      project_id: p("projectId"),
      funder: p("funder"),
      beneficiary: p("beneficiary"),
      token: p("token"),
      total: p("total"),
      threshold: p("threshold"),
      status: "created",
      escrow: p("self"),
      block_number: p("blockNumber"),
      tx_hash: p("txHash"),
      timestamp: p("timestamp"),
    }),
  ),
  dealTerms: stmt("dealTerms", (db) =>
    deal(db).set({
      arbiter: p("arbiter"),
      dispute_window: p("disputeWindow"),
      fee_bps: p("feeBps"),
      verifiers: p("verifiers"),
    }),
  ),
  msTerms: stmt("msTerms", (db) =>
    db
      .insertInto("milestones")
      .values({
        deal_id: p("dealId"),
        idx: p("index"),
        status: "pending",
        amount: p("amount"),
        deadline: p("deadline"),
        description: p("description"),
        updated_block: p("blockNumber"),
      })
      .onConflict((oc) =>
        oc.columns(["deal_id", "idx"]).doUpdateSet({
          amount: sql`excluded.amount`,
          deadline: sql`excluded.deadline`,
          description: sql`excluded.description`,
        }),
      ),
  ),
  msCancel: stmt("msCancel", (db) => milestone(db).set({ status: "cancelled", refunded: p("amount") })),
  dealOf: stmt("dealOf", (db) =>
    db.selectFrom("deals").select(["funder", "beneficiary", "token"]).where("deal_id", "=", p("dealId")),
  ),
  getOwed: stmt("getOwed", (db) =>
    db
      .selectFrom("escrow_owed")
      .select("owed")
      .where("escrow", "=", p("self"))
      .where("account", "=", p("account"))
      .where("token", "=", p("token")),
  ),
  setOwed: stmt("setOwed", (db) =>
    db
      .insertInto("escrow_owed")
      .values({ escrow: p("self"), account: p("account"), token: p("token"), owed: p("owed") })
      .onConflict((oc) => oc.columns(["escrow", "account", "token"]).doUpdateSet({ owed: p("owed") })),
  ),
  delOwed: stmt("delOwed", (db) =>
    db
      .deleteFrom("escrow_owed")
      .where("escrow", "=", p("self"))
      .where("account", "=", p("account"))
      .where("token", "=", p("token")),
  ),
  setTreasury: stmt("setTreasury", (db) =>
    db
      .insertInto("escrow_state")
      .values({ escrow: p("self"), treasury: p("treasury") })
      .onConflict((oc) => oc.column("escrow").doUpdateSet({ treasury: p("treasury") })),
  ),
  setEscrowFee: stmt("setEscrowFee", (db) =>
    db
      .insertInto("escrow_state")
      .values({ escrow: p("self"), treasury: "", fee_bps: p("feeBps") })
      .onConflict((oc) => oc.column("escrow").doUpdateSet({ fee_bps: p("feeBps") })),
  ),
  treasuryOf: stmt("treasuryOf", (db) =>
    db.selectFrom("escrow_state").select("treasury").where("escrow", "=", p("self")),
  ),
  fundDeal: stmt("fundDeal", (db) => deal(db).set({ funded: p("amount"), status: "funded" })),
  setDealStatus: stmt("setDealStatus", (db) => deal(db).set({ status: p("status") })),
  upMilestone: stmt("upMilestone", (db) =>
    db
      .insertInto("milestones")
      .values({ deal_id: p("dealId"), idx: p("index"), status: "pending", updated_block: p("blockNumber") })
      .onConflict((oc) => oc.columns(["deal_id", "idx"]).doUpdateSet({ updated_block: sql`excluded.updated_block` })),
  ),
  insAttestation: stmt("insAttestation", (db) =>
    db.insertInto("milestone_attestations").values({
      block_number: p("blockNumber"),
      log_index: p("logIndex"),
      deal_id: p("dealId"),
      idx: p("index"),
      verifier: p("verifier"),
      evidence: p("evidence"),
      attestations: p("attestations"),
      tx_hash: p("txHash"),
    }),
  ),
  msAttest: stmt("msAttest", (db) => milestone(db).set({ attestations: p("attestations") })),
  msRelease: stmt("msRelease", (db) =>
    milestone(db).set({ status: "released", to_beneficiary: p("toBeneficiary"), fee: p("fee") }),
  ),
  msResolveAmounts: stmt("msResolveAmounts", (db) =>
    milestone(db).set({ to_beneficiary: p("toBeneficiary"), fee: p("fee"), refunded: p("toFunder") }),
  ),
  msRefund: stmt("msRefund", (db) =>
    milestone(db).set({
      status: sql`CASE WHEN status = 'resolved' THEN status ELSE 'refunded' END`,
      refunded: p("amount"),
    }),
  ),
  msDispute: stmt("msDispute", (db) =>
    milestone(db).set({ status: "disputed", disputed_by: p("by"), dispute_reason: p("reason") }),
  ),
  msResolve: stmt("msResolve", (db) => milestone(db).set({ status: "resolved", release_bps: p("releaseBps") })),
  insWithdrawal: stmt("insWithdrawal", (db) =>
    db
      .insertInto("escrow_withdrawals")
      .values({ ...AT, escrow: p("self"), account: p("account"), token: p("token"), amount: p("amount") }),
  ),
};

type Deal = { funder: string; beneficiary: string; token: string };
function* dealOf(c: EventContext): Work<Deal> {
  const d = yield* c.get<{ funder: string; beneficiary: string; token: string }>(q.dealOf, {
    dealId: big(c.a.dealId),
  });
  if (!d) throw new Error(`escrow event for unknown deal ${c.a.dealId}`);
  return d;
}

function* treasury(c: EventContext): Work<string> {
  return (yield* c.get<{ treasury: string }>(q.treasuryOf))?.treasury || ZERO;
}

/** Adds `delta` to what `account` can withdraw in `token` from this escrow (a zero balance has no row). */
function* owe(c: EventContext, account: string, token: string, delta: bigint): Work<void> {
  if (delta === 0n) return;
  const r = yield* c.get<{ owed: string }>(q.getOwed, { account, token });
  const next = (r ? BigInt(r.owed) : 0n) + delta;
  if (next === 0n) yield c.run(q.delOwed, { account, token });
  else yield c.run(q.setOwed, { account, token, owed: next.toString() });
}

const ids = (c: EventContext) => ({ dealId: big(c.a.dealId), index: big(c.a.index) });
const touch = (c: EventContext) => c.run(q.upMilestone, ids(c));

/** The escrow fee setting: `EscrowFeeUpdated`. */
const feeUpdated = (c: EventContext) => c.run(q.setEscrowFee, { feeBps: Number(c.a.newFeeBps) });

export const escrowHandlers: HandlerTable = {
  "escrow.DealCreated": (c) =>
    c.run(q.insDeal, {
      dealId: big(c.a.dealId),
      projectId: big(c.a.projectId),
      funder: addr(c.a.funder),
      beneficiary: addr(c.a.beneficiary),
      token: addr(c.a.token),
      total: str(c.a.total),
      threshold: Number(c.a.threshold),
    }),
  "escrow.DealTerms": function* (c) {
    const dealId = big(c.a.dealId);
    yield c.run(q.dealTerms, {
      dealId,
      arbiter: addr(c.a.arbiter),
      disputeWindow: big(c.a.disputeWindow),
      feeBps: Number(c.a.feeBps),
      verifiers: JSON.stringify((c.a.verifiers as string[]).map(addr)),
    });
    const ms = c.a.milestones as any[];
    for (let i = 0; i < ms.length; i++)
      yield c.run(q.msTerms, {
        dealId,
        index: i,
        amount: str(ms[i].amount),
        deadline: big(ms[i].deadline),
        description: ms[i].description,
      });
  },
  "escrow.DisputeSettled": function* (c) {
    const d = yield* dealOf(c);
    yield c.run(q.msResolveAmounts, {
      ...ids(c),
      toBeneficiary: str(c.a.toBeneficiary),
      fee: str(c.a.fee),
      toFunder: str(c.a.toFunder),
    });
    yield* owe(c, d.beneficiary, d.token, big(c.a.toBeneficiary));
    yield* owe(c, yield* treasury(c), d.token, big(c.a.fee));
    yield* owe(c, d.funder, d.token, big(c.a.toFunder));
  },
  "escrow.MilestoneCancelled": (c) => c.run(q.msCancel, { ...ids(c), amount: str(c.a.amount) }),
  "escrow.DealCancelled": function* (c) {
    const d = yield* dealOf(c);
    yield c.run(q.setDealStatus, { dealId: big(c.a.dealId), status: "cancelled" });
    yield* owe(c, d.funder, d.token, big(c.a.refunded));
  },
  "escrow.TreasuryUpdated": (c) => c.run(q.setTreasury, { treasury: addr(c.a.newTreasury) }),
  "escrow.EscrowFeeUpdated": feeUpdated,
  "escrow.DealFunded": (c) => c.run(q.fundDeal, { dealId: big(c.a.dealId), amount: str(c.a.amount) }),
  "escrow.MilestoneAttested": function* (c) {
    yield touch(c);
    const args = { ...ids(c), attestations: Number(c.a.attestations) };
    yield c.run(q.insAttestation, { ...args, verifier: addr(c.a.verifier), evidence: c.a.evidence });
    yield c.run(q.msAttest, args);
  },
  "escrow.MilestoneReleased": function* (c) {
    yield touch(c);
    yield c.run(q.msRelease, { ...ids(c), toBeneficiary: str(c.a.toBeneficiary), fee: str(c.a.fee) });
    const d = yield* dealOf(c);
    yield* owe(c, d.beneficiary, d.token, big(c.a.toBeneficiary));
    yield* owe(c, yield* treasury(c), d.token, big(c.a.fee));
  },
  "escrow.MilestoneRefunded": function* (c) {
    yield touch(c);
    yield c.run(q.msRefund, { ...ids(c), amount: str(c.a.amount) });
    const d = yield* dealOf(c);
    yield* owe(c, d.funder, d.token, big(c.a.amount));
  },
  "escrow.DisputeRaised": function* (c) {
    yield touch(c);
    yield c.run(q.msDispute, { ...ids(c), by: addr(c.a.by), reason: c.a.reason });
  },
  "escrow.DisputeResolved": function* (c) {
    yield touch(c);
    yield c.run(q.msResolve, { ...ids(c), releaseBps: Number(c.a.releaseBps) });
  },
  "escrow.Withdrawn": function* (c) {
    yield c.run(q.insWithdrawal, { account: addr(c.a.account), token: addr(c.a.token), amount: str(c.a.amount) });
    yield* owe(c, addr(c.a.account), addr(c.a.token), -big(c.a.amount));
  },
};
