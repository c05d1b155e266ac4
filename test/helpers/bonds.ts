import { deployments, ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  ComplianceRegistry,
  GreenBond,
  GreenBondFactory,
  IMilestoneEscrow,
  TestStablecoin,
} from "../../typechain-types";
import type { BondTermsStruct } from "../../typechain-types/contracts/bonds/GreenBond";
import { activeProject, coreSuite, deployed, type CoreSuite, ROLE } from "./suite";

export const KE = "0x4b45"; // "KE"
export const DE = "0x4445"; // "DE"
export const KP = "0x4b50"; // "KP"
export const UNIT = 10n ** 18n;
export const YEAR = 365n * 24n * 3600n;
export const DAY = 24n * 3600n;
/** Semi-annual period: half of a 365-day year. */
export const HALF_YEAR = YEAR / 2n;
export { BondStatus, KpiStatus } from "../../sdk/generated";

export interface BondSuite extends CoreSuite {
  compliance: ComplianceRegistry;
  factory: GreenBondFactory;
  escrow: IMilestoneEscrow;
  projectId: bigint;
  issuer: HardhatEthersSigner;
  arbiter: HardhatEthersSigner;
  agent: HardhatEthersSigner;
  /** Verified KE investors: bob, carol, dave. */
  investors: HardhatEthersSigner[];
}

/** Deploys registry, credits, tUSD, escrow, compliance and bonds with the real scripts; onboards an issuer. */
export async function bondSuite(): Promise<BondSuite> {
  const s = await coreSuite(["bonds", "test-tokens"]);
  const compliance = await deployed<ComplianceRegistry>("ComplianceRegistry");
  const factory = await deployed<GreenBondFactory>("GreenBondFactory");
  const escrowAddress = (await ethers.getContractAt("GreenBondFactory", await factory.getAddress())).escrow();
  const escrow = (await ethers.getContractAt("IMilestoneEscrow", await escrowAddress)) as unknown as IMilestoneEscrow;
  const issuer = s.alice;
  const arbiter = s.signers[8];
  const projectId = await activeProject(s, issuer.address);
  await (await factory.connect(s.deployer).grantRole(ROLE.ISSUER, issuer.address)).wait();
  const investors = [s.bob, s.carol, s.dave];
  await (
    await compliance.connect(s.deployer).setInvestors(
      investors.map((i) => i.address),
      true,
      KE,
      0,
    )
  ).wait();
  return { ...s, compliance, factory, escrow, projectId, issuer, arbiter, agent: s.deployer, investors };
}

/**
 * The GreenBond contract factory linked to BondTermsLib: the deployed one by default (to deploy a bond directly,
 * after the fixture), or any address (e.g. the zero address) when only its interface is needed (to decode errors).
 */
export async function linkedBondFactory(libraryAddress?: string) {
  const at = async (name: string) => libraryAddress ?? (await deployments.get(name)).address;
  return ethers.getContractFactory("GreenBond", {
    libraries: { BondTermsLib: await at("BondTermsLib"), BondProceedsLib: await at("BondProceedsLib") },
  });
}

/** Who and what the standard terms refer to. */
export interface TermsParties {
  /** Subscription start (a unix time); every other time is relative to it. */
  now: bigint;
  paymentToken: string;
  issuer: string;
  compliance: string;
  escrow: string;
  projectId: bigint;
  verifier: string;
  arbiter: string;
}

/**
 * The standard test terms from `p.now`: subscription 7 days, 4 semi-annual coupons at 5 % (+1 % step-up, KPI
 * deadline mid-way through period 3), 100 tUSD per bond (1e18 units), cap 10,000 bonds, soft cap 1,000 bonds,
 * grace 10 days, two milestones (60 % / 40 %) 60 and 120 days after the subscription.
 */
export function standardTerms(p: TermsParties, overrides: Partial<BondTermsStruct> = {}): BondTermsStruct {
  const end = p.now + 7n * DAY;
  return {
    paymentToken: p.paymentToken,
    issuer: p.issuer,
    compliance: p.compliance,
    escrow: p.escrow,
    unitPrice: 100_000_000n,
    cap: 10_000n * UNIT,
    softCap: 1_000n * UNIT,
    subscriptionStart: p.now,
    subscriptionEnd: end,
    maturity: end + 4n * HALF_YEAR,
    couponPeriod: HALF_YEAR,
    kpiDeadline: end + 2n * HALF_YEAR + 30n * DAY,
    gracePeriod: 10n * DAY,
    couponRateBps: 500,
    stepUpBps: 100,
    proceeds: {
      projectId: p.projectId,
      verifiers: [p.verifier],
      threshold: 1,
      arbiter: p.arbiter,
      disputeWindow: 7n * DAY,
      milestones: [
        { bps: 6000, deadline: end + 60n * DAY, description: ethers.id("milestone-1") },
        { bps: 4000, deadline: end + 120n * DAY, description: ethers.id("milestone-2") },
      ],
    },
    ...overrides,
  };
}

