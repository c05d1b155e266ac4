/**
 * `verify:all` against a local mock of the Etherscan API (no network is reachable here): every deployment of the
 * network is submitted from its records (address, standard-JSON compiler input, compiler version, constructor
 * arguments), then polled until verified; a second run skips them all; a rejected one fails the command.
 */
import { expect } from "chai";
import fs from "fs";
import http from "http";
import path from "path";
import { AbiCoder } from "ethers";
import { HardhatNode, freePort, hardhatCliAsync } from "./helpers/node";
import { L, ok } from "./helpers/cli";

interface Submission {
  contractaddress: string;
  contractname: string;
  compilerversion: string;
  codeformat: string;
  constructorArguements: string;
  sourceCode: string;
}

describe("verify:all verifies every deployment from its records (mock explorer API)", function () {
  this.timeout(900_000);
  let node: HardhatNode;
  let server: http.Server;
  let api: string;
  const submitted: Submission[] = [];
  const verified = new Set<string>();
  let reject: string | undefined;

  before(async function () {
    node = await HardhatNode.start();
    ok(node.hardhat(["deploy", ...L]));
    const port = await freePort();
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
      const reply = (status: string, result: string) => res.end(JSON.stringify({ status, message: "OK", result }));
      if (url.searchParams.get("apikey") !== "test-key" && req.method === "GET") return reply("0", "Invalid API Key");
      if (req.method === "POST") {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          const p = Object.fromEntries(new URLSearchParams(body)) as unknown as Submission & { action: string };
          if (p.action !== "verifysourcecode") return reply("0", "unknown action");
          submitted.push(p);
          reply("1", `guid-${p.contractaddress.toLowerCase()}`);
        });
        return;
      }
      const action = url.searchParams.get("action");
      if (action === "getabi") {
        const a = url.searchParams.get("address")!.toLowerCase();
        return verified.has(a) ? reply("1", "[]") : reply("0", "Contract source code not verified");
      }
      if (action === "checkverifystatus") {
        const a = url.searchParams.get("guid")!.slice(5);
        if (reject && a === reject.toLowerCase()) return reply("0", "Fail - Unable to verify");
        verified.add(a);
        return reply("1", "Pass - Verified");
      }
      reply("0", "unknown action");
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    api = `http://127.0.0.1:${port}/api`;
  });

  after(function () {
    server?.close();
    node?.stop();
  });

  const verifyAll = (args: string[], env: Record<string, string> = {}) =>
    hardhatCliAsync(["verify:all", ...L, "--api-url", api, "--poll-ms", "10", ...args], node.env(env), 400_000);

  const records = () => {
    const dir = path.join(node.deploymentsDir, "localhost");
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".json") && f !== "addresses.json" && f !== ".chainId")
      .map((f) => ({ name: f.slice(0, -5), ...JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) }));
  };

  it("refuses without ETHERSCAN_API_KEY, naming the variable", async function () {
    const r = await verifyAll([]);
    expect(r.code).to.not.equal(0);
    expect(r.output).to.include("verify:all needs the environment variable ETHERSCAN_API_KEY");
  });

  it("submits every deployment with its compiler input and constructor arguments, then reports it verified", function () {
    const out = ok(
      node.hardhat(["verify:all", ...L, "--api-url", api, "--poll-ms", "10"], { ETHERSCAN_API_KEY: "test-key" }),
    );
    const recs = records();
    expect(recs.length).to.be.greaterThan(8);
    expect(submitted.map((s) => s.contractaddress).sort()).to.deep.equal(recs.map((r) => r.address).sort());
    for (const r of recs) {
      const s = submitted.find((x) => x.contractaddress === r.address)!;
      const meta = JSON.parse(r.metadata);
      const [file, contract] = Object.entries(meta.settings.compilationTarget)[0] as [string, string];
      expect(s.contractname, r.name).to.equal(`${file}:${contract}`);
      expect(s.compilerversion).to.equal(`v${meta.compiler.version}`);
      expect(s.codeformat).to.equal("solidity-standard-json-input");
      expect(JSON.parse(s.sourceCode).sources[file], r.name).to.not.equal(undefined);
      const ctor = r.abi.find((x: any) => x.type === "constructor");
      const args = ctor ? AbiCoder.defaultAbiCoder().encode(ctor.inputs, r.args).slice(2) : "";
      expect(s.constructorArguements, r.name).to.equal(args);
      expect(out).to.include(`${r.name} (${r.address}): verified`);
    }
    expect(out).to.match(new RegExp(`${recs.length} verified, 0 already verified, 0 failed`));
  });

  it("a second run skips what is already verified", function () {
    const before = submitted.length;
    const out = ok(
      node.hardhat(["verify:all", ...L, "--api-url", api, "--poll-ms", "10"], { ETHERSCAN_API_KEY: "test-key" }),
    );
    expect(submitted.length).to.equal(before);
    expect(out).to.match(/0 verified, \d+ already verified, 0 failed/);
  });

  it("a rejected verification is reported and fails the command", async function () {
    const credit = records().find((r) => r.name === "CarbonCredit")!;
    verified.delete(credit.address.toLowerCase());
    reject = credit.address;
    const r = await verifyAll(["--contract", "CarbonCredit"], { ETHERSCAN_API_KEY: "test-key" });
    expect(r.code).to.not.equal(0);
    expect(r.output).to.include(`CarbonCredit (${credit.address}): FAILED — Fail - Unable to verify`);
    expect(r.output).to.include("verification failed for CarbonCredit");
  });
});
