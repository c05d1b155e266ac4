import { expect } from "chai";
import fc from "fast-check";
import { Interface, type EventFragment, type JsonFragment, type ParamType } from "ethers";
import { EVENT_FRAGMENTS, SuiteEventDecoder, jsonSafe, resultToObject, type ContractKind } from "../../../sdk";
import { compileFastDecoder } from "../../../sdk/fastdecode";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 50);

function arb(p: ParamType): fc.Arbitrary<unknown> {
  if (p.type === "address")
    return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => "0x" + Buffer.from(b).toString("hex"));
  if (p.type === "bool") return fc.boolean();
  if (p.type === "string") return fc.string({ unit: "grapheme", maxLength: 40 });
  if (p.type === "bytes") return fc.uint8Array({ maxLength: 80 }).map((x) => "0x" + Buffer.from(x).toString("hex"));
  const u = /^uint(\d+)$/.exec(p.type);
  if (u) return fc.bigInt({ min: 0n, max: (1n << BigInt(u[1])) - 1n });
  const i = /^int(\d+)$/.exec(p.type);
  if (i) return fc.bigInt({ min: -(1n << (BigInt(i[1]) - 1n)), max: (1n << (BigInt(i[1]) - 1n)) - 1n });
  const b = /^bytes(\d+)$/.exec(p.type);
  if (b)
    return fc
      .uint8Array({ minLength: Number(b[1]), maxLength: Number(b[1]) })
      .map((x) => "0x" + Buffer.from(x).toString("hex"));
  if (p.type === "bytes") return fc.uint8Array({ maxLength: 80 }).map((x) => "0x" + Buffer.from(x).toString("hex"));
  if (p.isArray()) return fc.array(arb(p.arrayChildren), { maxLength: 5 });
  throw new Error(`no arbitrary for ${p.type}`);
}

const lower = (v: unknown): unknown =>
  typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)
    ? v.toLowerCase()
    : Array.isArray(v)
      ? v.map(lower)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lower(x)]))
        : v;

describe("SDK fast event decoder", function () {
  // every event of every suite contract, one per signature and indexed layout (generated from the artifacts)
  const fragments: EventFragment[] = (EVENT_FRAGMENTS as unknown as JsonFragment[]).map(
    (f) => new Interface([f]).fragments[0] as EventFragment,
  );
  const iface = new Interface(
    fragments.filter((f, i) => fragments.findIndex((g) => g.topicHash === f.topicHash) === i),
  );
  const needsFullCoder = (p: ParamType): boolean =>
    p.isTuple() ||
    (p.isArray() &&
      (p.arrayLength !== -1 ||
        p.arrayChildren.isTuple() ||
        p.arrayChildren.isArray() ||
        ["string", "bytes"].includes(p.arrayChildren.type)));

  it("covers every event of the suite", function () {
    expect(fragments.length).to.be.greaterThan(50);
    expect(fragments.map((f) => f.name)).to.include.members(["BatchIssued", "BondCreated", "Transfer", "DealTerms"]);
  });

  for (const f of fragments) {
    const fast = compileFastDecoder(f);
    if (!fast) {
      it(`leaves ${f.format("sighash")} to ethers only because its layout needs the full ABI coder`, function () {
        expect(f.inputs.some(needsFullCoder), f.format("full")).to.equal(true);
      });
      continue;
    }
    it(`decodes ${f.format("full")} exactly like ethers (JSON form)`, function () {
      const own = new Interface([f]);
      fc.assert(
        fc.property(fc.tuple(...(f.inputs.map(arb) as [fc.Arbitrary<unknown>])), (values) => {
          const { data, topics } = own.encodeEventLog(f, values);
          const viaEthers = lower(jsonSafe(resultToObject(f.inputs, own.decodeEventLog(f, data, topics))));
          expect(fast(topics, data)).to.deep.equal(viaEthers);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it("falls back to ethers for tuple layouts and routes logs by emitter kind", function () {
    const tuple = Interface.from([
      "event DealTerms(uint256 indexed dealId, (uint256 amount, uint64 deadline, bytes32 description)[] milestones)",
    ]);
    expect(compileFastDecoder(tuple.getEvent("DealTerms")!)).to.equal(undefined);
    const d = new SuiteEventDecoder();
    const addr = "0x00000000000000000000000000000000000000aa";
    d.register(addr, "credit" as ContractKind, "CarbonCredit");
    const log = iface.encodeEventLog(iface.getEvent("TransferSingle")!, [addr, addr, addr, 5n, 7n]);
    expect(d.decodeJson({ address: addr, ...log })).to.deep.equal({
      kind: "credit",
      contract: "CarbonCredit",
      name: "TransferSingle",
      args: { operator: addr, from: addr, to: addr, id: "5", value: "7" },
    });
    // a pool-token Transfer topic emitted by the credit contract is not a credit event
    const erc20 = new Interface(["event Transfer(address indexed from, address indexed to, uint256 value)"]);
    const t = erc20.encodeEventLog(erc20.getEvent("Transfer")!, [addr, addr, 1n]);
    expect(d.decodeJson({ address: addr, ...t })).to.equal(undefined);
  });
});
