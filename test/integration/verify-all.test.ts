/**
 * `verify:all` against a local mock of the Etherscan API (no network is reachable here): every deployment of the
 * network is submitted from its records (address, standard-JSON compiler input, compiler version, constructor
 * arguments), then polled until verified; a second run skips them all; a rejected one fails the command.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { spawn, type ChildProcess } from "child_process";
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
  let mock: ChildProcess;
  let base: string;
  let api: string;
  const state = async (): Promise<Submission[]> =>
    ((await (await fetch(`${base}/__state`)).json()) as { submitted: Submission[] }).submitted;

  before(async function () {
    node = await HardhatNode.start();
    ok(node.hardhat(["deploy", ...L], {}, 600_000));
    const port = await freePort();
    mock = spawn(process.execPath, [path.join(__dirname, "helpers", "mock-explorer.js"), String(port), "test-key"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) => mock.stdout!.once("data", () => resolve()));
    base = `http://127.0.0.1:${port}`;
    api = `${base}/api`;
  });

  after(function () {
    if (mock?.pid && mock.exitCode === null) process.kill(mock.pid, "SIGTERM");
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

  it("submits every deployment with its compiler input and constructor arguments, then reports it verified", async function () {
    const out = ok(await verifyAll([], { ETHERSCAN_API_KEY: "test-key" }));
    const recs = records();
    const submitted = await state();
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

  it("a second run skips what is already verified", async function () {
    const before = (await state()).length;
    const out = ok(await verifyAll([], { ETHERSCAN_API_KEY: "test-key" }));
    expect((await state()).length).to.equal(before);
    expect(out).to.match(/0 verified, \d+ already verified, 0 failed/);
  });

  it("a rejected verification is reported and fails the command", async function () {
    const credit = records().find((r) => r.name === "CarbonCredit")!;
    await fetch(`${base}/__unverify?address=${credit.address}`);
    await fetch(`${base}/__reject?address=${credit.address}`);
    const r = await verifyAll(["--contract", "CarbonCredit"], { ETHERSCAN_API_KEY: "test-key" });
    expect(r.code).to.not.equal(0);
    expect(r.output).to.include(`CarbonCredit (${credit.address}): FAILED — Fail - Unable to verify`);
    expect(r.output).to.include("verification failed for CarbonCredit");
  });
});
