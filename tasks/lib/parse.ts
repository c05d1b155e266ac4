/**
 * Pure validation and parsing of operator task arguments. Every function throws a TaskInputError whose
 * message names the argument and says what was expected; nothing here talks to a network.
 */
import fs from "fs";
import path from "path";
import { getAddress, id, isHexString } from "ethers";
import { readFactsJson } from "../../config/facts";
import type { RoleName } from "../../config/deploy-utils";

export class TaskInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TaskInputError";
  }
}

const fail = (msg: string): never => {
  throw new TaskInputError(msg);
};

/** A checksummed address; accepts any case. The zero address is refused unless allowZero. */
export function parseAddress(name: string, value: string | undefined, allowZero = false): string {
  const v = (value ?? "").trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(v)) fail(`--${name}: "${v}" is not an address (0x followed by 40 hex digits)`);
  let out: string;
  try {
    out = getAddress(v);
  } catch {
    // mixed case with a wrong checksum
    return fail(`--${name}: "${v}" has an invalid EIP-55 checksum (mixed-case letters do not match)`);
  }
  if (!allowZero && /^0x0{40}$/.test(v)) fail(`--${name}: the zero address is not allowed`);
  return out;
}

/**
 * A decimal amount in human units ("1.5", "100.25", "1,000") → integer in the smallest unit.
 * Refuses negatives, exponents, more fractional digits than `decimals`, and (unless allowZero) zero.
 */
export function parseUnitsStrict(name: string, value: string | undefined, decimals: number, allowZero = false): bigint {
  const raw = (value ?? "").trim();
  const v = raw.replace(/_/g, "").replace(/,(?=\d{3}(\D|$))/g, "");
  const m = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/.exec(v);
  if (!m) return fail(`--${name}: "${raw}" is not a positive decimal number (e.g. 1.5 or 100.25)`);
  const whole = m[1] ?? "0";
  const frac = m[2] ?? m[3] ?? "";
  if (frac.length > decimals) {
    fail(`--${name}: "${raw}" has ${frac.length} decimal places; at most ${decimals} allowed here`);
  }
  const out =
    BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac || "0").padEnd(decimals, "0").slice(0, decimals) || "0");
  if (out === 0n && !allowZero) fail(`--${name}: must be greater than zero`);
  return out;
}

/** Tonnes of CO2e ("1.5") → kg (1 unit = 1 kg), so at most 3 decimals. */
export function parseTonnes(name: string, value: string | undefined): bigint {
  return parseUnitsStrict(name, value, 3);
}

/** A non-negative integer id / count (decimal digits only). */
export function parseUint(name: string, value: string | undefined, opts: { min?: bigint; max?: bigint } = {}): bigint {
  const v = (value ?? "").trim();
  if (!/^\d+$/.test(v)) return fail(`--${name}: "${v}" is not a whole number`);
  const n = BigInt(v);
  if (opts.min !== undefined && n < opts.min) fail(`--${name}: must be at least ${opts.min}`);
  if (opts.max !== undefined && n > opts.max) fail(`--${name}: must be at most ${opts.max}`);
  return n;
}

/** Basis points 0..10,000 (or a tighter max). */
export function parseBps(name: string, value: string | undefined, max = 10_000): number {
  return Number(parseUint(name, value, { max: BigInt(max) }));
}

/**
 * A point in time → unix seconds. Accepts unix seconds ("1767225600"), an ISO date ("2026-01-01",
 * taken as UTC midnight) or an ISO date-time ("2026-01-01T12:00:00Z"; without zone → UTC).
 */
