import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import {
  PLUGIN,
  action,
  deployed,
  describeError,
  erc20,
  functionNames,
  money,
  resolveAddress,
  resolveSigner,
  send,
} from "./lib/runner";
import { sendWithApprovals } from "./lib/approvals";
import { firstPresent, parseAddress, parseTonnes, parseUint, parseUnitsStrict } from "./lib/parse";
import { tonnes } from "../scripts/lib/format";
import { formatBps, parseFeeBps, parseTreasury, sendAdminChanges } from "./lib/governed";
import { ZeroHash } from "ethers";

task(
  "market:list",
  "Lists credits for sale on the CreditMarketplace (credits move into escrow).\n" +
    "  Example: npx hardhat market:list --network localhost --batch 2 --tonnes 500 --price 12.50 --from 3",
)
  .addParam("batch", "batch id, e.g. 2")
  .addParam("tonnes", "amount in tonnes, up to 3 decimals, e.g. 500")
  .addParam("price", "price per tonne in payment-token units, e.g. 12.50 (converted with the token's decimals)")
  .addOptionalParam("token", "payment token: deployment name or address (must be allow-listed)", "TestStablecoin")
  .addOptionalParam("from", "signer (the seller): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const batchId = parseUint("batch", a.batch, { min: 1n });
      const kg = parseTonnes("tonnes", a.tonnes);
      const tokenAddr = await resolveAddress(hre, "token", a.token);
      const token = await erc20(hre, tokenAddr);
      const price = parseUnitsStrict("price", a.price, token.decimals);
      const signer = await resolveSigner(hre, a.from);
      const market = await deployed(hre, "CreditMarketplace", signer);
      const credit = await deployed(hre, "CarbonCredit");
      const { events } = await sendWithApprovals(
        hre,
        signer,
        [{ kind: "erc1155", credit, operator: await market.getAddress(), operatorName: "CreditMarketplace" }],
        {
          label: `list ${tonnes(kg)} of batch ${batchId} at ${money(price, token)}/t`,
          contract: market,
          method: "list",
          args: [batchId, kg, tokenAddr, price],
        },
      );
      const ev = events.find((e) => e.name === "Listed");
      if (ev) console.log(`listing id ${ev.args.listingId}`);
    }),
  );

/** Payment token of a listing: read from a listing getter when the marketplace has one, else --token. */
async function listingToken(market: any, listingId: bigint): Promise<string | undefined> {
  const getter = firstPresent(functionNames(market), ["listing", "listings", "getListing"]);
  if (!getter) return undefined;
  const l = await market[getter](listingId);
  const t = l.paymentToken ?? l.token;
  return typeof t === "string" ? t : undefined;
}

task(
  "market:buy",
  "Buys credits from a listing (pays seller and fee in the same tx); --retire retires them at once.\n" +
    "  Approves the marketplace for the quoted price first when needed (after simulating the buy with it).\n" +
    "  Example: npx hardhat market:buy --network localhost --listing 1 --tonnes 20 --max-total 250.00 --retire " +
    '--beneficiary-name "Acme Airlines" --reason "2025 flights" --from 4',
)
  .addParam("listing", "listing id, e.g. 1")
  .addParam("tonnes", "amount in tonnes, up to 3 decimals, e.g. 20")
  .addParam("maxTotal", "the most you agree to pay in payment-token units, e.g. 250.00 (front-running guard)")
  .addOptionalParam(
    "token",
    "payment token when the marketplace has no listing getter: deployment name or address",
    "TestStablecoin",
  )
  .addFlag("retire", "retire the bought credits in the same transaction (buyAndRetire → certificate)")
  .addOptionalParam("beneficiary", "with --retire: certificate owner (0x…); default: the buyer")
  .addOptionalParam("beneficiaryName", "with --retire: name on the certificate", "")
  .addOptionalParam("reason", "with --retire: retirement reason", "")
  .addOptionalParam("from", "signer (the buyer): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const listingId = parseUint("listing", a.listing, { min: 1n });
      const kg = parseTonnes("tonnes", a.tonnes);
      const beneficiary = a.beneficiary === undefined ? undefined : parseAddress("beneficiary", a.beneficiary);
      const signer = await resolveSigner(hre, a.from);
      const buyer = await signer.getAddress();
      const market = await deployed(hre, "CreditMarketplace", signer);
      const tokenAddr = (await listingToken(market, listingId)) ?? (await resolveAddress(hre, "token", a.token));
      const token = await erc20(hre, tokenAddr, signer);
      const maxTotal = parseUnitsStrict("max-total", a.maxTotal, token.decimals);
      // the price this buy pulls (the fee is paid out of it); a refusal here names the listing's problem
      const [total] = (await market.quote(listingId, kg).catch(async (err: unknown) => {
        throw new HardhatPluginError(
          PLUGIN,
          await describeError(
            hre,
            err,
            `${a.retire ? "buy and retire" : "buy"} ${tonnes(kg)} from listing ${listingId}`,
          ),
        );
      })) as [bigint, bigint];
      const spend = total <= maxTotal ? total : maxTotal;
      const approval = { kind: "erc20" as const, token, spender: await market.getAddress(), amount: spend };
      const what = `${tonnes(kg)} from listing ${listingId} for ${money(total, token)} (at most ${money(maxTotal, token)})`;
      if (a.retire) {
        const { events } = await sendWithApprovals(hre, signer, [approval], {
          label: `buy and retire ${what}`,
          contract: market,
          method: "buyAndRetire",
          args: [listingId, kg, maxTotal, beneficiary ?? buyer, a.beneficiaryName, a.reason],
        });
        const ev = events.find((e) => e.name === "Retired");
        if (ev) console.log(`certificate id ${ev.args.certificateId}`);
      } else {
        await sendWithApprovals(hre, signer, [approval], {
          label: `buy ${what}`,
          contract: market,
          method: "buy",
          args: [listingId, kg, maxTotal],
        });
      }
    }),
  );

