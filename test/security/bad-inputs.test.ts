/**
 * Bad inputs for every state-changing function of every contract of the suite, table-driven from
 * test/helpers/security/areas: zero addresses, zero and max-uint amounts, overflowing products, empty and
 * oversized arrays and strings, past and reversed deadlines, unknown ids, wrong states, bad signatures.
 * Each case is simulated and then sent as a real transaction: both must revert with the NAMED custom
 * error of the table (decoded from the suite's ABIs — a Panic, an Error(string) or an empty revert
 * fails), and a digest of the suite's observable state (every view × actors × ids, one eth_call through
 * StateProbe) must be identical before and after.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Contract, FunctionFragment } from "ethers";
import { table } from "../../scripts/lib/format";
import type { BadCase, World } from "../helpers/security/types";
import {
  areas,
  describe as outcomeText,
  diff,
  digest,
  digestCalls,
  fnKey,
  send,
  simulate,
  stateChanging,
  world,
} from "../helpers/security/world";

/** This file's own fixture (loadFixture keys snapshots by function: sharing one across files breaks when
 * another file's hardhat-deploy fixture reverts to an earlier snapshot). */
async function suite() {
  return world();
}

/** The first deployment (by name) of a contract type. */
function instanceOf(w: World, artifact: string): string | undefined {
  return Object.keys(w.artifactOf)
    .filter((n) => w.artifactOf[n] === artifact)
    .sort()[0];
}

function fragment(c: Contract, key: string): FunctionFragment {
  return stateChanging(c).find((f) => fnKey(c, f) === key)!;
}

const plain = (v: unknown): string => (typeof v === "bigint" ? v.toString() : String(v).toLowerCase());

describe("security: bad inputs revert with named custom errors and change nothing", function () {
  this.timeout(900_000);
  it("gives every state-changing function bad-input cases or a stated reason why it has none", async function () {
    const w = await loadFixture(suite);
    const problems: string[] = [];
    const rows: Record<string, string>[] = [];
    for (const area of areas()) {
      for (const [artifact, spec] of Object.entries(area.specs)) {
        const name = instanceOf(w, artifact);
        if (!name) {
          problems.push(`${area.name}: ${artifact} is described but not deployed`);
          continue;
        }
        for (const [key, fs] of Object.entries(spec.functions)) {
          if (!Array.isArray(fs.bad)) {
            if (!fs.bad.none) problems.push(`${artifact}.${key}: neither cases nor a reason`);
            rows.push({ contract: artifact, function: key.slice(0, 40), cases: "0", kinds: `(none: ${fs.bad.none})` });
          } else {
            if (fs.bad.length === 0) problems.push(`${artifact}.${key}: empty case list (state a reason instead)`);
            rows.push({
              contract: artifact,
              function: key.slice(0, 40),
              cases: String(fs.bad.length),
              kinds: [...new Set(fs.bad.map((b) => b.kind))].join(", "),
            });
          }
        }
      }
    }
    console.log(
      "\n" +
        table(rows)
          .split("\n")
          .map((l) => "      " + l)
          .join("\n") +
        "\n",
    );
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  for (const area of areas()) {
    for (const [artifact, spec] of Object.entries(area.specs)) {
      const cases = Object.entries(spec.functions).flatMap(([key, fs]) =>
        Array.isArray(fs.bad) ? fs.bad.map((b) => [key, b] as [string, BadCase]) : [],
      );
      if (cases.length === 0) continue;
      it(`${artifact}: ${cases.length} bad inputs each revert with their custom error and leave the suite's state unchanged`, async function () {
        const failures: string[] = [];
        let calls: ReturnType<typeof digestCalls> | undefined;
        let clean: Awaited<ReturnType<typeof digest>> | undefined; // digest of the untouched fixture
        for (const [key, bc] of cases) {
          const w = await loadFixture(suite);
          calls ??= digestCalls(w);
          const name = instanceOf(w, artifact)!;
          const c = w.contracts[name];
          const fn = fragment(c, key);
          const label = `${artifact}.${key} [${bc.kind}: ${bc.what}]`;
          if (!fn) {
            failures.push(`${label}: function not in the ABI`);
            continue;
          }
          if (bc.before) await bc.before(w);
          const signer = bc.signer(w);
          const args = bc.args(w);
          const before = bc.before ? await digest(w, calls) : (clean ??= await digest(w, calls));
          const sim = await simulate(c, fn, args, await signer.getAddress());
          const tx = await send(c, fn, args, signer);
          const after = await digest(w, calls);
          for (const [what, o] of [
            ["simulation", sim],
            ["transaction", tx],
          ] as const) {
            if (o.ok) failures.push(`${label}: ${what} SUCCEEDED (expected ${bc.error})`);
            else if (!o.error)
              failures.push(`${label}: ${what} ${outcomeText(o)} — not a named custom error (expected ${bc.error})`);
            else if (o.error.name !== bc.error)
              failures.push(`${label}: ${what} ${outcomeText(o)} (expected ${bc.error})`);
            else if (bc.errorArgs) {
              const want = bc.errorArgs(w).map(plain);
              const got = Array.from(o.error.args).map(plain);
              if (want.join("|") !== got.join("|"))
                failures.push(`${label}: ${bc.error}(${got.join(", ")}) ≠ expected (${want.join(", ")})`);
            }
          }
          if (before.hash !== after.hash)
            failures.push(`${label}: state changed: ${diff(before, after).slice(0, 5).join("; ")}`);
        }
        expect(failures, failures.join("\n")).to.deep.equal([]);
      });
    }
  }
});
