import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Contract, Interface } from "ethers";
import { ABIS } from "../../../sdk/generated";
import { AMOUNT_LIKE, ERROR_ARG_UNITS, errorArgUnit } from "../../../tasks/lib/error-units";
import { UNIDENTIFIED, describeError, erc20, send } from "../../../tasks/lib/runner";

type AbiError = { type: string; name: string; inputs: { name: string; type: string }[] };

/** Every custom error of every suite contract (the generated ABIs), by name. */
function suiteErrors(): Map<string, AbiError> {
  const out = new Map<string, AbiError>();
  for (const abi of Object.values(ABIS) as unknown as AbiError[][])
    for (const item of abi) if (item.type === "error") out.set(item.name, item);
  return out;
}

/**
 * Amounts in task error messages are printed in the unit of what they count (tasks/lib/error-units.ts), and an
 * OpenZeppelin ERC-20 error in the units of the token that raised it — not in the task's payment token.
 */
describe("tasks: the units of amounts in error messages", function () {
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

  it("classifies every amount-like argument of every suite error, and names no error or argument that does not exist", function () {
    const errors = suiteErrors();
    const unclassified: string[] = [];
    for (const e of errors.values())
      for (const p of e.inputs)
        if (/^u?int/.test(p.type) && AMOUNT_LIKE.test(p.name) && !errorArgUnit(e.name, p.name))
          unclassified.push(`${e.name}.${p.name}`);
    expect(unclassified, "amount-like error arguments without a unit in tasks/lib/error-units.ts").to.deep.equal([]);
    const stale: string[] = [];
    for (const [name, args] of Object.entries(ERROR_ARG_UNITS))
      for (const arg of Object.keys(args))
        if (!errors.get(name)?.inputs.some((p) => p.name === arg)) stale.push(`${name}.${arg}`);
    expect(stale, "rows of tasks/lib/error-units.ts that no suite error has").to.deep.equal([]);
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
});
