/**
 * The API bench's ledger and queries (bench/api.ts): a PostgreSQL or SQLite ledger filled through the real store
 * and projections (Ledger.commitChunk) with decoded suite events spread over many holders, beneficiaries and
 * batches, and the three measured GraphQL queries. Separate from bench/api.ts so a profile can use the very same
 * ledger and queries.
 */
import autocannon from "autocannon";
import type { Ledger, StoredEvent } from "../sdk/indexer";

export const A = (n: number) => "0x" + n.toString(16).padStart(40, "0");
export const HOLDERS = 2_000;
export const BENEFICIARIES = 1_000;
export const BATCHES = 200;
const CREDIT = A(0xc7ed17);
const REGISTRY = A(0x7e6157);
const ISSUER = A(0x155e7);

/** ≥ `target` decoded events, committed in chunks of ~4,000 (the indexer's chunk size on dense ranges). */
export async function fillApiLedger(ledger: Ledger, target: number): Promise<number> {
  await ledger.setContracts([
    { address: REGISTRY, name: "GreenProjectRegistry", kind: "registry" },
    { address: CREDIT, name: "CarbonCredit", kind: "credit" },
  ]);
  await ledger.setMeta("chain_id", "31337");
  let block = 0;
  let total = 0;
  let chunk: StoredEvent[] = [];
  let log = 0;
  const ev = (address: string, kind: string, name: string, args: Record<string, unknown>) =>
    chunk.push({
      blockNumber: block,
      logIndex: log++,
      txHash: "0x" + block.toString(16).padStart(32, "0") + log.toString(16).padStart(32, "0"),
      blockTime: 1_800_000_000 + block * 12,
      address,
      contract: kind,
      kind,
      name,
      args,
    });
  const flush = async () => {
    const blocks = [...new Set(chunk.map((e) => e.blockNumber))].map((n) => ({
      number: n,
      hash: "0x" + n.toString(16).padStart(64, "0"),
      parentHash: "0x" + (n - 1).toString(16).padStart(64, "0"),
      timestamp: 1_800_000_000 + n * 12,
    }));
    total += chunk.length;
    await ledger.commitChunk(chunk, blocks, { blockNumber: block, blockHash: blocks[blocks.length - 1].hash });
    chunk = [];
  };
  block++;
  for (let p = 1; p <= 10; p++)
    ev(REGISTRY, "registry", "ProjectRegistered", {
      projectId: String(p),
      owner: ISSUER,
      name: `Project ${p}`,
      category: String(p % 8),
      country: "0x4b45",
      standard: "VCS",
      externalId: `B-${p}`,
    });
  for (let b = 1; b <= BATCHES; b++) {
    ev(CREDIT, "credit", "BatchIssued", {
      batchId: String(b),
      projectId: String(((b - 1) % 10) + 1),
      vintage: String(2015 + (b % 10)),
      serialStart: String(b * 1_000_000),
      serialEnd: String(b * 1_000_000 + 99_999),
      to: ISSUER,
      attestation: "0x" + "ab".repeat(32),
    });
    ev(CREDIT, "credit", "TransferSingle", {
      operator: ISSUER,
      from: A(0),
      to: ISSUER,
      id: String(b),
      value: "100000000",
    });
  }
  let cert = 0;
  for (let i = 0; total + chunk.length < target; i++) {
    if (i % 20 === 0) {
      block++;
      log = 0;
    }
    const holder = A(0x10000 + (i % HOLDERS));
    const batch = String((i % BATCHES) + 1);
    // the issuer sells 2 t to a holder, who retires 1 t for a beneficiary
    ev(CREDIT, "credit", "TransferSingle", { operator: ISSUER, from: ISSUER, to: holder, id: batch, value: "2000" });
    ev(CREDIT, "credit", "TransferSingle", { operator: holder, from: holder, to: A(0), id: batch, value: "1000" });
    ev(CREDIT, "credit", "Retired", {
      certificateId: String(++cert),
      batchId: batch,
      account: holder,
      beneficiary: A(0x20000 + (i % BENEFICIARIES)),
      beneficiaryName: `Beneficiary ${i % BENEFICIARIES}`,
      reason: `offset ${i}`,
      amountKg: "1000",
    });
    if (chunk.length >= 4_000) await flush();
  }
  if (chunk.length) await flush();
  return total;
}

export const QUERIES: Record<string, (i: number) => string> = {
  "retirements(beneficiary)": (i) =>
    `{ retirements(beneficiary: "${A(0x20000 + (i % BENEFICIARIES))}", first: 20) { totalCount edges { cursor node { certificateId batchId amountKg tonnes retiredBy txHash } } pageInfo { hasNextPage endCursor } } }`,
  holder: (i) =>
    `{ holder(address: "${A(0x10000 + (i % HOLDERS))}") { address credits { batchId amountKg } certificates { id tonnes } poolTokens { amount } bondUnits { amount } escrowOwed { amount } } }`,
  batch: (i) =>
    `{ batch(id: "${(i % BATCHES) + 1}") { id vintage issuedKg retiredKg project { name } holders(first: 20) { totalCount edges { node { address amountKg } } } } }`,
};

/** Loads `${url}/graphql` with POSTs of `query(i)`, i counting up from a random start. */
export function loadQuery(
  url: string,
  query: (i: number) => string,
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
  /** requests per second over all connections (default: as many as the server answers) */
  overallRate?: number,
): Promise<autocannon.Result> {
  let i = Math.floor(Math.random() * 1e6);
  return autocannon({
    url: `${url}/graphql`,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ query: query(i++) }) }),
      },
    ],
  });
}

/** An API process's metrics text (`/metrics`) and the CPU seconds it reports. */
export async function metricsText(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}
export async function processCpuSeconds(url: string): Promise<number> {
  return Number(/^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(await metricsText(url))?.[1] ?? NaN);
}