export function parseDate(name: string, value: string | undefined): bigint {
  const v = (value ?? "").trim();
  if (/^\d+$/.test(v)) {
    const n = BigInt(v);
    if (n > 10_000_000_000n) fail(`--${name}: "${v}" looks like milliseconds; give unix seconds`);
    return n;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (!m)
    return fail(`--${name}: "${v}" is not a date (use ISO like 2026-01-31 or 2026-01-31T12:00:00Z, or unix seconds)`);
  const iso = m[4] ? v.replace(" ", "T") + (m[7] ? "" : "Z") : `${v}T00:00:00Z`;
  const ms = Date.parse(iso);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (Number.isNaN(ms) || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    fail(`--${name}: "${v}" is not a valid calendar date`);
  }
  return BigInt(Math.floor(ms / 1000));
}

/** A duration → seconds: plain seconds ("3600") or a number with unit s/m/h/d/w ("7d", "12h"). */
export function parseDuration(name: string, value: string | undefined): bigint {
  const v = (value ?? "").trim();
  const m = /^(\d+)\s*([smhdw]?)$/.exec(v);
  if (!m) return fail(`--${name}: "${v}" is not a duration (seconds, or e.g. 30m, 12h, 7d, 2w)`);
  const mult = { "": 1n, s: 1n, m: 60n, h: 3600n, d: 86400n, w: 604800n }[m[2] as "s"];
  return BigInt(m[1]) * mult;
}

/** bytes32: a 0x-prefixed 32-byte hex value as is, any other text hashed with keccak256 (a document id). */
export function parseBytes32(name: string, value: string | undefined, allowZero = false): string {
  const v = (value ?? "").trim();
  if (v === "") return fail(`--${name}: must not be empty (a 0x 32-byte hash, or text that will be hashed)`);
  let out: string;
  if (v.startsWith("0x")) {
    if (!isHexString(v, 32)) return fail(`--${name}: "${v}" is not a 32-byte hex value (0x + 64 hex digits)`);
    out = v.toLowerCase();
  } else out = id(v);
  if (!allowZero && /^0x0{64}$/.test(out)) fail(`--${name}: the zero hash is not allowed`);
  return out;
}

/** ISO 3166-1 alpha-2 country ("KE") → bytes2 hex ("0x4b45"). */
export function parseCountry(name: string, value: string | undefined): string {
  const v = (value ?? "").trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(v)) return fail(`--${name}: "${value}" is not a two-letter country code (e.g. KE, BR)`);
  return "0x" + Buffer.from(v, "ascii").toString("hex");
}

/** Case-insensitive choice from an enum-like list; returns the index. */
export function parseChoice(name: string, value: string | undefined, choices: readonly string[]): number {
  if (choices.length === 0) fail(`--${name}: contract facts are not generated yet: run \`npx hardhat compile\` first`);
  const v = (value ?? "").trim();
  if (/^\d+$/.test(v) && Number(v) < choices.length) return Number(v);
  const i = choices.findIndex((c) => c.toLowerCase() === v.toLowerCase());
  if (i < 0) fail(`--${name}: "${v}" is not one of ${choices.join(", ")}`);
  return i;
}

/**
 * Enum member and role names from the generated contract facts. Read as data (sdk/generated/facts.json) because
 * this module loads with hardhat.config.ts, before the first compile; empty until then.
 */
const facts = readFactsJson();
export const CATEGORIES: readonly string[] = facts?.enums.Category ?? [];
export const PROJECT_STATUSES: readonly string[] = facts?.enums.ProjectStatus ?? [];
export const ROLE_NAMES = Object.keys(facts?.roles ?? {})
  .map((r) => r.replace(/_ROLE$/, "") as RoleName)
  .sort((a, b) => (a === "DEFAULT_ADMIN" ? -1 : b === "DEFAULT_ADMIN" ? 1 : a.localeCompare(b)));
export type RoleArg = RoleName;

/** "PAUSER", "pauser", "PAUSER_ROLE", "admin" → a role name. */
export function parseRole(name: string, value: string | undefined): RoleArg {
  let v = (value ?? "").trim().toUpperCase().replace(/-/g, "_");
  if (v === "ADMIN" || v === "DEFAULT_ADMIN_ROLE") v = "DEFAULT_ADMIN";
  v = v.replace(/_ROLE$/, "");
  if (ROLE_NAMES.length === 0)
    fail(`--${name}: contract facts are not generated yet: run \`npx hardhat compile\` first`);
  if (!(ROLE_NAMES as readonly string[]).includes(v))
    fail(`--${name}: "${value}" is not one of ${ROLE_NAMES.join(", ")}`);
  return v as RoleArg;
}

/** "1001-3000" → [1001n, 3000n] (inclusive serial range, one serial per tonne). */
export function parseSerialRange(name: string, value: string | undefined): [bigint, bigint] {
  const v = (value ?? "").trim();
  const m = /^(\d+)\s*[-–]\s*(\d+)$/.exec(v);
  if (!m) return fail(`--${name}: "${v}" is not a serial range like 1001-3000`);
  const [a, b] = [BigInt(m[1]), BigInt(m[2])];
  if (a > b) fail(`--${name}: range start ${a} is above its end ${b}`);
  if (b >= 2n ** 64n) fail(`--${name}: serials must fit in 64 bits`);
  return [a, b];
}

