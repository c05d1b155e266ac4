import { expect } from "chai";
import hre from "hardhat";

/** Canonical signature of an ABI error or event: its name and parameter types (tuples expanded). */
function signatureOf(item: { name: string; inputs: any[] }): string {
  const type = (p: any): string =>
    p.type.startsWith("tuple") ? `(${p.components.map(type).join(",")})${p.type.slice(5)}` : p.type;
  return `${item.name}(${item.inputs.map(type).join(",")})`;
}

/** Every error and event name of the suite's contracts (contracts/, mocks aside) with the signatures it has. */
async function shapes(kind: "error" | "event"): Promise<Map<string, Map<string, string[]>>> {
  const byName = new Map<string, Map<string, string[]>>();
  for (const fqn of await hre.artifacts.getAllFullyQualifiedNames()) {
    if (!fqn.startsWith("contracts/") || fqn.startsWith("contracts/test/")) continue;
    const { abi } = await hre.artifacts.readArtifact(fqn);
    for (const item of abi.filter((i: any) => i.type === kind)) {
      const sig = signatureOf(item);
      const sigs = byName.get(item.name) ?? new Map<string, string[]>();
      sigs.set(sig, [...(sigs.get(sig) ?? []), fqn.split(":")[1]]);
      byName.set(item.name, sigs);
    }
  }
  return byName;
}

function conflicts(byName: Map<string, Map<string, string[]>>): string[] {
  return [...byName]
    .filter(([, sigs]) => sigs.size > 1)
    .map(([name, sigs]) => `${name}: ${[...sigs].map(([sig, where]) => `${sig} in ${where.join(", ")}`).join(" | ")}`);
}

describe("one name, one shape across the suite", () => {
  it("no two custom errors of the suite share a name with different signatures", async () => {
    const found = conflicts(await shapes("error"));
    expect(found, found.join("\n")).to.deep.equal([]);
  });

  it("no two events of the suite share a name with different signatures", async () => {
    const found = conflicts(await shapes("event"));
    expect(found, found.join("\n")).to.deep.equal([]);
  });

  it("sees the errors and events of every area (the check cannot pass on an empty set)", async () => {
    const errors = await shapes("error");
    const events = await shapes("event");
    for (const e of ["DealNotFound", "BatchNotEligible", "WrongStatus", "ListingNotFound"])
      expect(errors.has(e), e).to.equal(true);
    for (const e of ["DealCreated", "Deposited", "Subscribed", "Listed"]) expect(events.has(e), e).to.equal(true);
  });
});
