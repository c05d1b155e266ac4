/**
 * The GraphQL schema of the ledger API and its resolvers (read-only, over the ledger tables through Kysely).
 * Amounts and ids are decimal strings; addresses are accepted in any case and returned checksummed; enums are
 * their Solidity names. Lists that can grow are cursor connections (keyset pagination on immutable keys, so
 * a page is stable while the indexer writes); `first` ≤ 1,000.
 */
import { GraphQLError } from "graphql";
import { getAddress, isAddress } from "ethers";
import { sql } from "kysely";
import type { Ledger } from "../ledger";
import { kgToTonnesString } from "../../units";
import { enumName, enumValue, type EnumTable } from "./enums";
import type { QueryLimits } from "./limits";

export const typeDefs = /* GraphQL */ `
  type Query {
    "the ledger's last indexed block"
    checkpoint: Checkpoint!
    project(id: ID!): Project
    projects(first: Int, after: String, status: String): ProjectConnection!
    batch(id: ID!): Batch
    holder(address: String!): Holder!
    retirements(beneficiary: String, projectId: ID, first: Int, after: String): RetirementConnection!
    certificate(id: ID!): Certificate
    pools: [Pool!]!
    listings(open: Boolean, batchId: ID, first: Int, after: String): ListingConnection!
    deal(id: ID!): Deal
    deals(funder: String, beneficiary: String, first: Int, after: String): DealConnection!
    bonds: [Bond!]!
    bond(address: String!): Bond
    supply: Supply!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type Checkpoint {
    chainId: String!
    blockNumber: Int!
    blockHash: String!
  }

  type Project {
    id: ID!
    owner: String!
    name: String!
    "Solidity Category name, e.g. Forestry"
    category: String!
    "ISO 3166-1 alpha-2, e.g. KE"
    country: String!
    standard: String!
    externalId: String!
    "Solidity ProjectStatus name: Pending, Active, Suspended, Closed"
    status: String!
    metadataURI: String
    issuedKg: String!
    retiredKg: String!
    batches: [Batch!]!
  }
  type ProjectEdge {
    cursor: String!
    node: Project!
  }
  type ProjectConnection {
    edges: [ProjectEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Batch {
    id: ID!
    projectId: ID!
    project: Project
    vintage: Int!
    serialStart: String!
    serialEnd: String!
    issuedKg: String!
    retiredKg: String!
    issuedTo: String!
    attestation: String!
    txHash: String!
    holders(first: Int, after: String): CreditHolderConnection!
  }
  type CreditHolder {
    address: String!
    amountKg: String!
  }
  type CreditHolderEdge {
    cursor: String!
    node: CreditHolder!
  }
  type CreditHolderConnection {
    edges: [CreditHolderEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Holder {
    address: String!
    credits: [CreditBalance!]!
    poolTokens: [TokenAmount!]!
    certificates: [Certificate!]!
    bondUnits: [BondAmount!]!
    escrowOwed: [EscrowOwed!]!
  }
  type CreditBalance {
    batchId: ID!
    amountKg: String!
  }
  type TokenAmount {
    pool: String!
    amount: String!
  }
  type BondAmount {
    bond: String!
    amount: String!
  }
  type EscrowOwed {
    escrow: String!
    token: String!
    amount: String!
  }

  type Retirement {
    certificateId: ID!
    batchId: ID!
    projectId: ID!
    vintage: Int!
    beneficiary: String!
    beneficiaryName: String!
    reason: String!
    amountKg: String!
    "tonnes with 3 decimals, e.g. 1.500"
    tonnes: String!
    retiredBy: String!
    "holder, pool or market"
    via: String!
    txHash: String!
    blockNumber: Int!
    timestamp: Int!
  }
  type RetirementEdge {
    cursor: String!
    node: Retirement!
  }
  type RetirementConnection {
    edges: [RetirementEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Certificate {
    id: ID!
    owner: String!
    beneficiary: String!
    beneficiaryName: String!
    reason: String!
    amountKg: String!
    tonnes: String!
    batchIds: [ID!]!
    "the batches retired into this certificate (the same order as batchIds), so a page needs one round trip"
    batches: [Batch!]!
    retiredBy: String!
    retiredAt: Int!
    txHash: String!
  }

  type Pool {
    name: String!
    address: String!
    symbol: String
    "pool-token wei (18 decimals, 1e18 = 1 t)"
    totalSupply: String!
    heldKg: String!
    batches: [BatchAmount!]!
  }
  type BatchAmount {
    batchId: ID!
    amountKg: String!
  }

  type Listing {
    id: ID!
    seller: String!
    batchId: ID!
    amountKg: String!
    soldKg: String!
    remainingKg: String!
    paymentToken: String!
    pricePerTonne: String!
    "Open, Sold or Cancelled"
    status: String!
    open: Boolean!
    txHash: String!
    timestamp: Int!
  }
  type ListingEdge {
    cursor: String!
    node: Listing!
  }
  type ListingConnection {
    edges: [ListingEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Deal {
    id: ID!
    escrow: String!
    projectId: ID!
    funder: String!
    beneficiary: String!
    token: String!
    "Solidity DealStatus name: Created, Funded, Cancelled"
    state: String!
    total: String!
    funded: String!
    threshold: Int!
    arbiter: String
    verifiers: [String!]!
    milestones: [Milestone!]!
  }
  type Milestone {
    index: Int!
    amount: String
    deadline: String
    description: String
    "Solidity MilestoneState name: Pending, Disputed, Released, Refunded, Resolved, Cancelled"
    state: String!
    attestations: Int!
  }
  type DealEdge {
    cursor: String!
    node: Deal!
  }
  type DealConnection {
    edges: [DealEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Bond {
    address: String!
    name: String
    symbol: String
    issuer: String!
    paymentToken: String!
    "Solidity BondStatus name: Subscription, Refunding, Active, Defaulted"
    status: String!
    couponRateBps: Int
    "principal owed at maturity: ceil(units issued × unitPrice / 1e18), payment-token units"
    faceValue: String!
    unitsOutstanding: String!
    holders(first: Int, after: String): BondHolderConnection!
  }
  type BondHolder {
    address: String!
    units: String!
  }
  type BondHolderEdge {
    cursor: String!
    node: BondHolder!
  }
  type BondHolderConnection {
    edges: [BondHolderEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Supply {
    blockNumber: Int
    batches: Int!
    issuedKg: String!
    retiredKg: String!
    outstandingKg: String!
    openListings: Int!
    listedKg: String!
    pools: [Pool!]!
  }
`;

