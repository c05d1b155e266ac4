import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { Contract } from "ethers";
import {
  PLUGIN,
  action,
  atArtifact,
  deployed,
  erc20,
  functionNames,
  money,
  resolveAddress,
  resolveSigner,
  send,
} from "./lib/runner";
import { sendWithApprovals } from "./lib/approvals";
import { enumLabel } from "./lib/facts";
import {
  TaskInputError,
  firstPresent,
  parseAddress,
  parseBytes32,
  parseUint,
  parseUnitsStrict,
  readJsonFile,
} from "./lib/parse";
import { argsFromJson, findTokenField } from "./lib/abi-args";
import { formatUnits } from "../scripts/lib/format";
import { suiteDeployments } from "../config/deploy-utils";

const FACTORY = "GreenBondFactory";
const BOND_HELP = "the bond: its address or its symbol (from bond:create), e.g. KGB33";

/**
 * The GreenBond at --bond (its address, or its symbol among this network's factory-created bonds): refused
 * unless this network's GreenBondFactory created it (or, without a factory deployment, unless it answers like a
 * GreenBond).
 */
export async function bondAt(hre: any, value: string, signer?: any): Promise<Contract> {
  const v = (value ?? "").trim();
  const factory = await hre.deployments.getOrNull(FACTORY);
  const f = factory ? new Contract(factory.address, factory.abi, hre.ethers.provider) : undefined;
  let address: string;
  if (!v.startsWith("0x") && f) {
    address = await bondBySymbol(hre, f, v);
  } else address = parseAddress("bond", v);
  const bond = await atArtifact(hre, "GreenBond", address, signer);
  let isBond: boolean;
  if (f) isBond = await f.isBond(address);
  else
    isBond = await bond.escrowDealId().then(
      () => true,
      () => false,
    );
  if (!isBond)
    throw new HardhatPluginError(
      PLUGIN,
      `--bond: ${address} is not a GreenBond${factory ? ` created by this network's ${FACTORY}` : ""}`,
    );
  await erc20(hre, await bond.paymentToken()); // the run's money: the bond's errors print amounts in its units
  return bond;
}

/** Every bond the factory created (address, symbol), newest first. */
export async function factoryBonds(hre: any, factory: Contract): Promise<{ address: string; symbol: string }[]> {
  const n = Number(await factory.bondCount());
  const a = await hre.artifacts.readArtifact("GreenBond");
  const out = [];
  for (let i = n - 1; i >= 0; i--) {
    const address: string = await factory.bondAt(i);
    out.push({ address, symbol: await new Contract(address, a.abi, hre.ethers.provider).symbol() });
  }
  return out;
}

async function bondBySymbol(hre: any, factory: Contract, symbol: string): Promise<string> {
  const all = await factoryBonds(hre, factory);
  const hit = all.find((b) => b.symbol.toLowerCase() === symbol.toLowerCase());
  if (!hit)
    throw new TaskInputError(
      `--bond: "${symbol}" is neither an address nor the symbol of a bond of this network's ${FACTORY}` +
        (all.length ? ` (bonds: ${all.map((b) => b.symbol).join(", ")})` : " (no bonds yet)"),
    );
  return hit.address;
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
    "  File: see examples/bond.json (name, symbol, terms: paymentToken, unitPrice, cap, softCap, subscriptionStart,\n" +
    "  subscriptionEnd, maturity (subscriptionEnd + a whole number of couponPeriods), couponPeriod, kpiDeadline (0, or\n" +
    "  between subscriptionEnd and maturity, with stepUpBps > 0), gracePeriod, couponRateBps, stepUpBps, proceeds:\n" +
    "  projectId, verifiers, threshold, arbiter, disputeWindow, milestones [{bps, deadline, description}] summing to\n" +
    "  10000 bps, deadlines after subscriptionEnd + gracePeriod).\n" +
    "  issuer defaults to the signer, compliance/escrow to this network's deployments; money in token units,\n" +
    "  cap/softCap in bond units, times ISO or unix, periods like 180d; addresses may be deployment names.\n" +
    "  Example: npx hardhat bond:create --network localhost --terms examples/bond.json",
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
    "  Example: npx hardhat bond:subscribe --network localhost --bond KGB33 --units 25000 --from 8",
)
  .addParam("bond", BOND_HELP)
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
      await sendWithApprovals(hre, signer, [{ kind: "erc20", token, spender: await bond.getAddress(), amount: cost }], {
        label: `subscribe ${formatUnits(units, 18)} units for ${money(cost, token)}`,
        contract: bond,
        method: "subscribe",
        args: [units],
      });
    }),
  );

