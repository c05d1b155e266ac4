/**
 * A fast, JSON-safe decoder for event layouts made of elementary types (uint/int/address/bool/bytesN/string/bytes
 * and arrays of static elementary types). ethers' decoder checksums every address (a keccak each) and builds
 * Result proxies; the indexer only needs plain JSON, so this is several times faster. Anything else (tuples,
 * nested arrays) returns undefined and the caller falls back to ethers.
 * Output: integers as decimal strings, addresses lower-case, bytes as 0x-hex, strings as UTF-8.
 */
import type { EventFragment, ParamType } from "ethers";

type WordReader = (word: string) => unknown;
export type FastDecoder = (topics: readonly string[], data: string) => Record<string, unknown>;

function staticReader(t: string): WordReader | undefined {
  if (t === "address") return (w) => "0x" + w.slice(24);
  if (t === "bool") return (w) => !/^0*$/.test(w);
  let m = /^uint(\d*)$/.exec(t);
  if (m) return (w) => BigInt("0x" + w).toString();
  m = /^int(\d*)$/.exec(t);
  if (m) {
    return (w) => {
      const v = BigInt("0x" + w);
      return (v >= 1n << 255n ? v - (1n << 256n) : v).toString();
    };
  }
  m = /^bytes(\d+)$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    return (w) => "0x" + w.slice(0, 2 * n);
  }
  return undefined;
}

const decoder = new TextDecoder("utf-8");

/** Hex (no 0x) → UTF-8 text (invalid sequences become U+FFFD). */
function utf8(hex: string): string {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return decoder.decode(bytes);
}

function paramReader(p: ParamType): ((data: string, headWord: number) => unknown) | undefined {
  const st = staticReader(p.type);
  if (st) return (data, i) => st(data.substr(i * 64, 64));
  const word = (data: string, pos: number) => data.substr(pos, 64);
  const at = (data: string, i: number) => parseInt(word(data, i * 64), 16) * 2;
  if (p.type === "string" || p.type === "bytes") {
    const isString = p.type === "string";
    return (data, i) => {
      const pos = at(data, i);
      const len = parseInt(word(data, pos), 16);
      const hex = data.substr(pos + 64, len * 2);
      return isString ? utf8(hex) : "0x" + hex;
    };
  }
  const m = /^(.+)\[\]$/.exec(p.type);
  if (m && !p.arrayChildren?.isTuple() && !p.arrayChildren?.isArray()) {
    const el = staticReader(m[1]);
    if (!el) return undefined;
    return (data, i) => {
      const pos = at(data, i);
      const len = parseInt(word(data, pos), 16);
      const out: unknown[] = new Array(len);
      for (let k = 0; k < len; k++) out[k] = el(word(data, pos + 64 + k * 64));
      return out;
    };
  }
  return undefined;
}

/** A compiled decoder for the fragment, or undefined when its layout needs the full ABI coder. */
export function compileFastDecoder(fragment: EventFragment): FastDecoder | undefined {
  if (fragment.anonymous) return undefined;
  const steps: { name: string; read: (topics: readonly string[], data: string) => unknown }[] = [];
  let topic = 1;
  let head = 0;
  for (let i = 0; i < fragment.inputs.length; i++) {
    const p = fragment.inputs[i];
    const name = p.name || `arg${i}`;
    if (p.indexed) {
      const t = topic++;
      const st = staticReader(p.type);
      // indexed dynamic values are only their hash
      steps.push({ name, read: st ? (topics) => st(topics[t].slice(2)) : (topics) => topics[t] });
      continue;
    }
    const r = paramReader(p);
    if (!r || (p.isArray() && /\[\d+\]$/.test(p.type))) return undefined;
    const h = head++;
    steps.push({ name, read: (_t, data) => r(data, h) });
  }
  const topicCount = topic;
  return (topics, data) => {
    if (topics.length !== topicCount) throw new Error("topic count mismatch");
    const d = data.startsWith("0x") ? data.slice(2) : data;
    if (d.length < head * 64) throw new Error("data too short");
    const out: Record<string, unknown> = {};
    for (const s of steps) out[s.name] = s.read(topics, d);
    return out;
  };
}
