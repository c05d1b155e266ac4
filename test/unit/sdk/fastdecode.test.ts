import { expect } from "chai";
import fc from "fast-check";
import { Interface, type EventFragment, type ParamType } from "ethers";
import { SUITE_EVENTS, SuiteEventDecoder, jsonSafe, resultToObject, type ContractKind } from "../../../sdk";
import { compileFastDecoder } from "../../../sdk/fastdecode";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 50);

function arb(p: ParamType): fc.Arbitrary<unknown> {
  if (p.type === "address")
    return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => "0x" + Buffer.from(b).toString("hex"));
  if (p.type === "bool") return fc.boolean();
  if (p.type === "string") return fc.string({ unit: "grapheme", maxLength: 40 });
  const u = /^uint(\d+)$/.exec(p.type);
  if (u) return fc.bigInt({ min: 0n, max: (1n << BigInt(u[1])) - 1n });
  const b = /^bytes(\d+)$/.exec(p.type);
  if (b)
    return fc
      .uint8Array({ minLength: Number(b[1]), maxLength: Number(b[1]) })
      .map((x) => "0x" + Buffer.from(x).toString("hex"));
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
  const iface = new Interface(Object.values(SUITE_EVENTS).flat());
  const fragments: EventFragment[] = [];
  iface.forEachEvent((e) => fragments.push(e));

  for (const f of fragments) {
    it(`decodes ${f.format("sighash")} exactly like ethers (JSON form)`, function () {
      const fast = compileFastDecoder(f);
      expect(fast, "every issue event layout is elementary").to.not.equal(undefined);
      fc.assert(
        fc.property(fc.tuple(...(f.inputs.map(arb) as [fc.Arbitrary<unknown>])), (values) => {
          const { data, topics } = iface.encodeEventLog(f, values);
          const viaEthers = lower(jsonSafe(resultToObject(f.inputs, iface.decodeEventLog(f, data, topics))));
          expect(fast!(topics, data)).to.deep.equal(viaEthers);
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
    const d = new SuiteEventDecoder({}, { compiled: false });
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
    const t = iface.encodeEventLog(iface.getEvent("Transfer")!, [addr, addr, 1n]);
    expect(d.decodeJson({ address: addr, ...t })).to.equal(undefined);
  });
});
