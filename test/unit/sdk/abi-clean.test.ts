import { expect } from "chai";
import { Interface } from "ethers";
import { ethersAbi, isAbiParam } from "../../../sdk/abi-clean";
import { ABIS } from "../../../sdk/generated";

describe("ABIs as ethers accepts them (sdk/abi-clean)", function () {
  it("keeps every fragment whose parameters are ABI types, tuples and arrays included", function () {
    for (const t of ["address", "bool", "string", "bytes", "bytes32", "uint256", "int8", "uint64[]", "bytes32[3][]"])
      expect(isAbiParam({ type: t }), t).to.equal(true);
    expect(isAbiParam({ type: "tuple[]", components: [{ type: "uint16" }, { type: "address" }] })).to.equal(true);
  });

  it("drops fragments with library-only parameter types (contracts, storage, out-of-range widths)", function () {
    for (const t of ["IComplianceRegistry", "uint7", "bytes33", "struct Foo storage"])
      expect(isAbiParam({ type: t }), t).to.equal(false);
    expect(isAbiParam({ type: "tuple", components: [{ type: "IGreenBond" }] })).to.equal(false);
  });

  it("leaves the compiled library ABIs parseable by ethers without a warning, and keeps their errors", function () {
    const warn = console.log;
    const seen: string[] = [];
    console.log = (...a: unknown[]) => void seen.push(a.join(" "));
    try {
      for (const [name, abi] of Object.entries(ABIS)) {
        const clean = ethersAbi(abi as readonly any[]);
        const iface = new Interface(clean);
        const errors = (abi as readonly any[]).filter((f) => f.type === "error").length;
        let kept = 0;
        iface.forEachError(() => kept++);
        expect(kept, `${name} errors`).to.equal(errors);
      }
    } finally {
      console.log = warn;
    }
    expect(seen.filter((l) => /Invalid Fragment/.test(l))).to.deep.equal([]);
  });

  it("would have warned on the raw BondTermsLib ABI (the fragments it drops are real)", function () {
    const raw = Object.values(ABIS).flatMap((a) => a as readonly any[]);
    expect(raw.length).to.be.greaterThan(ethersAbi(raw).length);
  });
});
