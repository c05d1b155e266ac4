import type { Act } from "../context";
import type { CarbonCredit, RetirementCertificate } from "../../../typechain-types";
import { formatTonnes } from "../../lib/format";

function decodeJson(uri: string): any {
  return JSON.parse(Buffer.from(uri.replace(/^data:application\/json;base64,/, ""), "base64").toString("utf8"));
}

/** Credits change hands and are retired; each retirement mints a soulbound certificate. */
const act: Act = {
  title: "Transfer and retirement",
  async run(ctx) {
    const { developer, buyer } = ctx.cast;
    const credit = await ctx.contract<CarbonCredit>("CarbonCredit", developer);
    const cert = await ctx.contract<RetirementCertificate>("RetirementCertificate");
    const b = ctx.state.batches as Record<string, bigint>;

    await ctx.send(
      "developer sells 120 t of forest 2021 to Acme (off-market transfer)",
      credit.safeTransferFrom(developer.address, buyer.address, b.forest2021, 120_000n, "0x"),
    );
    const rc1 = await ctx.send(
      "Acme retires 100.5 t for its 2025 flights",
      credit
        .connect(buyer)
        .retire(b.forest2021, 100_500n, buyer.address, "Acme Airlines", 'Offsetting 2025 corporate travel "Scope 3"'),
    );
    const rc2 = await ctx.send(
      "developer retires 2 batches under one certificate",
      credit.retireBatch(
        [b.mangrove2020, b.dac2024],
        [5_000n, 1_250n],
        developer.address,
        "Kasigau Co-op",
        "Voluntary",
      ),
    );
    const certIds = [ctx.event(rc1, "Retired").args.certificateId, ctx.event(rc2, "Retired").args.certificateId].map(
      (x) => BigInt(x as string),
    );
    ctx.state.certificates = certIds;

    const balances = [];
    for (const who of [developer, buyer]) {
      for (const [key, id] of Object.entries(b)) {
        const bal = await credit.balanceOf(who.address, id);
        if (bal > 0n)
          balances.push({ holder: ctx.who(who.address), batch: `${id} (${key})`, balance: formatTonnes(bal) });
      }
    }
    ctx.table("Credit balances", balances);

    const retired = [];
    for (const [key, id] of Object.entries(b)) {
      const info = await credit.batch(id);
      retired.push({
        batch: `${id} (${key})`,
        issued: formatTonnes(info.issuedKg),
        retired: formatTonnes(info.retiredKg),
      });
    }
    ctx.table("Retired per batch", retired);

    for (const id of certIds) {
      const json = decodeJson(await cert.tokenURI(id));
      ctx.print(`\n  Certificate #${id} (locked: ${await cert.locked(id)}) — tokenURI JSON:`);
      ctx.print("  " + JSON.stringify(json, null, 2).split("\n").join("\n  "));
    }
  },
};
export default act;
