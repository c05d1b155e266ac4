import { Interface, type Log, type TransactionReceipt, type ErrorDescription } from "ethers";

export interface DecodedEvent {
  contract: string;
  address: string;
  name: string;
  args: Record<string, unknown>;
}

export interface AbiSource {
  name: string;
  address: string;
  abi: any[];
}

/** Converts ethers Result values to plain JSON-friendly values (bigint → string, nested arrays kept). */
export function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/** Decodes logs of known contracts (by address); unknown logs are skipped. */
export class EventDecoder {
  private byAddress = new Map<string, { name: string; iface: Interface }>();
  private fallback: { name: string; iface: Interface }[] = [];

  constructor(sources: AbiSource[], extraAbis: { name: string; abi: any[] }[] = []) {
    for (const s of sources) this.byAddress.set(s.address.toLowerCase(), { name: s.name, iface: new Interface(s.abi) });
    for (const e of extraAbis) this.fallback.push({ name: e.name, iface: new Interface(e.abi) });
  }

  /** Registers a contract created at run time (e.g. a bond deployed by a factory). */
  add(name: string, address: string, abi: any[]): void {
    this.byAddress.set(address.toLowerCase(), { name, iface: new Interface(abi) });
  }

  decodeLog(log: Log): DecodedEvent | undefined {
    const known = this.byAddress.get(log.address.toLowerCase());
    const candidates = known ? [known] : this.fallback;
    for (const c of candidates) {
      try {
        const parsed = c.iface.parseLog({ topics: [...log.topics], data: log.data });
        if (!parsed) continue;
        const args: Record<string, unknown> = {};
        parsed.fragment.inputs.forEach((input, i) => {
          args[input.name || `arg${i}`] = plain(parsed.args[i]);
        });
        return { contract: c.name, address: log.address, name: parsed.name, args };
      } catch {
        /* not this ABI */
      }
    }
    return undefined;
  }

  decodeReceipt(receipt: TransactionReceipt): DecodedEvent[] {
    return receipt.logs.map((l) => this.decodeLog(l)).filter((e): e is DecodedEvent => e !== undefined);
  }
}

/** Finds revert data in an ethers / hardhat error object. */
export function revertData(err: unknown): string | undefined {
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
    for (const k of ["error", "info", "cause", "receipt"]) {
      const inner = walk(e[k]);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(err);
}

/** Decodes a custom error (or Error(string)/Panic) from revert data using the given ABIs. */
export function decodeRevert(data: string, abis: any[][]): { name: string; args: unknown[] } | undefined {
  const std = new Interface(["error Error(string message)", "error Panic(uint256 code)"]);
  for (const abi of [...abis, std.fragments as unknown as any[]]) {
    let desc: ErrorDescription | null = null;
    try {
      desc = new Interface(abi).parseError(data);
    } catch {
      desc = null;
    }
    if (desc) return { name: desc.name, args: Array.from(desc.args).map(plain) };
  }
  return undefined;
}
