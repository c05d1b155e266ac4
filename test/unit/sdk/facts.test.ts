import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { execFileSync } from "child_process";
import hre, { deployments, ethers } from "hardhat";
import { Interface, type ErrorFragment, type EventFragment, type JsonFragment, type ParamType } from "ethers";
import {
  ENUMS,
  ERROR_SIGNATURES,
  EVENT_SIGNATURES,
  FACTS_FINGERPRINT,
  KIND_ARTIFACT,
  ROLES,
  ROLES_BY_CONTRACT,
  SuiteEventDecoder,
  decodeError,
  type ContractKind,
} from "../../../sdk";
import { openIndexer, type Rpc, type RpcCall } from "../../../sdk/indexer";
import { generateFacts, readFactsJson } from "../../../config/facts";
import { buildFacts } from "../../../scripts/facts/generate";

/**
 * The generated facts (sdk/generated) checked against a second, independent reading of the compiler output:
 * the artifacts as Hardhat stores them and the Solidity sources. Every event and error of every compiled suite
 * contract must be decodable by the SDK; the indexer must subscribe to nothing no contract emits.
 */

const isSuite = (source: string, name: string) =>
  source.startsWith("contracts/") && (!source.startsWith("contracts/test/") || name === "TestStablecoin");

interface Compiled {
  name: string;
  source: string;
  abi: JsonFragment[];
  deployable: boolean;
}

async function suiteArtifacts(): Promise<Compiled[]> {
  const out: Compiled[] = [];
  for (const fqn of await hre.artifacts.getAllFullyQualifiedNames()) {
    const a = await hre.artifacts.readArtifact(fqn);
    if (!isSuite(a.sourceName, a.contractName)) continue;
    out.push({ name: a.contractName, source: a.sourceName, abi: a.abi, deployable: a.bytecode !== "0x" });
  }
  return out;
}

/** A deterministic, non-trivial value of an ABI type. */
function sample(p: ParamType, seed: number): unknown {
  if (p.isTuple()) return p.components.map((c, i) => sample(c, seed + i + 1));
  if (p.isArray()) {
    const n = p.arrayLength === -1 ? 2 : p.arrayLength;
    return Array.from({ length: n }, (_, i) => sample(p.arrayChildren, seed + i + 1));
  }
  if (p.type === "address") return ethers.getAddress("0x" + (seed + 1).toString(16).padStart(40, "0"));
  if (p.type === "bool") return seed % 2 === 1;
  if (p.type === "string") return `text ${seed}`;
  if (p.type === "bytes") return "0x" + "ab".repeat((seed % 5) + 1);
  const b = /^bytes(\d+)$/.exec(p.type);
  if (b) return "0x" + ((seed % 200) + 16).toString(16).repeat(Number(b[1]));
  const u = /^(u?)int(\d+)$/.exec(p.type);
  if (u) return BigInt((seed % 3) + 1); // small: fits every width and every enum
  throw new Error(`no sample for ${p.type}`);
}

const plain = (v: unknown): unknown =>
  typeof v === "bigint"
    ? v.toString()
    : typeof v === "string"
      ? v.toLowerCase()
      : Array.isArray(v)
        ? v.map(plain)
        : v && typeof v === "object"
          ? Object.values(v).map(plain)
          : v;

