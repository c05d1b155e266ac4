/**
 * The whole-suite property test's model: the state every step mirrors (credits, money, pools, escrow deals, bonds),
 * the handles on the deployed suite (`Real`) and the pure model transitions that several areas share (pool bookings,
 * bond coupon accounting, clock moves). No transaction is sent from here.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  CarbonCredit,
  CarbonPool,
  CreditMarketplace,
  GreenBond,
  GreenProjectRegistry,
  MilestoneEscrow,
  ReentrantActor,
  RetirementCertificate,
  StateProbe,
  TestStablecoin,
} from "../../../typechain-types";

export const U = 1_000_000n; // 1 tUSD
export const DAY = 86_400n;
export const BPS = 10_000n;
export const START_USD = 1_000_000n * U;
export const UNIT = 10n ** 18n; // one bond
export const BOND_VIEWS = ["totalSupply", "reserved", "status", "principalPot", "couponPerUnit", "currentRateBps"];
export const ACC_SCALE = 10n ** 36n; // GreenBond's coupon accumulator scale
export const ISSUER_USD = 10_000_000n * U;
/**
 * Bonds subscribed in the snapshot (actor index, bonds at 100 tUSD). Bond 0: 500, the soft cap (a close within the
 * grace period succeeds, a later one opens refunds). Bond 1 (closed, Active): 800, 100 of them held by the hostile
 * contract.
 */
export const SEED_SUBSCRIPTIONS: [number, bigint][][] = [
  [
    [1, 300n],
    [3, 200n],
  ],
  [
    [0, 400n],
    [2, 300n],
    [5, 100n],
  ],
];
/** The bond's use-of-proceeds project (seeded after projects 1–3). */
export const BOND_PROJECT = 4n;
/** Seed batches 1–5 (10 t each): holder actor index (5 = the hostile contract) and project id. */
export const SEED_BATCHES = [
  { holder: 0, project: 1 },
  { holder: 1, project: 1 },
  { holder: 5, project: 2 },
  { holder: 2, project: 2 },
  { holder: 3, project: 5 },
];
/** A CarbonRemoval project (category 6: TechCarbonPool's), registered after the bond's project. */
export const TECH_PROJECT = 5n;

export type Status = 0 | 1 | 2 | 3;
export const PAUSABLE = ["credit", "market", "escrow", "pool0", "pool1", "bond0", "bond1"] as const;
export type Pausable = (typeof PAUSABLE)[number];
export const TOKEN_PER_KG = 10n ** 15n;
export const FEE_PER_KG_BPS = TOKEN_PER_KG / BPS;
export const MAX_BATCHES_PER_CALL = 20;
export interface PoolModel {
  /** Batches holding units, in queue order (appended when a batch's holding goes 0 → > 0). */
  queue: bigint[];
  tokens: Map<string, bigint>;
  supply: bigint;
}
export type MsState = "pending" | "disputed" | "released" | "refunded" | "resolved" | "cancelled";
/** GreenBond status: 0 Subscription, 1 Refunding, 2 Active, 3 Defaulted. */
export type BondState = 0 | 1 | 2 | 3;
/** The GreenBond's state, mirrored step by step (see GreenBond.sol: accumulator, pots, recoveries). */
export interface BondModel {
  status: BondState;
  units: Map<string, bigint>;
  supply: bigint;
  raised: bigint;
  refundPot: bigint;
  issuedUnits: bigint;
  couponsFunded: bigint;
  fundedTotal: bigint;
  claimedTotal: bigint;
  /** couponPerUnit, scaled by ACC_SCALE. */
  perUnit: bigint;
  holders: Map<string, { owed: bigint; snap: bigint }>;
  pot: bigint;
  principalFunded: boolean;
  surplus: bigint;
  recovered: bigint;
  recoveries: Map<string, { units: bigint; paid: bigint }>;
  rateBps: bigint;
  steppedUp: boolean;
  /** 0 Pending, 1 Met, 2 Missed. */
  kpi: 0 | 1 | 2;
  frozen: Set<string>;
}

export interface Model {
  now: bigint;
  paused: Record<Pausable, boolean>;
  projects: { id: bigint; status: Status; nextSerial: bigint; category: number }[];
  pools: PoolModel[];
  batches: { id: bigint; project: number; issued: bigint; retired: bigint }[];
  credits: Map<string, Map<bigint, bigint>>;
  usd: Map<string, bigint>;
  certificates: bigint;
  listings: { id: bigint; seller: string; batch: bigint; remaining: bigint; price: bigint }[];
  deals: {
    id: bigint;
    funder: string;
    beneficiary: string;
    status: "created" | "funded" | "cancelled";
    /** The bond's use-of-proceeds deal: the funder is the bond contract, which never calls the escrow itself. */
    bond: boolean;
    project: number;
    threshold: number;
    feeBps: bigint;
    window: bigint;
    consent: Set<string>;
    ms: { amount: bigint; deadline: bigint; state: MsState; attested: Set<string>; disputedAt: bigint }[];
  }[];
  owed: Map<string, bigint>;
  liabilities: bigint;
  /** Bond 0 (in subscription when a run starts) and bond 1 (issued before the snapshot). */
  bonds: BondModel[];
}

