/**
 * Climate integrity tasks: buffer rates, quality labels, reversals and compensation (BufferPool).
 * Every input and precondition is checked before the first transaction; each task says what it sent.
 */
import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Contract } from "ethers";
import { PLUGIN, action, deployed, describeError, resolveSigner, send } from "./lib/runner";
import { sendWithApprovals } from "./lib/approvals";
import { PROJECT_STATUSES, TaskInputError, parseBps, parseBytes32, parseTonnes, parseUint } from "./lib/parse";
import { tonnes } from "../scripts/lib/format";
import { formatLabels, parseLabels, toReversal, type Reversal } from "../sdk/buffer";

/** A view call whose revert (unknown id, …) becomes a readable input error before anything is sent. */
async function read<T>(hre: HardhatRuntimeEnvironment, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new HardhatPluginError(PLUGIN, await describeError(hre, err, what));
  }
}

async function reversalOf(hre: HardhatRuntimeEnvironment, buffer: Contract, id: bigint): Promise<Reversal> {
  return toReversal(id, await read(hre, `reversal ${id}`, () => buffer.reversal(id)));
}

function printReversal(r: Reversal): void {
  console.log(`reversal ${r.id} of project ${r.projectId}${r.avoidable ? " (avoidable)" : ""}`);
  console.log(`  reported    ${tonnes(r.amountKg)} on ${new Date(Number(r.reportedAt) * 1000).toISOString()}`);
  console.log(`  cancelled   ${tonnes(r.cancelledKg)} of buffer credits`);
  console.log(`  uncovered   ${tonnes(r.uncoveredKg)}${r.uncoveredKg > 0n ? " (the whole buffer was spent)" : ""}`);
  console.log(
    `  to settle   ${tonnes(r.remainingKg)}${r.remainingKg > 0n ? ` (npx hardhat buffer:settle --id ${r.id})` : ""}`,
  );
  if (r.avoidable)
    console.log(`  owed        ${tonnes(r.owedKg)}${r.owedKg > 0n ? " (issuance blocked until compensated)" : ""}`);
  console.log(`  evidence    ${r.evidence}`);
}

task(
  "project:buffer",
  "Shows a project's non-permanence buffer (rate, own buffer left, what it owes), or sets its buffer rate with\n" +
    "  --bps (VERIFIER_ROLE; at most 5,000 bps = 50 %). The rate applies to later issuance.\n" +
    "  Example: npx hardhat project:buffer --network localhost --id 1 --bps 1000 --from verifier",
)
  .addParam("id", "project id, e.g. 1")
  .addOptionalParam("bps", "new buffer rate in basis points, 0..5000 (1000 = 10 %); omit to only show")
  .addOptionalParam("from", "signer for --bps (needs VERIFIER_ROLE): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const id = parseUint("id", a.id, { min: 1n });
      const bps = a.bps === undefined ? undefined : parseBps("bps", a.bps, 5_000);
      const registry = await deployed(hre, "GreenProjectRegistry");
      const current = Number(await read(hre, `project ${id}`, () => registry.bufferRateOf(id)));
      if (bps !== undefined) {
        const signer = await resolveSigner(hre, a.from);
        const who = await signer.getAddress();
        if (!(await registry.isVerifier(who)))
          throw new TaskInputError(`--from: ${who} lacks VERIFIER_ROLE on GreenProjectRegistry`);
        if (bps === current) console.log(`project ${id}: buffer rate already ${bps} bps, nothing sent`);
        else
          await send(
            hre,
            `set project ${id} buffer rate ${current} → ${bps} bps`,
            registry.connect(signer) as Contract,
            "setBufferRate",
            [id, bps],
          );
      }
      const rate = Number(await registry.bufferRateOf(id));
      console.log(
        `project ${id}: buffer rate ${rate} bps (${(rate / 100).toFixed(2)} % of each issuance, whole tonnes rounded up)`,
      );
      const buffer = await hre.deployments.getOrNull("BufferPool");
      if (!buffer) {
        console.log("  no BufferPool deployment on this network: projects with a rate cannot be issued yet");
        return;
      }
      const pool = await deployed(hre, "BufferPool");
      const [owedKg, oldest] = await pool.owedBy(id);
      console.log(`  own buffer  ${tonnes(await pool.bufferOf(id))}`);
      console.log(
        `  owes        ${tonnes(owedKg)}${oldest > 0n ? ` (oldest reversal ${oldest}: issuance blocked)` : ""}`,
      );
    }),
  );

