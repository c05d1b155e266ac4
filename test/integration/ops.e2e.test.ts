/**
 * End to end over JSON-RPC: a real `hardhat node` child process, the deploy scripts, the demo and the
 * operator tasks run as Hardhat CLI child processes against it; state and events are checked with a plain
 * ethers JsonRpcProvider. One node for the whole file; always stopped.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { spawnSync } from "child_process";
import { Contract, JsonRpcProvider, id } from "ethers";
import { HardhatNode, ROOT, hardhatCli, type CliResult } from "./helpers/node";

const ACCOUNT3 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"; // hardhat account #3
const ACCOUNT5 = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"; // hardhat account #5
const L = ["--network", "localhost"];

const ok = (r: CliResult) => {
  if (r.code !== 0) throw new Error(`command failed (exit ${r.code}):\n${r.output}`);
  return r.output;
};

describe("operations end to end (real hardhat node over JSON-RPC)", function () {
  this.timeout(180_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let addresses: Record<string, string>;
  const abi = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(node.deploymentsDir, "localhost", `${name}.json`), "utf8")).abi;

  before(async function () {
    node = await HardhatNode.start();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  });

  after(function () {
    provider?.destroy();
    node?.stop();
  });

  it("deploys every area over JSON-RPC and writes the records and addresses.json", async function () {
    const out = ok(node.hardhat(["deploy", ...L]));
    expect(out).to.include("GreenProjectRegistry");
    const summary = JSON.parse(fs.readFileSync(path.join(node.deploymentsDir, "localhost", "addresses.json"), "utf8"));
    expect(summary.network).to.equal("localhost");
    expect(summary.chainId).to.equal(31337);
    addresses = summary.contracts;
    for (const name of ["GreenProjectRegistry", "CarbonCredit", "RetirementCertificate", "TestStablecoin"]) {
      expect(addresses[name], name).to.match(/^0x[0-9a-fA-F]{40}$/);
      expect(await provider.getCode(addresses[name]), name).to.not.equal("0x");
    }
    expect(Object.keys(addresses)).to.not.include("addresses");
    // local networks keep the deployer as admin (no hand-over)
    const credit = new Contract(addresses.CarbonCredit, abi("CarbonCredit"), provider);
    const deployer = (await provider.listAccounts())[0].address;
    expect(await credit.hasRole("0x" + "00".repeat(32), deployer)).to.equal(true);
  });

  it("re-running the deploy deploys nothing and sends no transaction", async function () {
    const deployer = (await provider.listAccounts())[0].address;
    const block = await provider.getBlockNumber();
    const nonce = await provider.getTransactionCount(deployer);
    const out = ok(node.hardhat(["deploy", ...L]));
    expect(out).to.include("reusing");
    expect(await provider.getBlockNumber()).to.equal(block);
    expect(await provider.getTransactionCount(deployer)).to.equal(nonce);
  });

  it("runs the demo with `npm run demo -- --network localhost`, act by act, and writes its report", async function () {
    const report = path.join(node.deploymentsDir, "demo-report.json");
    const r = spawnSync("npm", ["run", "--silent", "demo", "--", "--network", "localhost"], {
      cwd: ROOT,
      env: node.env({ DEMO_REPORT_PATH: report }),
      encoding: "utf8",
      timeout: 120_000,
    });
    const out = (r.stdout ?? "") + (r.stderr ?? "");
    expect(r.status, out).to.equal(0);
    expect(out).to.match(/Treelion demo on "localhost"/);
    expect(out).to.match(/\[1\/\d+\]/);
    expect(out).to.match(/✓ act 1\/\d+ done/);
    const data = JSON.parse(fs.readFileSync(report, "utf8"));
    expect(data.network).to.equal("localhost");
    expect(data.durationMs).to.be.below(60_000);
    const txs = data.acts.flatMap((a: any) => a.transactions);
    expect(txs.length).to.be.greaterThan(5);
    for (const t of txs.slice(0, 5)) {
      const rc = await provider.getTransactionReceipt(t.hash);
      expect(rc, t.label).to.not.equal(null);
      expect(rc!.status).to.equal(1);
      expect(rc!.gasUsed.toString()).to.equal(t.gasUsed);
    }
    expect(txs.flatMap((t: any) => t.events.map((e: any) => e.name))).to.include.members([
      "ProjectRegistered",
      "BatchIssued",
      "Retired",
    ]);
  });

  it("runs the demo a second time on the same node (reuses its projects, issues above the earlier serials)", function () {
    const r = spawnSync("npm", ["run", "--silent", "demo", "--", "--network", "localhost"], {
      cwd: ROOT,
      env: node.env({ DEMO_REPORT_PATH: path.join(node.deploymentsDir, "demo-report-2.json") }),
      encoding: "utf8",
      timeout: 120_000,
    });
    const out = (r.stdout ?? "") + (r.stderr ?? "");
    expect(r.status, out).to.equal(0);
    expect(out).to.include("Kasigau Corridor REDD+ is already registered as project 1: reused");
    expect(out).to.not.include("MISMATCH");
    expect(out).to.match(/Demo finished in/);
  });

  describe("operator tasks", function () {
    let projectId: bigint;
    let batchId: bigint;

    it("project:register and project:status register and activate a project (events decoded)", async function () {
      const out = ok(
        node.hardhat([
          "project:register",
          ...L,
          "--owner",
          ACCOUNT3,
          "--name",
          "Rimba Raya",
          "--category",
          "Forestry",
          "--country",
          "ID",
          "--standard",
          "Verra VCS",
          "--external-id",
          `VCS-674-${Date.now()}`,
          "--methodology",
          "VM0004",
        ]),
      );
      expect(out).to.match(/tx 0x[0-9a-f]{64}/);
      expect(out).to.match(/gas used \d+/);
      expect(out).to.include("GreenProjectRegistry.ProjectRegistered(");
      projectId = BigInt(/project id (\d+)/.exec(out)![1]);

      const out2 = ok(
        node.hardhat(["project:status", ...L, "--id", projectId.toString(), "--set", "Active", "--from", "verifier"]),
      );
      expect(out2).to.include("GreenProjectRegistry.ProjectStatusChanged(");
      expect(out2).to.match(/status\s+Active/);
      const registry = new Contract(addresses.GreenProjectRegistry, abi("GreenProjectRegistry"), provider);
      expect(await registry.isActive(projectId)).to.equal(true);
      expect((await registry.project(projectId)).owner).to.equal(ACCOUNT3);
    });

    it("credits:issue and credits:retire issue and retire in human units, visible on chain", async function () {
      const out = ok(
        node.hardhat([
          "credits:issue",
          ...L,
          "--project",
          projectId.toString(),
          "--vintage",
          "2021",
          "--serials",
          "1-500",
          "--to",
          ACCOUNT3,
          "--attestation",
          "ipfs://verification-2021",
          "--from",
          "verifier",
        ]),
      );
      expect(out).to.include("CarbonCredit.BatchIssued(");
      batchId = BigInt(/batch id (\d+)/.exec(out)![1]);

      const out2 = ok(
        node.hardhat([
          "credits:retire",
          ...L,
          "--batch",
          batchId.toString(),
          "--tonnes",
          "12.345",
          "--beneficiary-name",
          "Acme",
          "--reason",
          "e2e",
          "--from",
          "3",
        ]),
      );
      expect(out2).to.include("CarbonCredit.Retired(");
      expect(out2).to.include('beneficiaryName="Acme"');
      const credit = new Contract(addresses.CarbonCredit, abi("CarbonCredit"), provider);
      expect(await credit.balanceOf(ACCOUNT3, batchId)).to.equal(500_000n - 12_345n);
      const b = await credit.batch(batchId);
      expect(b.retiredKg).to.equal(12_345n);
      expect(b.attestation).to.equal(id("ipfs://verification-2021"));
      const logs = await credit.queryFilter(credit.filters.Retired(null, batchId));
      expect(logs).to.have.length(1);
      expect((logs[0] as any).args.amountKg).to.equal(12_345n);

      const shown = ok(node.hardhat(["credits:batch", ...L, "--id", batchId.toString(), "--account", ACCOUNT3]));
      expect(shown).to.match(/retired\s+12\.345 t/);
      expect(shown).to.include("487.655 t");
    });

    it("roles:grant, roles:list, pause and unpause manage roles and pausing", async function () {
      ok(node.hardhat(["roles:grant", ...L, "--contract", "CarbonCredit", "--role", "pauser", "--account", ACCOUNT5]));
      const credit = new Contract(addresses.CarbonCredit, abi("CarbonCredit"), provider);
      expect(await credit.hasRole(id("PAUSER_ROLE"), ACCOUNT5)).to.equal(true);
      const list = ok(node.hardhat(["roles:list", ...L, "--contract", "CarbonCredit"]));
      expect(list).to.match(new RegExp(`PAUSER\\s+.*${ACCOUNT5}`));

      const out = ok(node.hardhat(["pause", ...L, "--contract", "CarbonCredit", "--from", "5"]));
      expect(out).to.include("CarbonCredit.Paused(");
      expect(await credit.paused()).to.equal(true);
      // a revert is reported by its custom error name, and nothing is sent
      const block = await provider.getBlockNumber();
      const r = node.hardhat(["credits:retire", ...L, "--batch", batchId.toString(), "--tonnes", "1", "--from", "3"]);
      expect(r.code).to.not.equal(0);
      expect(r.output).to.include("reverted with EnforcedPause()");
      expect(await provider.getBlockNumber()).to.equal(block);
      // stop fast, resume slowly: the pauser cannot unpause (nothing sent), the admin can
      const refused = node.hardhat(["unpause", ...L, "--contract", "CarbonCredit", "--from", "5"]);
      expect(refused.code).to.not.equal(0);
      expect(refused.output).to.match(/DEFAULT_ADMIN/);
      expect(refused.output).to.match(/nothing was sent/i);
      expect(await provider.getBlockNumber()).to.equal(block);
      expect(await credit.paused()).to.equal(true);
      ok(node.hardhat(["unpause", ...L, "--contract", "CarbonCredit"]));
      expect(await credit.paused()).to.equal(false);
    });

    it("a revert with arguments is decoded from the ABI (custom error name and values, no raw hex)", async function () {
      const block = await provider.getBlockNumber();
      const r = node.hardhat([
        "credits:retire",
        ...L,
        "--batch",
        batchId.toString(),
        "--tonnes",
        "100000",
        "--from",
        "3",
      ]);
      expect(r.code).to.not.equal(0);
      expect(r.output).to.match(
        new RegExp(
          `reverted with ERC1155InsufficientBalance\\(${ACCOUNT3}, 487\\.655 t, 100,000\\.000 t, ${batchId}\\)`,
        ),
      );
      expect(r.output).to.not.match(/0x[0-9a-fA-F]{72,}/); // no revert-data blob
      expect(await provider.getBlockNumber()).to.equal(block);
    });

    it("pool:deposit and pool:redeem move credits into and out of a carbon pool", async function () {
      const out = ok(
        node.hardhat([
          "pool:deposit",
          ...L,
          "--pool",
          "NatureCarbonPool",
          "--batch",
          batchId.toString(),
          "--tonnes",
          "50",
          "--from",
          "3",
        ]),
      );
      expect(out).to.include("NatureCarbonPool.Deposited(");
      const pool = new Contract(addresses.NatureCarbonPool, abi("NatureCarbonPool"), provider);
      const deposits = await pool.queryFilter(pool.filters.Deposited(ACCOUNT3, batchId));
      expect((deposits[0] as any).args.minted).to.equal(50n * 10n ** 18n);

      const out2 = ok(
        node.hardhat([
          "pool:redeem",
          ...L,
          "--pool",
          "NatureCarbonPool",
          "--batch",
          batchId.toString(),
          "--tonnes",
          "10",
          "--from",
          "3",
        ]),
      );
      expect(out2).to.include("NatureCarbonPool.Redeemed(");
      const redeemed = await pool.queryFilter(pool.filters.Redeemed(ACCOUNT3, batchId));
      expect((redeemed[0] as any).args.amountKg).to.equal(10_000n);
    });

    it("market:list and market:buy --retire sell credits for tUSD and retire them in one transaction", async function () {
      const out = ok(
        node.hardhat([
          "market:list",
          ...L,
          "--batch",
          batchId.toString(),
          "--tonnes",
          "100",
          "--price",
          "12.50",
          "--from",
          "3",
        ]),
      );
      expect(out).to.include("CreditMarketplace.Listed(");
      const listingId = /listing id (\d+)/.exec(out)![1];

      const buyer = await provider.getSigner(4);
      const usd = new Contract(addresses.TestStablecoin, abi("TestStablecoin"), buyer);
      await (await usd.mint(await buyer.getAddress(), 10_000_000_000n)).wait();
      const sellerBefore: bigint = await usd.balanceOf(ACCOUNT3);
      const out2 = ok(
        node.hardhat([
          "market:buy",
          ...L,
          "--listing",
          listingId,
          "--tonnes",
          "20",
          "--max-total",
          "250.00",
          "--retire",
          "--beneficiary-name",
          "Acme Airlines",
          "--reason",
          "e2e flights",
          "--from",
          "4",
        ]),
      );
      expect(out2).to.include("CreditMarketplace.Purchased(");
      expect(out2).to.include("CarbonCredit.Retired(");
      expect(out2).to.match(/certificate id \d+/);
      expect((await usd.balanceOf(ACCOUNT3)) > sellerBefore).to.equal(true);
      const market = new Contract(addresses.CreditMarketplace, abi("CreditMarketplace"), provider);
      const bought = await market.queryFilter(market.filters.Purchased(BigInt(listingId)));
      expect((bought[0] as any).args.totalPrice).to.equal(250_000_000n); // 20 t × 12.50
      expect((bought[0] as any).args.retired).to.equal(true);
    });

    it("escrow:create (from a JSON file), escrow:attest and escrow:withdraw fund, release and pay a milestone", async function () {
      const funder = await provider.getSigner(5);
      const usd = new Contract(addresses.TestStablecoin, abi("TestStablecoin"), funder);
      await (await usd.mint(await funder.getAddress(), 5_000_000_000n)).wait();
      const now = (await provider.getBlock("latest"))!.timestamp;
      const accounts = (await provider.listAccounts()).map((a) => a.address);
      const file = path.join(node.deploymentsDir, "deal.json");
      fs.writeFileSync(
        file,
        JSON.stringify({
          projectId: Number(projectId),
          beneficiary: ACCOUNT3,
          token: "TestStablecoin",
          milestones: [
            { amount: "1000.50", deadline: now + 30 * 86400, description: "ipfs://milestone-1" },
            { amount: "2000", deadline: now + 60 * 86400, description: "ipfs://milestone-2" },
          ],
          verifiers: [accounts[1], accounts[0]],
          threshold: 1,
          arbiter: accounts[6],
          disputeWindow: "7d",
        }),
      );
      const out = ok(node.hardhat(["escrow:create", ...L, "--file", file, "--fund", "--from", "5"]));
      expect(out).to.include("MilestoneEscrow.DealCreated(");
      expect(out).to.include("MilestoneEscrow.DealFunded(");
      const dealId = /deal id (\d+)/.exec(out)![1];
      const escrow = new Contract(addresses.MilestoneEscrow, abi("MilestoneEscrow"), provider);
      const funded = await escrow.queryFilter(escrow.filters.DealFunded(BigInt(dealId)));
      expect((funded[0] as any).args.amount).to.equal(3_000_500_000n);

      const out2 = ok(
        node.hardhat([
          "escrow:attest",
          ...L,
          "--deal",
          dealId,
          "--index",
          "0",
          "--evidence",
          "ipfs://site-visit",
          "--from",
          "verifier",
        ]),
      );
      expect(out2).to.include("MilestoneEscrow.MilestoneAttested(");
      expect(out2).to.include("MilestoneEscrow.MilestoneReleased(");
      const owed: bigint = await escrow.owed(ACCOUNT3, addresses.TestStablecoin);
      expect(owed > 0n).to.equal(true);

      const before: bigint = await usd.balanceOf(ACCOUNT3);
      const out3 = ok(node.hardhat(["escrow:withdraw", ...L, "--from", "3"]));
      expect(out3).to.include("MilestoneEscrow.Withdrawn(");
      expect(await usd.balanceOf(ACCOUNT3)).to.equal(before + owed);
      expect(await escrow.owed(ACCOUNT3, addresses.TestStablecoin)).to.equal(0n);
    });

    it("bond:create, bond:subscribe and bond:coupon create a bond, subscribe, fund and claim a coupon", async function () {
      const accounts = (await provider.listAccounts()).map((a) => a.address);
      const [deployerAddr, verifierAddr] = accounts;
      const investor = await provider.getSigner(8);
      const investorAddr = await investor.getAddress();
      const deployer = await provider.getSigner(0);
      const usd = new Contract(addresses.TestStablecoin, abi("TestStablecoin"), deployer);
      await (await usd.mint(investorAddr, 2_000_000_000n)).wait(); // 2,000 tUSD
      await (await usd.mint(deployerAddr, 1_000_000_000n)).wait(); // the issuer's coupon money
      const compliance = new Contract(addresses.ComplianceRegistry, abi("ComplianceRegistry"), deployer);
      const now = (await provider.getBlock("latest"))!.timestamp;
      await (await compliance.setInvestor(investorAddr, true, "0x4b45", now + 365 * 86400)).wait();

      const DAY = 86400;
      const end = now + 2 * DAY;
      const file = path.join(node.deploymentsDir, "bond.json");
      fs.writeFileSync(
        file,
        JSON.stringify({
          name: "Kasigau Green Bond",
          symbol: "KGB",
          terms: {
            paymentToken: "TestStablecoin",
            unitPrice: "1.00",
            cap: "10000",
            softCap: "500",
            subscriptionStart: now,
            subscriptionEnd: end,
            maturity: end + 60 * DAY,
            couponPeriod: "30d",
            kpiDeadline: 0,
            gracePeriod: "7d",
            couponRateBps: 500,
            stepUpBps: 0,
            proceeds: {
              projectId: Number(projectId),
              verifiers: [verifierAddr],
              threshold: 1,
              arbiter: accounts[6],
              disputeWindow: "7d",
              milestones: [{ bps: 10000, deadline: end + 20 * DAY, description: "ipfs://use-of-proceeds" }],
            },
          },
        }),
      );
      const created = ok(node.hardhat(["bond:create", ...L, "--terms", file]));
      expect(created).to.include("GreenBondFactory.BondCreated(");
      const bondAddress = /bond address (0x[0-9a-fA-F]{40})/.exec(created)![1];
      const bondAbi = JSON.parse(
        fs.readFileSync(path.join(ROOT, "artifacts/contracts/bonds/GreenBond.sol/GreenBond.json"), "utf8"),
      ).abi;
      const bond = new Contract(bondAddress, bondAbi, provider);

      const sub = ok(node.hardhat(["bond:subscribe", ...L, "--bond", bondAddress, "--units", "1000", "--from", "8"]));
      expect(sub).to.include("Subscribed(");
      expect(await bond.balanceOf(investorAddr)).to.equal(1000n * 10n ** 18n);

      await provider.send("evm_setNextBlockTimestamp", [end + 1]);
      await (await (bond.connect(deployer) as Contract).closeSubscription()).wait();
      await provider.send("evm_setNextBlockTimestamp", [end + 30 * DAY + 1]);
      await provider.send("evm_mine", []);

      const funded = ok(node.hardhat(["bond:coupon", ...L, "--bond", bondAddress, "--period", "1"]));
      expect(funded).to.include("CouponFunded(");
      // 5 % a year for 30 days on 1,000 tUSD, rounded up for the issuer (in favour of the holders' solvency)
      const exact = 1000n * 1_000_000n * 500n * 30n;
      const denominator = 10_000n * 365n;
      const due = (exact + denominator - 1n) / denominator;
      const ev = (await bond.queryFilter(bond.filters.CouponFunded(1n)))[0] as any;
      expect(ev.args.amount).to.equal(due);
      const claimable: bigint = await bond.claimable(investorAddr);
      expect(claimable <= due && due - claimable <= 1n, `${claimable} vs ${due}`).to.equal(true); // ≤ 1 wei dust

      const before: bigint = await usd.balanceOf(investorAddr);
      const claimed = ok(node.hardhat(["bond:coupon", ...L, "--bond", bondAddress, "--claim", "--from", "8"]));
      expect(claimed).to.include("CouponClaimed(");
      expect(await usd.balanceOf(investorAddr)).to.equal(before + claimable);
    });

    it("a bad argument exits non-zero with a readable message and sends no transaction", async function () {
      const block = await provider.getBlockNumber();
      const r = node.hardhat([
        "credits:retire",
        ...L,
        "--batch",
        batchId.toString(),
        "--tonnes",
        "1.2345",
        "--from",
        "3",
      ]);
      expect(r.code).to.not.equal(0);
      expect(r.output).to.include('invalid argument: --tonnes: "1.2345" has 4 decimal places; at most 3 allowed here');
      const r2 = node.hardhat([
        "roles:grant",
        ...L,
        "--contract",
        "CarbonCredit",
        "--role",
        "PAUSER",
        "--account",
        "0x1234",
      ]);
      expect(r2.code).to.not.equal(0);
      expect(r2.output).to.include('--account: "0x1234" is not an address');
      expect(await provider.getBlockNumber()).to.equal(block);
    });
  });
});

describe("deploying to a testnet without its environment", function () {
  this.timeout(120_000);
  const bare = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH!,
    HOME: process.env.HOME ?? os.homedir(),
    DOTENV_PATH: "none",
    ...extra,
  });

  it("stops before any transaction and names the missing variable", function () {
    const r = hardhatCli(["deploy", "--network", "sepolia"], bare());
    expect(r.code).to.not.equal(0);
    expect(r.output).to.match(
      /Deploy to "sepolia" stopped before sending any transaction: missing environment variable\(s\) SEPOLIA_RPC_URL/,
    );
    expect(r.output).to.not.match(/Cannot connect|ECONNREFUSED/);
  });

  it("never prints the RPC URL or the key, even when a variable is malformed", function () {
    const secretUrl = "https://eth-sepolia.example.invalid/v2/SuPeRsEcReTaPiKeY123";
    const badKey = "0xdeadbeefSECRETKEY";
    const r = hardhatCli(
      ["deploy", "--network", "sepolia"],
      bare({
        SEPOLIA_RPC_URL: secretUrl,
        DEPLOYER_PRIVATE_KEY: badKey,
        ADMIN_ADDRESS: "0x" + "11".repeat(20),
        VERIFIER_ADDRESSES: "0x" + "22".repeat(20),
        TREASURY_ADDRESS: "0x" + "33".repeat(20),
        GUARDIAN_ADDRESS: "0x" + "44".repeat(20),
      }),
    );
    expect(r.code).to.not.equal(0);
    expect(r.output).to.include("DEPLOYER_PRIVATE_KEY is not a 32-byte hex private key");
    expect(r.output).to.not.include("SuPeRsEcReTaPiKeY123");
    expect(r.output).to.not.include("SECRETKEY");
  });

  it("an operator task on a testnet without its RPC URL names the variable (no HH108)", function () {
    const r = hardhatCli(["credits:batch", "--network", "sepolia", "--id", "1"], bare());
    expect(r.code).to.not.equal(0);
    expect(r.output).to.include('network "sepolia" needs the environment variable SEPOLIA_RPC_URL');
    expect(r.output).to.not.match(/HH108|Cannot connect/);
  });

  it("the demo refuses a non-local network with a readable message", function () {
    const r = spawnSync("npm", ["run", "--silent", "demo", "--", "--network", "sepolia"], {
      cwd: ROOT,
      env: bare(),
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status).to.not.equal(0);
    expect((r.stdout ?? "") + (r.stderr ?? "")).to.include("run it on hardhat or localhost, not sepolia");
  });
});
