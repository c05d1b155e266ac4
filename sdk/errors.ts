/**
 * The one error decoder: revert data → `{ name, args, formatted }` for every custom error of the suite (its
 * contracts, interfaces and libraries, OpenZeppelin's included: the generated ERROR_FRAGMENTS), plus
 * Error(string) and Panic(uint256). `formatted` names enum members and roles: `WrongStatus(Subscription, Active)`,
 * `AccessControlUnauthorizedAccount(0x…, ISSUER_ROLE)`. Browser-safe.
 */
import { Interface, type ErrorFragment, type JsonFragment, type Result } from "ethers";
import { ERROR_FRAGMENTS } from "./generated";
import { formatCall, type AbiParamLike, type FormatOptions } from "./names";

export interface DecodedError {
  /** Error name, e.g. "SerialRangeOverlap", "AccessControlUnauthorizedAccount", "Error", "Panic". */
  name: string;
  /** Positional arguments (bigint for integers). */
  args: unknown[];
  /** Arguments by parameter name (where the ABI names them). */
  namedArgs: Record<string, unknown>;
  /** Canonical signature, e.g. "ZeroAmount()". */
  signature: string;
  selector: string;
  /** The raw revert data. */
  data: string;
  /** JSON ABI parameters of the error (internalType names enums) */
  inputs: readonly AbiParamLike[];
  /** one line with enum and role names, e.g. `WrongStatus(Subscription, Active)` */
  formatted: string;
}

interface ErrorTable {
  iface: Interface;
  /** selector → fragment (ethers' parseError recomputes every selector on each call) */
  bySelector: Map<string, ErrorFragment>;
  /** signature → JSON inputs (with internalType) */
  json: Map<string, readonly AbiParamLike[]>;
}

let suiteTable: ErrorTable | undefined;

function errorTable(extraAbis: JsonFragment[][]): ErrorTable {
  if (suiteTable && extraAbis.length === 0) return suiteTable;
  const seen = new Map<string, JsonFragment>();
  const add = (f: JsonFragment) => {
    if (f.type !== "error" || !f.name) return;
    const sig = `${f.name}(${(f.inputs ?? []).map((i) => canonicalType(i)).join(",")})`;
    if (!seen.has(sig)) seen.set(sig, f);
  };
  (ERROR_FRAGMENTS as unknown as JsonFragment[]).forEach(add);
  for (const abi of extraAbis) abi.forEach(add);
  const iface = new Interface([...seen.values(), "error Error(string message)", "error Panic(uint256 code)"]);
  const bySelector = new Map<string, ErrorFragment>();
  iface.forEachError((f) => {
    if (!bySelector.has(f.selector)) bySelector.set(f.selector, f);
  });
  const json = new Map([...seen].map(([sig, f]) => [sig, (f.inputs ?? []) as readonly AbiParamLike[]]));
  const table = { iface, bySelector, json };
  if (extraAbis.length === 0) suiteTable = table;
  return table;
}

/** One Interface holding every error of every suite contract (deduplicated by selector), plus Error/Panic. */
export function suiteErrorInterface(extraAbis: JsonFragment[][] = []): Interface {
  return errorTable(extraAbis).iface;
}

function canonicalType(p: { type?: string; components?: readonly any[] }): string {
  if (p.type?.startsWith("tuple")) return `(${(p.components ?? []).map(canonicalType).join(",")})${p.type.slice(5)}`;
  return p.type ?? "";
}

/** Finds revert data in an ethers / Hardhat / provider error object (or accepts the hex data itself). */
export function revertDataOf(err: unknown): string | undefined {
  if (typeof err === "string") return /^0x[0-9a-fA-F]*$/.test(err) && err.length >= 10 ? err : undefined;
  const seen = new Set<unknown>();
  const walk = (e: any): string | undefined => {
    if (!e || typeof e !== "object" || seen.has(e)) return undefined;
    seen.add(e);
    for (const k of ["data", "revertData"]) {
      const v = e[k];
      if (typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v) && v.length >= 10) return v;
      if (v && typeof v === "object") {
        const inner = walk(v);
        if (inner) return inner;
      }
    }
    for (const k of ["error", "info", "cause", "receipt", "revert"]) {
      const inner = walk(e[k]);
      if (inner) return inner;
    }
    // JSON-RPC errors relayed as text: "...data: 0x1234abcd..."
    if (typeof e.message === "string") {
      const m = /(?:data|reverted with custom error|return data)[^0-9a-fx]*?(0x[0-9a-fA-F]{8,})/.exec(e.message);
      if (m) return m[1];
    }
    return undefined;
  };
  return walk(err);
}

function resultToArray(r: Result): unknown[] {
  return Array.from(r, (v) =>
    v && typeof v === "object" && typeof (v as Result).toArray === "function" ? (v as Result).toArray(true) : v,
  );
}

/**
 * Decodes a revert: `decodeError(err)` on anything a failed call/tx threw (or on revert data) →
 * `{ name, args, … }`, or `undefined` when there is no revert data or it matches no known error.
 */
export function decodeError(err: unknown, extraAbis: JsonFragment[][] = []): DecodedError | undefined {
  const data = revertDataOf(err);
  if (!data) return undefined;
  const table = errorTable(extraAbis);
  const frag = table.bySelector.get(data.slice(0, 10).toLowerCase());
  if (!frag) return undefined;
  let decodedArgs: Result;
  try {
    decodedArgs = table.iface.decodeErrorResult(frag, data);
  } catch {
    return undefined;
  }
  const args = resultToArray(decodedArgs);
  const namedArgs: Record<string, unknown> = {};
  frag.inputs.forEach((input, i) => {
    if (input.name) namedArgs[input.name] = args[i];
  });
  const signature = frag.format("sighash");
  const inputs = table.json.get(signature) ?? frag.inputs.map((p) => ({ name: p.name, type: p.type }) as AbiParamLike);
  const desc = { name: frag.name, signature, selector: frag.selector };
  const formatted = formatCall(desc.name, inputs, args);
  return {
    name: desc.name,
    args,
    namedArgs,
    signature: desc.signature,
    selector: desc.selector,
    data,
    inputs,
    formatted,
  };
}

/**
 * A decoded error as one line, with custom value rendering (e.g. token amounts with symbols):
 * `formatError(decoded, { value: (p, v) => (p.name === "price" ? usd(v) : undefined) })`.
 */
export function formatError(decoded: DecodedError, opts: FormatOptions = {}): string {
  return opts.value ? formatCall(decoded.name, decoded.inputs, decoded.args, opts) : decoded.formatted;
}

/**
 * What went wrong, in one line: the decoded custom error (formatted), else the error's short message.
 * For any value a failed call or transaction threw.
 */
export function describeError(err: unknown, opts: FormatOptions & { extraAbis?: JsonFragment[][] } = {}): string {
  const decoded = decodeError(err, opts.extraAbis);
  if (decoded) return formatError(decoded, opts);
  const e = err as { shortMessage?: string; message?: string } | undefined;
  return e?.shortMessage ?? e?.message ?? String(err);
}
