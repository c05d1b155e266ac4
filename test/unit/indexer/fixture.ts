/**
 * A synthetic ledger for the API tests: decoded suite events (the shapes the indexer stores) for projects,
 * batches, transfers, retirements, a pool, a listing, an escrow deal and a bond, committed chunk by chunk
 * through the real store and projections. `moreRetirements` appends later chunks (a writer during a test).
 */
import type { Ledger, StoredEvent } from "../../../sdk/indexer";

export const A = (n: number) => "0x" + n.toString(16).padStart(40, "0");
export const ADDR = {
  registry: A(0xa1),
  credit: A(0xa2),
  pool: A(0xa3),
  market: A(0xa4),
  escrow: A(0xa5),
  factory: A(0xa6),
  bond: A(0xb0b),
  buffer: A(0xa7),
  timelock: A(0xa8),
  usd: A(0xd011a5),
  issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  alice: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  bob: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  zero: A(0),
};
export const CONTRACTS = [
  { address: ADDR.registry, name: "GreenProjectRegistry", kind: "registry" as const },
  { address: ADDR.credit, name: "CarbonCredit", kind: "credit" as const },
  { address: ADDR.pool, name: "CarbonPool_NBS", kind: "pool" as const },
  { address: ADDR.market, name: "CreditMarketplace", kind: "market" as const },
  { address: ADDR.escrow, name: "MilestoneEscrow", kind: "escrow" as const },
  { address: ADDR.factory, name: "GreenBondFactory", kind: "bondFactory" as const },
  { address: ADDR.buffer, name: "BufferPool", kind: "buffer" as const },
  { address: ADDR.timelock, name: "TreelionTimelock", kind: "timelock" as const },
];

const KIND: Record<string, string> = Object.fromEntries(CONTRACTS.map((c) => [c.address, c.kind]));
KIND[ADDR.bond] = "bond";

export class Chain {
  block = 0;
  events: StoredEvent[] = [];
  private log = 0;
  next() {
    this.block++;
    this.log = 0;
  }
  ev(address: string, name: string, args: Record<string, unknown>) {
    this.events.push({
      blockNumber: this.block,
      logIndex: this.log++,
      txHash: "0x" + this.block.toString(16).padStart(8, "0") + this.log.toString(16).padStart(56, "0"),
      blockTime: 1_800_000_000 + this.block * 12,
      address,
      contract: address,
      kind: KIND[address],
      name,
      args: args as Record<string, any>,
    });
  }
}

const header = (n: number) => ({
  number: n,
  hash: "0x" + n.toString(16).padStart(64, "0"),
  parentHash: "0x" + (n - 1).toString(16).padStart(64, "0"),
  timestamp: 1_800_000_000 + n * 12,
});

export async function commit(ledger: Ledger, chain: Chain) {
  const events = chain.events;
  chain.events = [];
  const blocks = [...new Set(events.map((e) => e.blockNumber))];
  await ledger.commitChunk(events, blocks.map(header), {
    blockNumber: chain.block,
    blockHash: header(chain.block).hash,
  });
}

let certificate = 0;
const chains = new WeakMap<Ledger, Chain>();
/** The synthetic chain of a ledger built by buildFixture (to append more events). */
export const chainOf = (ledger: Ledger) => chains.get(ledger)!;