task(
  "credits:labels",
  "Shows a batch's quality labels, or sets them with --set (ISSUER_ROLE; replaces the previous labels).\n" +
    `  Labels: CORSIA_ELIGIBLE, CCP_APPROVED, CORRESPONDING_ADJUSTMENT, REMOVAL (or "none").\n` +
    '  Example: npx hardhat credits:labels --network localhost --batch 1 --set "CORSIA_ELIGIBLE,CCP_APPROVED" --from verifier',
)
  .addParam("batch", "batch id, e.g. 1")
  .addOptionalParam("set", 'labels, comma-separated names (case-insensitive), a bit mask, or "none"; omit to only show')
  .addOptionalParam("from", "signer for --set (needs ISSUER_ROLE): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const batchId = parseUint("batch", a.batch, { min: 1n });
      let labels: number | undefined;
      if (a.set !== undefined) {
        try {
          labels = parseLabels(a.set);
        } catch (err) {
          throw new TaskInputError(`--set: ${(err as Error).message}`);
        }
      }
      const credit = await deployed(hre, "CarbonCredit");
      await read(hre, `batch ${batchId}`, () => credit.batch(batchId));
      const current = Number(await credit.labelsOf(batchId));
      if (labels !== undefined) {
        const signer = await resolveSigner(hre, a.from);
        const who = await signer.getAddress();
        if (!(await credit.hasRole(await credit.ISSUER_ROLE(), who)))
          throw new TaskInputError(`--from: ${who} lacks ISSUER_ROLE on CarbonCredit`);
        if (labels === current) console.log(`batch ${batchId}: labels already ${formatLabels(labels)}, nothing sent`);
        else
          await send(
            hre,
            `set batch ${batchId} labels ${formatLabels(current)} → ${formatLabels(labels)}`,
            credit.connect(signer) as Contract,
            "setLabels",
            [batchId, labels],
          );
      }
      console.log(`batch ${batchId}: labels ${formatLabels(await credit.labelsOf(batchId))}`);
    }),
  );

task(
  "buffer:reversal",
  "Reports a reversal (fire, logging, …) of a project's credits: cancels that much buffer credit, the project's own\n" +
    "  first, then the pooled buffer (at most 20 batches now; buffer:settle continues). --avoidable makes the\n" +
    "  project owe it back (no issuance until compensated). Needs the registry's VERIFIER_ROLE.\n" +
    '  Example: npx hardhat buffer:reversal --network localhost --project 1 --tonnes 25 --evidence "ipfs://fire-report" --avoidable --from verifier',
)
  .addParam("project", "project id, e.g. 1")
  .addParam("tonnes", "reversed amount in tonnes CO2e, up to 3 decimals, e.g. 12.5")
  .addParam("evidence", "evidence: 0x 32-byte hash, or its id/URI text (hashed with keccak256)")
  .addFlag("avoidable", "the reversal was avoidable: the project owes the amount back")
  .addOptionalParam("from", "signer (needs the registry's VERIFIER_ROLE): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | boolean | undefined>, hre) => {
      const projectId = parseUint("project", a.project as string, { min: 1n });
      const kg = parseTonnes("tonnes", a.tonnes as string);
      const evidence = parseBytes32("evidence", a.evidence as string);
      const avoidable = Boolean(a.avoidable);
      const signer = await resolveSigner(hre, a.from as string | undefined);
      const who = await signer.getAddress();
      const registry = await deployed(hre, "GreenProjectRegistry");
      const buffer = await deployed(hre, "BufferPool", signer);
      await read(hre, `project ${projectId}`, () => registry.statusOf(projectId));
      if (!(await registry.isVerifier(who)))
        throw new TaskInputError(`--from: ${who} lacks VERIFIER_ROLE on GreenProjectRegistry`);
      if (await buffer.paused()) throw new HardhatPluginError(PLUGIN, "BufferPool is paused");
      const own = await buffer.bufferOf(projectId);
      const total = await buffer.totalBufferKg();
      console.log(
        `buffer before: project ${projectId} own ${tonnes(own)}, whole buffer ${tonnes(total)}` +
          (kg > total ? ` — ${tonnes(kg - total)} will stay uncovered` : ""),
      );
      const { events } = await send(
        hre,
        `report ${avoidable ? "an avoidable" : "a"} reversal of ${tonnes(kg)} for project ${projectId}`,
        buffer,
        "reportReversal",
        [projectId, kg, avoidable, evidence],
      );
      const ev = events.find((e) => e.name === "ReversalReported");
      if (ev) printReversal(await reversalOf(hre, buffer, BigInt(ev.args.reversalId as bigint)));
    }),
  );

task(
  "buffer:settle",
  "Continues an open reversal: cancels up to 20 more buffer batches per transaction (anyone may call it).\n" +
    "  --all repeats until nothing is left, printing progress.\n" +
    "  Example: npx hardhat buffer:settle --network localhost --id 1 --all",
)
  .addParam("id", "reversal id, e.g. 1")
  .addFlag("all", "keep sending until the reversal is settled")
  .addOptionalParam("from", "signer: named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | boolean | undefined>, hre) => {
      const id = parseUint("id", a.id as string, { min: 1n });
      const signer = await resolveSigner(hre, a.from as string | undefined);
      const buffer = await deployed(hre, "BufferPool", signer);
      let r = await reversalOf(hre, buffer, id);
      if (r.remainingKg === 0n) {
        printReversal(r);
        throw new HardhatPluginError(PLUGIN, `reversal ${id} is already settled`);
      }
      if (await buffer.paused()) throw new HardhatPluginError(PLUGIN, "BufferPool is paused");
      let round = 0;
      do {
        round++;
        const before = r.remainingKg;
        await send(hre, `settle reversal ${id} (round ${round}, ${tonnes(before)} left)`, buffer, "settleReversal", [
          id,
        ]);
        r = await reversalOf(hre, buffer, id);
        console.log(`  progress: ${tonnes(r.amountKg - r.remainingKg)} of ${tonnes(r.amountKg)} done`);
      } while (a.all && r.remainingKg > 0n);
      printReversal(r);
    }),
  );

