import { ethers } from "ethers";
import type { Act } from "../context";
import type { BufferPool, CarbonCredit, GreenProjectRegistry } from "../../../typechain-types";
import { tonnes } from "../../lib/format";
import { decodeError } from "../../../sdk/errors";
import { LABEL_BITS, formatLabels } from "../../../sdk/buffer";
import { Category, ProjectStatus } from "../../../sdk";

/**
 * Climate integrity: a forest with a 20 % non-permanence buffer burns. The reversal cancels buffer credits (the
 * forest's own, then the pooled buffer of the mangrove project) and never the credits the buyer holds or retired.
 * The fire was avoidable, so the forest cannot be issued again until the developer compensates the buffer.
 * Runs again on the same node: it reuses the project and issues above the earlier serials.
 */
const act: Act = {
  title: "Buffer: a forest fire reversal",
  async run(ctx) {
    const registry = await ctx.contract<GreenProjectRegistry>("GreenProjectRegistry");
    const credit = await ctx.contract<CarbonCredit>("CarbonCredit", ctx.cast.verifier);
    const buffer = await ctx.contract<BufferPool>("BufferPool", ctx.cast.verifier);
    const dev = ctx.cast.developer;
    const buyer = ctx.cast.buyer;
    const mangrove = (ctx.state.projects as Record<string, bigint>).mangrove;

    // the forest at risk (reused on a second run: DuplicateProject names it)
    const input = {
      owner: dev.address,
      name: "Xingu Fire-Risk Forest",
      category: Category.Forestry,
      country: ethers.hexlify(ethers.toUtf8Bytes("BR")),
      standard: "Verra VCS",
      externalId: "VCS-4711",
      methodology: "VM0047",
      metadataURI: "ipfs://treelion-demo/xingu.json",
    };
    const forest = await registry.registerProject.staticCall(input).then(
      async () => {
        const rc = await ctx.send(`register ${input.name}`, registry.registerProject(input));
        return BigInt(ctx.event(rc, "ProjectRegistered").args.projectId as string);
      },
      (err) => {
        const e = decodeError(err);
        if (e?.name !== "DuplicateProject") throw err;
        return BigInt(e.args[2] as bigint);
      },
    );
    if (Number(await registry.statusOf(forest)) !== ProjectStatus.Active)
      await ctx.send(
        "activate the forest",
        registry.connect(ctx.cast.verifier).setProjectStatus(forest, ProjectStatus.Active),
      );
    for (const [id, bps] of [
      [forest, 2000],
      [mangrove, 1000],
    ] as const) {
      if (Number(await registry.bufferRateOf(id)) !== bps)
        await ctx.send(
          `buffer rate of project ${id}: ${bps / 100} %`,
          registry.connect(ctx.cast.verifier).setBufferRate(id, bps),
        );
    }

    // issuance withholds the buffer share (whole tonnes, rounded up)
    const issue = async (projectId: bigint, t: bigint, key: string) => {
      const [, highest] = await credit.rangeEnds(projectId);
      const start = highest === 0n ? 1n : (await credit.batch(highest)).serialEnd + 1n;
      const rc = await ctx.send(
        `issue ${tonnes(t * 1000n)} of ${key}`,
        credit.issue({
          projectId,
          vintage: 2023,
          serialStart: start,
          serialEnd: start + t - 1n,
          to: dev.address,
          attestation: ethers.id(`verification-report:${key}`),
        }),
      );
      return {
        id: BigInt(ctx.event(rc, "BatchIssued").args.batchId as string),
        withheld: BigInt(ctx.event(rc, "BufferWithheld").args.amountKg as string),
      };
    };
    const f = await issue(forest, 100n, "xingu2023");
    const m = await issue(mangrove, 100n, "mangrove2023");
    await ctx.send(
      "label the forest batch CCP_APPROVED + CORSIA_ELIGIBLE",
      credit.setLabels(f.id, LABEL_BITS.CCP_APPROVED | LABEL_BITS.CORSIA_ELIGIBLE),
    );
    ctx.print(
      `  withheld: ${tonnes(f.withheld)} of batch ${f.id} (20 %), ${tonnes(m.withheld)} of batch ${m.id} (10 %); ` +
        `labels of batch ${f.id}: ${formatLabels(await credit.labelsOf(f.id))}`,
    );

    // the buyer holds and retires some of the forest's credits
    await ctx.send(
      "developer sells 30 t to the buyer",
      credit.connect(dev).safeTransferFrom(dev.address, buyer.address, f.id, 30_000n, "0x"),
    );
    await ctx.send(
      "buyer retires 10 t",
      credit.connect(buyer).retire(f.id, 10_000n, buyer.address, "Acme Airlines", "2026 flights"),
    );
    const before = {
      buyer: await credit.balanceOf(buyer.address, f.id),
      developer: await credit.balanceOf(dev.address, f.id),
      retired: (await credit.batch(f.id)).retiredKg,
      forestBuffer: await buffer.bufferOf(forest),
      mangroveBuffer: await buffer.bufferOf(mangrove),
    };

    // the fire: 25 t of stored carbon lost; the developer ignored the fire plan, so it is avoidable
    const fireKg = 25_000n;
    const rc = await ctx.send(
      `verifier reports a forest fire reversal of ${tonnes(fireKg)} (avoidable)`,
      buffer.reportReversal(forest, fireKg, true, ethers.id("ipfs://treelion-demo/xingu-fire-report.pdf")),
    );
    const reversalId = BigInt(ctx.event(rc, "ReversalReported").args.reversalId as string);
    const cancelled = ctx
      .current!.transactions.at(-1)!
      .events.filter((e) => e.name === "BufferCancelled")
      .map((e) => ({
        batch: String(e.args.batchId),
        from:
          BigInt(e.args.fromProjectId as string) === forest
            ? "forest's own buffer"
            : `project ${e.args.fromProjectId} (pooled)`,
        cancelled: tonnes(BigInt(e.args.amountKg as string)),
      }));
    ctx.table(`Reversal ${reversalId}: buffer credits cancelled`, cancelled);

    // issuance of the forest is blocked until the buffer is paid back
    const blocked = await credit.issue
      .staticCall({
        projectId: forest,
        vintage: 2023,
        serialStart: 1_000_000n,
        serialEnd: 1_000_000n,
        to: dev.address,
        attestation: ethers.id("blocked"),
      })
      .then(
        () => "not blocked",
        (err) => decodeError(err)?.name ?? "reverted",
      );
    ctx.print(`  new issuance of the forest: ${blocked}`);
    if (blocked !== "ReversalOutstanding") throw new Error(`expected ReversalOutstanding, got ${blocked}`);

    // the developer compensates with its own credits of the forest batch (pooled into the buffer)
    await ctx.send(
      "developer approves the BufferPool",
      credit.connect(dev).setApprovalForAll(await buffer.getAddress(), true),
    );
    await ctx.send(`developer compensates ${tonnes(fireKg)}`, buffer.connect(dev).compensate(reversalId, f.id, fireKg));
    const r = await buffer.reversal(reversalId);
    const b = await credit.batch(f.id);
    const held =
      (await credit.balanceOf(buyer.address, f.id)) +
      (await credit.balanceOf(dev.address, f.id)) +
      (await credit.balanceOf(await buffer.getAddress(), f.id));
    ctx.table("After the fire", [
      {
        what: "buyer's credits (held)",
        before: tonnes(before.buyer),
        after: tonnes(await credit.balanceOf(buyer.address, f.id)),
      },
      { what: "retired (certificates)", before: tonnes(before.retired), after: tonnes(b.retiredKg) },
      {
        what: "forest's own buffer",
        before: tonnes(before.forestBuffer),
        after: tonnes(await buffer.bufferOf(forest)),
      },
      {
        what: "mangrove's own buffer",
        before: tonnes(before.mangroveBuffer),
        after: tonnes(await buffer.bufferOf(mangrove)),
      },
      { what: "pooled compensation", before: "", after: tonnes(await buffer.pooledBufferKg()) },
      { what: "owed by the forest", before: tonnes(fireKg), after: tonnes(r.owedKg) },
    ]);
    const accounted = held + b.retiredKg + (await credit.cancelledKg(f.id));
    ctx.print(
      `  batch ${f.id} conservation: held ${tonnes(held)} + retired ${tonnes(b.retiredKg)} + cancelled ` +
        `${tonnes(await credit.cancelledKg(f.id))} = ${tonnes(accounted)} = issued ${tonnes(b.issuedKg)}`,
    );
    if (accounted !== b.issuedKg) throw new Error("conservation broken");
    if ((await credit.balanceOf(buyer.address, f.id)) !== before.buyer)
      throw new Error("the buyer's credits were touched");
    ctx.note("reversal", {
      id: reversalId.toString(),
      cancelledKg: r.cancelledKg.toString(),
      uncoveredKg: r.uncoveredKg.toString(),
    });
  },
};

export default act;
