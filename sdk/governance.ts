/**
 * Governance helpers (browser-safe: ethers only). A change to a Treelion contract on a public network is a call
 * scheduled on the TreelionTimelock (OpenZeppelin TimelockController): these helpers compute its operation id,
 * turn a human-written call (`setFee(250, 0x…)`) into calldata and back, and encode the timelock's own
 * schedule / execute / cancel transactions (what a multisig such as a Safe submits).
 *
 *   const call = encodeCallText(market.interface, "setFee(250, 0xTreasury…)");
 *   const op = { target: marketAddress, value: 0n, data: call.data, predecessor: ZeroHash, salt: ZeroHash };
 *   const id = operationId(op);                       // = timelock.hashOperation(…)
 *   const tx = { to: timelockAddress, value: 0n, data: encodeSchedule(op, 2n * 86400n) };
 */
import {
  AbiCoder,
  Interface,
  ZeroHash,
  getAddress,
  id as keccakText,
  isAddress,
  isHexString,
  keccak256,
  type FunctionFragment,
  type InterfaceAbi,
  type ParamType,
} from "ethers";
import { TreelionTimelockAbi } from "./generated";

/** The timelock's ABI, generated from the compiled artifact. */
export const TIMELOCK_ABI = TreelionTimelockAbi;
const timelockIface = new Interface(TIMELOCK_ABI);
const coder = AbiCoder.defaultAbiCoder();

/** One call as the timelock schedules it. */
export interface TimelockCall {
  target: string;
  value: bigint;
  data: string;
  /** Operation that must be done first (ZeroHash: none). */
  predecessor: string;
  /** Distinguishes otherwise identical operations. */
  salt: string;
}

/** The operation id of a single call: equal to `TimelockController.hashOperation`. */
export function operationId(call: TimelockCall): string {
  return keccak256(
    coder.encode(
      ["address", "uint256", "bytes", "bytes32", "bytes32"],
      [call.target, call.value, call.data, call.predecessor, call.salt],
    ),
  );
}

/** The operation id of a batch: equal to `TimelockController.hashOperationBatch`. */
export function operationBatchId(
  calls: Pick<TimelockCall, "target" | "value" | "data">[],
  predecessor: string,
  salt: string,
): string {
  return keccak256(
    coder.encode(["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"], batchArgs(calls, predecessor, salt)),
  );
}

/** A salt from text (`"fee-2027"` → keccak256) or a 32-byte hex value; empty → ZeroHash. */
export function saltFrom(value: string | undefined): string {
  const v = (value ?? "").trim();
  if (v === "") return ZeroHash;
  if (isHexString(v, 32)) return v.toLowerCase();
  return keccakText(v);
}

/** Calldata of `timelock.schedule(call…, delay)`. */
export function encodeSchedule(call: TimelockCall, delay: bigint | number): string {
  return timelockIface.encodeFunctionData("schedule", [
    call.target,
    call.value,
    call.data,
    call.predecessor,
    call.salt,
    BigInt(delay),
  ]);
}

/** Calldata of `timelock.execute(call…)`. */
export function encodeExecute(call: TimelockCall): string {
  return timelockIface.encodeFunctionData("execute", [call.target, call.value, call.data, call.predecessor, call.salt]);
}

/** Calldata of `timelock.scheduleBatch(calls…, predecessor, salt, delay)`: several calls as one operation. */
export function encodeScheduleBatch(
  calls: Pick<TimelockCall, "target" | "value" | "data">[],
  predecessor: string,
  salt: string,
  delay: bigint | number,
): string {
  return timelockIface.encodeFunctionData("scheduleBatch", [...batchArgs(calls, predecessor, salt), BigInt(delay)]);
}

/** Calldata of `timelock.executeBatch(calls…, predecessor, salt)`. */
export function encodeExecuteBatch(
  calls: Pick<TimelockCall, "target" | "value" | "data">[],
  predecessor: string,
  salt: string,
): string {
  return timelockIface.encodeFunctionData("executeBatch", batchArgs(calls, predecessor, salt));
}

/** The timelock's batch arguments: targets, values, payloads, predecessor, salt. */
export function batchArgs(calls: Pick<TimelockCall, "target" | "value" | "data">[], predecessor: string, salt: string) {
  return [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, salt] as const;
}

