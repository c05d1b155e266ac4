/**
 * Solidity enum names (ProjectStatus, Category, …) for the API, from the facts generated at compile time
 * (sdk/generated: contract facts come from the compiled artifacts).
 */
import { ENUMS } from "../../generated";

export type EnumTable = Record<string, readonly string[]>;

/** Every enum of the suite by name. */
export const SUITE_ENUMS: EnumTable = ENUMS;

/** The name of member `i` of enum `name` ("Active"); the number as text when the enum is unknown. */
export function enumName(table: EnumTable, name: string, i: unknown): string {
  const v = Number(i);
  return table[name]?.[v] ?? String(v);
}

/** The member number of `value` in enum `name` (accepts the name in any case, or the number). */
export function enumValue(table: EnumTable, name: string, value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) < (table[name]?.length ?? Infinity) ? Number(value) : undefined;
  const i = (table[name] ?? []).findIndex((m) => m.toLowerCase() === value.toLowerCase());
  return i < 0 ? undefined : i;
}