/** A GraphQL error for bad input (never a stack trace, never a 500). */
/** Batch ids of a certificate, in the order they were retired. */
async function certificateBatchIds(c: ApiContext, certificateId: bigint): Promise<unknown[]> {
  const rows = await c.ledger.db.fetch(
    c.ledger.db.kysely
      .selectFrom("retirements")
      .select("batch_id")
      .where("certificate_id", "=", certificateId)
      .orderBy("block_number")
      .orderBy("log_index"),
  );
  return rows.map((r) => r.batch_id);
}

export function badInput(message: string, code = "BAD_USER_INPUT"): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
/**
 * Checksummed address. The checksum is a keccak256 of the address (the largest CPU cost of a response with
 * many addresses), so the last CHECKSUMS addresses seen are remembered.
 */
const CHECKSUMS = 50_000;
const checksums = new Map<string, string>();
export function cs(a: string): string {
  let c = checksums.get(a);
  if (c === undefined) {
    c = getAddress(a);
    if (checksums.size >= CHECKSUMS) checksums.delete(checksums.keys().next().value as string);
    checksums.set(a, c);
  }
  return c;
}

const LOWER_ADDRESS = /^0x[0-9a-f]{40}$/;
const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
export function address(arg: string, v: string): string {
  // the common cases without a keccak256 each: all lower case, or a checksum already remembered (looked up, not
  // added: a client's addresses must not push out the ones answers need); other mixed case must be its checksum
  if (LOWER_ADDRESS.test(v)) return v;
  if (HEX_ADDRESS.test(v) && checksums.get(v.toLowerCase()) === v) return v.toLowerCase();
  if (!HEX_ADDRESS.test(v) || !isAddress(v))
    throw badInput(`${arg}: "${v}" is not an address (0x followed by 40 hex digits)`);
  return v.toLowerCase();
}
export function id(arg: string, v: string | number): bigint {
  const t = String(v);
  if (!/^\d{1,30}$/.test(t)) throw badInput(`${arg}: "${t}" is not an id (a non-negative decimal integer)`);
  return BigInt(t);
}
export const notFound = (what: string) => badInput(`${what} does not exist in the ledger`, "NOT_FOUND");