/** Calldata of `timelock.cancel(id)`. */
export function encodeCancel(operation: string): string {
  return timelockIface.encodeFunctionData("cancel", [operation]);
}

/** A timelock transaction decoded: which method, the scheduled call (schedule/execute) and delay, or the id. */
export interface DecodedTimelockTx {
  method: string;
  call?: TimelockCall;
  /** scheduleBatch / executeBatch: every call (same predecessor and salt). */
  calls?: TimelockCall[];
  delay?: bigint;
  id?: string;
}

/** Decodes the calldata of a transaction sent to the timelock (e.g. one a Safe is asked to sign). */
export function decodeTimelockTx(data: string): DecodedTimelockTx {
  const tx = timelockIface.parseTransaction({ data });
  if (!tx) throw new Error("not a TreelionTimelock call");
  const a = tx.args;
  if (tx.name === "schedule" || tx.name === "execute") {
    const call = { target: a[0], value: a[1], data: a[2], predecessor: a[3], salt: a[4] } as TimelockCall;
    return { method: tx.name, call, delay: tx.name === "schedule" ? (a[5] as bigint) : undefined };
  }
  if (tx.name === "scheduleBatch" || tx.name === "executeBatch") {
    const calls = (a[0] as string[]).map((target, i) => ({
      target,
      value: a[1][i] as bigint,
      data: a[2][i] as string,
      predecessor: a[3] as string,
      salt: a[4] as string,
    }));
    return { method: tx.name, calls, delay: tx.name === "scheduleBatch" ? (a[5] as bigint) : undefined };
  }
  if (tx.name === "cancel") return { method: "cancel", id: a[0] };
  return { method: tx.name };
}

/** A scheduled call decoded against its target's ABI. */
export interface DecodedCall {
  name: string;
  signature: string;
  args: unknown[];
  /** `setFee(250, 0x…)`: the same text `encodeCallText` reads. */
  text: string;
}

/** Decodes a call's data with the target's ABI (undefined when the selector is not in it). */
export function decodeScheduledCall(abi: InterfaceAbi | Interface, data: string): DecodedCall | undefined {
  const iface = abi instanceof Interface ? abi : new Interface(abi);
  let tx;
  try {
    tx = iface.parseTransaction({ data });
  } catch {
    return undefined;
  }
  if (!tx) return undefined;
  const args = tx.fragment.inputs.map((p, i) => plain(tx.args[i]));
  return {
    name: tx.name,
    signature: tx.signature,
    args,
    text: `${tx.name}(${tx.fragment.inputs.map((p, i) => showArg(p, args[i], iface)).join(", ")})`,
  };
}

function plain(v: unknown): unknown {
  if (v && typeof v === "object" && typeof (v as any).toArray === "function") return (v as any).toArray().map(plain);
  return v;
}

/** Role getters (`X_ROLE()`) of an ABI: the role names its bytes32 arguments may carry. */
function roleNames(iface: Interface): string[] {
  const out: string[] = [];
  iface.forEachFunction((f) => {
    if (/_ROLE$/.test(f.name) && f.inputs.length === 0) out.push(f.name);
  });
  return out;
}
const TIMELOCK_ROLES = roleNames(timelockIface);

/** Role id → `NAME_ROLE` when the target (or the timelock) defines that role (ids are keccak256 of the name). */
export function roleNameOf(abi: InterfaceAbi | Interface, hash: string): string | undefined {
  return roleName(hash, abi instanceof Interface ? abi : new Interface(abi));
}

function roleName(hash: string, iface: Interface): string | undefined {
  if (hash === ZeroHash) return "DEFAULT_ADMIN_ROLE";
  return [...roleNames(iface), ...TIMELOCK_ROLES].find((n) => keccakText(n) === hash);
}

function showArg(p: ParamType, v: unknown, iface: Interface): string {
  if (p.isArray()) return `[${(v as unknown[]).map((x) => showArg(p.arrayChildren, x, iface)).join(", ")}]`;
  if (p.isTuple()) return `[${(v as unknown[]).map((x, i) => showArg(p.components[i], x, iface)).join(", ")}]`;
  if (p.type === "bytes32") return roleName(String(v), iface) ?? String(v);
  if (p.type === "string") return JSON.stringify(v);
  return String(v);
}

