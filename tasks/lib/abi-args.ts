/**
 * Turns a human-written JSON object into ABI arguments, guided by the function's parameter types and
 * names (used by bond:create, whose terms are a struct). Pure: no network access.
 *
 * Conversion by Solidity type, then by field name:
 *  - address: 0x address, or a name looked up in `names` (deployment names such as "TestStablecoin")
 *  - uintN: converted by the field name (numbers and strings alike; "raw:123" passes a smallest-unit integer as is):
 *      price|amount|principal|coupon  → money, with `moneyDecimals` ("100.25")
 *      cap|units|supply               → bond units, 18 decimals ("1000")
 *      period|window|grace|duration   → a duration ("30d", "3600")
 *      *at|time|start|end|open|close|maturity|deadline → a date (ISO or unix seconds)
 *      anything else (bps, ids, counts)   → a whole number
 *  - bool: true/false; bytes32: 0x hash or text (hashed); bytes2: two-letter country; string: as is;
 *  - tuples by component name, arrays element by element.
 */
import type { ParamType } from "ethers";
import {
  TaskInputError,
  parseAddress,
  parseBytes32,
  parseCountry,
  parseDate,
  parseDuration,
  parseUint,
  parseUnitsStrict,
} from "./parse";

export interface AbiArgContext {
  moneyDecimals: number;
  names?: Record<string, string>;
}

const MONEY = /price|amount|principal|coupon(?!rate|period)/i;
const UNITS = /cap|units|supply/i;
const DURATION = /period|window|grace|duration/i;
const DATE = /(at|time|start|end|open|close|maturity|deadline)$/i;

export function toAbiValue(p: ParamType, value: unknown, where: string, ctx: AbiArgContext): unknown {
  if (value === undefined || value === null) throw new TaskInputError(`${where}: missing (${p.type})`);
  if (p.isTuple()) {
    if (typeof value !== "object" || Array.isArray(value)) throw new TaskInputError(`${where}: expected an object`);
    const o = value as Record<string, unknown>;
    const known = new Set(p.components.map((c) => c.name));
    const unknown = Object.keys(o).filter((k) => !known.has(k));
    if (unknown.length)
      throw new TaskInputError(`${where}: unknown field(s) ${unknown.join(", ")} (expected ${[...known].join(", ")})`);
    return p.components.map((c) => toAbiValue(c, o[c.name], `${where}.${c.name}`, ctx));
  }
  if (p.isArray()) {
    if (!Array.isArray(value)) throw new TaskInputError(`${where}: expected an array`);
    if (p.arrayLength >= 0 && value.length !== p.arrayLength)
      throw new TaskInputError(`${where}: expected ${p.arrayLength} entries`);
    return value.map((v, i) => toAbiValue(p.arrayChildren, v, `${where}[${i}]`, { ...ctx }));
  }
  const name = p.name || where.split(".").pop() || "";
  const s = String(value).trim();
  if (p.type === "address") {
    if (!s.startsWith("0x") && ctx.names?.[s]) return ctx.names[s];
    return parseAddress(where, s, true);
  }
  if (p.type === "bool") {
    if (value === true || s === "true") return true;
    if (value === false || s === "false") return false;
    throw new TaskInputError(`${where}: expected true or false`);
  }
  if (p.type === "string") return String(value);
  if (p.type === "bytes32") return parseBytes32(where, s, true);
  if (p.type === "bytes2") return parseCountry(where, s);
  const m = /^u?int(\d*)$/.exec(p.type);
  if (m) {
    const bits = BigInt(m[1] || "256");
    let n: bigint;
    if (/^raw:\d+$/.test(s)) n = BigInt(s.slice(4));
    else if (MONEY.test(name)) n = parseUnitsStrict(where, s, ctx.moneyDecimals, true);
    else if (UNITS.test(name)) n = parseUnitsStrict(where, s, 18, true);
    else if (DURATION.test(name)) n = parseDuration(where, s);
    else if (DATE.test(name)) n = parseDate(where, s);
    else n = parseUint(where, s);
    if (n >= 2n ** bits) throw new TaskInputError(`${where}: ${n} does not fit in ${p.type}`);
    return n;
  }
  throw new TaskInputError(`${where}: unsupported type ${p.type}`);
}

/** Arguments of a function from a JSON object keyed by parameter name; a lone struct parameter may be given flat. */
export function argsFromJson(inputs: readonly ParamType[], json: unknown, ctx: AbiArgContext): unknown[] {
  if (!json || typeof json !== "object" || Array.isArray(json))
    throw new TaskInputError("terms file: expected a JSON object");
  const o = json as Record<string, unknown>;
  if (inputs.length === 1 && inputs[0].isTuple() && !(inputs[0].name in o)) {
    return [toAbiValue(inputs[0], o, inputs[0].name || "terms", ctx)];
  }
  const known = new Set(inputs.map((i) => i.name));
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length)
    throw new TaskInputError(`terms file: unknown field(s) ${unknown.join(", ")} (expected ${[...known].join(", ")})`);
  return inputs.map((p) => toAbiValue(p, o[p.name], p.name, ctx));
}

/** Finds the payment-token address in a terms JSON (any key named like *token*), for decimals lookup. */
export function findTokenField(json: unknown): string | undefined {
  if (!json || typeof json !== "object") return undefined;
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (/token/i.test(k) && typeof v === "string") return v;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const inner = findTokenField(v);
      if (inner) return inner;
    }
  }
  return undefined;
}
