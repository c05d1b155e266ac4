import { ethers } from "ethers";
import type { Act } from "../context";
import type { CarbonCredit } from "../../../typechain-types";
import { formatTonnes } from "../../lib/format";
import { findOverlapHint } from "../../../sdk/serials";

/** The verifier issues credit batches with serial ranges (one serial per tonne). */
const act: Act = {
  title: "Carbon credit issuance",
  async run(ctx) {
    const credit = await ctx.contract<CarbonCredit>("CarbonCredit", ctx.cast.verifier);
    const dev = ctx.cast.developer.address;
    const { forest, mangrove, dac } = ctx.state.projects as Record<string, bigint>;
    const plan = [
      { key: "forest2021", projectId: forest, vintage: 2021, serialStart: 1001n, serialEnd: 3000n },
      { key: "forest2022", projectId: forest, vintage: 2022, serialStart: 3001n, serialEnd: 4500n },
      { key: "mangrove2020", projectId: mangrove, vintage: 2020, serialStart: 1n, serialEnd: 800n },
      { key: "dac2024", projectId: dac, vintage: 2024, serialStart: 1n, serialEnd: 250n },
    ];
    // A second run on the same node reuses the projects: its serials start above every earlier range.
    const offsets = new Map<bigint, bigint>();
    for (const id of [forest, mangrove, dac]) {
      const [, highest] = await credit.rangeEnds(id);
      offsets.set(id, highest === 0n ? 0n : (await credit.batch(highest)).serialEnd + 5000n);
    }
    const shift = <T extends { projectId: bigint; serialStart: bigint; serialEnd: bigint }>(b: T): T => ({
      ...b,
      serialStart: b.serialStart + offsets.get(b.projectId)!,
      serialEnd: b.serialEnd + offsets.get(b.projectId)!,
    });
    ctx.state.batches = {};
    for (const b of plan.map(shift)) {
      const rc = await ctx.send(
        `issue ${b.key}`,
        credit.issue({ ...b, to: dev, attestation: ethers.id(`verification-report:${b.key}`) }),
      );
      ctx.state.batches[b.key] = BigInt(ctx.event(rc, "BatchIssued").args.batchId as string);
    }
    // An older range below the highest one needs the sorted-list hint (found by the SDK's findOverlapHint).
    const older = shift({ projectId: forest, vintage: 2020, serialStart: 1n, serialEnd: 1000n });
    const hint = await findOverlapHint(credit, forest, older);
    if (!hint.ok) throw new Error(`forest2020 overlaps batch ${hint.overlap.batchId}`);
    const hintRc = await ctx.send(
      `issue forest2020 below earlier ranges (with hint ${hint.prevBatchId})`,
      credit.issueWithHint(
        { ...older, to: dev, attestation: ethers.id("verification-report:forest2020") },
        hint.prevBatchId,
      ),
    );
    ctx.state.batches.forest2020 = BigInt(ctx.event(hintRc, "BatchIssued").args.batchId as string);

    const rows = [];
    for (const [key, id] of Object.entries(ctx.state.batches as Record<string, bigint>)) {
      const b = await credit.batch(id);
      rows.push({
        batch: id.toString(),
        label: key,
        project: b.projectId.toString(),
        vintage: b.vintage.toString(),
        serials: `${b.serialStart}–${b.serialEnd}`,
        issued: formatTonnes(b.issuedKg),
        holder: ctx.who(dev),
      });
    }
    ctx.table("Issued batches", rows);
  },
};
export default act;
