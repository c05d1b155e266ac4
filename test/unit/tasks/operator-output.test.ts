import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expectRefused, runTask } from "../../helpers/tasks";

/**
 * What the operator tasks print is true and in human units: run in process against the local deploy, as the
 * README's stories run them (examples/bond.json, examples/deal.json). Each refusal sends nothing (no new block).
 */
describe("tasks: what the operator tasks print", function () {
  const DEV = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"; // account 3
  const INVESTOR = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"; // account 8
  const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

  const run = runTask;
  const refused = expectRefused;

  /**
   * The suite with the README's project 1 Active, investor 8 verified (holding no tUSD) and the bond KGB33 created
   * (its subscription opens 2033-01-01). One fixture for every test: hardhat-deploy's own snapshot would void others.
   */
  async function suite() {
    await deployments.fixture();
    await run("project:register", {
      owner: DEV,
      name: "Kasigau Corridor REDD+",
      category: "Forestry",
      country: "KE",
      standard: "Verra VCS",
      externalId: "VCS-612",
      methodology: "VM0009",
    });
    await run("project:status", { id: "1", set: "Active", from: "verifier" });
    await run("compliance:investor", { account: INVESTOR, set: true, country: "KE", expires: "2099-01-01" });
    const out = await run("bond:create", { terms: "examples/bond.json" });
    return { address: /bond address (0x[0-9a-fA-F]{40})/.exec(out)![1], created: out };
  }

  /** The suite with KGB33's subscription open. */
  async function bond() {
    const s = await loadFixture(suite);
    await time.increaseTo(at("2033-01-01"));
    return s;
  }

  it("credits:issue does not call the hint of a range below every batch 'batch 0'", async function () {
    await loadFixture(suite);
    const issue = (serials: string) =>
      run("credits:issue", {
        project: "1",
        vintage: "2021",
        serials,
        to: DEV,
        attestation: "ipfs://r",
        from: "verifier",
      });
    await issue("1001-3000"); // above the range a README bond's deal does not touch
    const out = await issue("1-1000");
    expect(out).not.to.match(/batch 0 lies/);
    expect(out).to.include("serial hint: 0, the new range lies below every batch of the project");
  });

  it("--pool takes a pool's name or address, and refuses another contract naming this network's pools", async function () {
    await loadFixture(suite);
    const ncp = (await deployments.get("NatureCarbonPool")).address;
    expect(await run("pool:info", { pool: ncp })).to.match(/^NatureCarbonPool \(NCP\) at /);
    await refused(
      "pool:deposit",
      { pool: (await deployments.get("CarbonCredit")).address, batch: "1", tonnes: "1", from: "3" },
      /--pool: "0x[0-9a-fA-F]{40}" is not a carbon pool on hardhat \(pools: NatureCarbonPool, TechCarbonPool\) — nothing was sent/,
    );
  });

  it("market:buy of more than a listing holds says which buy it refused", async function () {
    await loadFixture(suite);
    await run("credits:issue", {
      project: "1",
      vintage: "2021",
      serials: "1001-3000",
      to: DEV,
      attestation: "ipfs://r",
      from: "verifier",
    });
    await run("market:list", { batch: "1", tonnes: "500", price: "12.50", from: "3" });
    await refused(
      "market:buy",
      { listing: "1", tonnes: "2000", maxTotal: "99999", from: "4" },
      "buy 2,000.000 t from listing 1: reverted with AmountExceedsListing(1, 2,000.000 t, 500.000 t) — nothing was sent",
    );
  });

  it("compliance:investor prints a country once, not `country   country=KE`", async function () {
    await bond();
    const out = await run("compliance:investor", { account: INVESTOR });
    expect(out).to.match(/^ {2}country {3}KE$/m);
    expect(await run("compliance:investor", { blockCountry: "KP" })).to.include("country KP blocked: true");
  });

  it("escrow:create --fund refuses a funder short of the deal's total before creating the deal", async function () {
    await loadFixture(suite);
    const account4 = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"; // holds no tUSD
    await refused(
      "escrow:create",
      { file: "examples/deal.json", fund: true, from: "4" },
      `${account4} holds 0.00 tUSD, needs 30,000.50 tUSD — nothing was sent`,
    );
  });

  it("bond:subscribe without the money names the balance in tUSD before anything is sent", async function () {
    await bond();
    await refused(
      "bond:subscribe",
      { bond: "KGB33", units: "25000", from: "8" },
      `subscribe 25,000 units for 25,000.00 tUSD: ${INVESTOR} holds 0.00 tUSD, needs 25,000.00 tUSD — nothing was sent`,
    );
  });

  it("bond:subscribe without the money names the balance in tUSD when the allowance is already in place too", async function () {
    const { address } = await bond();
    const usd = await ethers.getContractAt("TestStablecoin", (await deployments.get("TestStablecoin")).address);
    const investor = await ethers.getImpersonatedSigner(INVESTOR);
    await (await usd.connect(investor).approve(address, 25_000_000_000n)).wait(); // no approval left to send
    await refused(
      "bond:subscribe",
      { bond: "KGB33", units: "25000", from: "8" },
      `subscribe 25,000 units for 25,000.00 tUSD: ${INVESTOR} holds 0.00 tUSD, needs 25,000.00 tUSD — nothing was sent`,
    );
  });

  it("names a factory bond's events after the bond, and prints each money amount in the bond's token", async function () {
    const { address, created } = await bond();
    // a struct's components in their units too (BondCreated's terms, DealTerms' milestones)
    expect(created).to.include("unitPrice: 1000000 (1.00 tUSD), cap: 100000000000000000000000 (100,000 units)");
    expect(created).to.include("subscriptionStart: 1988150400 (2033-01-01T00:00:00Z)");
    await run("faucet", { to: INVESTOR, amount: "30000" });
    const sub = await run("bond:subscribe", { bond: "KGB33", units: "25000", from: "8" });
    expect(sub).not.to.match(/event (pool|credit|bond)\./);
    expect(sub).to.include(`event GreenBond@${address}.Transfer(`);
    expect(sub).to.include(`event GreenBond@${address}.Subscribed(`);
    await time.increaseTo(at("2033-02-02"));
    const close = await run("bond:close", { bond: "KGB33" }); // no approval: the money is the bond's, read from it
    expect(close).to.include("proceeds=25000000000 (25,000.00 tUSD)");
    expect(close).to.include(
      "{ amount: 12500000000 (12,500.00 tUSD), deadline: 2001196800 (2033-06-01T00:00:00Z), description:",
    );
    const deal = /DealFunded\(dealId=(\d+), amount=25000000000 \(25,000\.00 tUSD\)\)/.exec(close)?.[1];
    expect(deal, "DealFunded in tUSD").to.be.a("string");
    await run("escrow:attest", { deal, index: "0", evidence: "ipfs://use-of-proceeds-report", from: "verifier" });
    await time.increaseTo(at("2033-08-01"));
    await run("faucet", { to: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", amount: "40000" });
    await run("bond:coupon", { bond: "KGB33", period: "1" });
    const claim = await run("bond:coupon", { bond: "KGB33", claim: true, from: "8" });
    expect(claim).to.match(/CouponClaimed\(holder=0x[0-9a-fA-F]{40}, amount=616438357 \(616\.438357 tUSD\)\)/);
  });

  it("pause takes a bond's symbol, and bond:show says no coupon is due once all are funded", async function () {
    const { address } = await bond();
    const out = await run("pause", { contract: "KGB33", from: "guardian" });
    expect(out).to.include(`event GreenBond@${address}.Paused(`);
    await run("unpause", { contract: "KGB33" });
    await run("faucet", { to: INVESTOR, amount: "20000" });
    await run("bond:subscribe", { bond: "KGB33", units: "20000", from: "8" });
    // before the close no unit is "issued" (issuedUnits is set at close): the units are subscriptions
    expect(await run("bond:show", { bond: "KGB33" })).to.include(
      "units           20,000 subscribed so far (issued when the subscription closes)",
    );
    await time.increaseTo(at("2033-02-02"));
    await run("bond:close", { bond: "KGB33" });
    await run("faucet", { to: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", amount: "2000" });
    await time.increaseTo(at("2033-08-01"));
    await run("bond:coupon", { bond: "KGB33", period: "1" });
    expect(await run("bond:show", { bond: "KGB33" })).to.match(/1 of 2 funded, rate 500 bps, period 2 due 2034-01-27/);
    await time.increaseTo(at("2034-01-28"));
    await run("bond:coupon", { bond: "KGB33", period: "2" });
    const show = await run("bond:show", { bond: "KGB33" });
    expect(show).to.match(/2 of 2 funded, rate 550 bps, all funded$/m);
    expect(show).not.to.include("due");
    expect(show).to.include("principal       pot 0.00 tUSD, face value 20,000.00 tUSD\n");
  });
});
