import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { Contract } from "ethers";
import {
  PLUGIN,
  action,
  atArtifact,
  deployed,
  ensureAllowance,
  erc20,
  functionNames,
  money,
  resolveAddress,
  resolveSigner,
  send,
} from "./lib/runner";
import { firstPresent, parseAddress, parseUint, parseUnitsStrict, readJsonFile } from "./lib/parse";
import { argsFromJson, findTokenField } from "./lib/abi-args";
import { formatUnits } from "../scripts/lib/format";
import { suiteDeployments } from "../config/deploy-utils";

const FACTORY = "GreenBondFactory";

async function bondAt(hre: any, value: string, signer?: any): Promise<Contract> {
  const address = parseAddress("bond", value);
  return atArtifact(hre, "GreenBond", address, signer);
}

/** The bond's payment token and unit price (from getters or a terms() struct). */
async function bondTerms(bond: Contract): Promise<{ paymentToken: string; unitPrice: bigint }> {
  const fns = functionNames(bond);
  if (fns.has("paymentToken") && fns.has("unitPrice")) {
    return { paymentToken: await bond.paymentToken(), unitPrice: await bond.unitPrice() };
  }
  if (fns.has("terms")) {
    const t = await bond.terms();
    return { paymentToken: t.paymentToken ?? t.token, unitPrice: t.unitPrice };
  }
  throw new HardhatPluginError(
    PLUGIN,
    "cannot read the bond's payment token and unit price (no paymentToken()/unitPrice()/terms())",
  );
}

task(
  "bond:create",
  "Creates a green bond through the GreenBondFactory from a JSON terms file (the signer is the issuer).\n" +
    '  Field names are the factory\'s parameter / struct field names; money fields in token units ("100.25"),\n' +
    '  unit fields (cap, softCap) in bond units ("1000"), times ISO or unix, periods "180d", bps as integers.\n' +
    "  Example: npx hardhat bond:create --network localhost --terms bond.json --from 3",
)
  .addParam("terms", "path of the terms JSON file")
  .addOptionalParam("from", "signer (the issuer): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const json = readJsonFile("terms", a.terms);
      const signer = await resolveSigner(hre, a.from);
      const factory = await deployed(hre, FACTORY, signer);
      const fnName = firstPresent(functionNames(factory), ["createBond", "create", "deployBond"]);
      if (!fnName) throw new HardhatPluginError(PLUGIN, `${FACTORY} has no createBond/create function`);
      const fn = factory.interface.getFunction(fnName)!;
      const all = await suiteDeployments(hre);
      const names = Object.fromEntries(Object.entries(all).map(([n, d]) => [n, d.address]));
      const tokenField = findTokenField(json);
      const tokenAddr = tokenField ? await resolveAddress(hre, "paymentToken", tokenField) : undefined;
      const decimals = tokenAddr ? (await erc20(hre, tokenAddr)).decimals : 18;
      const args = argsFromJson(fn.inputs, json, { moneyDecimals: decimals, names });
      const { events } = await send(hre, `create bond (${FACTORY}.${fnName})`, factory, fnName, args);
      const ev = events.find((e) => e.name === "BondCreated");
      if (ev) console.log(`bond address ${ev.args.bond}`);
    }),
  );

task(
  "bond:subscribe",
  "Subscribes bond units during the subscription window (verified investors only); approves the payment first.\n" +
    "  Example: npx hardhat bond:subscribe --network localhost --bond 0xBond… --units 1000 --from 8",
)
  .addParam("bond", "bond contract address (from bond:create / BondCreated)")
  .addParam("units", "bond units to buy, up to 18 decimals, e.g. 1000")
  .addOptionalParam("from", "signer (the investor): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const units = parseUnitsStrict("units", a.units, 18);
      const signer = await resolveSigner(hre, a.from);
      const bond = await bondAt(hre, a.bond, signer);
      const { paymentToken, unitPrice } = await bondTerms(bond);
      const token = await erc20(hre, paymentToken, signer);
      const cost = (units * unitPrice + 10n ** 18n - 1n) / 10n ** 18n;
      await ensureAllowance(hre, token, signer, await bond.getAddress(), cost);
      await send(hre, `subscribe ${formatUnits(units, 18)} units for ${money(cost, token)}`, bond, "subscribe", [
        units,
      ]);
    }),
  );

task(
  "bond:coupon",
  "Funds the coupon of a period (issuer), or with --claim claims the signer's accrued coupons (holder).\n" +
    "  Example (issuer): npx hardhat bond:coupon --network localhost --bond 0xBond… --period 1 --max-amount 5000 --from 3\n" +
    "  Example (holder): npx hardhat bond:coupon --network localhost --bond 0xBond… --claim --from 8",
)
  .addParam("bond", "bond contract address")
  .addOptionalParam("period", "coupon period to fund, from 1 (issuer)")
  .addOptionalParam(
    "maxAmount",
    "approval for the coupon in payment-token units when the bond cannot quote it, e.g. 5000",
  )
  .addFlag("claim", "claim the signer's coupons instead of funding a period")
  .addOptionalParam("from", "signer: named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      if (!a.claim && a.period === undefined)
        throw new HardhatPluginError(PLUGIN, "invalid argument: give --period N to fund a coupon, or --claim");
      const period = a.claim ? undefined : parseUint("period", a.period);
      const signer = await resolveSigner(hre, a.from);
      const bond = await bondAt(hre, a.bond, signer);
      if (a.claim) {
        await send(hre, "claim coupons", bond, "claimCoupon", []);
        return;
      }
      const { paymentToken } = await bondTerms(bond);
      const token = await erc20(hre, paymentToken, signer);
      const quote = firstPresent(functionNames(bond), ["couponAmount", "couponDue", "couponFor"]);
      let amount: bigint;
      if (quote) amount = await bond[quote](period);
      else if (a.maxAmount !== undefined) amount = parseUnitsStrict("max-amount", a.maxAmount, token.decimals);
      else
        throw new HardhatPluginError(
          PLUGIN,
          "invalid argument: --max-amount is required (the bond does not quote coupon amounts)",
        );
      await ensureAllowance(hre, token, signer, await bond.getAddress(), amount);
      await send(hre, `fund coupon of period ${period} (${money(amount, token)})`, bond, "depositCoupon", [period]);
    }),
  );
