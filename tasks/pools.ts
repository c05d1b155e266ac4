import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { PLUGIN, action, deployed, resolveSigner, send } from "./lib/runner";
import { sendWithApprovals } from "./lib/approvals";
import { enumLabel, enumMembers } from "./lib/facts";
import { TaskInputError, parseChoice, parseTonnes, parseUint } from "./lib/parse";
import { formatBps, parseFeeBps, parseTreasury, sendAdminChanges } from "./lib/governed";
import { id as keccakId, type Contract, type Signer } from "ethers";
import { suiteDeployments } from "../config/deploy-utils";
import { formatUnits, tonnes } from "../scripts/lib/format";

const POOL_HELP = "pool deployment name: NatureCarbonPool (NCP) or TechCarbonPool (TCP), or its address";

/**
 * The carbon pool at --pool (a pool deployment's name, any case, or its address); `a.pool` becomes its deployment
 * name. Anything else is refused naming this network's pools (not "no deployment … run deploy first").
 */
async function poolAt(hre: any, a: { pool?: string }, signer?: Signer): Promise<Contract> {
  const all = await suiteDeployments(hre);
  const pools = Object.entries(all).filter(([, d]) =>
    (d.abi as { type: string; name?: string }[]).some((x) => x.type === "function" && x.name === "redeemAuto"),
  );
  const v = String(a.pool ?? "")
    .trim()
    .toLowerCase();
  const hit = pools.find(([name, d]) => name.toLowerCase() === v || d.address.toLowerCase() === v);
  if (!hit)
    throw new TaskInputError(
      `--pool: "${a.pool}" is not a carbon pool on ${hre.network.name} (pools: ${pools.map(([n]) => n).join(", ") || "none deployed"})`,
    );
  a.pool = hit[0];
  return deployed(hre, hit[0], signer);
}

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
      const pool = await poolAt(hre, a, signer);
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
      const pool = await poolAt(hre, a, signer);
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
      const pool = await poolAt(hre, a);
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
      console.log(`  redeem fee    ${formatBps(redeemFee)}`);
      console.log(`  retire fee    ${formatBps(retireFee)}`);
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

task(
  "pool:fees",
  "Sets a carbon pool's redeem and retire fees (bps, each at most MAX_FEE_BPS) and its treasury; omitted ones\n" +
    "  keep their value. Needs POOL_ADMIN_ROLE: where the TreelionTimelock holds it (public networks) the task\n" +
    "  refuses, sends nothing and prints the gov:schedule command instead.\n" +
    "  Example: npx hardhat pool:fees --network localhost --pool NatureCarbonPool --redeem-bps 100 --retire-bps 50",
)
  .addParam("pool", POOL_HELP)
  .addOptionalParam("redeemBps", "fee on redeem in basis points (100 = 1 %), e.g. 100")
  .addOptionalParam("retireBps", "fee on retireFromPool in basis points, e.g. 50")
  .addOptionalParam("treasury", "fee recipient: address or named account")
  .addOptionalParam("from", "signer (the pool admin): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const pool = await poolAt(hre, a, await resolveSigner(hre, a.from));
      const [curRedeem, curRetire, curTreasury] = await Promise.all([
        pool.redeemFeeBps(),
        pool.retireFeeBps(),
        pool.treasury(),
      ]);
      const redeem = a.redeemBps === undefined ? Number(curRedeem) : await parseFeeBps(pool, "redeem-bps", a.redeemBps);
      const retire = a.retireBps === undefined ? Number(curRetire) : await parseFeeBps(pool, "retire-bps", a.retireBps);
      const treasury = a.treasury === undefined ? curTreasury : await parseTreasury(hre, pool, "treasury", a.treasury);
      if (redeem === Number(curRedeem) && retire === Number(curRetire) && treasury === curTreasury) {
        console.log(`${a.pool}: fees and treasury are already these: nothing to do`);
        return;
      }
      await sendAdminChanges(hre, pool, a.pool!, await pool.POOL_ADMIN_ROLE(), [
        {
          label:
            `set the ${a.pool} fees: redeem ${formatBps(redeem)} (was ${formatBps(curRedeem)}), ` +
            `retire ${formatBps(retire)} (was ${formatBps(curRetire)}), treasury ${treasury}`,
          method: "setFees",
          args: [redeem, retire, treasury],
          call: `setFees(${redeem}, ${retire}, ${treasury})`,
        },
      ]);
    }),
  );

