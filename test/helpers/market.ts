import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signature } from "ethers";
import type {
  CreditMarketplace,
  FeeOnTransferToken,
  MockToken18,
  NoReturnToken,
  ReentrantToken,
} from "../../typechain-types";
import { type CoreSuite, activeProject, coreSuite, deployed, issueBatch, issueParams } from "./suite";

export const FEE_BPS = 100n;
/** 12.50 tUSD per tonne (6 decimals). */
export const PRICE = 12_500_000n;

export interface MarketSuite extends CoreSuite {
  market: CreditMarketplace;
  /** alice's batch (100 t, project `projectId`), approved for the market. */
  batchId: bigint;
  projectId: bigint;
  /** bob's batch of a second project (50 t), approved for the market. */
  otherBatchId: bigint;
  otherProjectId: bigint;
  fot: FeeOnTransferToken;
  noReturn: NoReturnToken;
  reentrant: ReentrantToken;
  dai: MockToken18;
}

/** Price the marketplace charges: ceil(kg * pricePerTonne / 1000). */
export function priceOf(kg: bigint, pricePerTonne: bigint): bigint {
  return (kg * pricePerTonne + 999n) / 1000n;
}

/** Fee part of a price (rounded down). */
export function feeOf(total: bigint, bps: bigint = FEE_BPS): bigint {
  return (total * bps) / 10_000n;
}

/** Deploys the market tag, two active projects with one batch each, and the payment-token mocks (allowed). */
export async function marketSuite(): Promise<MarketSuite> {
  const s = await coreSuite(["market"]);
  const market = await deployed<CreditMarketplace>("CreditMarketplace");
  const projectId = await activeProject(s, s.alice.address);
  const batchId = await issueBatch(s, issueParams(projectId, s.alice.address, { serialStart: 1n, serialEnd: 100n }));
  const otherProjectId = await activeProject(s, s.bob.address);
  const otherBatchId = await issueBatch(
    s,
    issueParams(otherProjectId, s.bob.address, { serialStart: 1n, serialEnd: 50n, vintage: 2021 }),
  );
  for (const who of [s.alice, s.bob, s.carol]) {
    await (await s.credit.connect(who).setApprovalForAll(await market.getAddress(), true)).wait();
  }
  const fot = (await ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
  const noReturn = (await ethers.deployContract("NoReturnToken")) as unknown as NoReturnToken;
  const reentrant = (await ethers.deployContract("ReentrantToken")) as unknown as ReentrantToken;
  const dai = (await ethers.deployContract("MockToken18")) as unknown as MockToken18;
  for (const t of [fot, noReturn, reentrant, dai]) {
    await (await market.connect(s.deployer).setPaymentToken(await t.getAddress(), true)).wait();
  }
  return { ...s, market, batchId, projectId, otherBatchId, otherProjectId, fot, noReturn, reentrant, dai };
}

/** Lists `kg` of alice's batch at `price` per tonne in `token` (default tUSD); returns the listing id. */
export async function listAs(
  s: MarketSuite,
  seller: HardhatEthersSigner,
  opts: { batchId?: bigint; kg?: bigint; token?: string; price?: bigint } = {},
): Promise<bigint> {
  const args = [
    opts.batchId ?? s.batchId,
    opts.kg ?? 10_000n,
    opts.token ?? (await s.usd.getAddress()),
    opts.price ?? PRICE,
  ] as const;
  const id = await s.market.connect(seller).list.staticCall(...args);
  await (await s.market.connect(seller).list(...args)).wait();
  return id;
}

/** Mints tUSD to `who` and approves the market for it. */
export async function fund(s: MarketSuite, who: HardhatEthersSigner, amount: bigint): Promise<void> {
  await (await s.usd.mint(who.address, amount)).wait();
  await (await s.usd.connect(who).approve(await s.market.getAddress(), amount)).wait();
}

/** ERC-2612 permit signature (the SDK's signPermit). */
export { signPermit } from "../../sdk";
