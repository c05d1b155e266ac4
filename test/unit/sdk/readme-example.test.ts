/**
 * The SDK example in README.md is examples/sdk-example.ts verbatim; this test checks that it is and runs it.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { coreSuite, activeProject, issueParams, issueBatch } from "../../helpers/suite";
import { sdkExample } from "../../../examples/sdk-example";

const ROOT = path.resolve(__dirname, "../../..");

async function fixture() {
  const s = await coreSuite(["credits", "test-tokens"]);
  const projectId = await activeProject(s, s.alice.address);
  await issueBatch(s, issueParams(projectId, s.verifier.address, { serialStart: 100n, serialEnd: 200n }));
  return { s, projectId };
}

describe("README.md example", function () {
  it("is examples/sdk-example.ts verbatim", function () {
    const md = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const code = fs.readFileSync(path.join(ROOT, "examples/sdk-example.ts"), "utf8");
    const blocks = [...md.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).to.include(code);
  });

  it("runs: issues below an existing range with the hint, decodes a refusal, retires 1.5 t, reads the certificate", async function () {
    const { s, projectId } = await loadFixture(fixture);
    const addresses = {
      GreenProjectRegistry: await s.registry.getAddress(),
      CarbonCredit: await s.credit.getAddress(),
      RetirementCertificate: await s.certificate.getAddress(),
    };
    const logs: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => logs.push(a.join(" "));
    let r;
    try {
      r = await sdkExample(s.verifier, addresses, projectId, s.verifier.address);
    } finally {
      console.log = orig;
    }
    expect(r.hint).to.deep.equal({ ok: true, prevBatchId: 0n, method: "issueWithHint" });
    expect(r.batchId).to.equal(2n);
    expect(r.tonnes).to.equal("1.500");
    expect(await s.credit.balanceOf(s.verifier.address, 2n)).to.equal(10_000n - 1_500n);
    expect(logs[0]).to.equal("refused: ERC1155InsufficientBalance");
    expect(logs[1]).to.equal("1.500 t retired for Acme Airlines; 2.5 t at 12 USD/t costs 30000000 µUSD");
  });
});