/** The bond's fixed terms, read back from the contract. */
export interface BondTermsView {
  start: bigint;
  end: bigint;
  maturity: bigint;
  period: bigint;
  grace: bigint;
  kpiDeadline: bigint;
  stepUp: bigint;
  baseRate: bigint;
  unitPrice: bigint;
  cap: bigint;
  softCap: bigint;
  couponCount: bigint;
  /** Milestone shares of the proceeds (bps) and deadlines. */
  milestones: { bps: bigint; deadline: bigint }[];
  projectIndex: number;
}

export interface Real {
  registry: GreenProjectRegistry;
  credit: CarbonCredit;
  certificate: RetirementCertificate;
  usd: TestStablecoin;
  market: CreditMarketplace;
  escrow: MilestoneEscrow;
  probe: StateProbe;
  /** NatureCarbonPool, TechCarbonPool. */
  pools: CarbonPool[];
  poolCfg: { redeemBps: bigint; retireBps: bigint; mask: bigint; minVintage: number }[];
  attacker: ReentrantActor;
  deployer: HardhatEthersSigner;
  verifier: HardhatEthersSigner;
  verifier2: HardhatEthersSigner;
  arbiter: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  /** 5 EOAs + the hostile contract (index 5). */
  actors: string[];
  signers: Map<string, HardhatEthersSigner>;
  marketFeeBps: bigint;
  escrowFeeBps: bigint;
  /** Certificate ids announced by Retired events (retireBatch emits one event per batch, one certificate). */
  retiredCerts: Set<string>;
  /** Retired event topic. */
  retiredTopic: string;
  bonds: { c: GreenBond; terms: BondTermsView }[];
  issuer: HardhatEthersSigner;
  /** Contract address → short name (for the printed tally of calls). */
  labels: Map<string, string>;
  /** Actors the ComplianceRegistry verified (all but the outsider, actor 4). */
  verified: Set<string>;
}

export const low = (a: string) => a.toLowerCase();
export const get = (m: Map<string, bigint>, k: string) => m.get(low(k)) ?? 0n;
export const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(low(k), get(m, k) + v);
export const cred = (m: Model, holder: string, batch: bigint) => m.credits.get(low(holder))?.get(batch) ?? 0n;
export function moveCred(m: Model, from: string | null, to: string | null, batch: bigint, kg: bigint) {
  for (const [who, d] of [
    [from, -kg],
    [to, kg],
  ] as const) {
    if (!who) continue;
    const h = m.credits.get(low(who)) ?? new Map<bigint, bigint>();
    h.set(batch, (h.get(batch) ?? 0n) + d);
    m.credits.set(low(who), h);
  }
}

/** The model's view of CarbonPool eligibility (every batch is vintage 2020; no standard filter). */
export function eligible(m: Model, r: Real, p: number, batch: Model["batches"][number]): boolean {
  const pr = m.projects[batch.project];
  const c = r.poolCfg[p];
  return pr.status === 1 && 2020 >= c.minVintage && ((c.mask >> BigInt(pr.category)) & 1n) === 1n;
}
/** A deposit: credits move into the pool, pool tokens are minted to the depositor. */
export function book(m: Model, r: Real, p: number, who: string, batch: bigint, kg: bigint) {
  const pool = r.pools[p].target as string;
  if (cred(m, pool, batch) === 0n) m.pools[p].queue.push(batch);
  moveCred(m, who, pool, batch, kg);
  add(m.pools[p].tokens, who, kg * TOKEN_PER_KG);
  m.pools[p].supply += kg * TOKEN_PER_KG;
}
/** An exit: burns kg × 1e15 of `who`'s pool tokens, the fee goes to the treasury, credits leave the pool. */
export function debit(m: Model, r: Real, p: number, who: string, batch: bigint, kg: bigint, to: string | null) {
  const pool = r.pools[p].target as string;
  moveCred(m, pool, to, batch, kg);
  if (cred(m, pool, batch) === 0n) m.pools[p].queue = m.pools[p].queue.filter((x) => x !== batch);
}
export function charge(m: Model, r: Real, p: number, who: string, kg: bigint, bps: bigint) {
  const fee = kg * bps * FEE_PER_KG_BPS;
  add(m.pools[p].tokens, who, -(kg * TOKEN_PER_KG + fee));
  add(m.pools[p].tokens, r.treasury.address, fee);
  m.pools[p].supply -= kg * TOKEN_PER_KG;
}
/** The most kg `who` can pay for (burn + fee), capped at `held` (≥ 1 so that part() stays defined). */
export function payable(m: Model, p: number, who: string, bps: bigint, held: bigint) {
  const most = get(m.pools[p].tokens, who) / (TOKEN_PER_KG + bps * FEE_PER_KG_BPS);
  return most === 0n ? held : most < held ? most : held;
}
export const canPay = (m: Model, p: number, who: string, kg: bigint, bps: bigint) =>
  get(m.pools[p].tokens, who) >= kg * TOKEN_PER_KG + kg * bps * FEE_PER_KG_BPS;
