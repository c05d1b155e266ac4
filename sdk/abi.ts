/**
 * ABI knowledge of the suite, all from `sdk/generated` (generated from the artifacts at compile): the SDK's
 * contract kinds, the compiled ABI of each, and recognising a deployment's kind from its ABI. Browser-safe.
 */
import { Interface, type InterfaceAbi, type JsonFragment } from "ethers";
import { ABIS, type SuiteContractName } from "./generated";

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
  | "token"
  | "buffer"
  | "timelock";

/** Which compiled contract each kind is (artifact / TypeChain name). */
export const KIND_ARTIFACT: Record<ContractKind, SuiteContractName> = {
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
  buffer: "BufferPool",
  timelock: "TreelionTimelock",
};

/** Every kind, in a stable order. */
export const CONTRACT_KINDS_LIST = Object.keys(KIND_ARTIFACT) as ContractKind[];

let compiled: Map<string, JsonFragment[]> | undefined;

/** The ABI of every suite contract (generated from the artifacts), by contract name. */
export function compiledAbis(): Map<string, JsonFragment[]> {
  compiled ??= new Map(Object.entries(ABIS).map(([n, abi]) => [n, abi as unknown as JsonFragment[]]));
  return compiled;
}

/** ABI of a suite contract by name, or undefined if the suite has no such contract. */
export function compiledAbi(name: string): JsonFragment[] | undefined {
  return compiledAbis().get(name);
}

/** The compiled ABI of a kind's contract. */
export function abiOfKind(kind: ContractKind): JsonFragment[] {
  return compiledAbi(KIND_ARTIFACT[kind])!;
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
  if (ev("ReversalReported") && has("compensate")) return "buffer";
  if (ev("CallScheduled") && has("getMinDelay")) return "timelock";
  if (has("totalCertificates") && has("locked")) return "certificate";
  if (has("transfer") && has("decimals")) return "token";
  return undefined;
}
