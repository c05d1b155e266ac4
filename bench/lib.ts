import fs from "fs";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractTransactionResponse } from "ethers";

/** One measured operation. `key` is stable and names its budget in bench/budgets.json. */
export interface GasRow {
  key: string;
  area: string;
  op: string;
  gas: number;
  /** Cost floor from EVM opcode prices (21,000 base + storage + logs), when computed. */
  floor?: number;
  note?: string;
}

/** A gas measurement module: bench/gas/<NN>-<area>.ts exports one as default. */
export interface GasModule {
  area: string;
  /** Deploy tags the module needs (fresh fixture per module). */
  tags: string[];
  measure(hre: HardhatRuntimeEnvironment): Promise<GasRow[]>;
}

/** Gas used by a sent transaction. */
export async function gasOf(tx: Promise<ContractTransactionResponse> | ContractTransactionResponse): Promise<number> {
  const sent = await tx;
  const rc = await sent.wait();
  if (!rc) throw new Error("no receipt");
  measured.push({ hash: rc.hash, gas: Number(rc.gasUsed), data: sent.data });
  return Number(rc.gasUsed);
}

/** Every transaction measured through gasOf/measureTx, in order (bench/gas.ts derives floors from them). */
export const measured: { hash: string; gas: number; data: string }[] = [];

/**
 * Cost floor of a mined transaction from EVM opcode prices: 21,000 + calldata + the gas of every
 * SLOAD, SSTORE (cold/warm, zero→non-zero priced by the EVM itself) and LOG it executed, minus the
 * refund it received. Everything else (computation, calls, memory) is overhead above the floor.
 */
export async function traceFloor(
  provider: { send(method: string, params: unknown[]): Promise<any> },
  hash: string,
  data: string,
  gasUsed: number,
): Promise<number> {
  const t = await provider.send("debug_traceTransaction", [
    hash,
    { disableMemory: true, disableStack: true, disableStorage: true },
  ]);
  const logs: { op: string; gas: number; gasCost: number; depth: number }[] = t.structLogs;
  const intrinsic = EVM.TX + calldataCost(data);
  let essential = 0;
  for (const s of logs) if (/^(SLOAD|SSTORE|LOG[0-4])$/.test(s.op)) essential += s.gasCost;
  if (logs.length === 0) return intrinsic;
  const executed = logs[0].gas - logs[logs.length - 1].gas + logs[logs.length - 1].gasCost;
  const refund = Math.max(0, intrinsic + executed - gasUsed);
  return intrinsic + essential - refund;
}

/** EVM cost constants (Cancun) for floor estimates. */
export const EVM = {
  TX: 21_000,
  SSTORE_NEW: 22_100, // cold slot, zero → non-zero (20,000 + 2,100 cold)
  SSTORE_UPDATE_COLD: 5_000, // cold slot, non-zero → non-zero (2,900 + 2,100)
  SLOAD_COLD: 2_100,
  CALL_COLD: 2_600,
  LOG: 375,
  LOG_TOPIC: 375,
  LOG_BYTE: 8,
  CALLDATA_NONZERO: 16,
  CALLDATA_ZERO: 4,
} as const;

/** Log cost: LOG base + topics + data bytes. */
export function logCost(topics: number, dataBytes: number): number {
  return EVM.LOG + topics * EVM.LOG_TOPIC + dataBytes * EVM.LOG_BYTE;
}

export function loadBudgets(root: string): Record<string, number> {
  const file = path.join(root, "bench", "budgets.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, number>) : {};
}

/** Intrinsic calldata gas of `data` (4 per zero byte, 16 per non-zero byte). */
export function calldataCost(data: string): number {
  const bytes = Buffer.from(data.replace(/^0x/, ""), "hex");
  let cost = 0;
  for (const b of bytes) cost += b === 0 ? EVM.CALLDATA_ZERO : EVM.CALLDATA_NONZERO;
  return cost;
}

/** Sends, returns gas used and the intrinsic floor (21,000 + calldata) for that transaction. */
export async function measureTx(
  tx: Promise<ContractTransactionResponse> | ContractTransactionResponse,
): Promise<{ gas: number; intrinsic: number }> {
  const sent = await tx;
  const rc = await sent.wait();
  if (!rc) throw new Error("no receipt");
  measured.push({ hash: rc.hash, gas: Number(rc.gasUsed), data: sent.data });
  return { gas: Number(rc.gasUsed), intrinsic: EVM.TX + calldataCost(sent.data) };
}
