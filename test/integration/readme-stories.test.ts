/**
 * The README's operator stories, run exactly as written, in order, against a fresh `npx hardhat node` (with its
 * start-up deploy), and every `--help` example of every task found among them (but gov:*, the buffer's and verify:all,
 * whose examples their own tests run). Dates in the stories are
 * far ahead (2031+) and reached with `time:advance`, so they never go stale.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import hre from "hardhat";
import { JsonRpcProvider } from "ethers";
import { spawn } from "child_process";
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

/**
 * Tasks whose --help examples are run elsewhere, not by the README stories: the governance tasks (gov:*) and the
 * buffer's (tasks/buffer.ts: buffer:*, project:buffer, credits:labels) by their own integration tests, and
 * verify:all, whose example needs a real block explorer (verify-all.test.ts runs it against a mock of the API).
 */
const EXAMPLES_RUN_ELSEWHERE = /^(gov:|buffer:|project:buffer$|credits:labels$|verify:all$)/;

/** The ledger file story 8 writes (in the repository root, where the commands run; *.sqlite is git-ignored). */
const STORY_LEDGER = "stories-ledger.sqlite";
const removeStoryLedger = () => {
  for (const f of [STORY_LEDGER, `${STORY_LEDGER}-wal`, `${STORY_LEDGER}-shm`, `${STORY_LEDGER}-journal`])
    fs.rmSync(path.join(ROOT, f), { force: true });
};

/** Runs a serving command (ledger:serve) as written until it prints its URL, checks /health, then stops it. */
async function serveOnce(node: HardhatNode, words: string[]): Promise<void> {
  const child = spawn("npx", ["hardhat", ...words], { cwd: ROOT, env: node.env(), detached: true });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  try {
    const deadline = Date.now() + 300_000;
    let url: string | undefined;
    while (!url) {
      url = /(http:\/\/[\d.]+:\d+)\/health/.exec(out)?.[1];
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`${words.join(" ")} did not serve:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const res = await fetch(`${url}/health`);
    expect(res.status, out).to.equal(200);
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
  }
}

describe("README operator stories run as written on a fresh node", function () {
  this.timeout(2_400_000); // ~90 CLI runs: ~5 min on an idle 2-core machine, 23 min on a loaded one
  let node: HardhatNode;
  const commands = readmeStoryCommands();

  before(async function () {
    removeStoryLedger();
    node = await HardhatNode.start(180_000, { deploy: true });
  });
  after(function () {
    node?.stop();
    removeStoryLedger();
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

  it("every story command succeeds, in order", async function () {
    expect(commands.length).to.be.greaterThan(50);
    for (const line of commands) {
      const words = shellWords(line);
      expect(words.slice(0, 2)).to.deep.equal(["npx", "hardhat"]);
      if (words[2] === "ledger:serve") {
        await serveOnce(node, words.slice(2));
        continue;
      }
      const r = node.hardhat(words.slice(2), {}, 600_000);
      if (r.code !== 0) throw new Error(`README command failed (exit ${r.code}): ${line}\n${r.output}`);
      if (
        !/--help|:show|:info|:batch|roles:list|:status --network localhost --id 1$|^npx hardhat (indexer|ledger:)/.test(
          line,
        ) &&
        !/--account 0x[0-9a-fA-F]{40}$/.test(line)
      )
        expect(r.output, line).to.match(/tx 0x[0-9a-f]{64}|clock moved to/);
    }
  });

  it("every --help example of every task (but those run elsewhere) is one of the story commands", function () {
    const examples: string[] = [];
    for (const [name, def] of Object.entries(hre.tasks)) {
      if (EXAMPLES_RUN_ELSEWHERE.test(name)) continue;
      for (const m of (def.description ?? "").matchAll(/Example[^:]*:\s*(npx hardhat .*)$/gm))
        examples.push(m[1].trim());
    }
    expect(examples.length).to.be.greaterThan(45);
    for (const t of ["market:fee", "escrow:fee", "pool:fees", "pool:criteria", "indexer", "ledger:serve"])
      expect(
        examples.some((e) => e.startsWith(`npx hardhat ${t} `)),
        `${t} has an example`,
      ).to.equal(true);
    const missing = examples.filter((e) => !commands.includes(e));
    expect(missing, "help examples not run by the README stories").to.deep.equal([]);
  });
});
