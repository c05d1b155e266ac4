import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { PLUGIN, action, deployed, resolveSigner, send } from "./lib/runner";
import { sendWithApprovals } from "./lib/approvals";
import { enumLabel, enumMembers } from "./lib/facts";
import { parseTonnes, parseUint } from "./lib/parse";
import { formatUnits, tonnes } from "../scripts/lib/format";

const POOL_HELP = "pool deployment name: NatureCarbonPool (NCP) or TechCarbonPool (TCP)";

task(
  "pool:deposit",
  "Deposits credits of a batch into a carbon pool and receives pool tokens (1 t = 1 token).\n" +
    "  Approves the pool on CarbonCredit first when needed.\n" +
    "  Example: npx hardhat pool:deposit --network localhost --pool NatureCarbonPool --batch 1 --tonnes 250 --from 3",
)
  .addParam("pool", POOL_HELP)
  .addParam("batch", "batch id, e.g. 1")
  .addParam("tonnes", "amount in tonnes, up to 3 decimals, e.g. 250 or 12.5")
  .addOptionalParam("from", "signer (the credit holder): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const batchId = parseUint("batch", a.batch, { min: 1n });
      const kg = parseTonnes("tonnes", a.tonnes);
      const signer = await resolveSigner(hre, a.from);
      const pool = await deployed(hre, a.pool, signer);
      const reason = await pool.eligibility(batchId);
      if (Number(reason) !== 0) {
        throw new HardhatPluginError(
          PLUGIN,
          `batch ${batchId} is not eligible for ${a.pool}: ${await enumLabel(hre, "Ineligibility", reason)}`,
        );
      }
      const credit = await deployed(hre, "CarbonCredit");
      await sendWithApprovals(
        hre,
        signer,
        [{ kind: "erc1155", credit, operator: await pool.getAddress(), operatorName: a.pool }],
        {
          label: `deposit ${tonnes(kg)} of batch ${batchId} into ${a.pool}`,
          contract: pool,
          method: "deposit",
          args: [batchId, kg],
        },
      );
      console.log(
        `pool token balance: ${formatUnits(await pool.balanceOf(await signer.getAddress()), 18)} ${await pool.symbol()}`,
      );
    }),
  );

task(
  "pool:redeem",
  "Redeems pool tokens for credits: of a chosen batch (--batch) or the oldest deposits first (no --batch).\n" +
    "  Example: npx hardhat pool:redeem --network localhost --pool NatureCarbonPool --tonnes 10 --batch 1 --from 3",
)
  .addParam("pool", POOL_HELP)
  .addParam("tonnes", "amount in tonnes, up to 3 decimals, e.g. 10 or 0.5")
  .addOptionalParam("batch", "batch id to redeem from; omit for FIFO (redeemAuto, ≤ 20 batches)")
  .addOptionalParam("from", "signer (the pool token holder): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const kg = parseTonnes("tonnes", a.tonnes);
      const batchId = a.batch === undefined ? undefined : parseUint("batch", a.batch, { min: 1n });
      const signer = await resolveSigner(hre, a.from);
      const pool = await deployed(hre, a.pool!, signer);
      const have: bigint = await pool.balanceOf(await signer.getAddress());
      if (have < kg * 10n ** 15n) {
        throw new HardhatPluginError(
          PLUGIN,
          `the signer holds ${formatUnits(have, 18)} pool tokens, fewer than ${tonnes(kg)}`,
        );
      }
      if (batchId === undefined)
        await send(hre, `redeem ${tonnes(kg)} from ${a.pool} (oldest first)`, pool, "redeemAuto", [kg]);
      else await send(hre, `redeem ${tonnes(kg)} of batch ${batchId} from ${a.pool}`, pool, "redeem", [batchId, kg]);
    }),
  );

task(
  "pool:info",
  "Shows a carbon pool: supply, fees, treasury, eligibility criteria, paused state (and a batch's eligibility).\n" +
    "  Example: npx hardhat pool:info --network localhost --pool NatureCarbonPool --batch 1",
)
  .addParam("pool", POOL_HELP)
  .addOptionalParam("batch", "also say whether this batch is eligible, and why not")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const pool = await deployed(hre, a.pool!);
      const [symbol, supply, redeemFee, retireFee, treasury, c, paused] = await Promise.all([
        pool.symbol(),
        pool.totalSupply(),
        pool.redeemFeeBps(),
        pool.retireFeeBps(),
        pool.treasury(),
        pool.criteria(),
        pool.paused(),
      ]);
      const categories = await enumMembers(hre, "Category");
      const mask = BigInt(c.categoryMask);
      const allowed = categories.filter((_, i) => (mask >> BigInt(i)) & 1n);
      console.log(`${a.pool} (${symbol}) at ${await pool.getAddress()}${paused ? " — PAUSED" : ""}`);
      console.log(`  supply        ${formatUnits(supply, 18)} ${symbol} (= ${formatUnits(supply, 18)} t held)`);
      console.log(`  redeem fee    ${bps(redeemFee)}`);
      console.log(`  retire fee    ${bps(retireFee)}`);
      console.log(`  treasury      ${treasury}`);
      console.log(`  min vintage   ${c.minVintage}`);
      console.log(`  categories    ${allowed.length ? allowed.join(", ") : "(none)"} (mask ${mask})`);
      console.log(`  standards     ${c.standards.length ? c.standards.join(", ") : "any"}`);
      if (a.batch !== undefined) {
        const batchId = parseUint("batch", a.batch, { min: 1n });
        const reason = await pool.eligibility(batchId);
        console.log(
          `  batch ${batchId}      ${Number(reason) === 0 ? "eligible" : `not eligible: ${await enumLabel(hre, "Ineligibility", reason)}`}` +
            `, held ${tonnes(await pool.heldKg(batchId))}`,
        );
      }
    }),
  );

const bps = (v: bigint | number) => `${(Number(v) / 100).toFixed(2)} % (${v} bps)`;
