/**
 * ABI knowledge of the suite: the public event signatures fixed by the issues (used as a fallback when a
 * deployment record or artifact is not at hand) and every compiled ABI (from the TypeChain factories) for
 * error decoding.
 */
import { Interface, type InterfaceAbi, type JsonFragment } from "ethers";

/** Contract kinds the SDK and the indexer know. */
export type ContractKind =
  | "registry"
  | "credit"
  | "certificate"
  | "pool"
  | "market"
  | "escrow"
  | "compliance"
  | "bondFactory"
  | "bond"
  | "token";

/** Event signatures of each kind as written in the issues (public contract; real ABIs may add more). */
export const SUITE_EVENTS: Record<ContractKind, string[]> = {
  registry: [
    "event ProjectRegistered(uint256 indexed projectId, address indexed owner, string name, uint8 category, bytes2 country, string standard, string externalId)",
    "event ProjectStatusChanged(uint256 indexed projectId, uint8 from, uint8 to)",
    "event ProjectMetadataUpdated(uint256 indexed projectId, string metadataURI)",
  ],
  credit: [
    "event BatchIssued(uint256 indexed batchId, uint256 indexed projectId, uint16 vintage, uint64 serialStart, uint64 serialEnd, address indexed to, bytes32 attestation)",
    "event Retired(uint256 indexed certificateId, uint256 indexed batchId, address indexed account, address beneficiary, uint256 amountKg, string beneficiaryName, string reason)",
    "event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value)",
    "event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values)",
  ],
  certificate: [],
  pool: [
    "event Deposited(address indexed account, uint256 indexed batchId, uint256 amountKg, uint256 minted)",
    "event Redeemed(address indexed account, uint256 indexed batchId, uint256 amountKg, uint256 burned, uint256 fee)",
    "event RetiredFromPool(address indexed account, uint256 indexed batchId, uint256 indexed certificateId, address beneficiary, uint256 amountKg, uint256 burned, uint256 fee)",
    "event Transfer(address indexed from, address indexed to, uint256 value)",
  ],
  market: [
    "event Listed(uint256 indexed listingId, address indexed seller, uint256 indexed batchId, uint256 amountKg, address paymentToken, uint256 pricePerTonne)",
    "event Purchased(uint256 indexed listingId, address indexed buyer, uint256 amountKg, uint256 totalPrice, uint256 fee, bool retired)",
    "event ListingCancelled(uint256 indexed listingId)",
    "event PriceUpdated(uint256 indexed listingId, uint256 oldPricePerTonne, uint256 newPricePerTonne)",
  ],
  escrow: [
    "event DealCreated(uint256 indexed dealId, uint256 indexed projectId, address indexed funder, address beneficiary, address token, uint256 total, uint8 threshold)",
    "event DealFunded(uint256 indexed dealId, uint256 amount)",
    "event MilestoneAttested(uint256 indexed dealId, uint256 indexed index, address indexed verifier, bytes32 evidence, uint8 attestations)",
    "event MilestoneReleased(uint256 indexed dealId, uint256 indexed index, uint256 toBeneficiary, uint256 fee)",
    "event MilestoneRefunded(uint256 indexed dealId, uint256 indexed index, uint256 amount)",
    "event DisputeRaised(uint256 indexed dealId, uint256 indexed index, address indexed by, bytes32 reason)",
    "event DisputeResolved(uint256 indexed dealId, uint256 indexed index, uint16 releaseBps)",
    "event Withdrawn(address indexed account, address indexed token, uint256 amount)",
  ],
  compliance: ["event InvestorUpdated(address indexed account, bool verified, bytes2 country, uint64 expiresAt)"],
  bondFactory: ["event BondCreated(address indexed bond, address indexed issuer, address indexed paymentToken)"],
  bond: [
    "event Subscribed(address indexed investor, uint256 units, uint256 paid)",
    "event CouponFunded(uint256 indexed period, uint256 amount, uint16 rateBps)",
    "event CouponClaimed(address indexed holder, uint256 amount)",
    "event KpiReported(bool met, bytes32 evidence)",
    "event CouponStepUp(uint16 newRateBps)",
    "event Redeemed(address indexed holder, uint256 units, uint256 paid)",
    "event Defaulted(uint256 indexed period)",
    "event SubscriptionClosed(bool success, uint256 units, uint256 proceeds, uint256 dealId)",
    "event Refunded(address indexed investor, uint256 units, uint256 paid)",
    "event PrincipalFunded(uint256 amount, uint256 principalPot)",
    "event Frozen(address indexed account, bool frozen, address indexed agent)",
    "event ForcedTransfer(address indexed from, address indexed to, uint256 units, address indexed agent)",
    "event EscrowRefundsPulled(uint256 amount, uint256 toPrincipal, uint256 toIssuer)",
    "event IssuerSurplusWithdrawn(address indexed issuer, uint256 amount)",
    "event Transfer(address indexed from, address indexed to, uint256 value)",
  ],
  token: [],
};