task(
  "bond:coupon",
  "Funds the coupon of a period (issuer), or with --claim claims the signer's accrued coupons (holder).\n" +
    "  Example (issuer): npx hardhat bond:coupon --network localhost --bond KGB33 --period 1\n" +
    "  Example (holder): npx hardhat bond:coupon --network localhost --bond KGB33 --claim --from 8",
)
  .addParam("bond", BOND_HELP)
  .addOptionalParam("period", "coupon period to fund, from 1 (issuer)")
  .addOptionalParam("maxAmount", "refuse when the coupon costs more than this, in payment-token units, e.g. 5000")
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
      // exactly what depositCoupon pulls: couponAmount at the rate in force, a due step-up applied first
      const [rate, kpiDeadline, steppedUp, kpiStatus, stepUp] = await Promise.all([
        bond.currentRateBps(),
        bond.kpiDeadline(),
        bond.steppedUp(),
        bond.kpiStatus(),
        bond.stepUpBps(),
      ]);
      const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
      const stepsUp = kpiDeadline !== 0n && !steppedUp && Number(kpiStatus) !== 1 && now >= kpiDeadline;
      const atRate = Number(rate) + (stepsUp ? Number(stepUp) : 0);
      const amount: bigint = await bond.couponAmount(atRate);
      if (a.maxAmount !== undefined) {
        const max = parseUnitsStrict("max-amount", a.maxAmount, token.decimals);
        if (amount > max)
          throw new HardhatPluginError(
            PLUGIN,
            `the coupon of period ${period} costs ${money(amount, token)}, above --max-amount ${money(max, token)}`,
          );
      }
      await sendWithApprovals(hre, signer, [{ kind: "erc20", token, spender: await bond.getAddress(), amount }], {
        label: `fund coupon of period ${period}: pulls ${money(amount, token)} (${atRate} bps${stepsUp ? ", step-up applied" : ""})`,
        contract: bond,
        method: "depositCoupon",
        args: [period],
      });
    }),
  );

/** A bond task that sends one call without arguments (the action's label names what it does). */
function simpleBondTask(name: string, help: string, example: string, method: string, what: string) {
  task(name, `${help}\n  Example: npx hardhat ${name} --network localhost ${example}`)
    .addParam("bond", BOND_HELP)
    .addOptionalParam("from", "signer: named account, index or address", "deployer")
    .setAction(
      action(async (a: Record<string, string>, hre) => {
        const signer = await resolveSigner(hre, a.from);
        const bond = await bondAt(hre, a.bond, signer);
        await send(hre, `${what} (${await bond.symbol()})`, bond, method, []);
      }),
    );
}

simpleBondTask(
  "bond:close",
  "Closes the subscription after its end (anyone): issues the bond and funds the escrow deal when the soft cap\n" +
    "  was reached within the grace period, else opens refunds.",
  "--bond KGB33",
  "closeSubscription",
  "close the subscription",
);
simpleBondTask(
  "bond:refund",
  "Refunds the signer's subscription of a bond that did not reach its soft cap (status Refunding).",
  "--bond KGR35 --from 8",
  "refund",
  "refund the signer's subscription",
);
simpleBondTask(
  "bond:redeem",
  "Redeems the signer's units at maturity (or its share of what was recovered after a default).",
  "--bond KGB33 --from 8",
  "redeem",
  "redeem the signer's units",
);
simpleBondTask(
  "bond:step-up",
  "Applies the coupon step-up of a sustainability-linked bond whose KPI deadline passed unmet (anyone).",
  "--bond KGD34",
  "applyStepUp",
  "apply the coupon step-up",
);
simpleBondTask(
  "bond:default",
  "Declares the bond in default once a coupon or the principal is unpaid past its grace period (anyone).",
  "--bond KGD34",
  "declareDefault",
  "declare default",
);
simpleBondTask(
  "bond:pull-refunds",
  "Pulls the escrow's refunds of the bond's proceeds into the bond (principal pot, then issuer surplus; anyone).",
  "--bond KGB33",
  "pullEscrowRefunds",
  "pull escrow refunds into the bond",
);
simpleBondTask(
  "bond:withdraw-surplus",
  "The issuer withdraws escrow refunds above the principal (issuer surplus).",
  "--bond KGB33",
  "withdrawIssuerSurplus",
  "withdraw the issuer surplus",
);

