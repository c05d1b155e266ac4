/**
 * Climate integrity and governance in the ledger, on both backends: the projections of BufferPool, CarbonCredit
 * cancellations and labels and TreelionTimelock operations (exactly what the contracts would report after the
 * fixture's events; the same rows after a replay and after a reorg rollback and re-commit), and their GraphQL
 * fields (values, pagination, the bad-input table).
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { getAddress } from "ethers";
import {
  createLedgerServer,
  DERIVED_TABLES,
  Ledger,
  eventFromRow,
  projectSummary,
  supply,
  type LedgerServer,
} from "../../../sdk/indexer";
import { BACKENDS, newLedgerTarget } from "../../integration/helpers/ledger-backends";
import { stopPgServer } from "../../integration/helpers/pg";
import { ADDR, buildFixture } from "./fixture";
import { CALLS, EVIDENCE, EXPECTED, OPS, climateAndGovernance } from "./fixture-integrity";
import { expectIndexed } from "./explain";
import { cacheHits, data, gql } from "./gql";

/** the tables of projections/buffer.ts, labels.ts and governance.ts (the last in DERIVED_TABLES) and the balances */
const TABLES = [...DERIVED_TABLES.slice(DERIVED_TABLES.indexOf("buffer_rates")), "credit_balances"];