/** The standard terms (see standardTerms) of the bond suite's issuer, from the latest block. */
export async function defaultTerms(s: BondSuite, overrides: Partial<BondTermsStruct> = {}): Promise<BondTermsStruct> {
  return standardTerms(
    {
      now: BigInt(await time.latest()),
      paymentToken: await s.usd.getAddress(),
      issuer: s.issuer.address,
      compliance: await s.compliance.getAddress(),
      escrow: await s.escrow.getAddress(),
      projectId: s.projectId,
      verifier: s.verifier.address,
      arbiter: s.arbiter.address,
    },
    overrides,
  );
}

/** Creates a bond through the factory (as the issuer) and returns it. */
export async function createBond(s: BondSuite, terms?: BondTermsStruct): Promise<GreenBond> {
  const t = terms ?? (await defaultTerms(s));
  const addr = await s.factory.connect(s.issuer).createBond.staticCall(t, "Kasigau SLB 2027", "KSLB27");
  await (await s.factory.connect(s.issuer).createBond(t, "Kasigau SLB 2027", "KSLB27")).wait();
  return (await ethers.getContractAt("GreenBond", addr)) as unknown as GreenBond;
}

/** Mints `amount` tUSD to `who` and approves `spender` for it. */
export async function fundAndApprove(
  usd: TestStablecoin,
  who: HardhatEthersSigner,
  spender: string,
  amount: bigint,
): Promise<void> {
  await (await usd.mint(who.address, amount)).wait();
  await (await usd.connect(who).approve(spender, amount)).wait();
}

/** Subscribes `units` for `who` (funding the exact price first). */
export async function subscribe(s: BondSuite, bond: GreenBond, who: HardhatEthersSigner, units: bigint): Promise<void> {
  const price = (units * (await bond.unitPrice()) + UNIT - 1n) / UNIT;
  await fundAndApprove(s.usd, who, await bond.getAddress(), price);
  await (await bond.connect(who).subscribe(units)).wait();
}

/** Creates a bond, subscribes bob 1,000 / carol 2,000 / dave 1,000 bonds and closes it (Active). */
export async function activeBond(
  s: BondSuite,
  terms?: BondTermsStruct,
  units: bigint[] = [1_000n * UNIT, 2_000n * UNIT, 1_000n * UNIT],
): Promise<GreenBond> {
  const bond = await createBond(s, terms);
  for (let i = 0; i < units.length; i++) if (units[i] > 0n) await subscribe(s, bond, s.investors[i], units[i]);
  await time.increaseTo(await bond.subscriptionEnd());
  await (await bond.closeSubscription()).wait();
  return bond;
}

/** Coupon of one period, as the contract computes it (rounded up). */
export function couponOf(issuedUnits: bigint, unitPrice: bigint, rateBps: bigint, period: bigint): bigint {
  const num = issuedUnits * unitPrice * rateBps * period;
  const den = UNIT * 10_000n * YEAR;
  return (num + den - 1n) / den;
}

/** Moves time to the due date of coupon `period` (if not there yet), funds it as the issuer, returns the amount. */
export async function payCoupon(s: BondSuite, bond: GreenBond, period: bigint): Promise<bigint> {
  const due = await bond.couponDueAt(period);
  if (BigInt(await time.latest()) < due) await time.increaseTo(due);
  // upper bound: the stepped-up rate (a pending step-up may apply in this very deposit)
  const max = await bond.couponAmount((await bond.currentRateBps()) + (await bond.stepUpBps()));
  await fundAndApprove(s.usd, s.issuer, await bond.getAddress(), max);
  const rc = await (await bond.connect(s.issuer).depositCoupon(period)).wait();
  const log = rc!.logs.map((l) => bond.interface.parseLog(l)).find((e) => e?.name === "CouponFunded");
  await (await s.usd.connect(s.issuer).approve(await bond.getAddress(), 0)).wait();
  return log!.args.amount as bigint;
}

/** Deposits the principal as the issuer. */
export async function payPrincipal(s: BondSuite, bond: GreenBond): Promise<bigint> {
  const amount = (await bond.faceValue()) - (await bond.principalPot());
  await fundAndApprove(s.usd, s.issuer, await bond.getAddress(), amount);
  await (await bond.connect(s.issuer).depositPrincipal()).wait();
  return amount;
}