task(
  "bond:principal",
  "The issuer deposits the principal (face value minus escrow refunds already in the pot); approves it first.\n" +
    "  Example: npx hardhat bond:principal --network localhost --bond KGB33",
)
  .addParam("bond", BOND_HELP)
  .addOptionalParam("from", "signer (the issuer): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const signer = await resolveSigner(hre, a.from);
      const bond = await bondAt(hre, a.bond, signer);
      const token = await erc20(hre, await bond.paymentToken(), signer);
      const [face, pot] = (await Promise.all([bond.faceValue(), bond.principalPot()])) as [bigint, bigint];
      const amount = face - pot;
      await sendWithApprovals(hre, signer, [{ kind: "erc20", token, spender: await bond.getAddress(), amount }], {
        label: `deposit the principal: pulls ${money(amount, token)} (face value ${money(face, token)}, in the pot ${money(pot, token)})`,
        contract: bond,
        method: "depositPrincipal",
        args: [],
      });
    }),
  );

task(
  "bond:kpi",
  "Reports the sustainability KPI of a bond as met or missed (a verifier of the bond, before the KPI deadline).\n" +
    '  Example: npx hardhat bond:kpi --network localhost --bond KGB33 --met true --evidence "ipfs://kpi-report" --from verifier',
)
  .addParam("bond", BOND_HELP)
  .addParam("met", "true when the KPI was met, false when missed (a missed KPI steps the rate up at once)")
  .addParam("evidence", "evidence: 0x 32-byte hash, or its URI/text (hashed with keccak256)")
  .addOptionalParam("from", "signer (VERIFIER_ROLE on the bond): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const met = parseBool("met", a.met);
      const evidence = parseBytes32("evidence", a.evidence);
      const signer = await resolveSigner(hre, a.from);
      const bond = await bondAt(hre, a.bond, signer);
      await send(hre, `report the KPI as ${met ? "met" : "missed"}`, bond, "reportKpi", [met, evidence]);
    }),
  );

task(
  "bond:freeze",
  "Freezes (or with --unfreeze, unfreezes) an account's bond units (AGENT_ROLE).\n" +
    "  Example: npx hardhat bond:freeze --network localhost --bond KGB33 --account 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
)
  .addParam("bond", BOND_HELP)
  .addParam("account", "the holder to freeze (0x…)")
  .addFlag("unfreeze", "lift the freeze instead")
  .addOptionalParam("from", "signer (AGENT_ROLE on the bond): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const account = parseAddress("account", a.account);
      const signer = await resolveSigner(hre, a.from);
      const bond = await bondAt(hre, a.bond, signer);
      await send(hre, `${a.unfreeze ? "unfreeze" : "freeze"} ${account}`, bond, "freeze", [account, !a.unfreeze]);
    }),
  );

