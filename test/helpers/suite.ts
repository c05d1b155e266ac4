import { deployments, ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { CarbonCredit, GreenProjectRegistry, RetirementCertificate, TestStablecoin } from "../../typechain-types";
import type { ProjectInputStruct } from "../../typechain-types/contracts/registry/GreenProjectRegistry";
import type { IssueParamsStruct } from "../../typechain-types/contracts/credits/CarbonCredit";
import { Category, ProjectStatus, ROLES } from "../../sdk/generated";

export { Category, ProjectStatus };

type ShortRole<T> = T extends `${infer R}_ROLE` ? R : never;
/** Role ids by short name (ROLE.ISSUER), from the generated facts. */
export const ROLE = Object.fromEntries(Object.entries(ROLES).map(([k, v]) => [k.replace(/_ROLE$/, ""), v])) as {
  readonly [K in keyof typeof ROLES as ShortRole<K>]: string;
};

/** Typed instance of a hardhat-deploy deployment. */
export async function deployed<T>(name: string, signer?: HardhatEthersSigner): Promise<T> {
  const d = await deployments.get(name);
  return (await ethers.getContractAt(
    name === "NatureCarbonPool" || name === "TechCarbonPool" ? "CarbonPool" : name,
    d.address,
    signer,
  )) as unknown as T;
}

export interface CoreSuite {
  registry: GreenProjectRegistry;
  credit: CarbonCredit;
  certificate: RetirementCertificate;
  usd: TestStablecoin;
  deployer: HardhatEthersSigner;
  verifier: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  dave: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  signers: HardhatEthersSigner[];
}

/** Deploys the given tags with the real deploy scripts and returns typed handles (use inside loadFixture). */
export async function coreSuite(tags: string[] = ["credits", "test-tokens"]): Promise<CoreSuite> {
  await deployments.fixture(tags);
  const signers = await ethers.getSigners();
  const [deployer, verifier, treasury, alice, bob, carol, dave, outsider] = signers;
  return {
    registry: await deployed<GreenProjectRegistry>("GreenProjectRegistry"),
    credit: await deployed<CarbonCredit>("CarbonCredit"),
    certificate: await deployed<RetirementCertificate>("RetirementCertificate"),
    usd: await deployed<TestStablecoin>("TestStablecoin"),
    deployer,
    verifier,
    treasury,
    alice,
    bob,
    carol,
    dave,
    outsider,
    signers,
  };
}

let projectSeq = 0;

/** A valid ProjectInput with unique external id (override any field). */
export function projectInput(owner: string, overrides: Partial<ProjectInputStruct> = {}): ProjectInputStruct {
  projectSeq += 1;
  return {
    owner,
    name: `Project ${projectSeq}`,
    category: Category.Forestry,
    country: "0x4b45", // "KE"
    standard: "Verra VCS",
    externalId: `VCS-${1000 + projectSeq}-${Date.now() % 100000}`,
    methodology: "VM0047",
    metadataURI: "ipfs://bafy-project",
    ...overrides,
  };
}

/** Registers and activates a project; returns its id. */
export async function activeProject(
  s: Pick<CoreSuite, "registry" | "deployer" | "verifier">,
  owner: string,
  overrides: Partial<ProjectInputStruct> = {},
): Promise<bigint> {
  const input = projectInput(owner, overrides);
  const id = await s.registry.connect(s.deployer).registerProject.staticCall(input);
  await (await s.registry.connect(s.deployer).registerProject(input)).wait();
  await (await s.registry.connect(s.verifier).setProjectStatus(id, ProjectStatus.Active)).wait();
  return id;
}

export function issueParams(
  projectId: bigint,
  to: string,
  overrides: Partial<IssueParamsStruct> = {},
): IssueParamsStruct {
  return {
    projectId,
    vintage: 2020,
    serialStart: 1n,
    serialEnd: 10n,
    to,
    attestation: ethers.id("verification-report"),
    ...overrides,
  };
}

/** Issues a batch (by the verifier, who holds ISSUER_ROLE) and returns its id. */
export async function issueBatch(s: Pick<CoreSuite, "credit" | "verifier">, p: IssueParamsStruct): Promise<bigint> {
  const id = await s.credit.connect(s.verifier).issue.staticCall(p);
  await (await s.credit.connect(s.verifier).issue(p)).wait();
  return id;
}

/** Decodes a `data:application/json;base64,` URI. */
export function decodeDataUri(uri: string): any {
  const prefix = "data:application/json;base64,";
  if (!uri.startsWith(prefix)) throw new Error(`not a JSON data URI: ${uri.slice(0, 40)}`);
  return JSON.parse(Buffer.from(uri.slice(prefix.length), "base64").toString("utf8"));
}
