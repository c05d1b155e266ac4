import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { ParamType, id } from "ethers";
import {
  CATEGORIES,
  TaskInputError,
  parseAddress,
  parseBps,
  parseBytes32,
  parseChoice,
  parseCountry,
  parseDate,
  parseDealFile,
  parseDuration,
  parseRole,
  parseSerialRange,
  parseTonnes,
  parseUint,
  parseUnitsStrict,
  readJsonFile,
} from "../../../tasks/lib/parse";
import { argsFromJson, findTokenField, toAbiValue } from "../../../tasks/lib/abi-args";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const bad = (fn: () => unknown, re: RegExp | string) => expect(fn).to.throw(TaskInputError, re);

describe("task argument parsing (tasks/lib/parse)", function () {
  it("accepts addresses in any case and returns the checksum form", function () {
    expect(parseAddress("to", A.toLowerCase())).to.equal(A);
    expect(parseAddress("to", ` ${A} `)).to.equal(A);
  });

  it("refuses malformed, bad-checksum and zero addresses, naming the argument", function () {
    bad(() => parseAddress("to", "0x1234"), /--to: "0x1234" is not an address/);
    bad(() => parseAddress("to", A.replace("C51812", "c51812")), /--to: .*checksum/);
    bad(() => parseAddress("owner", "0x" + "0".repeat(40)), /--owner: the zero address/);
    expect(parseAddress("x", "0x" + "0".repeat(40), true)).to.equal("0x" + "0".repeat(40));
    bad(() => parseAddress("to", undefined), /--to/);
  });

  it("converts human amounts exactly with the token's decimals", function () {
    expect(parseUnitsStrict("price", "100.25", 6)).to.equal(100_250_000n);
    expect(parseUnitsStrict("price", "1,000.5", 6)).to.equal(1_000_500_000n);
    expect(parseUnitsStrict("price", ".5", 6)).to.equal(500_000n);
    expect(parseUnitsStrict("units", "1000", 18)).to.equal(10n ** 21n);
    expect(parseUnitsStrict("x", "0", 6, true)).to.equal(0n);
  });

  it("refuses negative, exponent, too precise and zero amounts", function () {
    bad(() => parseUnitsStrict("price", "-1", 6), /not a positive decimal/);
    bad(() => parseUnitsStrict("price", "1e6", 6), /not a positive decimal/);
    bad(() => parseUnitsStrict("price", "abc", 6), /not a positive decimal/);
    bad(() => parseUnitsStrict("price", "0.0000001", 6), /7 decimal places; at most 6/);
    bad(() => parseUnitsStrict("price", "0.000", 6), /greater than zero/);
  });

  it("reads tonnes as kg (1 unit = 1 kg) with at most 3 decimals", function () {
    expect(parseTonnes("tonnes", "1.5")).to.equal(1500n);
    expect(parseTonnes("tonnes", "2000")).to.equal(2_000_000n);
    expect(parseTonnes("tonnes", "0.001")).to.equal(1n);
    bad(() => parseTonnes("tonnes", "0.0005"), /at most 3/);
  });

  it("parses whole numbers with bounds and basis points", function () {
    expect(parseUint("id", "42")).to.equal(42n);
    bad(() => parseUint("id", "4.2"), /not a whole number/);
    bad(() => parseUint("id", "0", { min: 1n }), /at least 1/);
    expect(parseBps("fee", "250")).to.equal(250);
    bad(() => parseBps("fee", "10001"), /at most 10000/);
  });

  it("parses dates as ISO (UTC) or unix seconds and refuses impossible dates", function () {
    expect(parseDate("d", "2026-01-01")).to.equal(1767225600n);
    expect(parseDate("d", "2026-01-01T12:00:00Z")).to.equal(1767225600n + 43200n);
    expect(parseDate("d", "2026-01-01T12:00")).to.equal(1767225600n + 43200n);
    expect(parseDate("d", "2026-01-01T14:00:00+02:00")).to.equal(1767225600n + 43200n);
    expect(parseDate("d", "1767225600")).to.equal(1767225600n);
    bad(() => parseDate("d", "2026-02-30"), /not a valid calendar date/);
    bad(() => parseDate("d", "next tuesday"), /not a date/);
    bad(() => parseDate("d", "1767225600000"), /milliseconds/);
  });

  it("parses durations with units", function () {
    expect(parseDuration("w", "3600")).to.equal(3600n);
    expect(parseDuration("w", "7d")).to.equal(604800n);
    expect(parseDuration("w", "2w")).to.equal(1209600n);
    expect(parseDuration("w", "30m")).to.equal(1800n);
    bad(() => parseDuration("w", "1y"), /not a duration/);
  });

  it("takes bytes32 as a 32-byte hex value or hashes text", function () {
    const h = "0x" + "Ab".repeat(32);
    expect(parseBytes32("e", h)).to.equal(h.toLowerCase());
    expect(parseBytes32("e", "ipfs://report")).to.equal(id("ipfs://report"));
    bad(() => parseBytes32("e", "0x1234"), /not a 32-byte hex/);
    bad(() => parseBytes32("e", ""), /must not be empty/);
    bad(() => parseBytes32("e", "0x" + "0".repeat(64)), /zero hash/);
  });

  it("parses countries, enum choices, roles and serial ranges", function () {
    expect(parseCountry("country", "ke")).to.equal("0x4b45");
    bad(() => parseCountry("country", "KEN"), /two-letter/);
    expect(parseChoice("category", "bluecarbon", CATEGORIES)).to.equal(4);
    expect(parseChoice("category", "6", CATEGORIES)).to.equal(6);
    bad(() => parseChoice("category", "Solar", CATEGORIES), /not one of Forestry/);
    expect(parseRole("role", "pauser_role")).to.equal("PAUSER");
    expect(parseRole("role", "admin")).to.equal("DEFAULT_ADMIN");
    expect(parseRole("role", "pool-admin")).to.equal("POOL_ADMIN");
    bad(() => parseRole("role", "minter"), /not one of/);
    expect(parseSerialRange("serials", "1001-3000")).to.deep.equal([1001n, 3000n]);
    bad(() => parseSerialRange("serials", "3000-1001"), /above its end/);
    bad(() => parseSerialRange("serials", "1001"), /serial range/);
  });

  describe("files", function () {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "task-parse-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads JSON files and names missing or broken ones", function () {
      fs.writeFileSync(path.join(dir, "ok.json"), '{"a":1}');
      fs.writeFileSync(path.join(dir, "broken.json"), "{a:1");
      expect(readJsonFile("file", "ok.json", dir)).to.deep.equal({ a: 1 });
      bad(() => readJsonFile("file", "nope.json", dir), /--file: file not found: nope.json/);
      bad(() => readJsonFile("file", "broken.json", dir), /broken.json is not valid JSON/);
      bad(() => readJsonFile("file", ".", dir), /is not a file/);
    });
  });

  describe("escrow deal files", function () {
    const now = 1767225600n; // 2026-01-01
    const deal = () => ({
      projectId: 1,
      beneficiary: A,
      token: "TestStablecoin",
      milestones: [
        { amount: "1000.50", deadline: "2026-03-01", description: "ipfs://m1" },
        { amount: "2000", deadline: "2026-06-01T00:00:00Z", description: "0x" + "11".repeat(32) },
      ],
      verifiers: [A, B],
      threshold: 2,
      arbiter: B,
      disputeWindow: "7d",
    });

    it("converts amounts, deadlines, descriptions and the dispute window", function () {
      const d = parseDealFile(deal(), 6, now);
      expect(d.projectId).to.equal(1n);
      expect(d.milestones.map((m) => m.amount)).to.deep.equal([1_000_500_000n, 2_000_000_000n]);
      expect(d.milestones[0].deadline).to.equal(1772323200n);
      expect(d.milestones[0].description).to.equal(id("ipfs://m1"));
      expect(d.disputeWindow).to.equal(604800n);
      expect(d.threshold).to.equal(2);
    });

    it("refuses what the contract would refuse, before anything is sent", function () {
      const with_ = (patch: Record<string, unknown>) => ({ ...deal(), ...patch });
      bad(() => parseDealFile([], 6, now), /expected a JSON object/);
      bad(() => parseDealFile(with_({ milestones: [] }), 6, now), /1 to 32/);
      bad(
        () => parseDealFile(with_({ milestones: [{ amount: "1", deadline: "2025-01-01", description: "x" }] }), 6, now),
        "milestones[0].deadline must be in the future: 2025-01-01T00:00:00Z is not after the latest block (2026-01-01T00:00:00Z)",
      );
      bad(
        () => parseDealFile(with_({ milestones: [deal().milestones[1], deal().milestones[0]] }), 6, now),
        /milestones\[1\].deadline must be after/,
      );
      bad(() => parseDealFile(with_({ verifiers: [A, A] }), 6, now), /duplicate/);
      bad(() => parseDealFile(with_({ threshold: 3 }), 6, now), /--threshold: must be at most 2/);
      bad(() => parseDealFile(with_({ beneficiary: "0x12" }), 6, now), /--beneficiary/);
      bad(
        () =>
          parseDealFile(
            with_({ milestones: [{ amount: "1.1234567", deadline: "2026-03-01", description: "x" }] }),
            6,
            now,
          ),
        /milestones\[0\].amount/,
      );
    });
  });

  describe("ABI-guided terms (tasks/lib/abi-args)", function () {
    const terms = ParamType.from(
      "tuple(address paymentToken, uint256 unitPrice, uint256 cap, uint256 softCap, uint64 subscriptionStart, uint64 subscriptionEnd, uint16 couponRateBps, uint64 couponPeriod, uint64 maturity, bytes32 kpiHash, bool sustainabilityLinked, tuple(uint256 amount, uint64 deadline, bytes32 description)[] milestones) terms",
    );

    it("converts each field by type and name", function () {
      const json = {
        paymentToken: "TestStablecoin",
        unitPrice: "1.00",
        cap: "100000",
        softCap: "1000",
        subscriptionStart: "2026-01-01",
        subscriptionEnd: 1767312000,
        couponRateBps: 500,
        couponPeriod: "180d",
        maturity: "2028-01-01",
        kpiHash: "kpi-doc",
        sustainabilityLinked: true,
        milestones: [{ amount: "5000.5", deadline: "2026-06-01", description: "m1" }],
      };
      const [out] = argsFromJson([terms], json, { moneyDecimals: 6, names: { TestStablecoin: A } }) as any[];
      expect(out[0]).to.equal(A);
      expect(out[1]).to.equal(1_000_000n);
      expect(out[2]).to.equal(100_000n * 10n ** 18n);
      expect(out[4]).to.equal(1767225600n);
      expect(out[5]).to.equal(1767312000n);
      expect(out[6]).to.equal(500n);
      expect(out[7]).to.equal(180n * 86400n);
      expect(out[9]).to.equal(id("kpi-doc"));
      expect(out[10]).to.equal(true);
      expect(out[11][0]).to.deep.equal([5_000_500_000n, 1780272000n, id("m1")]);
      expect(findTokenField(json)).to.equal("TestStablecoin");
    });

    it("names unknown, missing and out-of-range fields", function () {
      bad(() => argsFromJson([terms], { nope: 1 }, { moneyDecimals: 6 }), /unknown field\(s\) nope/);
      bad(
        () => toAbiValue(ParamType.from("uint8 threshold"), 300, "threshold", { moneyDecimals: 6 }),
        /does not fit in uint8/,
      );
      bad(
        () => toAbiValue(ParamType.from("uint256 unitPrice"), undefined, "terms.unitPrice", { moneyDecimals: 6 }),
        /terms.unitPrice: missing/,
      );
      bad(() => toAbiValue(ParamType.from("bool x"), "yes", "x", { moneyDecimals: 6 }), /true or false/);
      expect(toAbiValue(ParamType.from("uint256 unitPrice"), "raw:1234", "unitPrice", { moneyDecimals: 6 })).to.equal(
        1234n,
      );
    });
  });
});
