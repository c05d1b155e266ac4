/**
 * Treelion SDK: typed contract handles from deployment records plus the helpers a dApp needs.
 *
 *   const t = createTreelion({ runner: signer, network: "sepolia" });
 *   await t.credit.retire(batchId, tonnes("1.5"), me, "Acme", "2025 travel");
 */
import type { ContractRunner, TransactionReceipt, Log } from "ethers";
import {
  CarbonCredit__factory,
  CarbonPool__factory,
  ComplianceRegistry__factory,
  GreenBondFactory__factory,
  GreenBond__factory,
  type CarbonPool,
  type ComplianceRegistry,
  type GreenBondFactory,
  type GreenBond,
  CreditMarketplace__factory,
  MilestoneEscrow__factory,
  type CreditMarketplace,
  type MilestoneEscrow,
  GreenProjectRegistry__factory,
  RetirementCertificate__factory,
  TestStablecoin__factory,
  type CarbonCredit,
  type GreenProjectRegistry,
  type RetirementCertificate,
  type TestStablecoin,
} from "../typechain-types";
import type { ContractKind } from "./abi";
import { readDeployments, type DeploymentRecord } from "./deployments";
import { SuiteEventDecoder, eventsNamed, type EventOf, type ParsedEvent, type TreelionEventName } from "./events";
import { findOverlapHint, type OverlapHint, type SerialRange } from "./serials";
import { decodeCertificateURI, type DecodedCertificate } from "./certificates";
import { decodeError, type DecodedError } from "./errors";

export * from "./units";
export * from "./certificates";
export * from "./errors";
export * from "./events";
export * from "./serials";
export * from "./deployments";
export * from "./names";
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

/** Deployment name → address (e.g. { CarbonCredit: "0x…", NatureCarbonPool: "0x…" }). */
export type AddressMap = Record<string, string>;

export type TreelionOptions =
  | { runner: ContractRunner | null; network: string; deploymentsDir?: string }
  | { runner: ContractRunner | null; addresses: AddressMap };

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
  pools: ["NatureCarbonPool", "TechCarbonPool"],
} as const;

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

/** Creates the client from `deployments/<network>` records or from an explicit address map. */
export function createTreelion(options: TreelionOptions): Treelion {
  const { runner } = options;
  let records: Record<string, DeploymentRecord>;
  if ("network" in options) {
    records = readDeployments(options.network, options.deploymentsDir);
  } else {
    records = {};
    for (const [name, address] of Object.entries(options.addresses)) records[name] = { name, address, abi: [] };
  }
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
    const known = Object.entries(DEPLOYMENT_NAMES).find(([, v]) => (Array.isArray(v) ? v.includes(name) : v === name));
    if (!known) return undefined;
    const key = known[0];
    return (
      {
        registry: "registry",
        credit: "credit",
        certificate: "certificate",
        usd: "token",
        market: "market",
        escrow: "escrow",
        compliance: "compliance",
        bondFactory: "bondFactory",
        pools: "pool",
      } as Record<string, ContractKind>
    )[key];
  };

  const decoder = new SuiteEventDecoder();
  for (const name of Object.keys(records)) {
    const kind = kindByName(name);
    if (kind) decoder.register(records[name].address, kind, name);
  }

  const pools: Record<string, CarbonPool> = {};
  for (const name of Object.keys(records)) {
    if (kindByName(name) === "pool") pools[name] = CarbonPool__factory.connect(records[name].address, runner);
  }

  const credit = CarbonCredit__factory.connect(need(DEPLOYMENT_NAMES.credit), runner);
  const certificate = RetirementCertificate__factory.connect(need(DEPLOYMENT_NAMES.certificate), runner);

  const client: Treelion = {
    runner,
    addresses,
    registry: GreenProjectRegistry__factory.connect(need(DEPLOYMENT_NAMES.registry), runner),
    credit,
    certificate,
    usd: addresses[DEPLOYMENT_NAMES.usd]
      ? TestStablecoin__factory.connect(addresses[DEPLOYMENT_NAMES.usd], runner)
      : undefined,
    pools,
    market: addresses[DEPLOYMENT_NAMES.market]
      ? CreditMarketplace__factory.connect(addresses[DEPLOYMENT_NAMES.market], runner)
      : undefined,
    escrow: addresses[DEPLOYMENT_NAMES.escrow]
      ? MilestoneEscrow__factory.connect(addresses[DEPLOYMENT_NAMES.escrow], runner)
      : undefined,
    compliance: addresses[DEPLOYMENT_NAMES.compliance]
      ? ComplianceRegistry__factory.connect(addresses[DEPLOYMENT_NAMES.compliance], runner)
      : undefined,
    bondFactory: addresses[DEPLOYMENT_NAMES.bondFactory]
      ? GreenBondFactory__factory.connect(addresses[DEPLOYMENT_NAMES.bondFactory], runner)
      : undefined,
    bond: (address: string) => {
      decoder.register(address, "bond", `GreenBond@${address}`);
      return GreenBond__factory.connect(address, runner);
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
