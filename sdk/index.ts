/**
 * Treelion SDK, root entry (`treelion-contracts`): browser-safe — no Node built-ins, no Hardhat, no file
 * system. Typed contract handles from deployment data plus the helpers a dApp needs.
 *
 *   import addresses from "./deployments/sepolia/addresses.json";
 *   const t = createTreelion({ runner: signer, deployments: addresses });
 *   await t.credit.retire(batchId, tonnes("1.5"), me, "Acme", "2025 travel");
 *
 * Reading `deployments/<network>/` from disk: `treelion-contracts/node`. The indexer: `treelion-contracts/indexer`.
 */
import { Contract, type ContractRunner, type TransactionReceipt, type Log } from "ethers";
import type {
  BufferPool,
  TreelionTimelock,
  CarbonCredit,
  CarbonPool,
  ComplianceRegistry,
  CreditMarketplace,
  GreenBond,
  GreenBondFactory,
  GreenProjectRegistry,
  MilestoneEscrow,
  RetirementCertificate,
  TestStablecoin,
} from "../typechain-types";
import { abiOfKind, type ContractKind } from "./abi";
import {
  recordsFrom,
  type AddressMap,
  type AddressesSummary,
  type DeploymentJson,
  type DeploymentRecord,
} from "./deployments";
import { SuiteEventDecoder, eventsNamed, type EventOf, type ParsedEvent, type TreelionEventName } from "./events";
import { findOverlapHint, type OverlapHint, type SerialRange } from "./serials";
import { decodeCertificateURI, type DecodedCertificate } from "./certificates";
import { decodeError, type DecodedError } from "./errors";

export * from "./units";
export * from "./buffer";
export * from "./certificates";
export * from "./errors";
export * from "./events";
export * from "./serials";
export * from "./deployments";
export * from "./names";
export * from "./permit";
export * from "./generated";
export {
  KIND_ARTIFACT,
  CONTRACT_KINDS_LIST,
  kindOfAbi,
  compiledAbi,
  compiledAbis,
  abiOfKind,
  type ContractKind,
} from "./abi";
export * from "./governance";

export type TreelionOptions =
  | { runner: ContractRunner | null; addresses: AddressMap }
  | {
      runner: ContractRunner | null;
      /** an `addresses.json` summary, or hardhat-deploy records by deployment name (e.g. imported JSON files) */
      deployments: AddressesSummary | Record<string, DeploymentJson> | Record<string, DeploymentRecord>;
    };

/** Well-known deployment names. */
export const DEPLOYMENT_NAMES = {
  registry: "GreenProjectRegistry",
  credit: "CarbonCredit",
  certificate: "RetirementCertificate",
  usd: "TestStablecoin",
  market: "CreditMarketplace",
  escrow: "MilestoneEscrow",
  compliance: "ComplianceRegistry",
  bondFactory: "GreenBondFactory",
  buffer: "BufferPool",
  timelock: "TreelionTimelock",
  pools: ["NatureCarbonPool", "TechCarbonPool"],
} as const;

const KIND_OF_NAME: Record<keyof typeof DEPLOYMENT_NAMES, ContractKind> = {
  registry: "registry",
  credit: "credit",
  certificate: "certificate",
  usd: "token",
  market: "market",
  escrow: "escrow",
  compliance: "compliance",
  bondFactory: "bondFactory",
  buffer: "buffer",
  timelock: "timelock",
  pools: "pool",
};

export interface Treelion {
  runner: ContractRunner | null;
  /** every known deployment: name → address */
  addresses: AddressMap;
  registry: GreenProjectRegistry;
  credit: CarbonCredit;
  certificate: RetirementCertificate;
  /** the test stablecoin (local networks only) */
  usd?: TestStablecoin;
  /** CarbonPool deployments by name (NatureCarbonPool, TechCarbonPool, …) */
  pools: Record<string, CarbonPool>;
  market?: CreditMarketplace;
  escrow?: MilestoneEscrow;
  compliance?: ComplianceRegistry;
  bondFactory?: GreenBondFactory;
  /** the buffer pool of withheld credits (climate integrity) */
  buffer?: BufferPool;
  /** the governance timelock (public networks) */
  timelock?: TreelionTimelock;
  /** a GreenBond created by the factory */
  bond(address: string): GreenBond;
  /** typed event decoder aware of every deployment (bonds are added as they are seen in BondCreated) */
  decoder: SuiteEventDecoder;
  /** decodes every suite event of a receipt (or of a list of logs) */
  parseEvents(receipt: TransactionReceipt | { logs: readonly Log[] }): ParsedEvent[];
  /** the typed events of one name in a receipt, e.g. `t.events(receipt, "Retired")[0].args.certificateId` */
  events<K extends TreelionEventName>(
    receipt: TransactionReceipt | { logs: readonly Log[] } | null,
    name: K,
  ): EventOf<K>[];
  decodeError(err: unknown): DecodedError | undefined;
  /** prevBatchId hint for issueWithHint, or the overlapping batch */
  findOverlapHint(projectId: bigint | number, range: SerialRange): Promise<OverlapHint>;
  /** reads and decodes a certificate's tokenURI */
  certificateJson(certificateId: bigint | number): Promise<DecodedCertificate>;
}