describe("ledger: buffer, reversals, cancellations, labels and governance operations", function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-integrity-"));
  });
  after(async () => {
    await stopPgServer();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const backend of BACKENDS)
    describe(`on ${backend}`, function () {
      let writer: Ledger;
      let api: LedgerServer;

      before(async function () {
        const target = await newLedgerTarget(backend, tmp, "integrity");
        writer = await Ledger.open(target);
        await buildFixture(writer, { retirements: 4 });
        await climateAndGovernance(writer);
        api = await (await createLedgerServer({ db: target, port: 0 })).listen();
      });
      after(async function () {
        await api?.close();
        await writer?.close();
      });

      it("books the buffer as BufferPool does: own first, then pooled, a shortfall, compensation pooled", async function () {
        const d = await data(
          api,
          `{ buffer { totalKg ownKg pooledKg owedKg uncoveredKg reversals
               holdings(first: 10) { totalCount edges { node { batchId projectId pooled heldKg addedKg cancelledKg } } }
               projects { edges { node { projectId bufferRateBps ownKg withheldKg cancelledKg owedKg } } } }
             r1: reversal(id: "1") { projectId avoidable evidence amountKg cancelledKg uncoveredKg owedKg compensatedKg remainingKg settled
               movements { edges { node { kind batchId pooled projectId reversalId account amountKg } } } }
             r2: reversal(id: "2") { amountKg cancelledKg uncoveredKg owedKg compensatedKg settled
               movements { edges { node { kind batchId projectId amountKg } } } } }`,
        );
        const { reversals, ...totals } = EXPECTED.buffer;
        expect(d.buffer).to.include({ ...totals, reversals });
        expect(d.buffer.holdings.edges.map((e: any) => e.node)).to.deep.equal([
          { batchId: "2", projectId: "0", pooled: true, heldKg: "0", addedKg: "1500", cancelledKg: "1500" },
          { batchId: "3", projectId: "1", pooled: false, heldKg: "0", addedKg: "10000", cancelledKg: "10000" },
          { batchId: "4", projectId: "3", pooled: false, heldKg: "5000", addedKg: "5000", cancelledKg: "0" },
        ]);
        expect(d.buffer.projects.edges.map((e: any) => e.node)).to.deep.equal([
          {
            projectId: "1",
            bufferRateBps: 1000,
            ownKg: "0",
            withheldKg: "10000",
            cancelledKg: "10000",
            owedKg: "2500",
          },
          { projectId: "2", bufferRateBps: 0, ownKg: "0", withheldKg: "0", cancelledKg: "0", owedKg: "0" },
          { projectId: "3", bufferRateBps: 500, ownKg: "5000", withheldKg: "5000", cancelledKg: "0", owedKg: "0" },
        ]);
        expect(d.r1).to.include({ ...EXPECTED.reversal1, projectId: "1", avoidable: true, evidence: EVIDENCE.fire });
        expect(d.r1).to.include({ remainingKg: "0", settled: true });
        expect(d.r1.movements.edges.map((e: any) => e.node)).to.deep.equal([
          {
            kind: "Cancelled",
            batchId: "3",
            pooled: false,
            projectId: "1",
            reversalId: "1",
            account: null,
            amountKg: "4000",
          },
          {
            kind: "Compensated",
            batchId: "2",
            pooled: true,
            projectId: "0",
            reversalId: "1",
            account: getAddress(ADDR.issuer),
            amountKg: "1500",
          },
        ]);
        expect(d.r2).to.include({ ...EXPECTED.reversal2, settled: true });
        expect(d.r2.movements.edges.map((e: any) => e.node)).to.deep.equal([
          { kind: "Cancelled", batchId: "3", projectId: "1", amountKg: "6000" },
          { kind: "Cancelled", batchId: "2", projectId: "0", amountKg: "1500" },
          { kind: "Shortfall", batchId: null, projectId: "2", amountKg: "500" },
        ]);
      });

      it("keeps per batch Σ holders + retired + cancelled = issued, with cancellations listed per batch and project", async function () {
        const d = await data(
          api,
          `{ b2: batch(id: "2") { issuedKg retiredKg cancelledKg buffer { ownKg pooledKg cancelledKg } holders { edges { node { amountKg } } } }
             b3: batch(id: "3") { issuedKg retiredKg cancelledKg buffer { ownKg pooledKg cancelledKg } holders { edges { node { address amountKg } } } }
             cancellations(batchId: "3") { totalCount edges { node { batchId projectId account amountKg reason } } }
             p2: cancellations(projectId: "2") { totalCount }
             project(id: "1") { cancelledKg buffer { ownKg owedKg } reversals { edges { node { id } } } }
             supply { issuedKg retiredKg cancelledKg outstandingKg } }`,
        );
        for (const b of [d.b2, d.b3]) {
          const held = b.holders.edges.reduce((t: bigint, e: any) => t + BigInt(e.node.amountKg), 0n);
          expect(held + BigInt(b.retiredKg) + BigInt(b.cancelledKg)).to.equal(BigInt(b.issuedKg));
        }
        expect(d.b2.cancelledKg).to.equal(EXPECTED.cancelledKg.batch2);
        expect(d.b3.cancelledKg).to.equal(EXPECTED.cancelledKg.batch3);
        expect(d.b3.buffer).to.deep.equal({ ownKg: "0", pooledKg: "0", cancelledKg: "10000" });
        expect(d.b3.holders.edges.map((e: any) => e.node)).to.deep.equal([
          { address: getAddress(ADDR.issuer), amountKg: "90000" },
        ]);
        expect(d.cancellations.totalCount).to.equal(2);
        expect(d.cancellations.edges.map((e: any) => e.node)).to.deep.equal([
          { batchId: "3", projectId: "1", account: getAddress(ADDR.buffer), amountKg: "4000", reason: EVIDENCE.fire },
          { batchId: "3", projectId: "1", account: getAddress(ADDR.buffer), amountKg: "6000", reason: EVIDENCE.storm },
        ]);
        expect(d.p2.totalCount).to.equal(1);
        expect(d.project).to.deep.equal({
          cancelledKg: "10000",
          buffer: { ownKg: "0", owedKg: "2500" },
          reversals: { edges: [{ node: { id: "1" } }] },
        });
        expect(d.supply.cancelledKg).to.equal(EXPECTED.cancelledKg.total);
        expect(BigInt(d.supply.outstandingKg)).to.equal(
          BigInt(d.supply.issuedKg) - BigInt(d.supply.retiredKg) - BigInt(EXPECTED.cancelledKg.total),
        );
      });

      it("counts cancelled credits out of the CLI queries' outstanding supply (ledger:project, ledger:supply)", async function () {
        const p1 = (await projectSummary(writer, 1))!;
        const v2023 = p1.vintages.find((v) => v.vintage === 2023)!;
        expect(v2023).to.include({
          issued_kg: 100_000n,
          retired_kg: 0n,
          cancelled_kg: 10_000n,
          outstanding_kg: 90_000n,
        });
        expect(v2023.cancelled_t).to.equal("10.000");
        expect(p1.totals.cancelled_kg).to.equal(10_000n);
        expect(p1.totals.outstanding_kg).to.equal(p1.totals.issued_kg - p1.totals.retired_kg - 10_000n);
        const s = await supply(writer);
        expect(s.credits.cancelled_kg).to.equal(BigInt(EXPECTED.cancelledKg.total));
        expect(s.credits.outstanding_kg).to.equal(s.credits.issued_kg - s.credits.retired_kg - s.credits.cancelled_kg);
      });

      it("answers labels per batch (with their history) and per project, filtered by a label name", async function () {
        const d = await data(
          api,
          `{ batch(id: "1") { labels labelBits labelHistory { labels added removed } }
             corsia: batchLabels(label: "corsia-eligible") { totalCount edges { node { batchId labels } } }
             p1: batchLabels(projectId: "1") { totalCount edges { node { batchId projectId labels labelBits } } }
             project(id: "1") { batchLabels(first: 1) { totalCount pageInfo { hasNextPage } edges { node { batchId } } } }
             unlabelled: batch(id: "2") { labels labelBits labelHistory { labels } } }`,
        );
        expect(d.batch).to.deep.equal({
          labels: ["REMOVAL"],
          labelBits: 8,
          labelHistory: [
            { labels: ["CORSIA_ELIGIBLE"], added: ["CORSIA_ELIGIBLE"], removed: [] },
            { labels: ["CORSIA_ELIGIBLE", "REMOVAL"], added: ["REMOVAL"], removed: [] },
            { labels: ["REMOVAL"], added: [], removed: ["CORSIA_ELIGIBLE"] },
          ],
        });
        expect(d.corsia).to.deep.equal({
          totalCount: 1,
          edges: [{ node: { batchId: "3", labels: ["CORSIA_ELIGIBLE", "CCP_APPROVED"] } }],
        });
        expect(d.p1.edges.map((e: any) => e.node)).to.deep.equal([
          { batchId: "1", projectId: "1", labels: ["REMOVAL"], labelBits: 8 },
          { batchId: "3", projectId: "1", labels: ["CORSIA_ELIGIBLE", "CCP_APPROVED"], labelBits: 3 },
        ]);
        expect(d.project.batchLabels).to.deep.equal({
          totalCount: 2,
          pageInfo: { hasNextPage: true },
          edges: [{ node: { batchId: "1" } }],
        });
        expect(d.unlabelled).to.deep.equal({ labels: [], labelBits: 0, labelHistory: [] });
      });

      it("lists timelock operations with their calls decoded and their status (Pending, Ready, Done, Cancelled)", async function () {
        const d = await data(
          api,
          `{ governanceOperations { totalCount edges { node { id status delay salt calls { index target targetName value data function } } } }
             ready: governanceOperations(status: "Ready") { edges { node { id } } }
             pending: governanceOperations(status: "pending") { edges { node { id } } }
             done: governanceOperation(id: "${OPS.done.toUpperCase().replace("0X", "0x")}") { id status readyAt scheduledAt executedAt executedTx cancelledAt }
             cancelled: governanceOperation(id: "${OPS.cancelled}") { status cancelledAt cancelledTx executedAt } }`,
        );
        const ops = d.governanceOperations.edges.map((e: any) => e.node);
        expect(d.governanceOperations.totalCount).to.equal(4);
        expect(ops.map((o: any) => [o.id, o.status])).to.deep.equal([
          [OPS.pending, "Pending"],
          [OPS.done, "Done"],
          [OPS.cancelled, "Cancelled"],
          [OPS.ready, "Ready"],
        ]);
        expect(ops[0].salt).to.equal("0x" + "0".repeat(63) + "7");
        expect(ops[1].calls).to.deep.equal([
          {
            index: 0,
            target: getAddress(ADDR.market),
            targetName: "CreditMarketplace",
            value: "0",
            data: CALLS.pause,
            function: "pause()",
          },
          {
            index: 1,
            target: getAddress(ADDR.market),
            targetName: "CreditMarketplace",
            value: "0",
            data: CALLS.unpause,
            function: "unpause()",
          },
        ]);
        expect(ops[3].calls[0].function).to.equal("setLabels(1, 8)");
        expect(d.ready.edges).to.deep.equal([{ node: { id: OPS.ready } }]);
        expect(d.pending.edges).to.deep.equal([{ node: { id: OPS.pending } }]);
        expect(d.done.status).to.equal("Done");
        expect(d.done.readyAt).to.equal(d.done.scheduledAt + 12);
        expect(d.done.executedAt).to.be.greaterThan(d.done.readyAt);
        expect(d.done.cancelledAt).to.equal(null);
        expect(d.cancelled.status).to.equal("Cancelled");
        expect(d.cancelled.cancelledTx).to.match(/^0x[0-9a-f]{64}$/);
        expect(d.cancelled.executedAt).to.equal(null);
      });

      it("never answers a governance status from its response cache (Ready depends on the clock), other fields it does", async function () {
        const hits = () => cacheHits(api);
        const status = `{ governanceOperations { edges { node { id status } } } }`;
        await data(api, status);
        const h0 = await hits();
        await data(api, status);
        await data(api, `{ governanceOperation(id: "${OPS.pending}") { status readyAt } }`);
        await data(api, `{ governanceOperation(id: "${OPS.pending}") { status readyAt } }`);
        expect(await hits(), "a status answer was served from the cache").to.equal(h0);
        const calls = `{ buffer { totalKg } reversals { totalCount } }`;
        await data(api, calls);
        await data(api, calls);
        expect(await hits(), "an answer that does not read the clock is cached").to.equal(h0 + 1);
      });

      it("pages buffer movements by cursor: every row once, in block order", async function () {
        const all = (
          await data(
            api,
            `{ bufferMovements(first: 1000) { totalCount edges { node { blockNumber kind amountKg } } } }`,
          )
        ).bufferMovements;
        expect(all.totalCount).to.equal(7); // 2 withheld, 3 cancelled, 1 compensated, 1 shortfall
        const seen: unknown[] = [];
        let after: string | null = null;
        for (;;) {
          const q: string = after ? `, after: "${after}"` : "";
          const p: any = (
            await data(
              api,
              `{ bufferMovements(first: 2${q}) { edges { cursor node { blockNumber kind amountKg } } pageInfo { hasNextPage endCursor } } }`,
            )
          ).bufferMovements;
          seen.push(...p.edges.map((e: any) => e.node));
          if (!p.pageInfo.hasNextPage) break;
          after = p.pageInfo.endCursor;
        }
        expect(seen).to.deep.equal(all.edges.map((e: any) => e.node));
        const withheld = await data(
          api,
          `{ bufferMovements(kind: "Withheld") { edges { node { batchId amountKg } } } }`,
        );
        expect(withheld.bufferMovements.edges.map((e: any) => e.node)).to.deep.equal([
          { batchId: "3", amountKg: "10000" },
          { batchId: "4", amountKg: "5000" },
        ]);
      });

      const BAD: [string, string, string][] = [
        [`{ reversal(id: "99") { id } }`, "NOT_FOUND", "reversal 99 does not exist"],
        [`{ reversal(id: "-1") { id } }`, "BAD_USER_INPUT", "is not an id"],
        [`{ governanceOperation(id: "0x12") { id } }`, "BAD_USER_INPUT", "is not an operation id"],
        [`{ governanceOperation(id: "0x${"ab".repeat(32)}") { id } }`, "NOT_FOUND", "does not exist"],
        [
          `{ governanceOperations(status: "Waiting") { totalCount } }`,
          "BAD_USER_INPUT",
          "Pending, Ready, Done, Cancelled",
        ],
        [`{ bufferMovements(kind: "burned") { totalCount } }`, "BAD_USER_INPUT", "Withheld, Compensated"],
        [`{ batchLabels(label: "GOLD") { totalCount } }`, "BAD_USER_INPUT", "is not a label"],
        [`{ cancellations(first: 5000) { totalCount } }`, "BAD_USER_INPUT", "out of range"],
        [`{ reversals(after: "nope") { totalCount } }`, "BAD_USER_INPUT", "is not a cursor"],
        [
          `{ reversals(first: 1000) { edges { node { movements(first: 1000) { edges { node { kind amountKg } } } } } } }`,
          "QUERY_TOO_COSTLY",
          "exceeds the limit of 50000",
        ],
        [
          `{ governanceOperations(first: 1000) { edges { node { calls { function target value data index targetName } } } } }`,
          "QUERY_TOO_COSTLY",
          "exceeds the limit",
        ],
      ];
      for (const [query, code, message] of BAD)
        it(`refuses ${query} with ${code} (${message})`, async function () {
          const a = await gql(api, query);
          expect(a.status).to.equal(200);
          expect(a.body.errors?.[0]?.extensions?.code, JSON.stringify(a.body)).to.equal(code);
          expect(a.body.errors[0].message).to.include(message);
          expect(JSON.stringify(a.body)).not.to.match(/at \w+ \(|\.ts:\d+/);
        });

      it("plans the filtered lists and per-batch / per-project fields on indexes (EXPLAIN: no full table scan)", async function () {
        const seen: { sql: string; params: unknown[] }[] = [];
        api.ledger.db.onQuery = (sql, params) => seen.push({ sql, params });
        try {
          await data(
            api,
            `{ reversals(projectId: "1", first: 5) { totalCount edges { node { id movements(first: 5) { totalCount edges { node { kind } } } } } }
               byBatch: bufferMovements(batchId: "3", first: 5) { totalCount edges { node { kind } } }
               byProject: bufferMovements(projectId: "1", first: 5) { totalCount edges { node { kind } } }
               cancellations(batchId: "3", first: 5) { totalCount edges { node { amountKg } } }
               p2: cancellations(projectId: "2", first: 5) { totalCount }
               batchLabels(projectId: "1", first: 5) { totalCount edges { node { batchId } } }
               ready: governanceOperations(status: "Ready", first: 5) { totalCount edges { node { id calls { function } } } }
               done: governanceOperations(status: "Done", first: 5) { totalCount }
               buffer { holdings(projectId: "1", first: 5) { totalCount edges { node { heldKg } } } }
               batch(id: "3") { cancelledKg labels labelHistory { labels } buffer { ownKg } }
               project(id: "1") { cancelledKg buffer { ownKg withheldKg cancelledKg owedKg bufferRateBps } } }`,
          );
        } finally {
          api.ledger.db.onQuery = undefined;
        }
        const relevant = seen.filter((q) =>
          /from "?(reversals|buffer_movements|cancellations|batch_labels|label_changes|gov_operations|gov_calls|buffer_holdings|buffer_rates)"?\b/i.test(
            q.sql,
          ),
        );
        expect(relevant.length).to.be.greaterThan(15);
        for (const q of relevant) await expectIndexed(writer, q.sql, q.params);
      });

      it("derives the same rows on replay, and after a reorg rollback and the same blocks again", async function () {
        const before = await writer.dump(TABLES);
        expect(before.gov_operations).to.have.length(4);
        expect(before.cancellations).to.have.length(3);
        await writer.rebuildDerived();
        expect(await writer.dump(TABLES)).to.deep.equal(before);
        // a reorg below the storm: everything from it on is gone, then the same events come back
        const [storm] = await writer.query<{ block_number: bigint }>(
          "SELECT block_number FROM reversals WHERE reversal_id = 2",
        );
        const common = Number(storm.block_number) - 1;
        const redo = (
          await writer.query<any>("SELECT * FROM events WHERE block_number > ? ORDER BY block_number, log_index", [
            common,
          ])
        ).map(eventFromRow);
        const headers = await writer.storedBlocks(Number.MAX_SAFE_INTEGER, 1000);
        const cp = (await writer.checkpoint())!;
        const commonHash =
          headers.find((h) => h.number === common)?.hash ?? "0x" + common.toString(16).padStart(64, "0");
        await writer.rollback(common, commonHash);
        const mid = await writer.dump(["reversals", "gov_operations", "buffer_holdings"]);
        expect(mid.reversals).to.have.length(1);
        expect(mid.gov_operations).to.have.length(0);
        expect((mid.buffer_holdings as any[]).find((h) => h.batch_id === "3").balance_kg).to.equal("6000");
        await writer.commitChunk(
          redo,
          headers.filter((h) => h.number > common),
          cp,
        );
        expect(await writer.dump(TABLES)).to.deep.equal(before);
      });
    });
});
