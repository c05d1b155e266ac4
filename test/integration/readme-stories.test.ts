/**
 * The README's operator stories, run exactly as written, in order, against a fresh `npx hardhat node` (with its
 * start-up deploy), and every `--help` example of the operator tasks found among them. Dates in the stories are
 * far ahead (2031+) and reached with `time:advance`, so they never go stale.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import hre from "hardhat";
import { JsonRpcProvider } from "ethers";
import { HardhatNode, ROOT } from "./helpers/node";
import { shellWords } from "./helpers/cli";

export { shellWords }; // one splitter for the README stories and the --help examples (helpers/cli.ts)

/** Every `npx hardhat …` line of the bash blocks between the stories markers of README.md. */
export function readmeStoryCommands(readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8")): string[] {
  const start = readme.indexOf("<!-- stories:start -->");
  const end = readme.indexOf("<!-- stories:end -->");
  expect(start, "stories markers in README.md").to.be.greaterThan(-1);
  const section = readme.slice(start, end);
  const out: string[] = [];
  for (const block of section.matchAll(/```bash\n([\s\S]*?)```/g))
    for (const line of block[1].split("\n")) if (line.startsWith("npx hardhat ")) out.push(line.trim());
  return out;
}

/** The operator tasks of tasks/ (not the indexer's, governance's or the buffer's, which document their own). */
// the README stories' tasks; the buffer tasks (project:buffer, credits:labels, buffer:*) are run by
// test/integration/help-examples-gov-buffer.test.ts, as are the gov:* tasks' examples
const OPERATOR_TASK =
  /^(project:(register|status)$|credits:(issue|retire|batch|transfer)|pool|market|escrow|bond|compliance|roles|pause$|unpause$|faucet$|time:)/;

describe("README operator stories run as written on a fresh node", function () {
  this.timeout(2_400_000); // ~90 CLI runs: ~5 min on an idle 2-core machine, 23 min on a loaded one
  let node: HardhatNode;
  const commands = readmeStoryCommands();

  before(async function () {
    node = await HardhatNode.start(180_000, { deploy: true });
  });
  after(function () {
    node?.stop();
  });

  it("the node's start-up deploy writes the records and addresses.json", async function () {
    const file = path.join(node.deploymentsDir, "localhost", "addresses.json");
    for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 200));
    const summary = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(summary.network).to.equal("localhost");
    expect(summary.chainId).to.equal(31337);
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    try {
      for (const name of ["GreenProjectRegistry", "CarbonCredit", "CreditMarketplace", "GreenBondFactory"])
        expect(await provider.getCode(summary.contracts[name]), name).to.not.equal("0x");
    } finally {
      provider.destroy();
    }
  });

  it("every story command succeeds, in order", function () {
    expect(commands.length).to.be.greaterThan(50);
    for (const line of commands) {
      const words = shellWords(line);
      expect(words.slice(0, 2)).to.deep.equal(["npx", "hardhat"]);
      const r = node.hardhat(words.slice(2), {}, 600_000);
      if (r.code !== 0) throw new Error(`README command failed (exit ${r.code}): ${line}\n${r.output}`);
      if (
        !/--help|:show|:info|:batch|roles:list|:status --network localhost --id 1$/.test(line) &&
        !/--account 0x[0-9a-fA-F]{40}$/.test(line)
      )
        expect(r.output, line).to.match(/tx 0x[0-9a-f]{64}|clock moved to/);
    }
  });

  it("every --help example of the operator tasks is one of the story commands", function () {
    const examples: string[] = [];
    for (const [name, def] of Object.entries(hre.tasks)) {
      if (!OPERATOR_TASK.test(name)) continue;
      for (const m of (def.description ?? "").matchAll(/Example[^:]*:\s*(npx hardhat .*)$/gm))
        examples.push(m[1].trim());
    }
    expect(examples.length).to.be.greaterThan(30);
    const missing = examples.filter((e) => !commands.includes(e));
    expect(missing, "help examples not run by the README stories").to.deep.equal([]);
  });
});
