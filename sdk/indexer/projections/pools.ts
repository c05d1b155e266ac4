/** Pool deposits, redemptions, retirements and the ERC-20 balances of pool tokens and bond units. */
import { p, stmt } from "../db";
import { AT, ZERO, addr, big, str, type EventContext, type HandlerTable, type Work } from "./context";

const q = {
  insDeposit: stmt("insDeposit", (db) =>
    db.insertInto("pool_deposits").values({
      ...AT,
      pool: p("self"),
      account: p("account"),
      batch_id: p("batchId"),
      amount_kg: p("kg"),
      minted: p("minted"),
    }),
  ),
  insRedemption: stmt("insRedemption", (db) =>
    db.insertInto("pool_redemptions").values({
      ...AT,
      pool: p("self"),
      account: p("account"),
      batch_id: p("batchId"),
      amount_kg: p("kg"),
      burned: p("burned"),
      fee: p("fee"),
    }),
  ),
  insPoolRetirement: stmt("insPoolRetirement", (db) =>
    db.insertInto("pool_retirements").values({
      ...AT,
      pool: p("self"),
      account: p("account"),
      batch_id: p("batchId"),
      amount_kg: p("kg"),
      certificate_id: p("certificateId"),
      burned: p("burned"),
      fee: p("fee"),
    }),
  ),
  insTokenTransfer: stmt("insTokenTransfer", (db) =>
    db.insertInto("token_transfers").values({
      block_number: p("blockNumber"),
      log_index: p("logIndex"),
      token: p("self"),
      from_addr: p("from"),
      to_addr: p("to"),
      value: p("value"),
      tx_hash: p("txHash"),
    }),
  ),
  getTokenBalance: stmt("getTokenBalance", (db) =>
    db
      .selectFrom("token_balances")
      .select("balance")
      .where("token", "=", p("token"))
      .where("account", "=", p("account")),
  ),
  setTokenBalance: stmt("setTokenBalance", (db) =>
    db
      .insertInto("token_balances")
      .values({ token: p("token"), account: p("account"), balance: p("balance") })
      .onConflict((oc) => oc.columns(["token", "account"]).doUpdateSet({ balance: p("balance") })),
  ),
  delTokenBalance: stmt("delTokenBalance", (db) =>
    db.deleteFrom("token_balances").where("token", "=", p("token")).where("account", "=", p("account")),
  ),
};

function* tokenDelta(c: EventContext, token: string, account: string, delta: bigint): Work<void> {
  if (account === ZERO || delta === 0n) return;
  const r = yield* c.get<{ balance: string }>(q.getTokenBalance, { token, account });
  const next = (r ? BigInt(r.balance) : 0n) + delta;
  if (next === 0n) yield c.run(q.delTokenBalance, { token, account });
  else yield c.run(q.setTokenBalance, { token, account, balance: next.toString() });
}

/** ERC-20 Transfer of a pool token or a bond (the token is the emitting contract). */
export function* tokenTransfer(c: EventContext): Work<void> {
  const from = addr(c.a.from);
  const to = addr(c.a.to);
  const value = big(c.a.value);
  yield c.run(q.insTokenTransfer, { from, to, value: str(c.a.value) });
  yield* tokenDelta(c, c.self, from, -value);
  yield* tokenDelta(c, c.self, to, value);
}

const optional = (v: unknown) => (v === undefined ? null : v);

export const poolHandlers: HandlerTable = {
  "pool.Deposited": (c) =>
    c.run(q.insDeposit, {
      account: addr(c.a.account),
      batchId: big(c.a.batchId),
      kg: big(c.a.amountKg),
      minted: str(c.a.minted),
    }),
  "pool.Redeemed": (c) =>
    c.run(q.insRedemption, {
      account: addr(c.a.account),
      batchId: big(c.a.batchId),
      kg: big(c.a.amountKg),
      burned: str(c.a.burned),
      fee: str(c.a.fee),
    }),
  "pool.RetiredFromPool": (c) =>
    c.run(q.insPoolRetirement, {
      account: addr(c.a.account),
      batchId: big(c.a.batchId),
      kg: big(c.a.amountKg),
      certificateId: c.a.certificateId !== undefined ? big(c.a.certificateId) : null,
      burned: optional(c.a.burned),
      fee: optional(c.a.fee),
    }),
  "pool.Transfer": tokenTransfer,
};