task(
  "market:cancel",
  "Cancels the signer's listing; the unsold credits come back to the seller.\n" +
    "  Example: npx hardhat market:cancel --network localhost --listing 1 --from 3",
)
  .addParam("listing", "listing id, e.g. 1")
  .addOptionalParam("from", "signer (the seller): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const listingId = parseUint("listing", a.listing, { min: 1n });
      const signer = await resolveSigner(hre, a.from);
      const market = await deployed(hre, "CreditMarketplace", signer);
      const l = await market.listing(listingId);
      await send(
        hre,
        `cancel listing ${listingId} (${tonnes(BigInt(l.remainingKg))} of batch ${l.batchId} back to the seller)`,
        market,
        "cancel",
        [listingId],
      );
    }),
  );

task(
  "market:show",
  "Shows a listing: seller, batch, remaining tonnes, price per tonne and the quote for an amount.\n" +
    "  Example: npx hardhat market:show --network localhost --listing 1 --tonnes 20",
)
  .addParam("listing", "listing id, e.g. 1")
  .addOptionalParam("tonnes", "also quote this amount in tonnes, e.g. 20")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const listingId = parseUint("listing", a.listing, { min: 1n });
      const market = await deployed(hre, "CreditMarketplace");
      const l = await market.listing(listingId);
      const token = await erc20(hre, l.paymentToken);
      console.log(`listing ${listingId}`);
      console.log(`  seller     ${l.seller}`);
      console.log(`  batch      ${l.batchId}`);
      console.log(`  remaining  ${tonnes(BigInt(l.remainingKg))}${BigInt(l.remainingKg) === 0n ? " (closed)" : ""}`);
      console.log(`  price      ${money(BigInt(l.pricePerTonne), token)} per tonne`);
      if (a.tonnes !== undefined) {
        const kg = parseTonnes("tonnes", a.tonnes);
        const [total, fee] = (await market.quote(listingId, kg)) as [bigint, bigint];
        console.log(`  quote      ${tonnes(kg)}: ${money(total, token)} (fee ${money(fee, token)})`);
      }
    }),
  );

task(
  "market:fee",
  "Sets the marketplace fee (bps of each purchase, at most MAX_FEE_BPS) and its treasury; later purchases pay it.\n" +
    "  Needs DEFAULT_ADMIN_ROLE: where the TreelionTimelock holds it (public networks) the task refuses, sends\n" +
    "  nothing and prints the gov:schedule command instead.\n" +
    "  Example: npx hardhat market:fee --network localhost --bps 250 --treasury treasury",
)
  .addParam("bps", "fee in basis points (100 = 1 %), e.g. 250")
  .addOptionalParam("treasury", "fee recipient: address or named account (default: the current treasury)")
  .addOptionalParam("from", "signer (the admin): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const signer = await resolveSigner(hre, a.from);
      const market = await deployed(hre, "CreditMarketplace", signer);
      const bps = await parseFeeBps(market, "bps", a.bps!);
      const treasury = a.treasury ? await parseTreasury(hre, market, "treasury", a.treasury) : await market.treasury();
      const [curBps, curTreasury] = await Promise.all([market.feeBps(), market.treasury()]);
      if (Number(curBps) === bps && curTreasury === treasury) {
        console.log(`CreditMarketplace: the fee is already ${formatBps(bps)} to ${treasury}: nothing to do`);
        return;
      }
      await sendAdminChanges(hre, market, "CreditMarketplace", ZeroHash, [
        {
          label: `set the CreditMarketplace fee to ${formatBps(bps)} (was ${formatBps(curBps)}), treasury ${treasury}`,
          method: "setFee",
          args: [bps, treasury],
          call: `setFee(${bps}, ${treasury})`,
        },
      ]);
    }),
  );
