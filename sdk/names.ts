/**
 * Human-readable values from the generated tables: enum member names, role names, country codes. Used by the
 * error and event formatters (and so by tasks, the demo and the app). Browser-safe.
 */
import { ENUMS, ENUM_BY_INTERNAL_NAME, ROLES, type EnumName, type RoleConstant } from "./generated";

/** An ABI parameter as in the JSON ABI (internalType names enums and structs). */
export interface AbiParamLike {
  name?: string;
  type?: string;
  internalType?: string;
  components?: readonly AbiParamLike[];
}

const ROLE_BY_ID = new Map<string, RoleConstant>(
  Object.entries(ROLES).map(([name, id]) => [id.toLowerCase(), name as RoleConstant]),
);

/** "0x114e…" → "ISSUER_ROLE" (undefined for an id no suite contract defines). */
export function roleName(id: string): RoleConstant | undefined {
  return ROLE_BY_ID.get(String(id).toLowerCase());
}

/** "ISSUER_ROLE" or "ISSUER" (any case, `-` for `_`, "admin" for DEFAULT_ADMIN_ROLE) → its id, or undefined. */
export function roleId(name: string): string | undefined {
  let v = String(name).trim().toUpperCase().replace(/-/g, "_");
  if (v === "ADMIN" || v === "DEFAULT_ADMIN") v = "DEFAULT_ADMIN_ROLE";
  if (!v.endsWith("_ROLE")) v += "_ROLE";
  return (ROLES as Record<string, string>)[v];
}

/** The enum an ABI parameter is declared with ("enum BondStatus" → "BondStatus"), if any. */
export function enumOf(param: AbiParamLike): EnumName | undefined {
  const m = /^enum ([\w.]+)$/.exec(param.internalType ?? "");
  return m ? ENUM_BY_INTERNAL_NAME[m[1]] : undefined;
}

/** Member name of an enum value (3 of BondStatus → "Defaulted"); `#n` for a value outside the enum. */
export function enumName(name: EnumName, value: bigint | number | string): string {
  const members = ENUMS[name] as readonly string[];
  const i = Number(value);
  return members[i] ?? `${name}#${String(value)}`;
}

/** Value of an enum member by name, case-insensitive ("active" → 1), or undefined. */
export function enumValue(name: EnumName, member: string): number | undefined {
  const members = ENUMS[name] as readonly string[];
  const i = members.findIndex((m) => m.toLowerCase() === String(member).trim().toLowerCase());
  return i < 0 ? undefined : i;
}

/** bytes2 "0x4b45" → "KE" (printable ASCII only; else the hex). */
export function bytes2ToCountry(hex: string): string {
  if (!/^0x[0-9a-fA-F]{4}$/.test(hex)) return hex;
  const a = parseInt(hex.slice(2, 4), 16);
  const b = parseInt(hex.slice(4, 6), 16);
  const ok = (c: number) => c >= 0x20 && c < 0x7f;
  return ok(a) && ok(b) ? String.fromCharCode(a, b) : hex;
}

export interface FormatOptions {
  /**
   * Custom rendering of one value (e.g. token amounts with their symbol); return undefined to use the
   * default. Called for every top-level argument with its ABI parameter.
   */
  value?: (param: AbiParamLike, value: unknown, index: number) => string | undefined;
}

/** Renders one decoded value: enum and role names, country codes, decimal integers, quoted strings. */
export function formatValue(param: AbiParamLike, value: unknown): string {
  const type = param.type ?? "";
  const arr = /^(.*)\[\d*\]$/.exec(type);
  if (arr && Array.isArray(value))
    return `[${value.map((v) => formatValue({ ...param, type: arr[1], internalType: undefined }, v)).join(", ")}]`;
  if (type === "tuple" && value && typeof value === "object") {
    const comps = param.components ?? [];
    const get = (c: AbiParamLike, i: number) =>
      Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[c.name || `arg${i}`];
    return `{ ${comps.map((c, i) => `${c.name || `arg${i}`}: ${formatValue(c, get(c, i))}`).join(", ")} }`;
  }
  const e = enumOf(param);
  if (e !== undefined) return enumName(e, value as bigint);
  if (type === "bytes32" && /role/i.test(param.name ?? "")) return roleName(String(value)) ?? String(value);
  if (type === "bytes2" && /country/i.test(param.name ?? "")) return bytes2ToCountry(String(value));
  if (type === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  return String(value);
}

/** `Name(v1, v2)` (positional) or, with `named`, `Name(a=v1, b=v2)`. */
export function formatCall(
  name: string,
  params: readonly AbiParamLike[],
  values: readonly unknown[],
  opts: FormatOptions & { named?: boolean } = {},
): string {
  const parts = params.map((p, i) => {
    const v = opts.value?.(p, values[i], i) ?? formatValue(p, values[i]);
    return opts.named ? `${p.name || `arg${i}`}=${v}` : v;
  });
  return `${name}(${parts.join(", ")})`;
}
