import type { Act, DemoContext } from "../context";
import type { CarbonCredit, CarbonPool, RetirementCertificate } from "../../../typechain-types";
import { formatUnits, formatTonnes } from "../../lib/format";

const TOKEN_PER_KG = 10n ** 15n;
const T = 1000n;

function decodeJson(uri: string): any {
  return JSON.parse(Buffer.from(uri.replace(/^data:application\/json;base64,/, ""), "base64").toString("utf8"));
}

/** Pool tokens (18 decimals, 1e18 = 1 t) → "12.5 NCP". */
function poolTokens(wei: bigint, symbol: string): string {
  return `${formatUnits(wei, 18, 3)} ${symbol}`;
}

/** Carbon pools: the developer deposits eligible credits, sells pool tokens to Acme, Acme retires from the pool. */
const act: Act = {
  title: "Carbon pools (NCP nature, TCP tech)",
  async run(ctx: DemoContext) {
    const { developer, buyer, treasury } = ctx.cast;
    const credit = await ctx.contract<CarbonCredit>("CarbonCredit", developer);
    const ncp = await ctx.contract<CarbonPool>("NatureCarbonPool", developer);
    const tcp = await ctx.contract<CarbonPool>("TechCarbonPool", developer);
    const cert = await ctx.contract<RetirementCertificate>("RetirementCertificate");
    const b = ctx.state.batches as Record<string, bigint>;
    const label = (id: bigint) => Object.entries(b).find(([, v]) => v === id)?.[0] ?? `batch ${id}`;

    // eligibility at a glance
    const eligibility = [];
    for (const [key, id] of Object.entries(b)) {
      eligibility.push({
        batch: `${id} (${key})`,
        NCP: (await ncp.isEligible(id)) ? "yes" : "no",
        TCP: (await tcp.isEligible(id)) ? "yes" : "no",
      });
    }
    ctx.table(
      "Pool eligibility (NCP: forestry/blue carbon/agriculture, vintage ≥ 2016; TCP: carbon removal)",
      eligibility,
    );

    await ctx.send(
      "developer approves both pools on CarbonCredit",
      credit.setApprovalForAll(await ncp.getAddress(), true),
    );
    await ctx.send("(TCP approval)", credit.setApprovalForAll(await tcp.getAddress(), true));
    await ctx.send("developer deposits 100 t of mangrove 2020 into NCP", ncp.deposit(b.mangrove2020, 100n * T));
    await ctx.send("developer deposits 200 t of forest 2022 into NCP", ncp.deposit(b.forest2022, 200n * T));
    await ctx.send(
      "developer pushes 50 t of DAC 2024 straight to TCP (safeTransferFrom counts as a deposit)",
      credit.safeTransferFrom(developer.address, await tcp.getAddress(), b.dac2024, 50n * T, "0x"),
    );

    await ctx.send(
      "developer sells 120 NCP to Acme (ERC-20 transfer)",
      ncp.transfer(buyer.address, 120n * T * TOKEN_PER_KG),
    );
    await ctx.send("developer sells 20 TCP to Acme", tcp.transfer(buyer.address, 20n * T * TOKEN_PER_KG));

    const retireRc = await ctx.send(
      "Acme retires 110 t from NCP (auto: oldest batches first, one certificate)",
      ncp.connect(buyer).retireFromPool(0n, 110n * T, buyer.address, "Acme Airlines", "2025 fleet emissions via NCP"),
    );
    const certId = BigInt(ctx.event(retireRc, "RetiredFromPool").args.certificateId as string);
    const tcpRc = await ctx.send(
      "Acme retires 10 t of DAC 2024 from TCP (chosen batch, 0.5 % retire fee)",
      tcp.connect(buyer).retireFromPool(b.dac2024, 10n * T, buyer.address, "Acme Airlines", "Durable removals"),
    );
    const tcpCertId = BigInt(ctx.event(tcpRc, "RetiredFromPool").args.certificateId as string);
    await ctx.send("developer redeems 5 t of forest 2022 from NCP (1 % redeem fee)", ncp.redeem(b.forest2022, 5n * T));

    const holdings: Record<string, unknown>[] = [];
    const invariant: Record<string, unknown>[] = [];
    for (const [name, pool] of [
      ["NCP", ncp],
      ["TCP", tcp],
    ] as const) {
      const [ids, amounts] = await pool.holdings(0n, 50n);
      let sum = 0n;
      ids.forEach((id, i) => {
        holdings.push({ pool: name, "queue #": i + 1, batch: `${id} (${label(id)})`, held: formatTonnes(amounts[i]) });
        sum += amounts[i];
      });
      const supply = await pool.totalSupply();
      invariant.push({
        pool: name,
        totalSupply: poolTokens(supply, name),
        "Σ held": formatTonnes(sum),
        "Σ held × 1e15 == totalSupply": sum * TOKEN_PER_KG === supply ? "✓" : "✗ BROKEN",
      });
      if (sum * TOKEN_PER_KG !== supply) throw new Error(`${name}: backing invariant broken`);
    }
    ctx.table("Pool holdings (FIFO order)", holdings);

    const balances = [];
    for (const who of [developer, buyer, treasury]) {
      balances.push({
        holder: ctx.who(who.address),
        NCP: poolTokens(await ncp.balanceOf(who.address), "NCP"),
        TCP: poolTokens(await tcp.balanceOf(who.address), "TCP"),
      });
    }
    ctx.table("Pool token balances (fees go to the treasury in pool tokens, so they stay backed)", balances);
    ctx.table("Backing invariant", invariant);

    for (const id of [certId, tcpCertId]) {
      const json = decodeJson(await cert.tokenURI(id));
      ctx.print(`\n  Certificate #${id} (owner ${ctx.who(await cert.ownerOf(id))}):`);
      ctx.print("  " + JSON.stringify(json));
    }
    ctx.state.poolCertificates = [certId, tcpCertId];
    ctx.note("poolCertificates", [certId.toString(), tcpCertId.toString()]);
  },
};
export default act;