/** CarbonPool._plan: walks the queue from the head, skips batches of non-Active projects, ≤ 20 touched. */
export function plan(m: Model, r: Real, p: number, kg: bigint) {
  const pool = r.pools[p].target as string;
  const out: { id: bigint; kg: bigint }[] = [];
  let remaining = kg;
  for (let i = 0; i < m.pools[p].queue.length && i < MAX_BATCHES_PER_CALL && remaining > 0n; i++) {
    const id = m.pools[p].queue[i];
    const batch = m.batches.find((b) => b.id === id)!;
    if (m.projects[batch.project].status !== 1) continue;
    const held = cred(m, pool, id);
    const take = held < remaining ? held : remaining;
    out.push({ id, kg: take });
    remaining -= take;
  }
  return { out, covered: remaining === 0n };
}

/** Moves the model's clock just past milestone `i`'s deadline + dispute window, when refundExpired opens. */
export function pastWindow(m: Model, deal: Model["deals"][number], i: number) {
  forwardTo(m, deal.ms[i].deadline + deal.window + 1n);
}

export const YEAR = 365n * DAY;
export const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

export function holderOf(b: BondModel, who: string) {
  return b.holders.get(low(who)) ?? b.holders.set(low(who), { owed: 0n, snap: 0n }).get(low(who))!;
}
/** GreenBond.claimable: owed + floor(units × (perUnit − snapshot) / ACC_SCALE). */
export function bondClaimable(b: BondModel, who: string): bigint {
  const h = holderOf(b, who);
  return h.owed + (get(b.units, who) * (b.perUnit - h.snap)) / ACC_SCALE;
}
/** GreenBond._settle, then the balance change of _update (mint: from = null, burn: to = null). */
export function bondMove(b: BondModel, from: string | null, to: string | null, units: bigint) {
  for (const who of [from, to]) {
    if (!who) continue;
    const h = holderOf(b, who);
    h.owed = bondClaimable(b, who);
    h.snap = b.perUnit;
  }
  if (from) add(b.units, from, -units);
  else b.supply += units;
  if (to) add(b.units, to, units);
  else b.supply -= units;
}
/**
 * A successful close of bond k: the units outstanding become the issued units, the money raised funds the
 * use-of-proceeds escrow deal (bond = funder, issuer = beneficiary; milestone i gets ⌊raised × bps_i / 10⁴⌋, the last
 * the remainder).
 */
export function issueBond(m: Model, r: Real, k: number) {
  const b = m.bonds[k];
  const { c, terms } = r.bonds[k];
  const amount = b.raised;
  b.raised = 0n;
  b.status = 2;
  b.issuedUnits = b.supply;
  pay(m, c.target as string, r.escrow.target as string, amount);
  m.liabilities += amount;
  let allocated = 0n;
  const n = terms.milestones.length;
  m.deals.push({
    id: BigInt(m.deals.length + 1),
    funder: c.target as string,
    beneficiary: r.issuer.address,
    status: "funded",
    bond: true,
    project: terms.projectIndex,
    threshold: 1,
    feeBps: r.escrowFeeBps,
    window: 2n * DAY,
    consent: new Set(),
    ms: terms.milestones.map((x, i) => {
      const part = i + 1 === n ? amount - allocated : (amount * x.bps) / BPS;
      allocated += part;
      return { amount: part, deadline: x.deadline, state: "pending", attested: new Set(), disputedAt: 0n };
    }),
  });
}
/** The issuer funded coupon `period` of bond k (GreenBond.depositCoupon). */
export function fundCoupon(m: Model, r: Real, k: number, period: bigint) {
  const b = m.bonds[k];
  const { c, terms } = r.bonds[k];
  // a KPI not met by its deadline steps the rate up before this coupon is computed
  if (terms.kpiDeadline !== 0n && !b.steppedUp && b.kpi !== 1 && m.now >= terms.kpiDeadline) {
    b.kpi = 2;
    b.steppedUp = true;
    b.rateBps += terms.stepUp;
  }
  const amount = ceilDiv(b.issuedUnits * terms.unitPrice * b.rateBps * terms.period, UNIT * BPS * YEAR);
  b.couponsFunded = period;
  b.fundedTotal += amount;
  b.perUnit += (amount * ACC_SCALE) / b.supply;
  pay(m, r.issuer.address, c.target as string, amount);
}
/** Moves the model's clock forward to `at - 1` (the next transaction is mined at `at`); never backwards. */
export function forwardTo(m: Model, at: bigint) {
  if (at - 1n > m.now) m.now = at - 1n;
}
/** Moves money between two tUSD holders of the model. */
export function pay(m: Model, from: string, to: string, amount: bigint) {
  add(m.usd, from, -amount);
  add(m.usd, to, amount);
}
