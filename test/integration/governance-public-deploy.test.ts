/**
 * The public-network path over JSON-RPC: a real `hardhat node` posing as Sepolia (chain id 11155111), deployed
 * with `npx hardhat deploy --network sepolia` twice in a row, exactly as an operator would (key and addresses from
 * the environment). The first run hands every admin role to the TreelionTimelock; the second reads state, finds
 * nothing to do, sends nothing and exits 0. The buffer (tag `buffer`) is deployed alone first, twice (the second
 * run sends nothing), then handed over with the rest, and a buffer deploy after the hand-over sends nothing too.
 * Every environment or role problem is refused before the first transaction (the deployer's nonce does not move). Then governance over the same node: the multisig submits what
 * `gov:schedule --print-only` prints, `gov:execute` is refused before the delay and applies the change after it.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { Contract, JsonRpcProvider, Wallet, id } from "ethers";
import { HardhatNode, rpc, type CliResult } from "./helpers/node";

// hardhat's well-known development accounts (never use them on a real network)
const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEPLOYER = new Wallet(KEY0).address;
const VERIFIER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // #1
const TREASURY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"; // #2
const MULTISIG = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"; // #3 (ADMIN_ADDRESS)
const GUARDIAN = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"; // #4
const OTHER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"; // #5
const S = ["--network", "sepolia"];
const ROLES = ["DEFAULT_ADMIN", "REGISTRAR", "VERIFIER", "ISSUER", "PAUSER", "COMPLIANCE", "AGENT", "POOL_ADMIN"];
const roleId = (r: string) => (r === "DEFAULT_ADMIN" ? "0x" + "00".repeat(32) : id(`${r}_ROLE`));

const ok = (r: CliResult) => {
  if (r.code !== 0) throw new Error(`command failed (exit ${r.code}):\n${r.output}`);
  return r.output;
};

describe("public-network deploy over JSON-RPC (hardhat node as Sepolia, chain id 11155111)", function () {
  this.timeout(600_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  const env = (extra: Record<string, string> = {}) => ({
    SEPOLIA_RPC_URL: node.url,
    DEPLOYER_PRIVATE_KEY: KEY0,
    ADMIN_ADDRESS: MULTISIG,
    VERIFIER_ADDRESSES: VERIFIER,
    TREASURY_ADDRESS: TREASURY,
    GUARDIAN_ADDRESS: GUARDIAN,
    ...extra,
  });
  const deploy = (extra: Record<string, string> = {}) => node.hardhat(["deploy", ...S], env(extra), 300_000);
  const deployTags = (tags: string) => node.hardhat(["deploy", ...S, "--tags", tags], env(), 300_000);
  const record = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(node.deploymentsDir, "sepolia", `${name}.json`), "utf8"));
  // A read after a long CLI run may hit a keep-alive socket the node closed while this process was blocked in
  // spawnSync: such a read is retried once (reads are idempotent).
  const read = async (method: string, params: unknown[]) => {
    try {
      return await rpc(node.url, method, params);
    } catch {
      return rpc(node.url, method, params);
    }
  };
  const nonce = async () => Number(await read("eth_getTransactionCount", [DEPLOYER, "latest"]));

  /** The deploy exits non-zero with `message`, and the deployer sent nothing. */
  async function refusedEarly(extra: Record<string, string>, message: RegExp) {
    const before = await nonce();
    const r = deploy(extra);
    expect(r.code, r.output).to.not.equal(0);
    expect(r.output).to.match(/stopped before sending any transaction/);
    expect(r.output).to.match(message);
    expect(await nonce(), "a refused deploy sent a transaction").to.equal(before);
  }

  before(async function () {
    node = await HardhatNode.start(90_000, { env: { HARDHAT_CHAIN_ID: "11155111" } });
    // hardhat-deploy waits for 2 confirmations on public networks: keep mining blocks between transactions
    await rpc(node.url, "evm_setIntervalMining", [200]);
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    expect(Number(await rpc(node.url, "eth_chainId"))).to.equal(11155111);
  });

  after(function () {
    provider?.destroy();
    node?.stop();
  });

  it("refuses before the first transaction: ADMIN_ADDRESS = deployer, a bad EIP-55 checksum, a missing guardian, a short delay", async function () {
    await refusedEarly({ ADMIN_ADDRESS: DEPLOYER }, /ADMIN_ADDRESS is the deployer/);
    await refusedEarly({ GUARDIAN_ADDRESS: DEPLOYER.toLowerCase() }, /GUARDIAN_ADDRESS is the deployer/);
    const badChecksum = VERIFIER.replace(/C8$/, "c8"); // one letter's case flipped: …79C8 → …79c8
    await refusedEarly(
      { VERIFIER_ADDRESSES: `${OTHER},${badChecksum}` },
      /VERIFIER_ADDRESSES entry 2 has a bad EIP-55 checksum/,
    );
    await refusedEarly({ GUARDIAN_ADDRESS: "" }, /missing environment variable\(s\) GUARDIAN_ADDRESS/);
    await refusedEarly(
      { TIMELOCK_MIN_DELAY: "30m" },
      /TIMELOCK_MIN_DELAY is 30 min: public networks need at least 1 h/,
    );
    expect(await nonce()).to.equal(0);
  });

  it("deploys the buffer alone (tag buffer): BufferPool wired into CarbonCredit; a second `--tags buffer` sends nothing", async function () {
    ok(deployTags("buffer"));
    const pool = record("BufferPool").address;
    const credit = new Contract(record("CarbonCredit").address, record("CarbonCredit").abi, provider);
    expect(await credit.bufferPool()).to.equal(pool);
    const buffer = new Contract(pool, record("BufferPool").abi, provider);
    expect(await buffer.totalBufferKg()).to.equal(0n);
    expect(await buffer.hasRole(roleId("DEFAULT_ADMIN"), DEPLOYER)).to.equal(true); // no hand-over yet
    expect(fs.existsSync(path.join(node.deploymentsDir, "sepolia", "CreditMarketplace.json"))).to.equal(false);
    const before = await nonce();
    ok(deployTags("buffer"));
    expect(await nonce(), "a repeated buffer deploy sent a transaction").to.equal(before);
  });

  it("deploys and hands every admin role to the timelock: ADMIN_ADDRESS holds none directly, the deployer none, the guardian only PAUSER_ROLE", async function () {
    ok(deploy());
    const summary = JSON.parse(fs.readFileSync(path.join(node.deploymentsDir, "sepolia", "addresses.json"), "utf8"));
    expect(summary.chainId).to.equal(11155111);
    const timelockAddr: string = summary.contracts.TreelionTimelock;
    const timelock = new Contract(timelockAddr, record("TreelionTimelock").abi, provider);
    expect(await timelock.getMinDelay()).to.equal(172_800n);
    expect(await timelock.hasRole(id("PROPOSER_ROLE"), MULTISIG)).to.equal(true);
    expect(await timelock.hasRole(id("EXECUTOR_ROLE"), MULTISIG)).to.equal(true);
    expect(await timelock.hasRole(roleId("DEFAULT_ADMIN"), DEPLOYER)).to.equal(false);
    let contracts = 0;
    for (const name of Object.keys(summary.contracts)) {
      if (name === "TreelionTimelock") continue;
      const abi = record(name).abi;
      if (!abi.some((f: any) => f.name === "hasRole")) continue;
      const c = new Contract(summary.contracts[name], abi, provider);
      const defined = ROLES.filter((r) => r === "DEFAULT_ADMIN" || abi.some((f: any) => f.name === `${r}_ROLE`));
      for (const r of defined) {
        expect(await c.hasRole(roleId(r), DEPLOYER), `${name} ${r} deployer`).to.equal(false);
        expect(await c.hasRole(roleId(r), MULTISIG), `${name} ${r} ADMIN_ADDRESS`).to.equal(false);
        expect(await c.hasRole(roleId(r), GUARDIAN), `${name} ${r} guardian`).to.equal(r === "PAUSER");
      }
      expect(await c.hasRole(roleId("DEFAULT_ADMIN"), timelockAddr), `${name} timelock`).to.equal(true);
      contracts++;
    }
    expect(contracts).to.be.greaterThan(6);
    const factory = new Contract(summary.contracts.GreenBondFactory, record("GreenBondFactory").abi, provider);
    expect(await factory.bondAdmin()).to.equal(timelockAddr);
    expect(await factory.bondPauser(), "bonds created later are pausable by the guardian").to.equal(GUARDIAN);
    // the buffer deployed before the rest is handed over like every contract and stays wired
    expect(summary.contracts.BufferPool).to.equal(record("BufferPool").address);
    const credit = new Contract(summary.contracts.CarbonCredit, record("CarbonCredit").abi, provider);
    expect(await credit.bufferPool()).to.equal(summary.contracts.BufferPool);
  });

  it("a second deploy reads state, finds nothing to do, sends nothing and exits 0", async function () {
    const before = await nonce();
    const out = ok(deploy());
    expect(out).to.include("hand-over: nothing to do");
    expect(await nonce()).to.equal(before);
    ok(deployTags("buffer")); // the buffer alone after the hand-over: reads state, sends nothing
    expect(await nonce(), "a buffer deploy after the hand-over sent a transaction").to.equal(before);
  });

  it("after the hand-over, a change only governance can make is refused before the first transaction with the gov:schedule command", async function () {
    await refusedEarly(
      { VERIFIER_ADDRESSES: `${VERIFIER},${OTHER}` },
      /GreenProjectRegistry: 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc lacks VERIFIER_ROLE and only governance can grant it now: npx hardhat gov:schedule --network sepolia --contract GreenProjectRegistry --call "grantRole\(VERIFIER_ROLE, 0x9965/,
    );
    await refusedEarly(
      { TIMELOCK_MIN_DELAY: "3d" },
      /TreelionTimelock has minDelay 2 d, TIMELOCK_MIN_DELAY asks for 3 d/,
    );
  });

  it("governs over JSON-RPC: the multisig submits the printed schedule, gov:execute waits the delay, the fee changes", async function () {
    const market = new Contract(record("CreditMarketplace").address, record("CreditMarketplace").abi, provider);
    const sched = ok(
      node.hardhat(
        ["gov:schedule", ...S, "--contract", "CreditMarketplace", "--call", `setFee(250, ${TREASURY})`, "--print-only"],
        env(),
      ),
    );
    const opId = /operation (0x[0-9a-f]{64})/.exec(sched)![1];
    const tx = JSON.parse(sched.slice(sched.indexOf("{")));
    // the multisig (an unlocked account of the node) submits the printed transaction
    await provider.send("eth_sendTransaction", [{ from: MULTISIG, to: tx.to, data: tx.data, value: "0x0" }]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(ok(node.hardhat(["gov:status", ...S], env()))).to.include(`${opId}  PENDING`);
    const early = node.hardhat(["gov:execute", ...S, "--id", opId, "--print-only"], env());
    expect(early.code).to.not.equal(0);
    expect(early.output).to.match(/is not ready: 1 d 23 h left|is not ready: 2 d left/);
    await rpc(node.url, "evm_increaseTime", [172_800]);
    await rpc(node.url, "evm_mine", []);
    const exec = ok(node.hardhat(["gov:execute", ...S, "--id", opId, "--print-only"], env()));
    const execTx = JSON.parse(exec.slice(exec.indexOf("{")));
    await provider.send("eth_sendTransaction", [{ from: MULTISIG, to: execTx.to, data: execTx.data, value: "0x0" }]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await market.feeBps()).to.equal(250n);
    expect(ok(node.hardhat(["gov:status", ...S, "--id", opId], env()))).to.include(`${opId}  DONE`);
  });
});