/** A typed handle on a suite contract with its compiled ABI (what the TypeChain type describes). */
function handle<T>(address: string, kind: ContractKind, runner: ContractRunner | null): T {
  return new Contract(address, abiOfKind(kind), runner) as unknown as T;
}

/**
 * Creates the client from deployment data: an address map, an `addresses.json` summary, or record objects.
 * (From `deployments/<network>` on disk: `createTreelion({ runner, network })` of `treelion-contracts/node`.)
 */
export function createTreelion(options: TreelionOptions): Treelion {
  const { runner } = options;
  if ("network" in options)
    throw new Error(
      'createTreelion({ network }) reads deployments/<network> from disk and needs the Node entry: import { createTreelion } from "treelion-contracts/node" (in the browser pass the records as data: { deployments: addresses })',
    );
  const records = recordsFrom("addresses" in options ? options.addresses : options.deployments);
  return clientFromRecords(runner, records);
}

/** The client over already-read records (shared by the browser and the Node entry). */
export function clientFromRecords(runner: ContractRunner | null, records: Record<string, DeploymentRecord>): Treelion {
  const addresses: AddressMap = Object.fromEntries(Object.entries(records).map(([n, r]) => [n, r.address]));
  const need = (name: string): string => {
    const a = addresses[name];
    if (!a)
      throw new Error(`createTreelion: no address for ${name} (known: ${Object.keys(addresses).join(", ") || "none"})`);
    return a;
  };

  // kinds: from the record's ABI when present, else from the well-known names
  const kindByName = (name: string): ContractKind | undefined => {
    const r = records[name];
    if (r?.kind) return r.kind;
    const known = Object.entries(DEPLOYMENT_NAMES).find(([, v]) =>
      Array.isArray(v) ? (v as readonly string[]).includes(name) : v === name,
    );
    return known ? KIND_OF_NAME[known[0] as keyof typeof DEPLOYMENT_NAMES] : undefined;
  };

  const decoder = new SuiteEventDecoder();
  for (const name of Object.keys(records)) {
    const kind = kindByName(name);
    if (kind) decoder.register(records[name].address, kind, name);
  }

  const pools: Record<string, CarbonPool> = {};
  for (const name of Object.keys(records)) {
    if (kindByName(name) === "pool") pools[name] = handle(records[name].address, "pool", runner);
  }
  const optional = <T>(name: string, kind: ContractKind): T | undefined =>
    addresses[name] ? handle<T>(addresses[name], kind, runner) : undefined;

  const credit = handle<CarbonCredit>(need(DEPLOYMENT_NAMES.credit), "credit", runner);
  const certificate = handle<RetirementCertificate>(need(DEPLOYMENT_NAMES.certificate), "certificate", runner);

  const client: Treelion = {
    runner,
    addresses,
    registry: handle(need(DEPLOYMENT_NAMES.registry), "registry", runner),
    credit,
    certificate,
    usd: optional(DEPLOYMENT_NAMES.usd, "token"),
    pools,
    market: optional(DEPLOYMENT_NAMES.market, "market"),
    escrow: optional(DEPLOYMENT_NAMES.escrow, "escrow"),
    compliance: optional(DEPLOYMENT_NAMES.compliance, "compliance"),
    bondFactory: optional(DEPLOYMENT_NAMES.bondFactory, "bondFactory"),
    buffer: optional(DEPLOYMENT_NAMES.buffer, "buffer"),
    timelock: optional(DEPLOYMENT_NAMES.timelock, "timelock"),
    bond: (address: string) => {
      if (!decoder.routeOf(address)) decoder.register(address, "bond", `GreenBond@${address}`);
      return handle<GreenBond>(address, "bond", runner);
    },
    decoder,
    parseEvents: (receipt) => decoder.decodeAll(receipt.logs),
    events(receipt, name) {
      if (!receipt) throw new Error("no receipt");
      return eventsNamed(client.parseEvents(receipt), name);
    },
    decodeError: (err) => decodeError(err),
    findOverlapHint: (projectId, range) => findOverlapHint(credit, projectId, range),
    certificateJson: async (id) => decodeCertificateURI(await certificate.tokenURI(id)),
  };
  return client;
}
