import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import { table } from "../lib/format";
import { createTreelion, describeError, jsonSafe, type SuiteEventDecoder, type Treelion } from "../../sdk";

/** A decoded event as the demo records it (args JSON-safe: integers as decimal strings). */
export interface DecodedEvent {
  contract: string;
  address: string;
  name: string;
  args: Record<string, unknown>;
}

/** One act of the demo story. Acts live in scripts/demo/acts and run in file-name order. */
export interface Act {
  title: string;
  run(ctx: DemoContext): Promise<void>;
}

export interface RecordedTx {
  label: string;
  hash: string;
  gasUsed: string;
  events: DecodedEvent[];
}

export interface ActReport {
  title: string;
  durationMs: number;
  transactions: RecordedTx[];
  notes: Record<string, unknown>;
}

/** The people of the story: index → role. */
export const CAST = [
  ["registrar", "Treelion registrar (deployer)"],
  ["verifier", "Verifier A (VVB)"],
  ["treasury", "Treelion treasury"],
  ["developer", "Kasigau Forest Co-op (project developer)"],
  ["buyer", "Acme Airlines (carbon buyer)"],
  ["funder", "Green Climate Fund (funder)"],
  ["verifier2", "Verifier B"],
  ["verifier3", "Verifier C"],
  ["investor1", "Investor 1"],
  ["investor2", "Investor 2"],
  ["investor3", "Investor 3"],
  ["trader", "Nordic Carbon Desk (trader)"],
] as const;

export type CastName = (typeof CAST)[number][0];

export class DemoContext {
  /** the SDK client over every deployment (signer: the registrar; `.connect(other)` for anyone else) */
  readonly t: Treelion;
  /** the client's event decoder (bonds register themselves from BondCreated) */
  readonly decoder: SuiteEventDecoder;
  readonly state: Record<string, any> = {};
  current?: ActReport;
  readonly acts: ActReport[] = [];

  constructor(
    readonly hre: HardhatRuntimeEnvironment,
    readonly cast: Record<CastName, HardhatEthersSigner>,
    sources: { name: string; address: string; abi: any[] }[],
    readonly quiet = false,
  ) {
    this.t = createTreelion({
      runner: cast.registrar,
      deployments: Object.fromEntries(sources.map((s) => [s.name, { address: s.address, abi: s.abi }])),
    });
    this.decoder = this.t.decoder;
  }

  private decodeReceipt(receipt: TransactionReceipt): DecodedEvent[] {
    return this.decoder.decodeAll(receipt.logs).map((e) => ({
      contract: e.contract,
      address: e.address,
      name: e.name,
      args: jsonSafe(e.args) as Record<string, unknown>,
    }));
  }

  /** Display name of an address (cast member or deployment), else the short address. */
  who(address: string): string {
    const a = address.toLowerCase();
    for (const [key, label] of CAST) if (this.cast[key].address.toLowerCase() === a) return label.split(" (")[0];
    for (const [name, addr] of Object.entries(this.state.addresses ?? {})) {
      if ((addr as string).toLowerCase() === a) return name;
    }
    return `${address.slice(0, 6)}…${address.slice(-4)}`;
  }

  /** The SDK client's typed handle on a deployment, connected to `signer` (default: registrar). */
  async contract<T>(deployment: string, signer?: HardhatEthersSigner): Promise<T> {
    const t = this.t;
    const handles: Record<string, { connect(runner: HardhatEthersSigner): unknown } | undefined> = {
      GreenProjectRegistry: t.registry,
      CarbonCredit: t.credit,
      RetirementCertificate: t.certificate,
      TestStablecoin: t.usd,
      CreditMarketplace: t.market,
      MilestoneEscrow: t.escrow,
      ComplianceRegistry: t.compliance,
      GreenBondFactory: t.bondFactory,
      BufferPool: t.buffer,
      TreelionTimelock: t.timelock,
      ...t.pools,
    };
    const h = handles[deployment];
    if (!h)
      throw new Error(`the demo needs the ${deployment} deployment (known: ${Object.keys(t.addresses).join(", ")})`);
    return h.connect(signer ?? this.cast.registrar) as T;
  }

  /** Sends a transaction, waits for it, records hash, gas and decoded events. Reverts are decoded. */
  async send(label: string, tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
    let receipt: TransactionReceipt | null;
    try {
      receipt = await (await tx).wait();
    } catch (err) {
      throw new Error(`${label} reverted: ${describeError(err)}`);
    }
    if (!receipt) throw new Error(`${label}: no receipt`);
    const events = this.decodeReceipt(receipt);
    this.current?.transactions.push({ label, hash: receipt.hash, gasUsed: receipt.gasUsed.toString(), events });
    return receipt;
  }

  /** Returns the first decoded event with that name in a receipt. */
  event(receipt: TransactionReceipt, name: string): DecodedEvent {
    const e = this.decodeReceipt(receipt).find((x) => x.name === name);
    if (!e) throw new Error(`event ${name} not found in ${receipt.hash}`);
    return e;
  }

  print(text = ""): void {
    if (!this.quiet) console.log(text);
  }

  table(title: string, rows: Record<string, unknown>[], columns?: string[]): void {
    this.print(`\n  ${title}`);
    this.print(
      table(rows, columns)
        .split("\n")
        .map((l) => "  " + l)
        .join("\n"),
    );
  }

  note(key: string, value: unknown): void {
    if (this.current) this.current.notes[key] = value;
  }
}