task(
  "buffer:compensate",
  "Pays an avoidable reversal back: moves the signer's credits of a batch of an Active project into the buffer\n" +
    "  (pooled, for later reversals). Sends setApprovalForAll(BufferPool) first when missing, only once the\n" +
    "  compensation itself is known to pass. Works while the buffer is paused.\n" +
    "  Example: npx hardhat buffer:compensate --network localhost --reversal 1 --batch 3 --tonnes 2 --from 3",
)
  .addParam("reversal", "reversal id, e.g. 1")
  .addParam("batch", "batch id of the credits to move, e.g. 3")
  .addParam("tonnes", "amount in tonnes CO2e, up to 3 decimals, e.g. 2")
  .addOptionalParam("from", "signer (holds the credits): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const id = parseUint("reversal", a.reversal, { min: 1n });
      const batchId = parseUint("batch", a.batch, { min: 1n });
      const kg = parseTonnes("tonnes", a.tonnes);
      const signer = await resolveSigner(hre, a.from);
      const who = await signer.getAddress();
      const buffer = await deployed(hre, "BufferPool", signer);
      const credit = await deployed(hre, "CarbonCredit", signer);
      const registry = await deployed(hre, "GreenProjectRegistry");
      const r = await reversalOf(hre, buffer, id);
      if (r.owedKg === 0n)
        throw new TaskInputError(
          `--reversal: reversal ${id} owes nothing (${r.avoidable ? "fully compensated" : "not avoidable"})`,
        );
      if (kg > r.owedKg)
        throw new TaskInputError(`--tonnes: reversal ${id} owes ${tonnes(r.owedKg)}, not ${tonnes(kg)}`);
      const b = await read(hre, `batch ${batchId}`, () => credit.batch(batchId));
      const status = PROJECT_STATUSES[Number(await registry.statusOf(b.projectId))];
      if (status !== "Active")
        throw new TaskInputError(`--batch: batch ${batchId}'s project ${b.projectId} is ${status}, not Active`);
      const balance: bigint = await credit.balanceOf(who, batchId);
      if (balance < kg)
        throw new TaskInputError(`--tonnes: ${who} holds ${tonnes(balance)} of batch ${batchId}, not ${tonnes(kg)}`);
      const bufferAddress = await buffer.getAddress();
      await sendWithApprovals(
        hre,
        signer,
        [{ kind: "erc1155", credit, operator: bufferAddress, operatorName: "BufferPool" }],
        {
          label: `compensate ${tonnes(kg)} of batch ${batchId} against reversal ${id}`,
          contract: buffer,
          method: "compensate",
          args: [id, batchId, kg],
        },
      );
      printReversal(await reversalOf(hre, buffer, id));
    }),
  );

task(
  "buffer:show",
  "Shows the buffer: totals, and a project's own buffer and debt (--project) or a reversal (--id).\n" +
    "  Example: npx hardhat buffer:show --network localhost --project 1",
)
  .addOptionalParam("project", "project id, e.g. 1")
  .addOptionalParam("id", "reversal id, e.g. 1")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const projectId = a.project === undefined ? undefined : parseUint("project", a.project, { min: 1n });
      const id = a.id === undefined ? undefined : parseUint("id", a.id, { min: 1n });
      const buffer = await deployed(hre, "BufferPool");
      const [total, pooled, count, entries, paused] = await Promise.all([
        buffer.totalBufferKg(),
        buffer.pooledBufferKg(),
        buffer.reversalCount(),
        buffer.entryCount(),
        buffer.paused(),
      ]);
      console.log(
        `BufferPool ${await buffer.getAddress()}${paused ? " (paused: reports and settlements stopped)" : ""}`,
      );
      console.log(`  buffer      ${tonnes(total)} in ${entries} batch entries (${tonnes(pooled)} pooled compensation)`);
      console.log(`  reversals   ${count}`);
      if (projectId !== undefined) {
        const registry = await deployed(hre, "GreenProjectRegistry");
        const rate = Number(await read(hre, `project ${projectId}`, () => registry.bufferRateOf(projectId)));
        const [owedKg, oldest] = await buffer.owedBy(projectId);
        console.log(`project ${projectId}: rate ${rate} bps, own buffer ${tonnes(await buffer.bufferOf(projectId))}`);
        console.log(`  owes ${tonnes(owedKg)}${oldest > 0n ? ` (oldest reversal ${oldest}: issuance blocked)` : ""}`);
      }
      if (id !== undefined) printReversal(await reversalOf(hre, buffer, id));
    }),
  );