/** Opaque cursors: base64url of the row's key (JSON). */
const encodeCursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString("base64url");
function decodeCursor(after: string | undefined | null, parts: number): string[] | undefined {
  if (after === undefined || after === null) return undefined;
  try {
    const k = JSON.parse(Buffer.from(after, "base64url").toString());
    if (Array.isArray(k) && k.length === parts && k.every((x) => typeof x === "string")) return k;
  } catch {
    /* reported below */
  }
  throw badInput(`after: "${after}" is not a cursor of this list (use a pageInfo.endCursor)`);
}

export interface ApiContext {
  ledger: Ledger;
  enums: EnumTable;
  limits: QueryLimits;
}

function pageSize(first: number | undefined | null, limits: QueryLimits): number {
  const n = first ?? limits.defaultFirst;
  if (!Number.isInteger(n) || n < 1 || n > limits.maxFirst)
    throw badInput(`first: ${n} is out of range (1 … ${limits.maxFirst})`);
  return n;
}

/**
 * One keyset page: rows ordered by `keys` ascending, after the cursor's key, `first` + 1 fetched to know
 * whether there is a next page; `totalCount` counts the whole filtered list.
 */
export async function page<R extends Record<string, any>>(
  c: ApiContext,
  o: {
    table: string;
    keys: string[];
    /** key columns that hold text (compared as text; the others as integers) */
    textKeys?: string[];
    where: (qb: any) => any;
    first?: number | null;
    after?: string | null;
    node: (r: R) => unknown;
  },
) {
  const n = pageSize(o.first, c.limits);
  const k = decodeCursor(o.after, o.keys.length);
  const db = c.ledger.db.kysely;
  let q = o.where(db.selectFrom(o.table).selectAll());
  if (k) {
    const vals = o.keys.map((col, i) => (o.textKeys?.includes(col) ? k[i] : BigInt(k[i])));
    // (a, b) > (x, y) written out, which both backends plan as an index range
    const cond = (i: number): any =>
      i === o.keys.length - 1
        ? sql`${sql.ref(o.keys[i])} > ${vals[i]}`
        : sql`(${sql.ref(o.keys[i])} > ${vals[i]} OR (${sql.ref(o.keys[i])} = ${vals[i]} AND ${cond(i + 1)}))`;
    q = q.where(cond(0));
  }
  for (const col of o.keys) q = q.orderBy(col);
  // the page and totalCount in one round trip: the count is an uncorrelated scalar subquery (computed once);
  // only an empty page asks for the count on its own
  const count = () => o.where(db.selectFrom(o.table)).select(sql`COUNT(*)`.as("n"));
  const rows = await c.ledger.db.fetch<R & { __total: bigint }>(q.select(count().as("__total")).limit(n + 1));
  const total = rows.length ? rows[0].__total : (await c.ledger.db.fetch<{ n: bigint }>(count()))[0].n;
  const edges = rows
    .slice(0, n)
    .map((r) => ({ cursor: encodeCursor(o.keys.map((col) => String(r[col]))), node: o.node(r) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > n, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: Number(total),
  };
}

export const one = async <R = Record<string, any>>(c: ApiContext, q: any): Promise<R | undefined> =>
  (await c.ledger.db.fetch<R>(q))[0];

function projectNode(c: ApiContext, r: Record<string, any>) {
  return {
    id: s(r.project_id),
    owner: cs(r.owner),
    name: r.name,
    category: enumName(c.enums, "Category", r.category),
    country: r.country,
    standard: r.standard,
    externalId: r.external_id,
    status: enumName(c.enums, "ProjectStatus", r.status),
    metadataURI: r.metadata_uri ?? null,
    _id: BigInt(r.project_id),
  };
}

function batchNode(r: Record<string, any>) {
  return {
    id: s(r.batch_id),
    projectId: s(r.project_id),
    vintage: Number(r.vintage),
    serialStart: s(r.serial_start),
    serialEnd: s(r.serial_end),
    issuedKg: s(r.issued_kg),
    retiredKg: s(r.retired_kg),
    issuedTo: cs(r.issued_to),
    attestation: r.attestation,
    txHash: r.tx_hash,
    _id: BigInt(r.batch_id),
    _project: BigInt(r.project_id),
  };
}

function retirementNode(r: Record<string, any>) {
  return {
    certificateId: s(r.certificate_id),
    batchId: s(r.batch_id),
    projectId: s(r.project_id),
    vintage: Number(r.vintage),
    beneficiary: cs(r.beneficiary),
    beneficiaryName: r.beneficiary_name,
    reason: r.reason,
    amountKg: s(r.amount_kg),
    tonnes: r.tonnes,
    retiredBy: cs(r.account),
    via: r.via,
    txHash: r.tx_hash,
    blockNumber: Number(r.block_number),
    timestamp: Number(r.timestamp),
  };
}

function certificateNode(r: Record<string, any>) {
  return {
    id: s(r.certificate_id),
    // the soulbound certificate is minted to the beneficiary
    owner: cs(r.beneficiary),
    beneficiary: cs(r.beneficiary),
    beneficiaryName: r.beneficiary_name,
    reason: r.reason,
    amountKg: s(r.amount_kg),
    tonnes: kgToTonnesString(BigInt(r.amount_kg)),
    retiredBy: cs(r.account),
    retiredAt: Number(r.timestamp),
    txHash: r.tx_hash,
    _id: BigInt(r.certificate_id),
  };
}

function listingNode(r: Record<string, any>) {
  const status = String(r.status);
  return {
    id: s(r.listing_id),
    seller: cs(r.seller),
    batchId: s(r.batch_id),
    amountKg: s(r.amount_kg),
    soldKg: s(r.sold_kg),
    remainingKg: s(r.remaining_kg),
    paymentToken: cs(r.payment_token),
    pricePerTonne: s(r.price_per_tonne),
    status: status.charAt(0).toUpperCase() + status.slice(1),
    open: status === "open",
    txHash: r.tx_hash,
    timestamp: Number(r.timestamp),
  };
}

/** The ledger keeps lower-case state words ('funded'); the API answers with the Solidity enum member. */
const solidityState = (c: ApiContext, enumType: string, word: string) =>
  c.enums[enumType]?.find((m) => m.toLowerCase() === String(word).toLowerCase()) ?? String(word);

function dealNode(c: ApiContext, r: Record<string, any>) {
  return {
    id: s(r.deal_id),
    escrow: cs(r.escrow),
    projectId: s(r.project_id),
    funder: cs(r.funder),
    beneficiary: cs(r.beneficiary),
    token: cs(r.token),
    state: solidityState(c, "DealStatus", r.status),
    total: s(r.total),
    funded: s(r.funded),
    threshold: Number(r.threshold),
    arbiter: r.arbiter ? cs(r.arbiter) : null,
    verifiers: r.verifiers ? (JSON.parse(r.verifiers) as string[]).map(cs) : [],
    _id: BigInt(r.deal_id),
  };
}

async function tokenMeta(c: ApiContext, address: string): Promise<{ name?: string; symbol?: string }> {
  const v = await c.ledger.getMeta(`token:${address}`);
  return v ? JSON.parse(v) : {};
}

async function poolNode(c: ApiContext, p: { address: string; name: string }) {
  const db = c.ledger.db.kysely;
  const balances = await c.ledger.db.fetch<{ balance: string }>(
    db.selectFrom("token_balances").select("balance").where("token", "=", p.address),
  );
  const supply = balances.reduce((a, r) => a + BigInt(r.balance), 0n);
  const batches = await c.ledger.db.fetch<{ batch_id: bigint; balance_kg: bigint }>(
    db
      .selectFrom("credit_balances")
      .select(["batch_id", "balance_kg"])
      .where("account", "=", p.address)
      .orderBy("batch_id"),
  );
  return {
    name: p.name,
    address: cs(p.address),
    symbol: (await tokenMeta(c, p.address)).symbol ?? null,
    totalSupply: String(supply),
    heldKg: String(batches.reduce((a, b) => a + BigInt(b.balance_kg), 0n)),
    batches: batches.map((b) => ({ batchId: s(b.batch_id), amountKg: s(b.balance_kg) })),
  };
}

async function pools(c: ApiContext) {
  const rows = await c.ledger.db.fetch<{ address: string; name: string }>(
    c.ledger.db.kysely.selectFrom("contracts").select(["address", "name"]).where("kind", "=", "pool").orderBy("name"),
  );
  return Promise.all(rows.map((p) => poolNode(c, p)));
}

async function bondNode(c: ApiContext, r: Record<string, any>) {
  const db = c.ledger.db.kysely;
  const terms = JSON.parse(r.terms ?? "{}");
  const subs = await c.ledger.db.fetch<{ units: string }>(
    db.selectFrom("bond_subscriptions").select("units").where("bond", "=", r.address),
  );
  const balances = await c.ledger.db.fetch<{ balance: string }>(
    db.selectFrom("token_balances").select("balance").where("token", "=", r.address),
  );
  const units = subs.reduce((a, x) => a + BigInt(x.units), 0n);
  const price = BigInt(terms.unitPrice ?? 0);
  const UNIT = 10n ** 18n;
  const meta = await tokenMeta(c, r.address);
  return {
    address: cs(r.address),
    name: meta.name ?? null,
    symbol: meta.symbol ?? null,
    issuer: cs(r.issuer),
    paymentToken: cs(r.payment_token),
    status: solidityState(c, "BondStatus", r.status),
    couponRateBps: r.coupon_rate_bps === null ? null : Number(r.coupon_rate_bps),
    faceValue: String(r.status === "refunding" ? 0n : (units * price + UNIT - 1n) / UNIT),
    unitsOutstanding: String(balances.reduce((a, x) => a + BigInt(x.balance), 0n)),
    _address: r.address as string,
  };
}

export function resolvers() {
  return {
    Query: {
      checkpoint: async (_: unknown, __: unknown, c: ApiContext) => {
        const cp = await c.ledger.checkpoint();
        return {
          chainId: (await c.ledger.getMeta("chain_id")) ?? "",
          blockNumber: cp?.blockNumber ?? 0,
          blockHash: cp?.blockHash ?? "",
        };
      },
      project: async (_: unknown, a: { id: string }, c: ApiContext) => {
        const pid = id("id", a.id);
        const r = await one(c, c.ledger.db.kysely.selectFrom("projects").selectAll().where("project_id", "=", pid));
        if (!r) throw notFound(`project ${pid}`);
        return projectNode(c, r);
      },
      projects: (_: unknown, a: { first?: number; after?: string; status?: string }, c: ApiContext) => {
        let status: number | undefined;
        if (a.status !== undefined && a.status !== null) {
          status = enumValue(c.enums, "ProjectStatus", a.status);
          if (status === undefined)
            throw badInput(
              `status: "${a.status}" is not a ProjectStatus (${(c.enums.ProjectStatus ?? []).join(", ")})`,
            );
        }
        return page(c, {
          table: "projects",
          keys: ["project_id"],
          where: (qb) => (status === undefined ? qb : qb.where("status", "=", status)),
          first: a.first,
          after: a.after,
          node: (r) => projectNode(c, r),
        });
      },
      batch: async (_: unknown, a: { id: string }, c: ApiContext) => {
        const bid = id("id", a.id);
        const r = await one(c, c.ledger.db.kysely.selectFrom("batches").selectAll().where("batch_id", "=", bid));
        if (!r) throw notFound(`batch ${bid}`);
        return batchNode(r);
      },
      holder: (_: unknown, a: { address: string }) => ({ _address: address("address", a.address) }),
      retirements: (
        _: unknown,
        a: { beneficiary?: string; projectId?: string; first?: number; after?: string },
        c: ApiContext,
      ) => {
        const ben =
          a.beneficiary === undefined || a.beneficiary === null ? undefined : address("beneficiary", a.beneficiary);
        const pid = a.projectId === undefined || a.projectId === null ? undefined : id("projectId", a.projectId);
        return page(c, {
          table: "retirements",
          keys: ["block_number", "log_index"],
          where: (qb) => {
            let q = qb;
            if (ben !== undefined) q = q.where("beneficiary", "=", ben);
            if (pid !== undefined) q = q.where("project_id", "=", pid);
            return q;
          },
          first: a.first,
          after: a.after,
          node: retirementNode,
        });
      },
      certificate: async (_: unknown, a: { id: string }, c: ApiContext) => {
        const cid = id("id", a.id);
        const r = await one(
          c,
          c.ledger.db.kysely.selectFrom("certificates").selectAll().where("certificate_id", "=", cid),
        );
        if (!r) throw notFound(`certificate ${cid}`);
        return certificateNode(r);
      },
      pools: (_: unknown, __: unknown, c: ApiContext) => pools(c),
      listings: (
        _: unknown,
        a: { open?: boolean; batchId?: string; first?: number; after?: string },
        c: ApiContext,
      ) => {
        const bid = a.batchId === undefined || a.batchId === null ? undefined : id("batchId", a.batchId);
        return page(c, {
          table: "listings",
          keys: ["listing_id"],
          where: (qb) => {
            let q = qb;
            if (a.open === true) q = q.where("status", "=", "open");
            if (a.open === false) q = q.where("status", "<>", "open");
            if (bid !== undefined) q = q.where("batch_id", "=", bid);
            return q;
          },
          first: a.first,
          after: a.after,
          node: listingNode,
        });
      },
      deal: async (_: unknown, a: { id: string }, c: ApiContext) => {
        const did = id("id", a.id);
        const r = await one(c, c.ledger.db.kysely.selectFrom("deals").selectAll().where("deal_id", "=", did));
        if (!r) throw notFound(`deal ${did}`);
        return dealNode(c, r);
      },
      deals: (
        _: unknown,
        a: { funder?: string; beneficiary?: string; first?: number; after?: string },
        c: ApiContext,
      ) => {
        const funder = a.funder === undefined || a.funder === null ? undefined : address("funder", a.funder);
        const ben =
          a.beneficiary === undefined || a.beneficiary === null ? undefined : address("beneficiary", a.beneficiary);
        return page(c, {
          table: "deals",
          keys: ["deal_id"],
          where: (qb) => {
            let q = qb;
            if (funder !== undefined) q = q.where("funder", "=", funder);
            if (ben !== undefined) q = q.where("beneficiary", "=", ben);
            return q;
          },
          first: a.first,
          after: a.after,
          node: (r) => dealNode(c, r),
        });
      },
      bonds: async (_: unknown, __: unknown, c: ApiContext) => {
        const rows = await c.ledger.db.fetch(
          c.ledger.db.kysely.selectFrom("bonds").selectAll().orderBy("block_number").orderBy("address"),
        );
        return Promise.all(rows.map((r) => bondNode(c, r)));
      },
      bond: async (_: unknown, a: { address: string }, c: ApiContext) => {
        const addr = address("address", a.address);
        const r = await one(c, c.ledger.db.kysely.selectFrom("bonds").selectAll().where("address", "=", addr));
        if (!r) throw notFound(`bond ${a.address}`);
        return bondNode(c, r);
      },
      supply: async (_: unknown, __: unknown, c: ApiContext) => {
        const [b] = await c.ledger.query<Record<string, bigint>>(
          "SELECT COUNT(*) AS n, COALESCE(SUM(issued_kg),0) AS issued, COALESCE(SUM(retired_kg),0) AS retired FROM batches",
        );
        const [l] = await c.ledger.query<Record<string, bigint>>(
          "SELECT COUNT(*) AS n, COALESCE(SUM(remaining_kg),0) AS kg FROM listings WHERE status = 'open'",
        );
        const issued = BigInt(b.issued);
        const retired = BigInt(b.retired);
        return {
          blockNumber: (await c.ledger.checkpoint())?.blockNumber ?? null,
          batches: Number(b.n),
          issuedKg: String(issued),
          retiredKg: String(retired),
          outstandingKg: String(issued - retired),
          openListings: Number(l.n),
          listedKg: String(l.kg),
          pools: await pools(c),
        };
      },
    },
    Project: {
      issuedKg: async (p: { _id: bigint }, _: unknown, c: ApiContext) => (await projectTotals(c, p._id)).issued,
      retiredKg: async (p: { _id: bigint }, _: unknown, c: ApiContext) => (await projectTotals(c, p._id)).retired,
      batches: async (p: { _id: bigint }, _: unknown, c: ApiContext) =>
        (
          await c.ledger.db.fetch(
            c.ledger.db.kysely.selectFrom("batches").selectAll().where("project_id", "=", p._id).orderBy("batch_id"),
          )
        ).map(batchNode),
    },
    Batch: {
      project: async (b: { _project: bigint }, _: unknown, c: ApiContext) => {
        const r = await one(
          c,
          c.ledger.db.kysely.selectFrom("projects").selectAll().where("project_id", "=", b._project),
        );
        return r ? projectNode(c, r) : null;
      },
      holders: (b: { _id: bigint }, a: { first?: number; after?: string }, c: ApiContext) =>
        page(c, {
          table: "credit_balances",
          keys: ["account"],
          textKeys: ["account"],
          where: (qb) => qb.where("batch_id", "=", b._id),
          first: a.first,
          after: a.after,
          node: (r: any) => ({ address: cs(r.account), amountKg: s(r.balance_kg) }),
        }),
    },
    Holder: {
      address: (h: { _address: string }) => cs(h._address),
      credits: async (h: { _address: string }, _: unknown, c: ApiContext) =>
        (
          await c.ledger.db.fetch(
            c.ledger.db.kysely
              .selectFrom("credit_balances")
              .select(["batch_id", "balance_kg"])
              .where("account", "=", h._address)
              .orderBy("batch_id"),
          )
        ).map((r) => ({ batchId: s(r.batch_id), amountKg: s(r.balance_kg) })),
      poolTokens: (h: { _address: string }, _: unknown, c: ApiContext) => tokenBalances(c, h._address, "pool"),
      bondUnits: (h: { _address: string }, _: unknown, c: ApiContext) => tokenBalances(c, h._address, "bond"),
      certificates: async (h: { _address: string }, _: unknown, c: ApiContext) =>
        (
          await c.ledger.db.fetch(
            c.ledger.db.kysely
              .selectFrom("certificates")
              .selectAll()
              .where("beneficiary", "=", h._address)
              .orderBy("certificate_id"),
          )
        ).map(certificateNode),
      escrowOwed: async (h: { _address: string }, _: unknown, c: ApiContext) =>
        (
          await c.ledger.db.fetch(
            c.ledger.db.kysely
              .selectFrom("escrow_owed")
              .selectAll()
              .where("account", "=", h._address)
              .orderBy("escrow")
              .orderBy("token"),
          )
        ).map((r) => ({ escrow: cs(r.escrow), token: cs(r.token), amount: s(r.owed) })),
    },
    Certificate: {
      batchIds: async (x: { _id: bigint }, _: unknown, c: ApiContext) =>
        (await certificateBatchIds(c, x._id)).map((b) => s(b)),
      batches: async (x: { _id: bigint }, _: unknown, c: ApiContext) => {
        const ids = await certificateBatchIds(c, x._id);
        if (ids.length === 0) return [];
        const rows = await c.ledger.db.fetch(
          c.ledger.db.kysely.selectFrom("batches").selectAll().where("batch_id", "in", ids),
        );
        const byId = new Map(rows.map((r) => [String(r.batch_id), r]));
        return ids
          .map((b) => byId.get(String(b)))
          .filter((r) => r !== undefined)
          .map((r) => batchNode(r));
      },
    },
    Deal: {
      milestones: async (d: { _id: bigint }, _: unknown, c: ApiContext) =>
        (
          await c.ledger.db.fetch(
            c.ledger.db.kysely.selectFrom("milestones").selectAll().where("deal_id", "=", d._id).orderBy("idx"),
          )
        ).map((m) => ({
          index: Number(m.idx),
          amount: s(m.amount),
          deadline: s(m.deadline),
          description: m.description ?? null,
          state: solidityState(c, "MilestoneState", m.status),
          attestations: Number(m.attestations),
        })),
    },
    Bond: {
      holders: (b: { _address: string }, a: { first?: number; after?: string }, c: ApiContext) =>
        page(c, {
          table: "token_balances",
          keys: ["account"],
          textKeys: ["account"],
          where: (qb) => qb.where("token", "=", b._address),
          first: a.first,
          after: a.after,
          node: (r: any) => ({ address: cs(r.account), units: s(r.balance) }),
        }),
    },
  };
}

async function projectTotals(c: ApiContext, projectId: bigint) {
  const [r] = await c.ledger.query<Record<string, bigint>>(
    "SELECT COALESCE(SUM(issued_kg),0) AS issued, COALESCE(SUM(retired_kg),0) AS retired FROM batches WHERE project_id = ?",
    [projectId],
  );
  return { issued: String(r.issued), retired: String(r.retired) };
}

async function tokenBalances(c: ApiContext, account: string, kind: "pool" | "bond") {
  const db = c.ledger.db.kysely;
  // balances of the account (index on account), each token looked up by its primary key
  const base = db.selectFrom("token_balances as tb").select(["tb.token as token", "tb.balance as balance"]);
  const q =
    kind === "pool"
      ? base.innerJoin("contracts as k", (j: any) => j.onRef("k.address", "=", "tb.token").on("k.kind", "=", "pool"))
      : base.innerJoin("bonds as k", "k.address", "tb.token");
  const rows = await c.ledger.db.fetch<{ token: string; balance: string }>(
    q.where("tb.account", "=", account).orderBy("tb.token"),
  );
  return rows.map((r) =>
    kind === "pool" ? { pool: cs(r.token), amount: r.balance } : { bond: cs(r.token), amount: r.balance },
  );
}
