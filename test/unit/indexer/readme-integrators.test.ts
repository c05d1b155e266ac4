/**
 * Every GraphQL example of the README's "Integrators" section runs as written against the API over a ledger
 * (the fixture's accounts are the examples' addresses) and answers data without errors, on both backends.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { createLedgerServer, Ledger, type LedgerServer } from "../../../sdk/indexer";
import { BACKENDS, newLedgerTarget } from "../../integration/helpers/ledger-backends";
import { stopPgServer } from "../../integration/helpers/pg";
import { buildFixture } from "./fixture";
import { climateAndGovernance } from "./fixture-integrity";

function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
  const start = readme.indexOf("\n## Integrators\n");
  const end = readme.indexOf("\n## ", start + 5);
  expect(start, "README has an Integrators section").to.be.greaterThan(0);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** true when some leaf of the answer holds a value (not only empty lists / nulls) */
const hasValues = (v: unknown): boolean =>
  Array.isArray(v) ? v.some(hasValues) : v && typeof v === "object" ? Object.values(v).some(hasValues) : v !== null;

describe("README Integrators examples", function () {
  this.timeout(120_000);
  const examples = readmeExamples();
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-readme-api-"));
  });
  after(async () => {
    await stopPgServer();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("has at least eight GraphQL examples", () => expect(examples.length).to.be.at.least(8));

  for (const backend of BACKENDS)
    describe(`on ${backend}`, function () {
      let writer: Ledger;
      let api: LedgerServer;
      before(async function () {
        const target = await newLedgerTarget(backend, tmp, "readme");
        writer = await Ledger.open(target);
        await buildFixture(writer, { retirements: 12 });
        await climateAndGovernance(writer);
        api = await (await createLedgerServer({ db: target, port: 0 })).listen();
      });
      after(async function () {
        await api?.close();
        await writer?.close();
      });

      examples.forEach((query, i) =>
        it(`example ${i + 1} (${query.split("\n")[0].replace(/^# /, "")}) answers data without errors`, async function () {
          const r = await fetch(`${api.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query }),
          });
          const body = (await r.json()) as any;
          expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
          expect(r.status).to.equal(200);
          for (const [field, value] of Object.entries(body.data)) expect(hasValues(value), field).to.equal(true);
        }),
      );
    });
});