describe("Generated contract facts (sdk/generated)", function () {
  let artifacts: Compiled[];
  before(async function () {
    artifacts = await suiteArtifacts();
  });

  it("are fresh: a compile right after a compile regenerates nothing, and the data twin matches", async function () {
    await hre.run("compile", { quiet: true });
    expect(await generateFacts(hre)).to.equal(false);
    expect(readFactsJson()?.fingerprint).to.equal(FACTS_FINGERPRINT);
  });

  it("the SDK decodes every event of every compiled suite contract, routed by its kind and unrouted", async function () {
    const kindOf = new Map(Object.entries(KIND_ARTIFACT).map(([k, n]) => [n as string, k as ContractKind]));
    const decoder = new SuiteEventDecoder();
    let checked = 0;
    for (const c of artifacts.filter((a) => a.deployable)) {
      const iface = new Interface(c.abi);
      const kind = kindOf.get(c.name);
      const address = ethers.getAddress("0x" + (0xc0de00 + checked).toString(16).padStart(40, "0"));
      if (kind) decoder.register(address, kind, c.name);
      iface.forEachEvent((f: EventFragment) => {
        if (f.anonymous) return;
        const values = f.inputs.map((p, i) => sample(p, i));
        const log = iface.encodeEventLog(f, values);
        for (const addr of kind ? [address, ethers.ZeroAddress] : [ethers.ZeroAddress]) {
          const e = decoder.decode({ address: addr, ...log });
          expect(e, `${c.name}.${f.format("sighash")} is not decoded by the SDK`).to.not.equal(undefined);
          expect(e!.name).to.equal(f.name);
          expect(e!.signature).to.equal(f.format("sighash"));
          if (kind && addr === address) expect(e!.kind).to.equal(kind);
          // routed: by parameter name; unrouted, positionally (ERC-721 and ERC-1155 name ApprovalForAll's owner
          // differently, and a log alone cannot tell which it is)
          const args = e!.args as Record<string, unknown>;
          const got = addr === address ? f.inputs.map((p) => args[p.name]) : Object.values(args);
          f.inputs.forEach((p, i) => {
            // an indexed dynamic value is only its hash in the log
            if (p.indexed && (p.isArray() || p.isTuple() || p.type === "string" || p.type === "bytes")) return;
            expect(plain(got[i]), `${c.name}.${f.name}.${p.name}`).to.deep.equal(plain(values[i]));
          });
        }
        checked++;
      });
    }
    expect(checked).to.be.greaterThan(60);
  });

  it("the SDK decodes every custom error of every compiled suite contract, interface and library", function () {
    let checked = 0;
    for (const c of artifacts) {
      const iface = new Interface(c.abi);
      iface.forEachError((f: ErrorFragment) => {
        const values = f.inputs.map((p, i) => sample(p, i));
        const data = iface.encodeErrorResult(f, values);
        const d = decodeError(data);
        expect(d, `${c.name}.${f.format("sighash")} is not decoded by the SDK`).to.not.equal(undefined);
        expect(d!.name).to.equal(f.name);
        expect(d!.signature).to.equal(f.format("sighash"));
        expect(plain(d!.args)).to.deep.equal(plain(values));
        checked++;
      });
    }
    expect(checked).to.be.greaterThan(100);
    // and the signature table lists exactly the suite's errors
    const compiled = new Set<string>();
    for (const c of artifacts) new Interface(c.abi).forEachError((f) => compiled.add(f.format("sighash")));
    expect(new Set(ERROR_SIGNATURES.map((e) => e.signature))).to.deep.equal(compiled);
  });

  it("the event table lists exactly the events of the deployable suite contracts, with their topics", function () {
    const compiled = new Map<string, string>();
    for (const c of artifacts.filter((a) => a.deployable))
      new Interface(c.abi).forEachEvent((f) => compiled.set(f.format("sighash"), f.topicHash));
    expect(new Map(EVENT_SIGNATURES.map((e) => [e.signature, e.hash]))).to.deep.equal(compiled);
  });

  it("the indexer subscribes only to topics some suite contract emits", async function () {
    const emitted = new Set<string>();
    for (const c of artifacts.filter((a) => a.deployable))
      new Interface(c.abi).forEachEvent((f) => emitted.add(f.topicHash));
    const topicFilters: string[][] = [];
    const block = (n: number) => ({
      number: "0x" + n.toString(16),
      hash: ethers.toBeHex(n + 1, 32),
      parentHash: ethers.toBeHex(n, 32),
      timestamp: "0x1",
    });
    const rpc: Rpc = {
      async send(method: string, params: unknown[]) {
        if (method === "eth_blockNumber") return "0x2";
        if (method === "eth_chainId") return "0x7a69";
        if (method === "eth_getBlockByNumber") return block(parseInt(String(params[0]), 16));
        if (method === "eth_getLogs") {
          topicFilters.push(((params[0] as { topics: string[][] }).topics ?? [])[0]);
          return [];
        }
        throw new Error(`unexpected ${method}`);
      },
      async batch(calls: RpcCall[]) {
        return Promise.all(calls.map((c) => this.send(c.method, c.params)));
      },
    };
    const records: Record<string, { name: string; address: string; abi: JsonFragment[]; kind: ContractKind }> = {};
    for (const [kind, name] of Object.entries(KIND_ARTIFACT) as [ContractKind, string][]) {
      const c = artifacts.find((a) => a.name === name)!;
      records[name] = {
        name,
        address: ethers.getAddress("0x" + (0xabc0 + Object.keys(records).length).toString(16).padStart(40, "0")),
        abi: c.abi,
        kind,
      };
    }
    const { indexer, ledger } = await openIndexer({ db: ":memory:", rpc, records, fromBlock: 0, toBlock: 2 });
    try {
      await indexer.run();
    } finally {
      await ledger.close();
    }
    expect(topicFilters.length).to.be.greaterThan(0);
    for (const topics of topicFilters) {
      expect(topics.length).to.be.greaterThan(10);
      for (const t of topics) expect(emitted.has(t), `subscribed topic ${t} is emitted by no contract`).to.equal(true);
    }
  });

  it("every enum matches its Solidity declaration (read from the sources, member by member)", function () {
    const declared: Record<string, string[]> = {};
    const walk = (dir: string) => {
      for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, f.name);
        if (f.isDirectory()) {
          if (f.name !== "test") walk(p);
        } else if (f.name.endsWith(".sol")) {
          const text = fs.readFileSync(p, "utf8").replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "");
          for (const m of text.matchAll(/\benum\s+(\w+)\s*\{([^}]*)\}/g))
            declared[m[1]] = m[2]
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean);
        }
      }
    };
    walk(path.join(hre.config.paths.root, "contracts"));
    expect(Object.keys(declared)).to.include.members(["ProjectStatus", "Category", "MilestoneState", "BondStatus"]);
    for (const [name, members] of Object.entries(declared))
      expect(ENUMS[name as keyof typeof ENUMS], name).to.deep.equal(members);
  });

  it("every role id is what the deployed contracts return, and every contract's role getters are listed", async function () {
    await deployments.fixture();
    const all = await deployments.all();
    let checked = 0;
    for (const [name, d] of Object.entries(all)) {
      if (!Array.isArray(d.abi) || d.abi.length === 0) continue;
      const c = new ethers.Contract(d.address, d.abi, ethers.provider);
      const getters = c.interface.fragments
        .filter((f) => f.type === "function" && /_ROLE$/.test((f as any).name) && (f as any).inputs.length === 0)
        .map((f) => (f as any).name as string);
      for (const g of getters) {
        expect((ROLES as Record<string, string>)[g], `${name}.${g}`).to.equal(await c[g]());
        checked++;
      }
      const artifact = (d as { contractName?: string }).contractName ?? name;
      const listed = (ROLES_BY_CONTRACT as Record<string, readonly string[]>)[artifact];
      if (getters.length && listed) expect([...listed].sort(), name).to.deep.equal([...getters].sort());
    }
    expect(checked).to.be.greaterThan(10);
    expect(Object.keys(ROLES)).to.include.members(["DEFAULT_ADMIN_ROLE", "ISSUER_ROLE", "PAUSER_ROLE", "AGENT_ROLE"]);
  });

  it("nothing hardhat.config.ts loads imports sdk/generated or typechain-types (a fresh clone must reach the compile)", function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-config-load-"));
    try {
      const out = path.join(dir, "modules.json");
      const preload = path.join(dir, "record.js");
      fs.writeFileSync(
        preload,
        `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));`,
      );
      execFileSync(process.execPath, [require.resolve("hardhat/internal/cli/cli"), "--help"], {
        cwd: hre.config.paths.root,
        env: { ...process.env, NODE_OPTIONS: `--require ${preload}` },
        stdio: "pipe",
      });
      const loaded: string[] = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(loaded.some((f) => f.endsWith(path.join("tasks", "index.ts")))).to.equal(true);
      const early = loaded.filter((f) => /[/\\](sdk[/\\]generated|typechain-types)[/\\]/.test(f));
      expect(early, "loaded before the first compile").to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the generator refuses a role constant it cannot evaluate instead of guessing", function () {
    const abi = [{ type: "function", name: "ODD_ROLE", inputs: [], outputs: [{ name: "", type: "bytes32" }] }] as const;
    const ast = {
      id: 1,
      nodeType: "SourceUnit",
      nodes: [
        {
          id: 2,
          nodeType: "ContractDefinition",
          name: "Odd",
          contractKind: "contract",
          abstract: false,
          linearizedBaseContracts: [2],
          nodes: [
            {
              id: 3,
              nodeType: "VariableDeclaration",
              name: "ODD_ROLE",
              constant: true,
              value: { id: 4, nodeType: "BinaryOperation" },
            },
          ],
        },
      ],
    };
    expect(() =>
      buildFacts({
        contracts: [{ sourceName: "contracts/x/Odd.sol", contractName: "Odd", abi: abi as any }],
        asts: { "contracts/x/Odd.sol": ast as any },
      }),
    ).to.throw(/cannot evaluate the initialiser of Odd.ODD_ROLE \(BinaryOperation\)/);
  });
});
