/**
 * The indexer against a live `hardhat node`: the demo is run on it, the ledger is built with the Hardhat
 * task and with the library, and every table is compared with contract views and with the raw logs.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { JsonRpcProvider, ethers } from "ethers";
import { startNode, hardhat, DEPLOYMENTS, type LiveNode } from "./helpers/sdk-node";
import { client, creditTraffic } from "./helpers/sdk-scenario";
import { compiledAbi } from "../../sdk";
import { HttpRpc, openIndexer, verify, retirements, projectSummary, supply } from "../../sdk/indexer";
import { BACKENDS, newLedgerTarget } from "./helpers/ledger-backends";
import { stopPgServer } from "./helpers/pg";

describe("indexer on a live node (demo scenario)", function () {
  this.timeout(600_000);
  let node: LiveNode;
  let provider: JsonRpcProvider;
  let tmp: string;
  let env: Record<string, string>;

  before(async function () {
    node = await startNode();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-indexer-"));
    env = { LOCALHOST_RPC_URL: node.url, DEMO_REPORT_PATH: path.join(tmp, "demo-report.json") };
    fs.rmSync(path.join(DEPLOYMENTS, "localhost"), { recursive: true, force: true });
    const demo = await hardhat(["run", "scripts/demo.ts", "--network", "localhost"], env);
    expect(demo.code, demo.stdout + demo.stderr).to.equal(0);
    await creditTraffic(provider, { batches: 3, rounds: 12, tag: "demo-extra" });
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  after(() => stopPgServer());

  for (const backend of BACKENDS)
    describe(`on ${backend}`, function () {
      const target = (name: string) => newLedgerTarget(backend, tmp, name);

      it("the indexer task builds a ledger that ledger:verify finds identical to the contract views", async function () {
        const db = await target("task");
        const run = await hardhat(["indexer", "--network", "localhost", "--db", db], env);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stderr).to.match(/indexer: blocks \d+\/\d+ \(100\.0%\).*ev\/s · ETA/);
        expect(run.stderr).to.match(/indexer: done/);
        const v = await hardhat(["ledger:verify", "--network", "localhost", "--db", db], env);
        expect(v.code, v.stdout + v.stderr).to.equal(0);
        expect(v.stdout).to.match(/ledger:verify at block \d+: \d+ checks, 0 differences/);

        const rs = await hardhat(["ledger:retirements", "--network", "localhost", "--db", db, "--json"], env);
        expect(rs.code, rs.stderr).to.equal(0);
        const rows = JSON.parse(rs.stdout);
        const chainRetired = await client(provider, null).credit.queryFilter(
          client(provider, null).credit.filters.Retired(),
        );
        expect(rows.length).to.equal(chainRetired.length);

        const pr = await hardhat(["ledger:project", "1", "--network", "localhost", "--db", db], env);
        expect(pr.code, pr.stderr).to.equal(0);
        expect(pr.stdout).to.match(/vintage/);
        const sp = await hardhat(["ledger:supply", "--network", "localhost", "--db", db], env);
        expect(sp.code, sp.stderr).to.equal(0);
        expect(sp.stdout).to.match(/Credits: \d+ batches/);
      });

      it("ledger:verify exits non-zero when the ledger disagrees with the chain", async function () {
        const db = await target("tampered");
        const { indexer, ledger } = await openIndexer({
          db,
          network: "localhost",
          deploymentsDir: DEPLOYMENTS,
          rpc: new HttpRpc(node.url),
        });
        await indexer.run();
        const [first] = await ledger.query<{ batch_id: bigint; account: string }>(
          "SELECT batch_id, account FROM credit_balances ORDER BY batch_id, account LIMIT 1",
        );
        await ledger.query(
          "UPDATE credit_balances SET balance_kg = balance_kg + 1 WHERE batch_id = ? AND account = ?",
          [first.batch_id, first.account],
        );
        await ledger.query("UPDATE batches SET retired_kg = retired_kg + 7 WHERE batch_id = 1");
        await ledger.close();
        const v = await hardhat(["ledger:verify", "--network", "localhost", "--db", db], env);
        expect(v.code).to.equal(1);
        expect(v.stdout).to.match(/DIFF credit\.balanceOf/);
        expect(v.stdout).to.match(/DIFF batch\(\)\.retiredKg \[batch 1\]: ledger \d+ ≠ chain \d+/);
      });

      it("every table matches the contract views and the raw logs", async function () {
        const db = await target("lib");
        const { indexer, ledger } = await openIndexer({
          db,
          network: "localhost",
          deploymentsDir: DEPLOYMENTS,
          rpc: new HttpRpc(node.url),
          initialChunk: 3,
        });
        const stats = await indexer.run();
        expect(stats.chunks).to.be.greaterThan(3);
        try {
          const t = client(provider, null);
          const tag = { blockTag: (await ledger.checkpoint())!.blockNumber };
          const rowsOf = (sql: string) => ledger.query<any>(sql);
          const r = await verify(ledger, provider);
          expect(r.differences).to.deep.equal([]);
          expect(r.checks).to.be.greaterThan(30);

          // projects: every field of project(id), and the status history equals the logs
          const projects = await rowsOf("SELECT * FROM projects ORDER BY project_id");
          expect(projects.length).to.equal(Number(await t.registry.projectCount(tag)));
          for (const p of projects) {
            const c = await t.registry.project(p.project_id, tag);
            expect([p.owner, p.name, Number(p.category), p.standard, p.external_id, Number(p.status)]).to.deep.equal([
              c.owner.toLowerCase(),
              c.name,
              Number(c.category),
              c.standard,
              c.externalId,
              Number(c.status),
            ]);
            expect(Buffer.from(c.country.slice(2), "hex").toString()).to.equal(p.country);
            expect(Number(p.registered_at)).to.equal(Number(c.registeredAt));
          }
          const statusLogs = await t.registry.queryFilter(t.registry.filters.ProjectStatusChanged(), 0, tag.blockTag);
          const history = await rowsOf("SELECT * FROM project_status_history ORDER BY block_number, log_index");
          expect(
            history.map((h) => [String(h.project_id), Number(h.from_status), Number(h.to_status), h.tx_hash]),
          ).to.deep.equal(
            statusLogs.map((l) => [
              String(l.args.projectId),
              Number(l.args.from),
              Number(l.args.to),
              l.transactionHash,
            ]),
          );

          // batches: every column against batch(id)
          const batches = await rowsOf("SELECT * FROM batches ORDER BY batch_id");
          for (const b of batches) {
            const c = await t.credit.batch(b.batch_id, tag);
            expect([
              b.project_id,
              b.vintage,
              b.serial_start,
              b.serial_end,
              b.issued_kg,
              b.retired_kg,
              b.attestation,
            ]).to.deep.equal([
              c.projectId,
              c.vintage,
              c.serialStart,
              c.serialEnd,
              c.issuedKg,
              c.retiredKg,
              c.attestation,
            ]);
          }

          // retirements: one row per Retired log with the same fields; certificates against certificate(id)
          const logs = await t.credit.queryFilter(t.credit.filters.Retired(), 0, tag.blockTag);
          const rows = await retirements(ledger);
          expect(
            rows.map((x) => [
              x.certificate_id,
              x.batch_id,
              x.account,
              x.beneficiary,
              x.amount_kg,
              x.beneficiary_name,
              x.reason,
              x.tx_hash,
            ]),
          ).to.deep.equal(
            logs.map((l) => [
              String(l.args.certificateId),
              String(l.args.batchId),
              l.args.account.toLowerCase(),
              l.args.beneficiary.toLowerCase(),
              String(l.args.amountKg),
              l.args.beneficiaryName,
              l.args.reason,
              l.transactionHash,
            ]),
          );
          const certs = await rowsOf("SELECT * FROM certificates ORDER BY certificate_id");
          expect(certs.length).to.equal(Number(await t.certificate.totalCertificates(tag)));
          for (const c of certs) {
            const v = await t.certificate.certificate(c.certificate_id, tag);
            expect([c.beneficiary, c.beneficiary_name, c.reason, c.amount_kg, Number(c.batch_count)]).to.deep.equal([
              v.beneficiary.toLowerCase(),
              v.beneficiaryName,
              v.reason,
              v.amountKg,
              v.batchIds.length,
            ]);
          }
          // credit transfers: one row per (id, value) of every TransferSingle/TransferBatch
          const single = await t.credit.queryFilter(t.credit.filters.TransferSingle(), 0, tag.blockTag);
          const batch = await t.credit.queryFilter(t.credit.filters.TransferBatch(), 0, tag.blockTag);
          const expectedRows = single.length + batch.reduce((n, l) => n + l.args.ids.length, 0);
          const count = async (sql: string) => Number((await rowsOf(sql))[0].n);
          expect(await count("SELECT COUNT(*) AS n FROM credit_transfers")).to.equal(expectedRows);

          // every area's event table has one row per log of its event (pools, market, escrow, bonds from the demo)
          const logsOf = async (sig: string) =>
            (await provider.getLogs({ topics: [ethers.id(sig)], fromBlock: 0, toBlock: tag.blockTag })).length;
          const expectations: [string, string][] = [
            ["SELECT COUNT(*) AS n FROM pool_deposits", "Deposited(address,uint256,uint256,uint256)"],
            ["SELECT COUNT(*) AS n FROM pool_redemptions", "Redeemed(address,uint256,uint256,uint256,uint256)"],
            [
              "SELECT COUNT(*) AS n FROM pool_retirements",
              "RetiredFromPool(address,uint256,uint256,address,uint256,uint256,uint256)",
            ],
            ["SELECT COUNT(*) AS n FROM listings", "Listed(uint256,address,uint256,uint256,address,uint256)"],
            ["SELECT COUNT(*) AS n FROM purchases", "Purchased(uint256,address,uint256,uint256,uint256,bool)"],
            ["SELECT COUNT(*) AS n FROM deals", "DealCreated(uint256,uint256,address,address,address,uint256,uint8)"],
            [
              "SELECT COUNT(*) AS n FROM milestone_attestations",
              "MilestoneAttested(uint256,uint256,address,bytes32,uint8)",
            ],
            ["SELECT COUNT(*) AS n FROM escrow_withdrawals", "Withdrawn(address,address,uint256)"],
            ["SELECT COUNT(*) AS n FROM bond_subscriptions", "Subscribed(address,uint256,uint256)"],
            ["SELECT COUNT(*) AS n FROM coupon_payments", "CouponFunded(uint256,uint256,uint16)"],
            ["SELECT COUNT(*) AS n FROM coupon_claims", "CouponClaimed(address,uint256)"],
            ["SELECT COUNT(*) AS n FROM bond_redemptions", "BondRedeemed(address,uint256,uint256)"],
            ["SELECT COUNT(*) AS n FROM investors", "InvestorUpdated(address,bool,bytes2,uint64)"],
          ];
          let nonEmpty = 0;
          for (const [sql, sig] of expectations) {
            const n = await logsOf(sig);
            if (sig.startsWith("InvestorUpdated")) expect(await count(sql), sig).to.be.at.most(n);
            else expect(await count(sql), sig).to.equal(n);
            if (n > 0) nonEmpty++;
          }
          expect(nonEmpty, "the demo exercises pools, market, escrow and bonds").to.be.greaterThan(8);
          const bonds = (await rowsOf("SELECT address FROM bonds")) as { address: string }[];
          const bondCreated = new ethers.Interface(compiledAbi("GreenBondFactory")!).getEvent("BondCreated")!.topicHash;
          const created = await provider.getLogs({ topics: [bondCreated], fromBlock: 0, toBlock: tag.blockTag });
          expect(created.length).to.be.greaterThan(0);
          expect(bonds.map((x) => x.address).sort()).to.deep.equal(
            created.map((l) => ethers.dataSlice(l.topics[1], 12).toLowerCase()).sort(),
          );

          // queries agree with the tables
          const s = await supply(ledger);
          expect(s.credits.batches).to.equal(batches.length);
          expect(s.credits.retired_kg).to.equal(batches.reduce((a, b) => a + b.retired_kg, 0n));
          // project 1's outstanding credits = what the chain says is left of its batches (issued − retired − cancelled)
          const p1 = (await projectSummary(ledger, 1))!;
          let chainOutstanding = 0n;
          for (const b of batches.filter((x) => BigInt(x.project_id) === 1n)) {
            const c = await t.credit.batch(b.batch_id, tag);
            chainOutstanding += c.issuedKg - c.retiredKg - (await t.credit.cancelledKg(b.batch_id, tag));
          }
          expect(p1.totals.outstanding_kg).to.equal(chainOutstanding);
        } finally {
          await ledger.close();
        }
      });
    });
});
