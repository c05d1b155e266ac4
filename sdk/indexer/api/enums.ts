/**
 * Solidity enum names (ProjectStatus, Category, …) for the API, read from the compiler output (Hardhat's
 * artifacts/build-info, the AST's EnumDefinition nodes): contract facts come from the compiled artifacts.
 */
import fs from "fs";
import path from "path";

export type EnumTable = Record<string, readonly string[]>;

const ROOT = path.resolve(__dirname, "../../..");

function walk(node: unknown, out: Record<string, string[]>): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, out);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as Record<string, any>;
  if (n.nodeType === "EnumDefinition" && Array.isArray(n.members)) {
    out[n.name] ??= n.members.map((m: { name: string }) => m.name);
    return;
  }
  for (const v of Object.values(n)) if (v && typeof v === "object") walk(v, out);
}

let cached: EnumTable | undefined;

/** Every enum of the suite's contracts/ sources by name (empty when nothing is compiled). */
export function suiteEnums(buildInfoDir = path.join(ROOT, "artifacts", "build-info")): EnumTable {
  if (cached) return cached;
  const out: Record<string, string[]> = {};
  const files = fs.existsSync(buildInfoDir) ? fs.readdirSync(buildInfoDir).filter((f) => f.endsWith(".json")) : [];
  for (const f of files) {
    const info = JSON.parse(fs.readFileSync(path.join(buildInfoDir, f), "utf8"));
    for (const [source, s] of Object.entries<any>(info.output?.sources ?? {}))
      if (source.startsWith("contracts/") && !source.startsWith("contracts/test/")) walk(s.ast, out);
  }
  cached = out;
  return out;
}

/** The name of member `i` of enum `name` ("Active"); the number as text when the enum is unknown. */
export function enumName(table: EnumTable, name: string, i: unknown): string {
  const v = Number(i);
  return table[name]?.[v] ?? String(v);
}

/** The member number of `value` in enum `name` (accepts the name in any case, or the number). */
export function enumValue(table: EnumTable, name: string, value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) < (table[name]?.length ?? Infinity) ? Number(value) : undefined;
  const i = (table[name] ?? []).findIndex((m) => m.toLowerCase() === value.toLowerCase());
  return i < 0 ? undefined : i;
}