task(
  "bond:forced-transfer",
  "Moves units from one holder to an eligible investor (AGENT_ROLE: lost keys, sanctions, court orders).\n" +
    "  Example: npx hardhat bond:forced-transfer --network localhost --bond KGB33 --holder 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f --to 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720 --units 5000",
)
  .addParam("bond", BOND_HELP)
  .addParam("holder", "the account the units leave (0x…)")
  .addParam("to", "the eligible investor receiving them (0x…)")
  .addParam("units", "bond units, up to 18 decimals, e.g. 100")
  .addOptionalParam("from", "signer (AGENT_ROLE on the bond): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const holder = parseAddress("holder", a.holder);
      const to = parseAddress("to", a.to);
      const units = parseUnitsStrict("units", a.units, 18);
      const signer = await resolveSigner(hre, a.from);
      const bond = await bondAt(hre, a.bond, signer);
      await send(
        hre,
        `force-transfer ${formatUnits(units, 18)} units from ${holder} to ${to}`,
        bond,
        "forcedTransfer",
        [holder, to, units],
      );
    }),
  );

task(
  "bond:show",
  "Shows a bond: status, window, rates, coupons, principal, escrow deal (and an account's units and coupons).\n" +
    "  Example: npx hardhat bond:show --network localhost --bond KGB33 --account 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
)
  .addParam("bond", BOND_HELP)
  .addOptionalParam("account", "also show this holder's units, claimable coupons and frozen flag (0x…)")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const bond = await bondAt(hre, a.bond!);
      const account = a.account === undefined ? undefined : parseAddress("account", a.account);
      const token = await erc20(hre, await bond.paymentToken());
      const date = (t: bigint) => (t === 0n ? "—" : `${new Date(Number(t) * 1000).toISOString()} (${t})`);
      const [symbol, status, kpi, supply, issued] = await Promise.all([
        bond.symbol(),
        bond.status(),
        bond.kpiStatus(),
        bond.totalSupply(),
        bond.issuedUnits(),
      ]);
      console.log(`${await bond.name()} (${symbol}) at ${await bond.getAddress()}`);
      console.log(
        `  status          ${await enumLabel(hre, "BondStatus", status)}${(await bond.paused()) ? ", PAUSED" : ""}`,
      );
      console.log(`  issuer          ${await bond.issuer()}`);
      console.log(`  unit price      ${money(await bond.unitPrice(), token)}`);
      // issuedUnits is set when the subscription closes: until then the units minted so far are subscriptions
      console.log(
        Number(status) === 0
          ? `  units           ${formatUnits(supply, 18)} subscribed so far (issued when the subscription closes)`
          : `  units           ${formatUnits(supply, 18)} outstanding, ${formatUnits(issued, 18)} issued`,
      );
      console.log(`  subscription    ${date(await bond.subscriptionStart())} → ${date(await bond.subscriptionEnd())}`);
      console.log(`  maturity        ${date(await bond.maturity())}`);
      const [funded, count] = [BigInt(await bond.couponsFunded()), BigInt(await bond.couponCount())];
      // only a coupon the schedule has is due (couponDueAt answers for any period, past the last one too)
      const next =
        funded < count ? `, period ${funded + 1n} due ${date(await bond.couponDueAt(funded + 1n))}` : ", all funded";
      console.log(`  coupons         ${funded} of ${count} funded, rate ${await bond.currentRateBps()} bps${next}`);
      console.log(
        `  KPI             ${await enumLabel(hre, "KpiStatus", kpi)}, deadline ${date(await bond.kpiDeadline())}`,
      );
      console.log(
        `  principal       pot ${money(await bond.principalPot(), token)}, face value ${money(await bond.faceValue(), token)}` +
          `${(await bond.principalFunded()) ? " (principal deposited)" : ""}`,
      );
      console.log(`  issuer surplus  ${money(await bond.issuerSurplus(), token)}`);
      console.log(`  escrow deal     ${await bond.escrowDealId()}`);
      if (account) {
        console.log(
          `  ${account}: ${formatUnits(await bond.balanceOf(account), 18)} units, claimable ${money(await bond.claimable(account), token)}${(await bond.isFrozen(account)) ? ", FROZEN" : ""}`,
        );
      }
    }),
  );

function parseBool(name: string, v: string | undefined): boolean {
  const s = (v ?? "").trim().toLowerCase();
  if (s === "true" || s === "yes") return true;
  if (s === "false" || s === "no") return false;
  throw new TaskInputError(`--${name}: "${v}" is not true or false`);
}