/** Reads and parses a JSON file; the error names the file and the problem. */
export function readJsonFile(name: string, file: string | undefined, cwd = process.cwd()): unknown {
  const f = (file ?? "").trim();
  if (!f) return fail(`--${name}: a JSON file path is required`);
  const p = path.resolve(cwd, f);
  if (!fs.existsSync(p)) return fail(`--${name}: file not found: ${f}`);
  if (!fs.statSync(p).isFile()) return fail(`--${name}: ${f} is not a file`);
  try {
    return JSON.parse(fs.readFileSync(p, "utf8"));
  } catch (e) {
    return fail(`--${name}: ${f} is not valid JSON (${(e as Error).message})`);
  }
}

export interface MilestoneArg {
  amount: bigint;
  deadline: bigint;
  description: string;
}

export interface DealFile {
  projectId: bigint;
  beneficiary: string;
  /** deployment name or address, resolved by the task */
  token: string;
  milestones: MilestoneArg[];
  verifiers: string[];
  threshold: number;
  arbiter: string;
  disputeWindow: bigint;
}

/**
 * Validates an escrow deal file. Amounts are human units of the payment token (`decimals`),
 * deadlines ISO or unix, descriptions a 0x hash or text (hashed). Mirrors the contract's rules so bad
 * input never reaches the chain: 1..32 milestones, strictly increasing deadlines (the first after `now`),
 * 1 ≤ threshold ≤ verifiers ≤ 16, no duplicate verifiers.
 */
export function parseDealFile(json: unknown, decimals: number, now: bigint): DealFile {
  if (!json || typeof json !== "object" || Array.isArray(json)) return fail("deal file: expected a JSON object");
  const o = json as Record<string, any>;
  const str = (k: string) => (o[k] === undefined || o[k] === null ? undefined : String(o[k]));
  const projectId = parseUint("projectId", str("projectId"), { min: 1n });
  const beneficiary = parseAddress("beneficiary", str("beneficiary"));
  const token = str("token") ?? "TestStablecoin";
  if (token.startsWith("0x")) parseAddress("token", token);
  if (!Array.isArray(o.milestones) || o.milestones.length === 0 || o.milestones.length > 32) {
    fail("deal file: milestones must be an array of 1 to 32 entries");
  }
  const milestones = (o.milestones as any[]).map((m, i) => {
    if (!m || typeof m !== "object") return fail(`deal file: milestones[${i}] must be an object`);
    return {
      amount: parseUnitsStrict(
        `milestones[${i}].amount`,
        m.amount === undefined ? undefined : String(m.amount),
        decimals,
      ),
      deadline: parseDate(`milestones[${i}].deadline`, m.deadline === undefined ? undefined : String(m.deadline)),
      description: parseBytes32(
        `milestones[${i}].description`,
        m.description === undefined ? undefined : String(m.description),
      ),
    };
  });
  if (milestones[0].deadline <= now) {
    const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
    // "now" is the chain's latest block (what the escrow compares with), which time:advance may have moved
    fail(
      `deal file: milestones[0].deadline must be in the future: ${iso(milestones[0].deadline)} is not after the latest block (${iso(now)})`,
    );
  }
  for (let i = 1; i < milestones.length; i++) {
    if (milestones[i].deadline <= milestones[i - 1].deadline) {
      fail(`deal file: milestones[${i}].deadline must be after milestones[${i - 1}].deadline`);
    }
  }
  if (!Array.isArray(o.verifiers) || o.verifiers.length === 0 || o.verifiers.length > 16) {
    fail("deal file: verifiers must be an array of 1 to 16 addresses");
  }
  const verifiers = (o.verifiers as unknown[]).map((v, i) => parseAddress(`verifiers[${i}]`, String(v)));
  if (new Set(verifiers).size !== verifiers.length) fail("deal file: verifiers contain a duplicate");
  const threshold = Number(parseUint("threshold", str("threshold"), { min: 1n, max: BigInt(verifiers.length) }));
  const arbiter = parseAddress("arbiter", str("arbiter"));
  const disputeWindow = parseDuration("disputeWindow", str("disputeWindow") ?? "7d");
  return { projectId, beneficiary, token, milestones, verifiers, threshold, arbiter, disputeWindow };
}

/** Picks the first of several candidate names present in a list (ABI function names etc.). */
export function firstPresent(available: Iterable<string>, candidates: string[]): string | undefined {
  const set = new Set(available);
  return candidates.find((c) => set.has(c));
}
