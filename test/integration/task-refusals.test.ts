/**
 * Honesty of the operator tasks against a real `hardhat node`: every refusal is found before anything is sent
 * (the approval a task needs is simulated with an eth_call state override, never sent for a transaction that
 * would revert), the message names the contract's error, and the block number and the signer's nonce stay
 * unchanged. Set up with tasks only.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { Contract, JsonRpcProvider } from "ethers";
import { HardhatNode } from "./helpers/node";
import { L, grab, ok, refused, startTaskNode, type TaskNode } from "./helpers/cli";

const DAY = 86400;

describe("operator tasks refuse before sending anything (real hardhat node)", function () {
  this.timeout(300_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let acc: string[];
  let listingId: string;
  let batchId: string;
  let bond: string;
  let t: TaskNode;
  const run = (...args: string[]) => t.run(...args);
  const record = (name: string) => t.record(name);

  before(async function () {
    t = await startTaskNode({ name: "Refusal Forest", country: "KE", externalId: "VCS-REFUSE-1" });
    ({ node, provider, acc } = t);
    const projectId = t.projectId;
    const issued = run(
      "credits:issue",
      "--project",
      projectId,
      "--vintage",
      "2022",
      "--serials",
      "1-100",
      "--to",
      acc[3],
      "--attestation",
      "ipfs://report",
      "--from",
      "verifier",
    );
    batchId = grab(issued, /batch id (\d+)/);
    const listed = run("market:list", "--batch", batchId, "--tonnes", "40", "--price", "12.50", "--from", "3");
    listingId = grab(listed, /listing id (\d+)/);
    run("faucet", "--to", acc[4], "--amount", "1000");
    run("faucet", "--to", acc[9], "--amount", "1000");
    run("faucet", "--to", acc[8], "--amount", "1000");
    // an active bond whose first coupon is due (issuer: deployer; investor 8 verified, 9 not)
    const now = (await provider.getBlock("latest"))!.timestamp;
    run("compliance:investor", "--account", acc[8], "--set", "--country", "KE", "--expires", String(now + 800 * DAY));
    const terms = path.join(node.deploymentsDir, "refusal-bond.json");
    fs.writeFileSync(
      terms,
      JSON.stringify({
        name: "Refusal Bond",
        symbol: "RFB",
        terms: {
          paymentToken: "TestStablecoin",
          unitPrice: "1.00",
          cap: "1000",
          softCap: "100",
          subscriptionStart: now,
          subscriptionEnd: now + 2 * DAY,
          maturity: now + 2 * DAY + 180 * DAY,
          couponPeriod: "30d",
          kpiDeadline: 0,
          gracePeriod: "7d",
          couponRateBps: 500,
          stepUpBps: 0,
          proceeds: {
            projectId: Number(projectId),
            verifiers: [acc[1]],
            threshold: 1,
            arbiter: acc[6],
            disputeWindow: "7d",
            milestones: [{ bps: 10000, deadline: now + 20 * DAY, description: "ipfs://use" }],
          },
        },
      }),
    );
    bond = grab(run("bond:create", "--terms", terms), /bond address (0x[0-9a-fA-F]{40})/);
    run("bond:subscribe", "--bond", bond, "--units", "500", "--from", "8");
  });

  after(() => t?.stop());

  it("market:buy by the seller is refused with SellerCannotBuy and no approval is sent", async function () {
    await refused(
      node,
      provider,
      acc[3],
      ["market:buy", ...L, "--listing", listingId, "--tonnes", "1", "--max-total", "100", "--from", "3"],
      `reverted with SellerCannotBuy(${listingId})`,
    );
  });

  it("market:buy above --max-total is refused with PriceExceedsMax in token units", async function () {
    const out = await refused(
      node,
      provider,
      acc[4],
      ["market:buy", ...L, "--listing", listingId, "--tonnes", "20", "--max-total", "249.99", "--from", "4"],
      "PriceExceedsMax(",
    );
    expect(out).to.include("PriceExceedsMax(250.00 tUSD, 249.99 tUSD)");
    const usd = new Contract(record("TestStablecoin").address, record("TestStablecoin").abi, provider);
    expect(await usd.allowance(acc[4], record("CreditMarketplace").address)).to.equal(0n);
  });

  it("market:buy on a paused marketplace is refused with EnforcedPause", async function () {
    run("pause", "--contract", "CreditMarketplace");
    try {
      await refused(
        node,
        provider,
        acc[4],
        ["market:buy", ...L, "--listing", listingId, "--tonnes", "1", "--max-total", "100", "--from", "4"],
        "reverted with EnforcedPause()",
      );
    } finally {
      run("unpause", "--contract", "CreditMarketplace");
    }
  });

  it("market:list with a payment token that is not allowed is refused without a setApprovalForAll", async function () {
    // account 5 has never approved the marketplace: the approval would be the first transaction
    run("credits:transfer", "--batch", batchId, "--tonnes", "5", "--to", acc[5], "--from", "3");
    const pool = record("NatureCarbonPool").address;
    await refused(
      node,
      provider,
      acc[5],
      ["market:list", ...L, "--batch", batchId, "--tonnes", "1", "--price", "1", "--token", pool, "--from", "5"],
      `reverted with PaymentTokenNotAllowed(${pool})`,
    );
    const credit = new Contract(record("CarbonCredit").address, record("CarbonCredit").abi, provider);
    expect(await credit.isApprovedForAll(acc[5], record("CreditMarketplace").address)).to.equal(false);
  });

  it("pool:deposit into a paused pool is refused with EnforcedPause and no setApprovalForAll", async function () {
    run("pause", "--contract", "NatureCarbonPool");
    try {
      await refused(
        node,
        provider,
        acc[5],
        ["pool:deposit", ...L, "--pool", "NatureCarbonPool", "--batch", batchId, "--tonnes", "1", "--from", "5"],
        "reverted with EnforcedPause()",
      );
    } finally {
      run("unpause", "--contract", "NatureCarbonPool");
    }
    const credit = new Contract(record("CarbonCredit").address, record("CarbonCredit").abi, provider);
    expect(await credit.isApprovedForAll(acc[5], record("NatureCarbonPool").address)).to.equal(false);
  });

  it("bond:subscribe by an unverified investor is refused with NotVerified", async function () {
    await refused(
      node,
      provider,
      acc[9],
      ["bond:subscribe", ...L, "--bond", bond, "--units", "10", "--from", "9"],
      `reverted with NotVerified(${acc[9]})`,
    );
  });

  it("bond:coupon by someone other than the issuer is refused with NotIssuer", async function () {
    run("time:advance", "--by", "3d");
    run("bond:close", "--bond", bond);
    run("time:advance", "--by", "31d");
    await refused(
      node,
      provider,
      acc[9],
      ["bond:coupon", ...L, "--bond", bond, "--period", "1", "--from", "9"],
      `reverted with NotIssuer(${acc[9]})`,
    );
  });

  it("bond:coupon prints the amount it pulls, and pulls exactly that", async function () {
    run("faucet", "--to", acc[0], "--amount", "100");
    const out = run("bond:coupon", "--bond", bond, "--period", "1");
    const printed = grab(out, /pulls ([\d,.]+) tUSD/);
    // 5 % a year for 30 days on 500 tUSD, rounded up: 2.054795 tUSD
    expect(printed).to.equal("2.054795");
    expect(out).to.match(/CouponFunded\(period=1, amount=2054795/);
  });

  it("a wrong --bond address says it is not a GreenBond", async function () {
    await refused(
      node,
      provider,
      acc[8],
      ["bond:subscribe", ...L, "--bond", record("TestStablecoin").address, "--units", "1", "--from", "8"],
      "is not a GreenBond",
    );
  });

  it("escrow:create refuses a verifier without the registry's VERIFIER_ROLE before sending", async function () {
    const now = (await provider.getBlock("latest"))!.timestamp;
    const file = path.join(node.deploymentsDir, "bad-deal.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        projectId: 1,
        beneficiary: acc[3],
        milestones: [{ amount: "10", deadline: now + 30 * DAY, description: "m1" }],
        verifiers: [acc[7]],
        threshold: 1,
        arbiter: acc[6],
      }),
    );
    await refused(
      node,
      provider,
      acc[5],
      ["escrow:create", ...L, "--file", file, "--fund", "--from", "5"],
      `verifier(s) ${acc[7]} lack VERIFIER_ROLE`,
    );
  });

  it("time:advance and faucet are refused on a public network", function () {
    const r = node.hardhat(["time:advance", "--network", "sepolia", "--by", "1d"], { SEPOLIA_RPC_URL: node.url });
    expect(r.code).to.not.equal(0);
    expect(r.output).to.include('time:advance works on local networks only (hardhat, localhost), not on "sepolia"');
    // without the network's RPC URL too: the refusal is that it is local-only, not a variable it would never use
    const f = node.hardhat(["faucet", "--network", "sepolia", "--to", acc[4], "--amount", "1"], {
      SEPOLIA_RPC_URL: "",
      DOTENV_PATH: "none",
    });
    expect(f.code).to.not.equal(0);
    expect(f.output).to.include('faucet works on local networks only (hardhat, localhost), not on "sepolia"');
    expect(f.output).not.to.include("SEPOLIA_RPC_URL");
  });
});
