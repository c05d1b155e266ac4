import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Contract, Interface } from "ethers";
import { ABIS } from "../../../sdk/generated";
import {
  AMOUNT_LIKE,
  ERROR_ARG_UNITS,
  EVENT_ARG_UNITS,
  errorArgUnit,
  eventArgUnit,
} from "../../../tasks/lib/arg-units";
import { UNIDENTIFIED, describeError, erc20, formatEvent, send } from "../../../tasks/lib/runner";

type AbiItem = { type: string; name: string; inputs: { name: string; type: string }[] };

/** Every custom error (or event) of every suite contract (the generated ABIs), by name. */
function suiteItems(type: "error" | "event"): Map<string, AbiItem[]> {
  const out = new Map<string, AbiItem[]>();
  for (const abi of Object.values(ABIS) as unknown as AbiItem[][])
    for (const item of abi) if (item.type === type) out.set(item.name, [...(out.get(item.name) ?? []), item]);
  return out;
}

/** Amount-like arguments without a unit, and table rows that name no argument of a suite item. */
function audit(
  type: "error" | "event",
  table: Record<string, Record<string, unknown>>,
  unitOf: (name: string, arg: string) => unknown,
) {
  const items = suiteItems(type);
  const unclassified: string[] = [];
  for (const [name, shapes] of items)
    for (const p of shapes.flatMap((x) => x.inputs))
      if (/^u?int/.test(p.type) && AMOUNT_LIKE.test(p.name) && !unitOf(name, p.name))
        unclassified.push(`${name}.${p.name}`);
  const stale: string[] = [];
  for (const [name, args] of Object.entries(table))
    for (const arg of Object.keys(args))
      if (!items.get(name)?.some((x) => x.inputs.some((p) => p.name === arg))) stale.push(`${name}.${arg}`);
  return { unclassified: [...new Set(unclassified)], stale };
}

/**
 * Amounts in task error messages are printed in the unit of what they count (tasks/lib/error-units.ts), and an
 * OpenZeppelin ERC-20 error in the units of the token that raised it — not in the task's payment token.
 */
describe("tasks: the units of amounts in error messages and events", function () {
  async function suite() {
    await deployments.fixture();
    const [, holder, other] = await ethers.getSigners();
    const usd = await ethers.getContractAt("TestStablecoin", (await deployments.get("TestStablecoin")).address);
    const pool = new Contract(
      (await deployments.get("NatureCarbonPool")).address,
      (await deployments.get("NatureCarbonPool")).abi,
      holder,
    );
    await (await usd.mint(holder.address, 5_000_000n)).wait(); // 5 tUSD, no pool tokens
    return { holder, other, usd, pool, poolSymbol: String(await pool.symbol()) };
  }

  it("classifies every amount-like argument of every suite error and event, and names none that does not exist", function () {
    const errors = audit("error", ERROR_ARG_UNITS, errorArgUnit);
    expect(errors.unclassified, "amount-like error arguments without a unit in tasks/lib/arg-units.ts").to.deep.equal(
      [],
    );
    expect(errors.stale, "rows of ERROR_ARG_UNITS that no suite error has").to.deep.equal([]);
    const events = audit("event", EVENT_ARG_UNITS, eventArgUnit);
    expect(events.unclassified, "amount-like event arguments without a unit in tasks/lib/arg-units.ts").to.deep.equal(
      [],
    );
    expect(events.stale, "rows of EVENT_ARG_UNITS that no suite event has").to.deep.equal([]);
  });

  it("prints a pool token's ERC20InsufficientBalance in pool tokens although the task read its payment token (tUSD) first", async function () {
    const s = await loadFixture(suite);
    await erc20(hre, await s.usd.getAddress()); // the task's money is tUSD from here on
    const block = await ethers.provider.getBlockNumber();
    const refusal = send(hre, "transfer pool tokens", s.pool, "transfer", [s.other.address, 10n ** 18n]);
    await expect(refusal).to.be.rejectedWith(
      `transfer pool tokens: reverted with ERC20InsufficientBalance(${s.holder.address}, 0.00 ${s.poolSymbol}, 1.00 ${s.poolSymbol})`,
    );
    await expect(refusal).not.to.be.rejectedWith(/tUSD/);
    expect(await ethers.provider.getBlockNumber(), "the refusal sent a transaction").to.equal(block);
  });

  it("prints the figures raw and says so when two tokens the task touched could both have raised the error", async function () {
    const s = await loadFixture(suite);
    await erc20(hre, await s.usd.getAddress());
    const pool = s.pool.connect(s.other) as Contract; // `other` holds neither tUSD nor pool tokens: both read 0
    await expect(send(hre, "transfer", pool, "transfer", [s.holder.address, 7n])).to.be.rejectedWith(
      `transfer: reverted with ERC20InsufficientBalance(${s.other.address}, 0, 7) (${UNIDENTIFIED})`,
    );
  });

  it("prints money in the payment token, bond units with 18 decimals, credits in tonnes and times with their UTC date", async function () {
    await loadFixture(suite);
    const market = new Interface(ABIS.CreditMarketplace as any);
    const bond = new Interface(ABIS.GreenBond as any);
    const escrow = new Interface(ABIS.MilestoneEscrow as any);
    const s = await loadFixture(suite);
    await erc20(hre, await s.usd.getAddress());
    const text = (data: string) => describeError(hre, data);
    expect(await text(market.encodeErrorResult("PriceExceedsMax", [250_000_000n, 249_990_000n]))).to.equal(
      "reverted with PriceExceedsMax(250.00 tUSD, 249.99 tUSD)",
    );
    expect(await text(bond.encodeErrorResult("CapExceeded", [25n * 10n ** 18n, 5n * 10n ** 17n]))).to.equal(
      "reverted with CapExceeded(25 units, 0.5 units)",
    );
    expect(await text(market.encodeErrorResult("AmountExceedsListing", [3n, 1_500n, 250n]))).to.equal(
      "reverted with AmountExceedsListing(3, 1.500 t, 0.250 t)",
    );
    expect(await text(escrow.encodeErrorResult("MilestoneExpired", [1n, 0n, 4_102_444_800n]))).to.equal(
      "reverted with MilestoneExpired(1, 0, 4102444800 (2100-01-01T00:00:00Z))",
    );
  });

  it("prints the events of a transaction with each raw amount and its human units: an ERC-20 Transfer in the emitting token's", async function () {
    const s = await loadFixture(suite);
    await erc20(hre, await s.usd.getAddress()); // the run's money: Purchased's totalPrice and fee
    const lines: string[] = [];
    await send(
      hre,
      "mint",
      s.usd.connect(s.holder) as unknown as Contract,
      "mint",
      [s.other.address, 1_250_000n],
      (l) => lines.push(l),
    );
    expect(lines.join("\n")).to.include(
      `event TestStablecoin.Transfer(from=0x0000000000000000000000000000000000000000, to=${s.other.address}, value=1250000 (1.25 tUSD))`,
    );
    const purchased = await formatEvent(hre, {
      contract: "CreditMarketplace",
      address: (await deployments.get("CreditMarketplace")).address,
      name: "Purchased",
      args: {
        listingId: 1n,
        buyer: s.other.address,
        amountKg: 20_000n,
        totalPrice: 5_000_000n,
        fee: 50_000n,
        retired: true,
      },
    });
    expect(purchased).to.equal(
      `CreditMarketplace.Purchased(listingId=1, buyer=${s.other.address}, amountKg=20000 (20.000 t), totalPrice=5000000 (5.00 tUSD), fee=50000 (0.05 tUSD), retired=true)`,
    );
  });
});