/** Fills an empty ledger; returns what the tests compare with. */
export async function buildFixture(ledger: Ledger, o: { retirements: number } = { retirements: 30 }) {
  await ledger.setContracts(CONTRACTS);
  await ledger.setMeta("chain_id", "31337");
  await ledger.setMeta(`token:${ADDR.pool}`, JSON.stringify({ name: "Nature Pool", symbol: "NBS" }));
  await ledger.setMeta(`token:${ADDR.bond}`, JSON.stringify({ name: "Green Bond 2030", symbol: "GB30" }));
  const c = new Chain();
  chains.set(ledger, c);
  certificate = 0;
  c.next();
  for (const [id, name, cat] of [
    [1, "Kenya Forest", 0],
    [2, "Solar Park", 1],
    [3, "Mangroves", 4],
  ] as const)
    c.ev(ADDR.registry, "ProjectRegistered", {
      projectId: String(id),
      owner: ADDR.issuer,
      name,
      category: String(cat),
      country: "0x4b45",
      standard: "VCS",
      externalId: `VCS-${id}`,
    });
  c.ev(ADDR.registry, "ProjectStatusChanged", { projectId: "1", from: "0", to: "1" });
  c.ev(ADDR.registry, "ProjectStatusChanged", { projectId: "2", from: "0", to: "1" });
  c.next();
  // batch 1: project 1, 100 t; batch 2: project 2, 50 t
  for (const [id, project, start, end] of [
    [1, 1, 1, 100],
    [2, 2, 1001, 1050],
  ])
    c.ev(ADDR.credit, "BatchIssued", {
      batchId: String(id),
      projectId: String(project),
      vintage: "2022",
      serialStart: String(start),
      serialEnd: String(end),
      to: ADDR.issuer,
      attestation: "0x" + "ab".repeat(32),
    });
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.issuer,
    from: ADDR.zero,
    to: ADDR.issuer,
    id: "1",
    value: "100000",
  });
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.issuer,
    from: ADDR.zero,
    to: ADDR.issuer,
    id: "2",
    value: "50000",
  });
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.issuer,
    from: ADDR.issuer,
    to: ADDR.alice,
    id: "1",
    value: "40000",
  });
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.issuer,
    from: ADDR.issuer,
    to: ADDR.bob,
    id: "2",
    value: "20000",
  });
  await commit(ledger, c);
  c.next();
  // the pool takes 10 t of batch 1 from alice and mints 10 pool tokens
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.pool,
    from: ADDR.alice,
    to: ADDR.pool,
    id: "1",
    value: "10000",
  });
  c.ev(ADDR.pool, "Transfer", { from: ADDR.zero, to: ADDR.alice, value: (10n * 10n ** 18n).toString() });
  c.ev(ADDR.pool, "Deposited", {
    account: ADDR.alice,
    batchId: "1",
    amountKg: "10000",
    minted: (10n ** 19n).toString(),
  });
  // a listing of 5 t of batch 2 by the issuer, 2 t sold to bob
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.market,
    from: ADDR.issuer,
    to: ADDR.market,
    id: "2",
    value: "5000",
  });
  c.ev(ADDR.market, "Listed", {
    listingId: "1",
    seller: ADDR.issuer,
    batchId: "2",
    amountKg: "5000",
    paymentToken: ADDR.usd,
    pricePerTonne: "12000000",
  });
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.market,
    from: ADDR.market,
    to: ADDR.bob,
    id: "2",
    value: "2000",
  });
  c.ev(ADDR.market, "Purchased", {
    listingId: "1",
    buyer: ADDR.bob,
    amountKg: "2000",
    totalPrice: "24000000",
    fee: "0",
    retired: false,
  });
  // an escrow deal for project 1 funded by bob, one milestone released to the issuer
  c.ev(ADDR.escrow, "DealCreated", {
    dealId: "1",
    projectId: "1",
    funder: ADDR.bob,
    beneficiary: ADDR.issuer,
    token: ADDR.usd,
    total: "1000000",
    threshold: "1",
  });
  c.ev(ADDR.escrow, "DealTerms", {
    dealId: "1",
    arbiter: ADDR.alice,
    disputeWindow: "86400",
    feeBps: "0",
    verifiers: [ADDR.alice],
    milestones: [
      { amount: "600000", deadline: "1900000000", description: "planting" },
      { amount: "400000", deadline: "1950000000", description: "survival" },
    ],
  });
  c.ev(ADDR.escrow, "DealFunded", { dealId: "1", amount: "1000000" });
  c.ev(ADDR.escrow, "MilestoneAttested", {
    dealId: "1",
    index: "0",
    verifier: ADDR.alice,
    evidence: "0x" + "cd".repeat(32),
    attestations: "1",
  });
  c.ev(ADDR.escrow, "MilestoneReleased", { dealId: "1", index: "0", toBeneficiary: "600000", fee: "0" });
  // a bond: alice subscribes 3 units at 100 tUSD
  c.ev(ADDR.factory, "BondCreated", {
    bond: ADDR.bond,
    issuer: ADDR.issuer,
    paymentToken: ADDR.usd,
    terms: { unitPrice: "100000000", couponRateBps: "500", cap: (10n * 10n ** 18n).toString() },
  });
  await commit(ledger, c);
  c.next();
  c.ev(ADDR.bond, "Subscribed", { investor: ADDR.alice, units: (3n * 10n ** 18n).toString(), paid: "300000000" });
  c.ev(ADDR.bond, "Transfer", { from: ADDR.zero, to: ADDR.alice, value: (3n * 10n ** 18n).toString() });
  await commit(ledger, c);
  await moreRetirements(ledger, o.retirements);
  return c;
}

/**
 * Appends `n` retirements (alternately by the issuer for alice on batch 1 and by bob for himself on batch 2),
 * each 1.5 t / 0.5 t, one block per 4 retirements, one chunk per call.
 */
export async function moreRetirements(ledger: Ledger, n: number) {
  const c = chains.get(ledger)!;
  for (let i = 0; i < n; i++) {
    if (i % 4 === 0) c.next();
    const even = certificate % 2 === 0;
    const id = ++certificate;
    const account = even ? ADDR.issuer : ADDR.bob;
    const batch = even ? "1" : "2";
    const kg = even ? "1500" : "500";
    c.ev(ADDR.credit, "TransferSingle", { operator: account, from: account, to: ADDR.zero, id: batch, value: kg });
    c.ev(ADDR.credit, "Retired", {
      certificateId: String(id),
      batchId: batch,
      account,
      beneficiary: even ? ADDR.alice : ADDR.bob,
      beneficiaryName: even ? "Alice Air" : "Bob",
      reason: `flight ${id}`,
      amountKg: kg,
    });
  }
  if (n) await commit(ledger, c);
}