task(
  "pool:criteria",
  "Sets what a carbon pool accepts: minimum vintage, project categories and standards; omitted ones keep their\n" +
    "  value (batches already held stay). Needs POOL_ADMIN_ROLE: where the TreelionTimelock holds it (public\n" +
    "  networks) the task refuses, sends nothing and prints the gov:schedule command instead.\n" +
    '  Example: npx hardhat pool:criteria --network localhost --pool TechCarbonPool --min-vintage 2019 --categories "CarbonRemoval,RenewableEnergy" --standards "Verra VCS,Gold Standard"',
)
  .addParam("pool", POOL_HELP)
  .addOptionalParam("minVintage", "oldest vintage accepted, e.g. 2019")
  .addOptionalParam("categories", 'accepted project categories, comma-separated, e.g. "Forestry,BlueCarbon"')
  .addOptionalParam("standards", 'accepted standards, comma-separated (e.g. "Verra VCS,Gold Standard"), or "any"')
  .addOptionalParam("from", "signer (the pool admin): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const pool = await poolAt(hre, a, await resolveSigner(hre, a.from));
      const cur = await pool.criteria();
      const minVintage =
        a.minVintage === undefined ? BigInt(cur.minVintage) : parseUint("min-vintage", a.minVintage, { max: 65535n });
      let mask = BigInt(cur.categoryMask);
      if (a.categories !== undefined) {
        const members = await enumMembers(hre, "Category");
        const names = a.categories.split(",").map((s) => s.trim());
        if (names.some((n) => !n)) throw new TaskInputError("--categories: an empty name in the list");
        mask = names.reduce((m, n) => m | (1n << BigInt(parseChoice("categories", n, members))), 0n);
      }
      let standards: string[] = [...cur.standards];
      if (a.standards !== undefined) {
        const list = a.standards.trim().toLowerCase() === "any" ? [] : a.standards.split(",").map((s) => s.trim());
        if (list.some((s) => !s)) throw new TaskInputError("--standards: an empty name in the list");
        const max = Number(await pool.MAX_STANDARDS());
        if (list.length > max) throw new TaskInputError(`--standards: at most ${max} standards (got ${list.length})`);
        standards = list.map((s) => keccakId(s)); // the registry's standard ids: keccak256 of the name
      }
      const same =
        minVintage === BigInt(cur.minVintage) &&
        mask === BigInt(cur.categoryMask) &&
        standards.length === cur.standards.length &&
        standards.every((s, i) => s === cur.standards[i]);
      if (same) {
        console.log(`${a.pool}: the criteria are already these: nothing to do`);
        return;
      }
      const categories = (await enumMembers(hre, "Category")).filter((_, i) => (mask >> BigInt(i)) & 1n);
      await sendAdminChanges(hre, pool, a.pool!, await pool.POOL_ADMIN_ROLE(), [
        {
          label:
            `set the ${a.pool} criteria: vintage ≥ ${minVintage}, categories ${categories.join(", ") || "(none)"}, ` +
            `standards ${a.standards ?? (standards.length ? `${standards.length} unchanged` : "any")}`,
          method: "setCriteria",
          args: [{ minVintage, categoryMask: mask, standards }],
          call: criteriaCall(minVintage, mask, standards),
        },
      ]);
    }),
  );

/** The gov:schedule form of a `setCriteria` call: a struct is written `[…]`, as gov:schedule parses it. */
export function criteriaCall(minVintage: bigint, mask: bigint, standards: string[]): string {
  return `setCriteria([${minVintage}, ${mask}, [${standards.join(", ")}]])`;
}
