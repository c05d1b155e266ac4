/** Decoding of revert data into `{ name, args }` for every custom error of the suite (and OZ, Error, Panic). */
import { Interface, type ErrorFragment, type JsonFragment, type Result } from "ethers";
import { compiledAbis } from "./abi";

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
}

let suiteErrors: Interface | undefined;

/** One Interface holding every error of every compiled contract (deduplicated by selector), plus Error/Panic. */
export function suiteErrorInterface(extraAbis: JsonFragment[][] = []): Interface {
  if (suiteErrors && extraAbis.length === 0) return suiteErrors;
  const seen = new Map<string, JsonFragment>();
  const add = (f: JsonFragment) => {
    if (f.type !== "error" || !f.name) return;
    const sig = `${f.name}(${(f.inputs ?? []).map((i) => canonicalType(i)).join(",")})`;
    if (!seen.has(sig)) seen.set(sig, f);
  };
  for (const abi of compiledAbis().values()) abi.forEach(add);
  for (const abi of extraAbis) abi.forEach(add);
  const iface = new Interface([...seen.values(), "error Error(string message)", "error Panic(uint256 code)"]);
  if (extraAbis.length === 0) suiteErrors = iface;
  return iface;
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
  const iface = suiteErrorInterface(extraAbis);
  let desc;
  try {
    desc = iface.parseError(data);
  } catch {
    return undefined;
  }
  if (!desc) return undefined;
  const frag: ErrorFragment = desc.fragment;
  const args = resultToArray(desc.args);
  const namedArgs: Record<string, unknown> = {};
  frag.inputs.forEach((input, i) => {
    if (input.name) namedArgs[input.name] = args[i];
  });
  return { name: desc.name, args, namedArgs, signature: desc.signature, selector: desc.selector, data };
}
