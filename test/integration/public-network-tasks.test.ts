/**
 * Operator tasks on a public network, over JSON-RPC: a real `hardhat node` posing as Sepolia (chain id 11155111),
 * deployed with `npx hardhat deploy --network sepolia` (every admin and operator role handed to the
 * TreelionTimelock). Each role's task is signed with that role's own key (`<NAME>_PRIVATE_KEY` or `OPERATOR_KEYS`,
 * the node's unlocked accounts are never used: without the key the task refuses and names the variable); a task
 * `--from` a contract account (the timelock) prints the transaction and sends nothing; an admin setting (fees,
 * criteria) asked of anyone else is refused with the gov:schedule command, which then works as printed.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { HardhatNode } from "./helpers/node";
import { grab, ok, refused, shellWords } from "./helpers/cli";

// hardhat's well-known development keys (never use them on a real network)
const KEYS = {
  deployer: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", // #0
  verifier: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", // #1
  admin: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", // #3 (ADMIN_ADDRESS, the multisig)
  guardian: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a", // #4
  developer: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba", // #5 (a project developer)
};
const addr = (k: string) => new Wallet(k).address;
const DEPLOYER = addr(KEYS.deployer);
const VERIFIER = addr(KEYS.verifier);
const ADMIN = addr(KEYS.admin);
const GUARDIAN = addr(KEYS.guardian);
const DEVELOPER = addr(KEYS.developer);
const TREASURY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"; // #2
const S = ["--network", "sepolia"];

describe("operator tasks on a public network over JSON-RPC (hardhat node as Sepolia, chain id 11155111)", function () {
  this.timeout(900_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let timelock: string;
  /** The operator's environment: RPC URL, the deploy's addresses, the deployer's key and `keys` (role keys). */
  const env = (keys: Record<string, string> = {}) => ({
    SEPOLIA_RPC_URL: node.url,
    DEPLOYER_PRIVATE_KEY: KEYS.deployer,
    ADMIN_ADDRESS: ADMIN,
    VERIFIER_ADDRESSES: VERIFIER,
    TREASURY_ADDRESS: TREASURY,
    GUARDIAN_ADDRESS: GUARDIAN,
    ...keys,
  });
  const run = (args: string[], keys: Record<string, string> = {}) =>
    ok(node.hardhat([args[0], ...S, ...args.slice(1)], env(keys), 300_000));
  const record = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(node.deploymentsDir, "sepolia", `${name}.json`), "utf8"));
  /** Every transaction a task printed as sent, with its sender. */
  const senders = async (out: string) => {
    const hashes = [...out.matchAll(/^\s+tx (0x[0-9a-f]{64})$/gm)].map((m) => m[1]);
    expect(hashes, out).to.not.be.empty;
    return Promise.all(hashes.map(async (h) => (await provider.getTransaction(h))!.from));
  };
  /** A task that must print the transaction for a contract account and send nothing (block, nonces unchanged). */
  const printsOnly = async (args: string[], from: string) => {
    const block = await provider.getBlockNumber();
    const nonce = await provider.getTransactionCount(DEPLOYER);
    const out = run(args);
    expect(out).to.match(new RegExp(`NOT sent \\(${from} is a contract \\(multisig or timelock\\)\\)`));
    expect(out).to.not.match(/^\s+tx 0x/m);
    expect(await provider.getBlockNumber(), "block number").to.equal(block);
    expect(await provider.getTransactionCount(DEPLOYER), "deployer nonce").to.equal(nonce);
    return { to: grab(out, /^\s+to\s+(0x[0-9a-fA-F]{40})$/m), data: grab(out, /^\s+data\s+(0x[0-9a-f]+)$/m) };
  };

  before(async function () {
    node = await HardhatNode.start(90_000, { env: { HARDHAT_CHAIN_ID: "11155111" } });
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    expect(Number(await provider.send("eth_chainId", []))).to.equal(11155111);
    // hardhat-deploy waits for 2 confirmations on public networks: mine blocks while it deploys, then stop
    // (from here on a block is mined only by a transaction, so "nothing was sent" shows in the block number)
    await provider.send("evm_setIntervalMining", [200]);
    run(["deploy"]);
    await provider.send("evm_setIntervalMining", [0]);
    timelock = record("TreelionTimelock").address;
  });

  after(function () {
    provider?.destroy();
    node?.stop();
  });

  it("signs each role's task with that role's own key: guardian, admin (the multisig), deployer, verifier, OPERATOR_KEYS", async function () {
    // without its key the guardian's task is refused, naming the variable; the node's unlocked account is not used
    await refused(
      node,
      provider,
      GUARDIAN,
      ["pause", ...S, "--contract", "MilestoneEscrow", "--from", "guardian"],
      `--from: no key for guardian (${GUARDIAN}) on network "sepolia": set GUARDIAN_PRIVATE_KEY or add the key to OPERATOR_KEYS`,
      env(),
    );
    const paused = run(["pause", "--contract", "MilestoneEscrow", "--from", "guardian"], {
      GUARDIAN_PRIVATE_KEY: KEYS.guardian,
    });
    expect(await senders(paused)).to.deep.equal([GUARDIAN]);

    // the multisig (ADMIN_PRIVATE_KEY) schedules and executes a grant through the timelock
    const registry = record("GreenProjectRegistry");
    const sched = run(
      ["gov:schedule", "--contract", "GreenProjectRegistry", "--call", `grantRole(REGISTRAR_ROLE, ${DEPLOYER})`],
      { ADMIN_PRIVATE_KEY: KEYS.admin },
    );
    expect(await senders(sched)).to.deep.equal([ADMIN]);
    const opId = grab(sched, /operation (0x[0-9a-f]{64})/);
    await provider.send("evm_increaseTime", [172_800]);
    await provider.send("evm_mine", []);
    const exec = run(["gov:execute", "--id", opId], { ADMIN_PRIVATE_KEY: KEYS.admin });
    expect(await senders(exec)).to.deep.equal([ADMIN]);
    const reg = new Contract(registry.address, registry.abi, provider);
    expect(await reg.hasRole(await reg.REGISTRAR_ROLE(), DEPLOYER)).to.equal(true);

    // the registrar (DEPLOYER_PRIVATE_KEY), then the verifier (VERIFIER_PRIVATE_KEY)
    const registered = run([
      "project:register",
      "--owner",
      DEVELOPER,
      "--name",
      "Public Forest",
      "--category",
      "Forestry",
      "--country",
      "KE",
      "--standard",
      "Verra VCS",
      "--external-id",
      "VCS-PUBLIC-1",
    ]);
    expect(await senders(registered)).to.deep.equal([DEPLOYER]);
    const projectId = grab(registered, /project id (\d+)/);
    const verifierKey = { VERIFIER_PRIVATE_KEY: KEYS.verifier };
    const activated = run(["project:status", "--id", projectId, "--set", "Active", "--from", "verifier"], verifierKey);
    const issued = run(
      [
        "credits:issue",
        "--project",
        projectId,
        "--vintage",
        "2022",
        "--serials",
        "1-100",
        "--to",
        DEVELOPER,
        "--attestation",
        "ipfs://public-report",
        "--from",
        "verifier",
      ],
      verifierKey,
    );
    expect([...(await senders(activated)), ...(await senders(issued))]).to.deep.equal([VERIFIER, VERIFIER]);
    const batchId = grab(issued, /batch id (\d+)/);

    // an account that is no named role: its key in OPERATOR_KEYS (the developer moves credits it holds)
    const moved = run(
      ["credits:transfer", "--batch", batchId, "--tonnes", "5", "--to", TREASURY, "--from", DEVELOPER],
      {
        OPERATOR_KEYS: `${KEYS.verifier},${KEYS.developer}`,
      },
    );
    expect(await senders(moved)).to.deep.equal([DEVELOPER]);
    expect(moved).to.not.include(KEYS.developer.slice(2)); // keys are never printed
  });

  it("a role held by a contract account (the timelock) prints the transaction for it and sends nothing, twice in a row", async function () {
    const args = ["pool:fees", "--pool", "NatureCarbonPool", "--retire-bps", "75", "--from", timelock];
    const first = await printsOnly(args, timelock);
    const second = await printsOnly(args, timelock);
    expect(second).to.deep.equal(first);
    const pool = record("NatureCarbonPool");
    expect(first.to).to.equal(pool.address);
    // the printed transaction is the timelock's call: submitted from the timelock it applies the fee
    const c = new Contract(pool.address, pool.abi, provider);
    expect(c.interface.parseTransaction({ data: first.data })!.name).to.equal("setFees");
    const granted = await printsOnly(
      ["roles:grant", "--contract", "CarbonCredit", "--role", "PAUSER", "--account", DEVELOPER, "--from", timelock],
      timelock,
    );
    expect(granted.to).to.equal(record("CarbonCredit").address);
  });

  it("an admin setting asked of an account without the role is refused with the gov:schedule command, which runs as printed", async function () {
    const market = record("CreditMarketplace");
    const out = await refused(
      node,
      provider,
      DEPLOYER,
      ["market:fee", ...S, "--bps", "300", "--treasury", "treasury"],
      `CreditMarketplace: ${DEPLOYER} does not hold DEFAULT_ADMIN_ROLE; on sepolia it belongs to the TreelionTimelock`,
      env(),
    );
    const cmd = grab(out, /^\s+(npx hardhat gov:schedule .*)$/m);
    expect(cmd).to.equal(
      `npx hardhat gov:schedule --network sepolia --contract CreditMarketplace --call "setFee(300, ${TREASURY})"`,
    );
    for (const [task, extra, call] of [
      ["escrow:fee", ["--bps", "150"], "MilestoneEscrow.setFeeBps("],
      ["pool:criteria", ["--pool", "TechCarbonPool", "--min-vintage", "2019"], "TechCarbonPool.setCriteria("],
    ] as const) {
      const o = await refused(node, provider, DEPLOYER, [task, ...S, ...extra], "Schedule it instead", env());
      expect(o).to.match(
        /npx hardhat gov:schedule --network sepolia --contract (MilestoneEscrow|TechCarbonPool) --call/,
      );
      // each printed command runs as written (a struct is written [...], as gov:schedule parses it)
      const printed = shellWords(grab(o, /^\s+(npx hardhat gov:schedule .*)$/m)).slice(2);
      expect(ok(node.hardhat([...printed, "--print-only"], env(), 300_000))).to.include(call);
    }
    // the printed command, as written (plus --print-only: the multisig submits it), schedules exactly that call
    const words = shellWords(cmd).slice(2);
    const sched = ok(node.hardhat([...words, "--print-only"], env(), 300_000));
    expect(sched).to.include(`CreditMarketplace.setFee(`);
    const tx = JSON.parse(sched.slice(sched.indexOf("{")));
    expect(tx.to).to.equal(timelock);
    const c = new Contract(market.address, market.abi, provider);
    expect(await c.feeBps()).to.not.equal(300n); // nothing changed yet: it waits for the timelock
  });
});
