/**
 * `npm run bench:gas`: measures every hot operation of the suite on the embedded network,
 * prints a table, writes bench/gas.json and fails when an operation exceeds its budget in
 * bench/budgets.json. Each module in bench/gas/ runs on a fresh deployment.
 */
import fs from "fs";
import path from "path";
import hre from "hardhat";
import { type GasModule, type GasRow, loadBudgets, measured, traceFloor } from "./lib";
import { table } from "../scripts/lib/format";

async function main() {
  const dir = path.join(__dirname, "gas");
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort();
  const rows: GasRow[] = [];
  for (const f of files) {
    const mod = (await import(path.join(dir, f))).default as GasModule;
    await hre.deployments.fixture(mod.tags);
    measured.length = 0;
    const modRows = await mod.measure(hre);
    // Floor of each row from the trace of the transaction it measured (matched by exact gas used).
    for (const r of modRows) {
      const tx = [...measured].reverse().find((m) => m.gas === r.gas);
      if (tx) r.floor = await traceFloor(hre.network.provider, tx.hash, tx.data, tx.gas);
    }
    rows.push(...modRows);
  }
  const budgets = loadBudgets(hre.config.paths.root);
  const over: string[] = [];
  const printable = rows.map((r) => {
    const budget = budgets[r.key];
    if (budget !== undefined && r.gas > budget) over.push(`${r.key}: ${r.gas} > budget ${budget}`);
    return {
      operation: `${r.area}: ${r.op}`,
      gas: r.gas.toLocaleString("en-US"),
      budget: budget === undefined ? "" : budget.toLocaleString("en-US"),
      floor: r.floor === undefined ? "" : r.floor.toLocaleString("en-US"),
      "floor %": r.floor === undefined ? "" : `${Math.round((r.gas / r.floor) * 100)}`,
      note: r.note ?? "",
    };
  });
  console.log(table(printable));
  const missing = Object.keys(budgets).filter((k) => !rows.some((r) => r.key === k));
  const out = path.join(hre.config.paths.root, "bench", "gas.json");
  fs.writeFileSync(
    out,
    JSON.stringify(
      { generatedAt: new Date().toISOString(), solc: hre.config.solidity.compilers[0].version, rows, budgets },
      null,
      2,
    ) + "\n",
  );
  console.log(`\nwrote ${path.relative(process.cwd(), out)} (${rows.length} operations)`);
  if (missing.length > 0) {
    console.error(`budgets without a measurement: ${missing.join(", ")}`);
    process.exitCode = 1;
  }
  if (over.length > 0) {
    console.error(`over budget:\n  ${over.join("\n  ")}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
