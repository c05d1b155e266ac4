/** Query plans of the ledger's statements on either backend (the API tests check that reads use indexes). */
import { expect } from "chai";
import type { Ledger } from "../../../sdk/indexer";

/**
 * The plan of one statement. PostgreSQL prefers a sequential scan on tiny tables whatever the indexes, so the
 * plan is taken with sequential scans disabled: a "Seq Scan" that remains means no index can serve the query.
 */
export async function explain(ledger: Ledger, sql: string, params: unknown[]): Promise<string[]> {
  if (ledger.backend === "sqlite") {
    const rows = await ledger.db.transaction((x) => x.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params));
    return rows.map((r) => r.detail);
  }
  return ledger.db.transaction(async (x) => {
    await x.query("SET LOCAL enable_seqscan = off");
    const rows = await x.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
    return rows.map((r) => r["QUERY PLAN"]);
  });
}

/** Fails when the statement's plan reads a whole table instead of using an index. */
export async function expectIndexed(ledger: Ledger, sql: string, params: unknown[]): Promise<void> {
  const plan = await explain(ledger, sql, params);
  if (ledger.backend === "sqlite") {
    // SQLite: "SCAN <table>" without an index is a full scan ("SEARCH … USING INDEX" is a lookup)
    expect(
      plan.filter((l) => /^SCAN \w+$/.test(l.trim())),
      `${sql}\n${plan.join("\n")}`,
    ).to.deep.equal([]);
  } else {
    expect(plan.join("\n"), `${sql}\n${plan.join("\n")}`).not.to.match(/Seq Scan/);
  }
}
