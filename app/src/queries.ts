/**
 * Every ledger query the app makes, written against issue #19's schema (field names fixed there).
 * Amounts and ids are decimal strings; addresses come back checksummed.
 */
import { apiQuery } from "./api";

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export interface ProjectRow {
  id: string;
  name: string;
  category: string;
  country: string;
  standard: string;
  externalId: string;
  status: string;
  issuedKg: string;
  retiredKg: string;
}
export interface BatchRow {
  id: string;
  vintage: number;
  serialStart: string;
  serialEnd: string;
  issuedKg: string;
  retiredKg: string;
}
export interface PoolRow {
  name: string;
  address: string;
  symbol: string;
  totalSupply: string;
  heldKg: string;
  batches: { batchId: string; amountKg: string }[];
}
export interface ListingRow {
  id: string;
  seller: string;
  batchId: string;
  remainingKg: string;
  pricePerTonne: string;
  paymentToken: string;
}
export interface BondRow {
  address: string;
  name: string;
  symbol: string;
  status: string;
  couponRateBps: number | null;
  faceValue: string;
}
export interface CertificateRow {
  id: string;
  owner: string;
  beneficiary: string;
  beneficiaryName: string;
  reason: string;
  amountKg: string;
  tonnes: string;
  batchIds: string[];
  retiredBy: string;
  retiredAt: string;
  txHash: string;
}
export interface RetirementRow {
  certificateId: string;
  batchId: string;
  projectId: string;
  beneficiary: string;
  beneficiaryName: string;
  reason: string;
  amountKg: string;
  tonnes: string;
  retiredBy: string;
  via: string;
  txHash: string;
  blockNumber: string;
  timestamp: string;
}
export interface MilestoneRow {
  index: number;
  amount: string | null;
  deadline: string | null;
  state: string;
  attestations: number;
}
export interface DealRow {
  id: string;
  projectId: string;
  funder: string;
  beneficiary: string;
  token: string;
  state: string;
  milestones: MilestoneRow[];
}
export interface HolderRow {
  address: string;
  credits: { batchId: string; amountKg: string }[];
  poolTokens: { pool: string; amount: string }[];
  certificates: { id: string; tonnes: string; beneficiaryName: string }[];
  bondUnits: { bond: string; amount: string }[];
  escrowOwed: { token: string; amount: string }[];
}
export interface SupplyRow {
  issuedKg: string;
  retiredKg: string;
  outstandingKg: string;
}

const PROJECT = "id name category country standard externalId status issuedKg retiredKg";
const BATCH = "id vintage serialStart serialEnd issuedKg retiredKg";
const POOL = "name address symbol totalSupply heldKg batches { batchId amountKg }";
const LISTING = "id seller batchId remainingKg pricePerTonne paymentToken";
const BOND = "address name symbol status couponRateBps faceValue";
const CERTIFICATE = "id owner beneficiary beneficiaryName reason amountKg tonnes batchIds retiredBy retiredAt txHash";
const RETIREMENT =
  "certificateId batchId projectId beneficiary beneficiaryName reason amountKg tonnes retiredBy via txHash blockNumber timestamp";
const DEAL = "id projectId funder beneficiary token state milestones { index amount deadline state attestations }";

export const overviewQuery = () =>
  apiQuery<{
    supply: SupplyRow;
    pools: PoolRow[];
    listings: Page<ListingRow>;
    bonds: BondRow[];
    projects: Page<ProjectRow>;
    deals: Page<DealRow>;
  }>(
    "overview",
    `query Overview {
      supply { issuedKg retiredKg outstandingKg }
      pools { ${POOL} }
      listings(open: true, first: 100) { totalCount edges { node { ${LISTING} } } }
      bonds { ${BOND} }
      projects(first: 100) { totalCount edges { node { ${PROJECT} } } }
      deals(first: 100) { totalCount edges { node { ${DEAL} } } }
    }`,
  );

export const projectsQuery = () =>
  apiQuery<{ projects: Page<ProjectRow> }>(
    "projects",
    `query Projects { projects(first: 100) { totalCount edges { cursor node { ${PROJECT} } } pageInfo { hasNextPage endCursor } } }`,
  );

export const projectQuery = (id: string) =>
  apiQuery<{ project: (ProjectRow & { batches: BatchRow[] }) | null }>(
    "project",
    `query Project($id: ID!) { project(id: $id) { ${PROJECT} batches { ${BATCH} } } }`,
    { id },
  );

export const holderQuery = (address: string) =>
  apiQuery<{ holder: HolderRow }>(
    "holder",
    `query Holder($address: String!) {
      holder(address: $address) {
        address
        credits { batchId amountKg }
        poolTokens { pool amount }
        certificates { id tonnes beneficiaryName }
        bondUnits { bond amount }
        escrowOwed { token amount }
      }
    }`,
    { address },
  );

export const listingsQuery = () =>
  apiQuery<{ listings: Page<ListingRow> }>(
    "listings",
    `query Listings { listings(open: true, first: 100) { totalCount edges { cursor node { ${LISTING} } } } }`,
  );

export const poolsQuery = () => apiQuery<{ pools: PoolRow[] }>("pools", `query Pools { pools { ${POOL} } }`);

/** Several batches with their project in one request (aliases b0, b1, …). */
export const batchesQuery = (ids: string[]) =>
  apiQuery<Record<string, (BatchRow & { project: { id: string; name: string } }) | null>>(
    "batches",
    ids.length
      ? `query Batches { ${ids.map((id, i) => `b${i}: batch(id: "${Number(id)}") { ${BATCH} project { id name } }`).join(" ")} }`
      : `query Batches { checkpoint { blockNumber } }`,
  );

export const dealQuery = (id: string) =>
  apiQuery<{ deal: DealRow | null }>("deal", `query Deal($id: ID!) { deal(id: $id) { ${DEAL} } }`, { id });

export const bondQuery = (address: string) =>
  apiQuery<{ bond: (BondRow & { holders: { totalCount: number } }) | null }>(
    "bond",
    `query Bond($address: String!) { bond(address: $address) { ${BOND} holders { totalCount } } }`,
    { address },
  );

export const retirementsQuery = (beneficiary: string) =>
  apiQuery<{ retirements: Page<RetirementRow> }>(
    "retirements",
    `query Retirements($beneficiary: String) {
      retirements(beneficiary: $beneficiary, first: 1000) { totalCount edges { cursor node { ${RETIREMENT} } } }
    }`,
    { beneficiary },
  );

/** A certificate with its batches (serial ranges, project) in the same request: one round trip. */
export const certificateQuery = (id: string) =>
  apiQuery<{
    certificate: (CertificateRow & { batches: (BatchRow & { project: { id: string; name: string } })[] }) | null;
  }>(
    "certificate",
    `query Certificate($id: ID!) { certificate(id: $id) { ${CERTIFICATE} batches { ${BATCH} project { id name } } } }`,
    { id },
  );