/** Which ABI a kind's contracts are compiled from (artifact / TypeChain name). */
export const KIND_ARTIFACT: Record<ContractKind, string> = {
  registry: "GreenProjectRegistry",
  credit: "CarbonCredit",
  certificate: "RetirementCertificate",
  pool: "CarbonPool",
  market: "CreditMarketplace",
  escrow: "MilestoneEscrow",
  compliance: "ComplianceRegistry",
  bondFactory: "GreenBondFactory",
  bond: "GreenBond",
  token: "TestStablecoin",
};

type Factory = { abi: InterfaceAbi; name?: string };

/** Every ABI TypeChain generated (suite contracts, OpenZeppelin bases and interfaces, mocks), by contract name. */
let compiled: Map<string, JsonFragment[]> | undefined;

export function compiledAbis(): Map<string, JsonFragment[]> {
  if (compiled) return compiled;
  // loaded on first use: the TypeChain index pulls in every factory (bytecode included)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const typechain = require("../typechain-types") as Record<string, unknown>;
  const out = new Map<string, JsonFragment[]>();
  for (const [key, value] of Object.entries(typechain)) {
    if (!key.endsWith("__factory")) continue;
    const abi = (value as Factory | undefined)?.abi;
    if (Array.isArray(abi)) out.set(key.slice(0, -"__factory".length), abi as JsonFragment[]);
  }
  compiled = out;
  return out;
}

/** ABI of a compiled contract by name, or undefined if TypeChain has no such contract. */
export function compiledAbi(name: string): JsonFragment[] | undefined {
  return compiledAbis().get(name);
}

/** Guesses the kind of a contract from its ABI (so extra pools or renamed deployments are recognised). */
export function kindOfAbi(abi: InterfaceAbi): ContractKind | undefined {
  const iface = abi instanceof Interface ? abi : new Interface(abi);
  const has = (n: string) => {
    try {
      return iface.getFunction(n) !== null;
    } catch {
      return true; // ambiguous overloads exist
    }
  };
  const ev = (n: string) => {
    try {
      return iface.getEvent(n) !== null;
    } catch {
      return true;
    }
  };
  if (ev("BondCreated")) return "bondFactory";
  if (ev("Subscribed") && ev("CouponFunded")) return "bond";
  if (ev("BatchIssued") && has("retireBatch")) return "credit";
  if (ev("ProjectRegistered")) return "registry";
  if (ev("Deposited") && has("redeemAuto")) return "pool";
  if (ev("Listed") && ev("Purchased")) return "market";
  if (ev("DealCreated") && ev("MilestoneReleased")) return "escrow";
  if (ev("InvestorUpdated")) return "compliance";
  if (has("totalCertificates") && has("locked")) return "certificate";
  if (has("transfer") && has("decimals")) return "token";
  return undefined;
}
