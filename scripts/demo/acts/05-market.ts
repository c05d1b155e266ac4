import type { Act } from "../context";
import type { CarbonCredit, CreditMarketplace, RetirementCertificate, TestStablecoin } from "../../../typechain-types";
import { decodeError, signPermit } from "../../../sdk";
import { formatTonnes, usd } from "../../lib/format";

const LIST_KG = 100_000n; // 100 t
const PRICE = 14_750_000n; // 14.75 tUSD per tonne

function decodeJson(uri: string): any {
  return JSON.parse(Buffer.from(uri.replace(/^data:application\/json;base64,/, ""), "base64").toString("utf8"));
}

/** The developer sells credits on the marketplace: Acme buys and retires in one transaction, the trader buys. */
const act: Act = {
  title: "Credit marketplace: list, buy-and-retire, buy with permit",
  async run(ctx) {
    const { developer, buyer, trader, treasury } = ctx.cast;
    const market = await ctx.contract<CreditMarketplace>("CreditMarketplace", developer);
    const credit = await ctx.contract<CarbonCredit>("CarbonCredit", developer);
    const cert = await ctx.contract<RetirementCertificate>("RetirementCertificate");
    const stable = await ctx.contract<TestStablecoin>("TestStablecoin", buyer);
    const marketAddr = await market.getAddress();
    const stableAddr = await stable.getAddress();

    // forest 2021 if the developer still holds enough of it (earlier acts may have used it), else another batch
    const batches = ctx.state.batches as Record<string, bigint>;
    let chosen: [string, bigint] | undefined;
    for (const key of ["forest2021", "forest2022", "mangrove2020", ...Object.keys(batches)]) {
      if (batches[key] !== undefined && (await credit.balanceOf(developer.address, batches[key])) >= LIST_KG) {
        chosen = [key, batches[key]];
        break;
      }
    }
    if (!chosen) throw new Error("the developer holds no batch with 100 t left to list");
    const [batchKey, batchId] = chosen;

    const parties = [buyer, trader, developer, treasury];
    const before = await Promise.all(parties.map((p) => stable.balanceOf(p.address)));

    if (!(await credit.isApprovedForAll(developer.address, marketAddr))) {
      await ctx.send("developer approves the marketplace for its credits", credit.setApprovalForAll(marketAddr, true));
    }
    const listRc = await ctx.send(
      `developer lists 100 t of ${batchKey} at ${usd(PRICE)}/t`,
      market.list(batchId, LIST_KG, stableAddr, PRICE),
    );
    const listingId = BigInt(ctx.event(listRc, "Listed").args.listingId as string);
    ctx.state.market = { listingId, batchId };

    // Acme: funds, approves, buys and retires 40 t in one transaction, certificate to itself
    const acmeKg = 40_000n;
    const [acmeTotal] = await market.quote(listingId, acmeKg);
    await ctx.send("Acme is minted 2,000 tUSD", stable.mint(buyer.address, 2_000_000_000n));
    await ctx.send("Acme approves the marketplace", stable.approve(marketAddr, acmeTotal));
    const retireRc = await ctx.send(
      "Acme buys and retires 40 t (one transaction)",
      market
        .connect(buyer)
        .buyAndRetire(
          listingId,
          acmeKg,
          acmeTotal,
          buyer.address,
          "Acme Airlines",
          "2025 flights, bought on Treelion market",
        ),
    );
    const certId = BigInt(ctx.event(retireRc, "Retired").args.certificateId as string);
    const meta = decodeJson(await cert.tokenURI(certId));
    const attrs = Object.fromEntries(
      (meta.attributes ?? []).map((a: { trait_type: string; value: unknown }) => [a.trait_type, a.value]),
    );
    ctx.print(
      `\n  Certificate #${certId} → ${ctx.who(await cert.ownerOf(certId))} (locked: ${await cert.locked(certId)}): ` +
        `${formatTonnes(acmeKg)} of batch ${batchId}` +
        (Object.keys(attrs).length
          ? ` — ${Object.entries(attrs)
              .slice(0, 4)
              .map(([k, v]) => `${k}: ${v}`)
              .join(", ")}`
          : ""),
    );

    // The developer raises the price: a purchase at the old quote is refused (slippage guard)
    const traderKg = 25_500n;
    const [staleQuote] = await market.quote(listingId, traderKg);
    await ctx.send("developer raises the price to 15.50 tUSD/t", market.updatePrice(listingId, 15_500_000n));
    try {
      await market.connect(trader).buy.staticCall(listingId, traderKg, staleQuote);
      throw new Error("a buy at a stale quote should have been refused");
    } catch (err) {
      const decoded = decodeError(err);
      if (!decoded || decoded.name !== "PriceExceedsMax") throw err;
      ctx.print(
        `\n  A buy at the stale quote (${usd(staleQuote)}) is refused: PriceExceedsMax(total ${usd(BigInt(String(decoded.args[0])))}, max ${usd(BigInt(String(decoded.args[1])))})`,
      );
    }

    // The trader buys 25.5 t with an ERC-2612 permit (no separate approve transaction)
    const [traderTotal] = await market.quote(listingId, traderKg);
    await ctx.send("trader is minted 1,000 tUSD", stable.mint(trader.address, 1_000_000_000n));
    const deadline = BigInt((await ctx.hre.ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
    const sig = await signPermit(stable, trader, marketAddr, traderTotal, deadline);
    await ctx.send(
      "trader buys 25.5 t with a permit signature",
      market.connect(trader).buyWithPermit(listingId, traderKg, traderTotal, deadline, sig.v, sig.r, sig.s),
    );

    const after = await Promise.all(parties.map((p) => stable.balanceOf(p.address)));
    const roles = [
      "buyer (buy-and-retire)",
      "buyer (permit)",
      "seller",
      `fee ${(await market.feeBps()).toString()} bps`,
    ];
    const mints = [2_000_000_000n, 1_000_000_000n, 0n, 0n];
    ctx.table(
      "Money flows (tUSD)",
      parties.map((p, i) => ({
        party: ctx.who(p.address),
        role: roles[i],
        "paid (−) / received (+)": usd(after[i] - before[i] - mints[i]),
      })),
    );
    const l = await market.listing(listingId);
    ctx.table("Listing", [
      {
        listing: listingId.toString(),
        seller: ctx.who(l.seller),
        batch: `${batchId} (${batchKey})`,
        price: `${usd(l.pricePerTonne)}/t`,
        listed: formatTonnes(LIST_KG),
        sold: formatTonnes(LIST_KG - l.remainingKg),
        remaining: formatTonnes(l.remainingKg),
        escrowed: formatTonnes(await credit.balanceOf(marketAddr, batchId)),
      },
    ]);
    ctx.table("Credits after the market", [
      {
        holder: ctx.who(trader.address),
        batch: batchId.toString(),
        balance: formatTonnes(await credit.balanceOf(trader.address, batchId)),
      },
      {
        holder: ctx.who(buyer.address),
        batch: batchId.toString(),
        retired: formatTonnes(acmeKg),
        certificate: `#${certId}`,
      },
    ]);
  },
};
export default act;
