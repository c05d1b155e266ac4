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
    '  File: {"name":"Kasigau Green Bond 2027","symbol":"KGB27","terms":{"paymentToken":"TestStablecoin","unitPrice":"1.00",\n' +
    '  "cap":"100000","softCap":"20000","subscriptionStart":"2026-01-01","subscriptionEnd":"2026-02-01","maturity":"2028-02-01",\n' +
    '  "couponPeriod":"180d","kpiDeadline":"2027-01-01","gracePeriod":"30d","couponRateBps":500,"stepUpBps":50,\n' +
    '  "proceeds":{"projectId":1,"verifiers":["0x…"],"threshold":1,"arbiter":"0x…","disputeWindow":"7d",\n' +
    '  "milestones":[{"bps":10000,"deadline":"2026-12-01","description":"ipfs://plan"}]}}}\n' +
    "  issuer defaults to the signer, compliance/escrow to this network's deployments; money in token units,\n" +
    "  cap/softCap in bond units, times ISO or unix, periods like 180d; addresses may be deployment names.\n" +
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
      // defaults: the signer issues; this network's ComplianceRegistry and MilestoneEscrow
      const terms = (json as any)?.terms;
      if (terms && typeof terms === "object") {
        terms.issuer ??= await signer.getAddress();
        terms.compliance ??= "ComplianceRegistry";
        terms.escrow ??= "MilestoneEscrow";
      }
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
      let amount: bigint;
      const fns = functionNames(bond);
      if (fns.has("couponAmount") && fns.has("currentRateBps")) {
        // the highest coupon this period can cost: the current rate plus a step-up still to be applied
        const rate = Number(await bond.currentRateBps());
        const step = fns.has("steppedUp") && !(await bond.steppedUp()) ? Number(await bond.stepUpBps()) : 0;
        amount = await bond.couponAmount(rate + step);
      } else if (a.maxAmount !== undefined) amount = parseUnitsStrict("max-amount", a.maxAmount, token.decimals);
      else
        throw new HardhatPluginError(
          PLUGIN,
          "invalid argument: --max-amount is required (the bond does not quote coupon amounts)",
        );
      await ensureAllowance(hre, token, signer, await bond.getAddress(), amount);
      await send(hre, `fund coupon of period ${period} (${money(amount, token)})`, bond, "depositCoupon", [period]);
    }),
  );