/** Splits `name(a, [b, c], "d, e")` into the function name and its top-level argument texts. */
export function parseCallText(text: string): { name: string; args: string[] } {
  const m = /^\s*([A-Za-z_$][\w$]*)\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a call: write name(arg1, arg2, …), e.g. setFee(250, 0x…)`);
  const body = m[2].trim();
  if (body === "") return { name: m[1], args: [] };
  return { name: m[1], args: splitTopLevel(body, ",", text) };
}

/**
 * Splits a batch `Contract.f(a, b); Other.g()` into its calls: the target (deployment name or address) and the
 * call text, as `--contract` and `--call` take them.
 */
export function parseBatchText(text: string): { contract: string; call: string }[] {
  const parts = splitTopLevel(text.trim(), ";", text).filter((p) => p !== "");
  if (parts.length === 0) throw new Error(`"${text}" has no call: write Contract.f(args); Other.g(args)`);
  return parts.map((p) => {
    const m = /^([^.()\s]+)\s*\.\s*([\s\S]+)$/.exec(p);
    if (!m) throw new Error(`"${p}" is not Contract.function(args…) (a deployment name or address, a dot, the call)`);
    return { contract: m[1], call: m[2].trim() };
  });
}

/** Splits `text` at `sep` outside brackets and double quotes (trimmed parts). */
function splitTopLevel(body: string, sep: string, text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = "";
  for (const ch of body) {
    if (quote) {
      cur += ch;
      if (ch === '"') quote = false;
      continue;
    }
    if (ch === '"') quote = true;
    else if ("[({".includes(ch)) depth++;
    else if ("])}".includes(ch)) depth--;
    if (depth < 0) throw new Error(`"${text}": unbalanced brackets`);
    if (ch === sep && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (depth !== 0 || quote) throw new Error(`"${text}": unbalanced brackets or quotes`);
  out.push(cur.trim());
  return out;
}

/** Resolves names written in a call (deployment names, named accounts) to addresses. */
export type NameResolver = (name: string) => string | undefined;

/**
 * Encodes a human-written call against an ABI. Arguments by type: address (0x…, EIP-55 checked, or a name
 * `resolve` knows), integers (decimal, `1_000` or 0x hex), bool, bytes32 (0x… or a role name such as
 * `PAUSER_ROLE`), bytes (0x…), string (quoted or bare), arrays and structs as JSON-like `[…]`.
 * Overloads are chosen by argument count; write the full signature (`f(uint256,address)`) when that is ambiguous.
 */
export function encodeCallText(
  abi: InterfaceAbi | Interface,
  text: string,
  resolve: NameResolver = () => undefined,
): { fragment: FunctionFragment; args: unknown[]; data: string } {
  const iface = abi instanceof Interface ? abi : new Interface(abi);
  const sig = /^\s*([A-Za-z_$][\w$]*\([^()]*\))\s*:\s*([\s\S]*)$/.exec(text); // "f(uint256,address): (1, 0x…)" form
  const { name, args } = parseCallText(sig ? `${sig[1].split("(")[0]}${sig[2].trim()}` : text);
  let candidates: FunctionFragment[] = [];
  iface.forEachFunction((f) => {
    if (f.name === name && f.inputs.length === args.length) candidates.push(f);
  });
  if (sig) candidates = candidates.filter((f) => f.format("sighash") === sig[1].replace(/\s+/g, ""));
  if (candidates.length === 0) {
    const same: string[] = [];
    iface.forEachFunction((f) => {
      if (f.name === name) same.push(f.format("sighash"));
    });
    throw new Error(
      same.length
        ? `${name} takes ${same.join(" or ")}, not ${args.length} argument(s)`
        : `the contract has no function "${name}"`,
    );
  }
  if (candidates.length > 1)
    throw new Error(
      `${name} is overloaded (${candidates.map((f) => f.format("sighash")).join(", ")}): write "signature: (args)"`,
    );
  const fragment = candidates[0];
  if (fragment.stateMutability === "view" || fragment.stateMutability === "pure")
    throw new Error(`${fragment.format("sighash")} is a ${fragment.stateMutability} function: nothing to schedule`);
  const values = fragment.inputs.map((p, i) =>
    argValue(p, args[i], `${name} argument ${i + 1} (${p.name || p.type})`, resolve),
  );
  return { fragment, args: values, data: iface.encodeFunctionData(fragment, values) };
}

function argValue(p: ParamType, raw: unknown, where: string, resolve: NameResolver): unknown {
  if (p.isArray() || p.isTuple()) {
    let list: unknown = raw;
    if (typeof raw === "string") {
      const t = raw.trim();
      if (!t.startsWith("[")) throw new Error(`${where}: expected [ … ]`);
      list = parseCallText(`x(${t.slice(1, -1)})`).args;
      if (!t.endsWith("]")) throw new Error(`${where}: expected [ … ]`);
    }
    if (!Array.isArray(list)) throw new Error(`${where}: expected a list`);
    if (p.isTuple()) {
      if (list.length !== p.components.length)
        throw new Error(
          `${where}: expected ${p.components.length} fields (${p.components.map((c) => c.name).join(", ")})`,
        );
      return p.components.map((c, i) => argValue(c, list[i], `${where}.${c.name}`, resolve));
    }
    if (p.arrayLength >= 0 && list.length !== p.arrayLength)
      throw new Error(`${where}: expected ${p.arrayLength} entries`);
    return list.map((x, i) => argValue(p.arrayChildren, x, `${where}[${i}]`, resolve));
  }
  const s = String(raw).trim();
  const unquoted = /^".*"$/.test(s) ? s.slice(1, -1) : s;
  if (p.type === "address") {
    if (isHexString(unquoted)) {
      if (!/^0x[0-9a-fA-F]{40}$/.test(unquoted)) throw new Error(`${where}: ${unquoted} is not a 20-byte address`);
      if (!isAddress(unquoted)) throw new Error(`${where}: ${unquoted} has a bad EIP-55 checksum`);
      return getAddress(unquoted);
    }
    const r = resolve(unquoted);
    if (!r) throw new Error(`${where}: "${unquoted}" is neither an address nor a known name`);
    return getAddress(r);
  }
  if (p.type === "bool") {
    if (unquoted === "true" || unquoted === "false") return unquoted === "true";
    throw new Error(`${where}: expected true or false`);
  }
  if (p.type === "string") return unquoted;
  const int = /^(u?)int(\d*)$/.exec(p.type);
  if (int) {
    const t = unquoted.replace(/_/g, "");
    if (!/^-?\d+$/.test(t) && !/^0x[0-9a-fA-F]+$/.test(t)) throw new Error(`${where}: "${unquoted}" is not an integer`);
    const n = BigInt(t);
    const bits = BigInt(int[2] || "256");
    const [min, max] = int[1] ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
    if (n < min || n > max) throw new Error(`${where}: ${unquoted} does not fit in ${p.type}`);
    return n;
  }
  if (p.type === "bytes32" && /^[A-Z][A-Z0-9_]*_ROLE$/.test(unquoted))
    return unquoted === "DEFAULT_ADMIN_ROLE" ? ZeroHash : keccakText(unquoted);
  const bytes = /^bytes(\d*)$/.exec(p.type);
  if (bytes) {
    const size = bytes[1] ? Number(bytes[1]) : undefined;
    if (!isHexString(unquoted, size)) throw new Error(`${where}: expected 0x hex${size ? ` of ${size} bytes` : ""}`);
    return unquoted;
  }
  throw new Error(`${where}: unsupported type ${p.type}`);
}

/** Lifecycle of a scheduled operation, as the timelock's events and clock tell it. */
export type OperationStatus = "pending" | "ready" | "done" | "cancelled";

/** Status of an operation from what happened to it and the chain's time (seconds). */
export function operationStatus(
  o: { readyAt: bigint; executed: boolean; cancelled: boolean },
  now: bigint,
): OperationStatus {
  if (o.executed) return "done";
  if (o.cancelled) return "cancelled";
  return now >= o.readyAt ? "ready" : "pending";
}
