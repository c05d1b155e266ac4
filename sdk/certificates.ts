/** Decoding of the on-chain JSON metadata (`tokenURI` of RetirementCertificate, `uri` of CarbonCredit). */

export interface MetadataAttribute {
  trait_type: string;
  value: string | number;
  display_type?: string;
}

export interface DecodedMetadata {
  name: string;
  description: string;
  attributes: MetadataAttribute[];
  /** attributes keyed by trait_type */
  traits: Record<string, string | number>;
  [key: string]: unknown;
}

/** Retirement certificate JSON with its well-known attributes pulled out. */
export interface DecodedCertificate extends DecodedMetadata {
  certificateId?: bigint;
  project: string;
  vintage: string;
  tonnes: string;
  batchIds: bigint[];
  beneficiaryName: string;
  reason: string;
  beneficiary: string;
  retiredBy: string;
  retiredAt: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Base64 → UTF-8 text with the web platform's atob/TextDecoder (present in browsers and Node ≥ 16). */
function base64ToUtf8(b64: string): string {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return utf8.decode(bytes);
}

/** Parses a `data:application/json[;base64],…` URI into JSON (throws on anything else). */
export function decodeDataURI(uri: string): DecodedMetadata {
  const m = /^data:application\/json(;base64)?,/.exec(uri);
  if (!m) throw new Error(`not a JSON data URI: ${uri.slice(0, 40)}`);
  const body = uri.slice(m[0].length);
  const text = m[1] ? base64ToUtf8(body) : decodeURIComponent(body);
  const json = JSON.parse(text);
  const attributes: MetadataAttribute[] = Array.isArray(json.attributes) ? json.attributes : [];
  const traits: Record<string, string | number> = {};
  for (const a of attributes) traits[a.trait_type] = a.value;
  return { ...json, attributes, traits };
}

/** Decodes a RetirementCertificate `tokenURI` (hostile beneficiary names/reasons are JSON-escaped on-chain). */
export function decodeCertificateURI(uri: string): DecodedCertificate {
  const meta = decodeDataURI(uri);
  const t = meta.traits;
  const idMatch = /#(\d+)$/.exec(String(meta.name ?? ""));
  const batches = String(t["Batches"] ?? "");
  return {
    ...meta,
    certificateId: idMatch ? BigInt(idMatch[1]) : undefined,
    project: String(t["Project"] ?? ""),
    vintage: String(t["Vintage"] ?? ""),
    tonnes: String(t["Tonnes"] ?? ""),
    batchIds: batches
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => BigInt(s)),
    beneficiaryName: String(t["Beneficiary"] ?? ""),
    reason: String(t["Reason"] ?? ""),
    beneficiary: String(t["Beneficiary address"] ?? ""),
    retiredBy: String(t["Retired by"] ?? ""),
    retiredAt: Number(t["Retired at"] ?? 0),
  };
}
