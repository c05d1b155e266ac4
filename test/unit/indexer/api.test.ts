/**
 * The ledger's GraphQL API on both backends (SQLite file, PostgreSQL): the schema's contract (field names,
 * decimal strings, checksummed addresses, Solidity enum names), cursor pagination (also while a writer
 * commits), the bad-input table, read-only, /health and /metrics, and query plans that use indexes.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { getAddress } from "ethers";
import { createLedgerServer, Ledger, type LedgerServer } from "../../../sdk/indexer";
import { BACKENDS, newLedgerTarget } from "../../integration/helpers/ledger-backends";
import { stopPgServer } from "../../integration/helpers/pg";
import { ADDR, buildFixture, moreRetirements } from "./fixture";
import { expectIndexed } from "./explain";
import { cacheHits, data, gql } from "./gql";

describe("ledger GraphQL API", function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-api-"));
  });
  after(async () => {
    await stopPgServer();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const backend of BACKENDS)
    describe(`on ${backend}`, function () {
      let writer: Ledger;
      let api: LedgerServer;
      let target: string;

      before(async function () {
        target = await newLedgerTarget(backend, tmp, "api");
        writer = await Ledger.open(target);
        await buildFixture(writer, { retirements: 30 });
        api = await (await createLedgerServer({ db: target, port: 0 })).listen();
      });
      after(async function () {
        await api?.close();
        await writer?.close();
      });

      it("answers the schema's fields with the ledger's data: decimal strings, checksummed addresses, enum names", async function () {
        const d = await data(
          api,
          `{
            checkpoint { chainId blockNumber blockHash }
            project(id: "1") { id name category country standard externalId status issuedKg retiredKg batches { id } }
            batch(id: "1") { id project { id name } projectId vintage serialStart serialEnd issuedKg retiredKg attestation
              holders(first: 10) { totalCount edges { cursor node { address amountKg } } pageInfo { hasNextPage endCursor } } }
            holder(address: "${ADDR.alice}") { address credits { batchId amountKg } poolTokens { pool amount }
              certificates { id tonnes } bondUnits { bond amount } escrowOwed { token amount } }
            certificate(id: "1") { id owner beneficiary beneficiaryName reason amountKg tonnes batchIds retiredBy retiredAt txHash
              batches { id serialStart serialEnd project { name } } }
            pools { name address symbol totalSupply heldKg batches { batchId amountKg } }
            listings(open: true) { totalCount edges { node { id seller batchId amountKg soldKg remainingKg pricePerTonne status open } } }
            deal(id: "1") { id projectId funder beneficiary token state milestones { index amount deadline state attestations } }
            deals(funder: "${ADDR.bob}") { totalCount edges { node { id } } }
            bonds { address name status couponRateBps faceValue }
            bond(address: "${ADDR.bond}") { address name symbol status couponRateBps faceValue unitsOutstanding
              holders { totalCount edges { node { address units } } } }
            supply { batches issuedKg retiredKg outstandingKg openListings listedKg }
          }`,
        );
        const cp = await writer.checkpoint();
        expect(d.checkpoint).to.deep.equal({
          chainId: "31337",
          blockNumber: cp!.blockNumber,
          blockHash: cp!.blockHash,
        });
        // 30 retirements alternate: 15 × 1.5 t of batch 1 (project 1) and 15 × 0.5 t of batch 2 (project 2)
        expect(d.project).to.deep.equal({
          id: "1",
          name: "Kenya Forest",
          category: "Forestry",
          country: "KE",
          standard: "VCS",
          externalId: "VCS-1",
          status: "Active",
          issuedKg: "100000",
          retiredKg: "22500",
          batches: [{ id: "1" }],
        });
        expect(d.batch.project).to.deep.equal({ id: "1", name: "Kenya Forest" });
        expect(d.batch).to.include({
          id: "1",
          projectId: "1",
          vintage: 2022,
          serialStart: "1",
          serialEnd: "100",
          issuedKg: "100000",
          retiredKg: "22500",
        });
        // issuer 100 − 40 (to alice) − 22.5 retired; alice 40 − 10 (to the pool); the pool 10
        expect(d.batch.holders.totalCount).to.equal(3);
        expect(d.batch.holders.pageInfo.hasNextPage).to.equal(false);
        const holders = Object.fromEntries(d.batch.holders.edges.map((e: any) => [e.node.address, e.node.amountKg]));
        expect(holders).to.deep.equal({
          [getAddress(ADDR.issuer)]: "37500",
          [getAddress(ADDR.alice)]: "30000",
          [getAddress(ADDR.pool)]: "10000",
        });
        expect(d.holder.address).to.equal(getAddress(ADDR.alice));
        expect(d.holder.credits).to.deep.equal([{ batchId: "1", amountKg: "30000" }]);
        expect(d.holder.poolTokens).to.deep.equal([{ pool: getAddress(ADDR.pool), amount: "10000000000000000000" }]);
        expect(d.holder.bondUnits).to.deep.equal([{ bond: getAddress(ADDR.bond), amount: "3000000000000000000" }]);
        expect(d.holder.certificates).to.have.length(15);
        expect(d.holder.certificates[0]).to.deep.equal({ id: "1", tonnes: "1.500" });
        expect(d.holder.escrowOwed).to.deep.equal([]);
        expect(d.certificate).to.deep.include({
          id: "1",
          owner: getAddress(ADDR.alice),
          beneficiary: getAddress(ADDR.alice),
          beneficiaryName: "Alice Air",
          reason: "flight 1",
          amountKg: "1500",
          tonnes: "1.500",
          batchIds: ["1"],
          retiredBy: ADDR.issuer,
        });
        expect(d.certificate.txHash).to.match(/^0x[0-9a-f]{64}$/);
        // the certificate's batches in the same answer (serial ranges and project: one round trip for a page)
        expect(d.certificate.batches).to.deep.equal([
          { id: "1", serialStart: "1", serialEnd: "100", project: { name: "Kenya Forest" } },
        ]);
        expect(d.pools).to.deep.equal([
          {
            name: "CarbonPool_NBS",
            address: getAddress(ADDR.pool),
            symbol: "NBS",
            totalSupply: "10000000000000000000",
            heldKg: "10000",
            batches: [{ batchId: "1", amountKg: "10000" }],
          },
        ]);
        expect(d.listings.totalCount).to.equal(1);
        expect(d.listings.edges[0].node).to.deep.equal({
          id: "1",
          seller: ADDR.issuer,
          batchId: "2",
          amountKg: "5000",
          soldKg: "2000",
          remainingKg: "3000",
          pricePerTonne: "12000000",
          status: "Open",
          open: true,
        });
        expect(d.deal).to.deep.equal({
          id: "1",
          projectId: "1",
          funder: ADDR.bob,
          beneficiary: ADDR.issuer,
          token: getAddress(ADDR.usd),
          state: "Funded",
          milestones: [
            { index: 0, amount: "600000", deadline: "1900000000", state: "Released", attestations: 1 },
            { index: 1, amount: "400000", deadline: "1950000000", state: "Pending", attestations: 0 },
          ],
        });
        expect(d.deals).to.deep.equal({ totalCount: 1, edges: [{ node: { id: "1" } }] });
        expect(d.bonds).to.deep.equal([
          {
            address: getAddress(ADDR.bond),
            name: "Green Bond 2030",
            status: "Subscription",
            couponRateBps: 500,
            faceValue: "300000000",
          },
        ]);
        expect(d.bond).to.deep.include({ symbol: "GB30", unitsOutstanding: "3000000000000000000" });
        expect(d.bond.holders.edges).to.deep.equal([
          { node: { address: getAddress(ADDR.alice), units: "3000000000000000000" } },
        ]);
        expect(d.supply).to.deep.equal({
          batches: 2,
          issuedKg: "150000",
          retiredKg: "30000",
          outstandingKg: "120000",
          openListings: 1,
          listedKg: "3000",
        });
      });

      it("accepts addresses in any case and answers them checksummed", async function () {
        const q = `query($a: String!) { holder(address: $a) { address credits { batchId } } retirements(beneficiary: $a, first: 1) { totalCount edges { node { beneficiary } } } }`;
        const lower = await data(api, q, { a: ADDR.alice.toLowerCase() });
        const upper = await data(api, q, { a: "0x" + ADDR.alice.slice(2).toUpperCase() });
        expect(lower).to.deep.equal(upper);
        expect(lower.holder.address).to.equal(getAddress(ADDR.alice));
        expect(lower.retirements.totalCount).to.equal(15);
        expect(lower.retirements.edges[0].node.beneficiary).to.equal(getAddress(ADDR.alice));
      });

      it("pages retirements by cursor: every row once, in block order, then hasNextPage false", async function () {
        const all: any[] = [];
        let after: string | null = null;
        for (let i = 0; i < 10; i++) {
          const d: any = await data(
            api,
            `query($after: String) { retirements(first: 7, after: $after) { totalCount edges { cursor node { certificateId blockNumber } } pageInfo { hasNextPage endCursor } } }`,
            { after },
          );
          const r: any = d.retirements;
          expect(r.totalCount).to.equal(30);
          all.push(...r.edges.map((e: any) => e.node));
          after = r.pageInfo.endCursor;
          if (!r.pageInfo.hasNextPage) break;
        }
        expect(all.map((x) => x.certificateId)).to.deep.equal(Array.from({ length: 30 }, (_, i) => String(i + 1)));
        const projects = await data(api, `{ projects(status: "Active") { totalCount edges { node { id status } } } }`);
        expect(projects.projects.totalCount).to.equal(2);
        expect(projects.projects.edges.map((e: any) => e.node.id)).to.deep.equal(["1", "2"]);
      });

      it("keeps a cursor walk stable while the writer commits new retirements between pages", async function () {
        const before = await data(api, `{ retirements(first: 1000) { totalCount } }`);
        const seen: string[] = [];
        let after: string | null = null;
        for (let i = 0; i < 40; i++) {
          const d: any = await data(
            api,
            `query($after: String) { retirements(first: 5, after: $after) { edges { node { certificateId } } pageInfo { hasNextPage endCursor } } }`,
            { after },
          );
          seen.push(...d.retirements.edges.map((e: any) => e.node.certificateId));
          after = d.retirements.pageInfo.endCursor;
          if (i < 4) await moreRetirements(writer, 3); // the indexer appends while the client pages
          if (!d.retirements.pageInfo.hasNextPage) break;
        }
        const total = before.retirements.totalCount + 12;
        // no row twice, none skipped, in order: the walk ends with every row, including those written meanwhile
        expect(seen).to.deep.equal(Array.from({ length: total }, (_, i) => String(i + 1)));
        const now = await data(api, `{ retirements(first: 1) { totalCount } }`);
        expect(now.retirements.totalCount).to.equal(total);
      });

      it("answers a repeated query from its response cache until the writer commits, then with the new data", async function () {
        const hits = () => cacheHits(api);
        const q = `{ retirements(first: 1000) { totalCount edges { node { certificateId } } } }`;
        const first = await data(api, q);
        const h0 = await hits();
        expect(await data(api, q)).to.deep.equal(first);
        expect(await hits()).to.equal(h0 + 1);
        await moreRetirements(writer, 2);
        // PostgreSQL: the commit's NOTIFY reaches the API process within milliseconds; SQLite: at once
        let now = await data(api, q);
        for (let i = 0; i < 100 && now.retirements.totalCount === first.retirements.totalCount; i++) {
          await new Promise((r) => setTimeout(r, 20));
          now = await data(api, q);
        }
        expect(now.retirements.totalCount).to.equal(first.retirements.totalCount + 2);
        expect(now.retirements.edges).to.have.length(first.retirements.edges.length + 2);
      });

      it("computes a request with Cache-Control: no-cache from the ledger, neither answered from nor stored in the cache", async function () {
        const counts = async () => {
          const m = await (await fetch(`${api.url}/metrics`)).text();
          const n = (r: string) => Number(new RegExp(`response_cache_total\\{result="${r}"\\} (\\d+)`).exec(m)![1]);
          return { hit: n("hit"), miss: n("miss"), bypass: n("bypass") };
        };
        const q = `{ retirements(first: 3) { totalCount edges { node { certificateId } } } }`;
        const post = (headers: Record<string, string>) =>
          fetch(`${api.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify({ query: q }),
          }).then((r) => r.json() as Promise<any>);
        const c0 = await counts();
        const fresh = await post({ "cache-control": "no-cache" });
        expect(await post({ "cache-control": "no-store" })).to.deep.equal(fresh);
        expect(fresh.data.retirements.edges).to.have.length(3);
        expect(await counts()).to.deep.equal({ ...c0, bypass: c0.bypass + 2 });
        // nothing was stored: the first plain request is a miss, the second a hit
        await post({});
        await post({});
        expect(await counts()).to.deep.equal({ hit: c0.hit + 1, miss: c0.miss + 1, bypass: c0.bypass + 2 });
      });

      it("answers a plain POST (its direct path) exactly as yoga answers the same request from a browser origin", async function () {
        const q = `query Q($b: String) { retirements(beneficiary: $b, first: 2) { totalCount edges { cursor node { certificateId beneficiary tonnes } } pageInfo { hasNextPage endCursor } } holder(address: "${ADDR.alice}") { address credits { batchId amountKg } } }`;
        const post = async (headers: Record<string, string>, body: unknown) => {
          const r = await fetch(`${api.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", "cache-control": "no-cache", ...headers },
            body: JSON.stringify(body),
          });
          return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
        };
        const direct = async () =>
          Number(/treelion_api_graphql_direct_total (\d+)/.exec(await (await fetch(`${api.url}/metrics`)).text())![1]);
        for (const [body, answeredDirectly] of [
          [{ query: q, variables: { b: ADDR.alice.toLowerCase() }, operationName: "Q" }, 1],
          [{ query: q, variables: { b: "0x12" } }, 0], // an error: yoga answers it
          [{ query: "{ nope }" }, 0],
        ] as const) {
          const before = await direct();
          const plain = await post({}, body);
          expect(await direct(), "plain POSTs answered by the direct path").to.equal(before + answeredDirectly);
          const browser = await post({ origin: "https://app.example.org" }, body);
          expect(await direct(), "a browser-origin request goes through yoga").to.equal(before + answeredDirectly);
          expect(plain).to.deep.equal(browser);
        }
        // a cache hit of the direct path equals yoga's answer too
        const body = { query: q, variables: { b: ADDR.alice.toLowerCase() }, operationName: "Q" };
        const cached = async (headers: Record<string, string>) => {
          const r = await fetch(`${api.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify(body),
          });
          return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
        };
        await cached({});
        const hits = await cacheHits(api);
        const hit = await cached({});
        expect(await cacheHits(api), "the second plain POST is a cache hit").to.equal(hits + 1);
        expect(hit).to.deep.equal(await cached({ origin: "https://app.example.org", "cache-control": "no-cache" }));
        expect(
          JSON.parse((await post({}, { query: q, variables: { b: ADDR.alice } })).text).data.holder.address,
        ).to.equal(ADDR.alice);
      });

      const deep = `{ project(id: "1") { batches { project { batches { project { batches { project { batches { project { batches { id } } } } } } } } } } }`;
      const costly = `{ projects(first: 1000) { edges { node { batches { holders(first: 1000) { edges { node { address amountKg } } } } } } } }`;
      const BAD: [string, string, RegExp][] = [
        [
          "a malformed holder address",
          `{ holder(address: "0xBAD") { address } }`,
          /address: "0xBAD" is not an address/,
        ],
        [
          "a malformed beneficiary",
          `{ retirements(beneficiary: "0x123") { totalCount } }`,
          /beneficiary: "0x123" is not an address/,
        ],
        [
          "an address whose mixed case is not its checksum",
          `{ holder(address: "0x3c44CdDdB6a900fa2b585dd299e03d12FA4293BC") { address } }`,
          /address: "0x3c44CdDdB6a900fa2b585dd299e03d12FA4293BC" is not an address/,
        ],
        [
          "an address without its 0x",
          `{ holder(address: "3C44CdDdB6a900fa2b585dd299e03d12FA4293BC") { address } }`,
          /address: "3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" is not an address \(0x followed by 40 hex digits\)/,
        ],
        ["a malformed funder", `{ deals(funder: "alice") { totalCount } }`, /funder: "alice" is not an address/],
        ["a malformed bond address", `{ bond(address: "0xzz") { name } }`, /address: "0xzz" is not an address/],
        ["an unknown project", `{ project(id: "999") { name } }`, /project 999 does not exist/],
        ["an unknown batch", `{ batch(id: "77") { id } }`, /batch 77 does not exist/],
        ["an unknown certificate", `{ certificate(id: "5000") { id } }`, /certificate 5000 does not exist/],
        ["an unknown deal", `{ deal(id: "9") { id } }`, /deal 9 does not exist/],
        ["an unknown bond", `{ bond(address: "${ADDR.alice}") { name } }`, /bond 0x.* does not exist/],
        ["an id that is not a number", `{ project(id: "one") { name } }`, /id: "one" is not an id/],
        ["first: 5000", `{ retirements(first: 5000) { totalCount } }`, /first: 5000 is out of range \(1 … 1000\)/],
        ["first: 0", `{ listings(first: 0) { totalCount } }`, /first: 0 is out of range/],
        ["a forged cursor", `{ retirements(after: "bm9wZQ") { totalCount } }`, /after: "bm9wZQ" is not a cursor/],
        [
          "an unknown status",
          `{ projects(status: "Sleeping") { totalCount } }`,
          /status: "Sleeping" is not a ProjectStatus/,
        ],
        ["a query deeper than the limit", deep, /query depth 1\d exceeds the limit of 10/],
        ["a query above the cost limit", costly, /query cost \d+ exceeds the limit of 50000/],
        ["an unknown field", `{ project(id: "1") { colour } }`, /Cannot query field "colour"/],
        ["a mutation (the API is read-only)", `mutation { retire(id: 1) }`, /mutation|Mutation/],
      ];
      for (const [what, query, message] of BAD)
        it(`refuses ${what} with a GraphQL error naming the problem (no stack trace, no 500)`, async function () {
          const a = await gql(api, query);
          expect(a.status, a.text).to.be.oneOf([200, 400]);
          expect(a.body.errors, a.text).to.be.an("array").that.is.not.empty;
          expect(a.body.errors[0].message).to.match(message);
          expect(a.text).not.to.match(/\bat .*\.(ts|js):\d+|stack/i);
        });

      it("refuses a query above the cost limit through its variables every time it is sent, and through a variable's default", async function () {
        const q = `query C($n: Int) { projects(first: $n) { edges { node { batches { holders(first: $n) { edges { node { address amountKg } } } } } } } }`;
        const refusedCost = (a: { body: any; text: string }) => {
          expect(a.body.errors, a.text).to.be.an("array").that.is.not.empty;
          expect(a.body.errors[0].message).to.match(/query cost \d+ exceeds the limit of 50000/);
          expect(a.body.data ?? undefined, a.text).to.equal(undefined);
        };
        // the same document passes with a small page (its validation is cached), then is refused with a large one
        const small = await gql(api, q, { n: 1 });
        expect(small.body.errors, small.text).to.equal(undefined);
        refusedCost(await gql(api, q, { n: 1000 }));
        refusedCost(await gql(api, q, { n: 1000 }));
        refusedCost(await gql(api, q.replace("$n: Int)", "$n: Int = 1000)")));
        expect((await gql(api, q, { n: 1 })).body.errors).to.equal(undefined);
      });

      it("is read-only: GET queries work, other methods on /health are refused", async function () {
        const r = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ checkpoint { blockNumber } }")}`, {
          headers: { accept: "application/json" },
        });
        expect(r.status).to.equal(200);
        expect(((await r.json()) as any).data.checkpoint.blockNumber).to.be.greaterThan(0);
        const p = await fetch(`${api.url}/health`, { method: "POST" });
        expect(p.status).to.equal(405);
        const m = await gql(api, `mutation { x }`);
        expect(m.body.errors[0].message).to.match(/not|mutation/i);
      });

      it("sends CORS headers for a dApp origin", async function () {
        const r = await fetch(`${api.url}/graphql`, {
          method: "OPTIONS",
          headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
        });
        expect(r.status).to.be.oneOf([200, 204]);
        expect(r.headers.get("access-control-allow-origin")).to.be.oneOf(["*", "http://localhost:5173"]);
      });

      it("serves /health (chainId, blockNumber, blockHash, lagBlocks) and Prometheus /metrics", async function () {
        const h = (await (await fetch(`${api.url}/health`)).json()) as any;
        const cp = await writer.checkpoint();
        expect(h).to.deep.equal({
          chainId: "31337",
          blockNumber: cp!.blockNumber,
          blockHash: cp!.blockHash,
          lagBlocks: null,
        });
        const m = await (await fetch(`${api.url}/metrics`)).text();
        expect(m).to.match(/^treelion_api_requests_total\{route="graphql",status="200"\} \d+$/m);
        expect(m).to.match(/^treelion_api_request_duration_seconds_bucket\{route="graphql",le="0.05"\} \d+$/m);
        expect(m).to.match(/^treelion_api_request_duration_seconds_count\{route="graphql"\} \d+$/m);
        expect(m).to.include(`treelion_ledger_checkpoint_block ${cp!.blockNumber}`);
      });

      it("plans the listed queries on indexes (EXPLAIN: no full table scan)", async function () {
        const seen: { sql: string; params: unknown[] }[] = [];
        api.ledger.db.onQuery = (sql, params) => seen.push({ sql, params });
        try {
          await data(
            api,
            `{ retirements(beneficiary: "${ADDR.alice}", first: 5) { totalCount edges { cursor node { certificateId } } }
               byProject: retirements(projectId: "2", first: 5) { totalCount edges { node { certificateId } } }
               holder(address: "${ADDR.bob}") { credits { batchId } poolTokens { amount } bondUnits { amount } certificates { id } escrowOwed { amount } }
               batch(id: "2") { id holders(first: 5) { totalCount edges { node { address } } } }
               deals(funder: "${ADDR.bob}") { totalCount edges { node { id } } } }`,
          );
          const d = await data(
            api,
            `{ retirements(beneficiary: "${ADDR.alice}", first: 2) { pageInfo { endCursor } } }`,
          );
          await data(
            api,
            `query($c: String) { retirements(beneficiary: "${ADDR.alice}", first: 2, after: $c) { totalCount } }`,
            { c: d.retirements.pageInfo.endCursor },
          );
        } finally {
          api.ledger.db.onQuery = undefined;
        }
        const relevant = seen.filter((q) =>
          /from "?(retirements|credit_balances|token_balances|certificates|escrow_owed|batches|deals)"?\b/i.test(q.sql),
        );
        expect(relevant.length).to.be.greaterThan(10);
        for (const q of relevant) await expectIndexed(writer, q.sql, q.params);
      });
    });
});
