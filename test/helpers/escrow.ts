import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { FeeOnTransferToken, NoReturnToken, MockToken18, MilestoneEscrow } from "../../typechain-types";
import type { DealInputStruct } from "../../typechain-types/contracts/escrow/MilestoneEscrow";
import { activeProject, coreSuite, deployed, ROLE, type CoreSuite } from "./suite";

export const DAY = 24n * 3600n;
export const WINDOW = 7n * DAY;
export const BPS = 10_000n;
export const FEE_BPS = 100n; // deploy/12_escrow.ts

export { DealStatus, MilestoneState } from "../../sdk/generated";

export interface EscrowSuite extends CoreSuite {
  escrow: MilestoneEscrow;
  token18: MockToken18;
  noReturn: NoReturnToken;
  fot: FeeOnTransferToken;
  projectId: bigint;
  funder: HardhatEthersSigner;
  beneficiary: HardhatEthersSigner;
  arbiter: HardhatEthersSigner;
  v1: HardhatEthersSigner;
  v2: HardhatEthersSigner;
  v3: HardhatEthersSigner;
}

/**
 * Escrow fixture: the real deploy scripts (tag `escrow`), an Active project owned by the beneficiary (bob),
 * funder alice (1,000,000 of each token, escrow approved), arbiter dave, verifiers verifier + signers[8..9]
 * (all with VERIFIER_ROLE), extra tokens (18-dec, no-bool, fee-on-transfer).
 */
export async function escrowSuite(): Promise<EscrowSuite> {
  const core = await coreSuite(["escrow"]);
  const escrow = await deployed<MilestoneEscrow>("MilestoneEscrow");
  const [v2, v3] = [core.signers[8], core.signers[9]];
  await (await core.registry.connect(core.deployer).grantRole(ROLE.VERIFIER, v2.address)).wait();
  await (await core.registry.connect(core.deployer).grantRole(ROLE.VERIFIER, v3.address)).wait();
  const projectId = await activeProject(core, core.bob.address);
  const token18 = (await (await ethers.getContractFactory("MockToken18")).deploy()) as unknown as MockToken18;
  const noReturn = (await (await ethers.getContractFactory("NoReturnToken")).deploy()) as unknown as NoReturnToken;
  const fot = (await (await ethers.getContractFactory("FeeOnTransferToken")).deploy()) as unknown as FeeOnTransferToken;
  const funder = core.alice;
  const addr = await escrow.getAddress();
  await (await core.usd.mint(funder.address, 1_000_000n * 10n ** 6n)).wait();
  await (await core.usd.connect(funder).approve(addr, ethers.MaxUint256)).wait();
  await (await token18.mint(funder.address, 1_000_000n * 10n ** 18n)).wait();
  await (await token18.connect(funder).approve(addr, ethers.MaxUint256)).wait();
  await (await noReturn.mint(funder.address, 1_000_000n * 10n ** 6n)).wait();
  await (await noReturn.connect(funder).approve(addr, ethers.MaxUint256)).wait();
  await (await fot.mint(funder.address, 1_000_000n * 10n ** 18n)).wait();
  await (await fot.connect(funder).approve(addr, ethers.MaxUint256)).wait();
  return {
    ...core,
    escrow,
    token18,
    noReturn,
    fot,
    projectId,
    funder,
    beneficiary: core.bob,
    arbiter: core.dave,
    v1: core.verifier,
    v2,
    v3,
  };
}

/** A 3-milestone deal (1,000 / 2,000 / 3,000 tUSD at +10/+20/+30 days), 3 verifiers, threshold 2, 7-day window. */
export async function dealInput(s: EscrowSuite, overrides: Partial<DealInputStruct> = {}): Promise<DealInputStruct> {
  const now = BigInt(await time.latest());
  return {
    projectId: s.projectId,
    beneficiary: s.beneficiary.address,
    token: await s.usd.getAddress(),
    milestones: [
      { amount: 1_000_000_000n, deadline: now + 10n * DAY, description: ethers.id("m1: nursery built") },
      { amount: 2_000_000_000n, deadline: now + 20n * DAY, description: ethers.id("m2: 50 ha planted") },
      { amount: 3_000_000_000n, deadline: now + 30n * DAY, description: ethers.id("m3: survival survey") },
    ],
    verifiers: [s.v1.address, s.v2.address, s.v3.address],
    threshold: 2,
    arbiter: s.arbiter.address,
    disputeWindow: WINDOW,
    ...overrides,
  };
}

/** Creates a deal as `funder` (default s.funder) and returns its id. */
export async function createDeal(
  s: EscrowSuite,
  input: DealInputStruct,
  funder: HardhatEthersSigner = s.funder,
): Promise<bigint> {
  const id = await s.escrow.connect(funder).createDeal.staticCall(input);
  await (await s.escrow.connect(funder).createDeal(input)).wait();
  return id;
}

/** Creates and funds a deal; returns its id. */
export async function fundedDeal(s: EscrowSuite, overrides: Partial<DealInputStruct> = {}): Promise<bigint> {
  const id = await createDeal(s, await dealInput(s, overrides));
  await (await s.escrow.connect(s.funder).fund(id)).wait();
  return id;
}

export function feeOf(amount: bigint, feeBps = FEE_BPS): bigint {
  return (amount * feeBps) / BPS;
}
