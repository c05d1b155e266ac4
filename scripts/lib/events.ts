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

/** Finds revert data in an ethers / Hardhat / provider error object (one implementation, shared with the SDK). */
export { revertDataOf as revertData } from "../../sdk/errors";

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
