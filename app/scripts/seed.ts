/**
 * Seeds the app's local chain: the whole demo story (scripts/demo.ts), then what a visitor can act on — an open
 * escrow deal with pending milestones, a green bond in subscription, an open listing and test dollars for Acme.
 * Run by `npm run app` (`hardhat run app/scripts/seed.ts --network localhost`); writes what it made to $TREELION_APP_SEED.
 */
import fs from "fs";
import path from "path";
import os from "os";
import hre from "hardhat";
import { ethers } from "ethers";
import { runDemo } from "../../scripts/demo";
import type {
  CarbonCredit,
  CreditMarketplace,
  GreenBondFactory,
  MilestoneEscrow,
  TestStablecoin,
} from "../../typechain-types";

const DAY = 86_400n;
const UNIT = 10n ** 18n;

/** What the seed created, for the tests and the printed URLs. */
export interface AppSeed {
  dealId: string;
  bond: string;
  listingId: string;
  listingBatchId: string;
  accounts: Record<string, string>;
}

async function main(): Promise<AppSeed> {
  const ctx = await runDemo({ quiet: true, reportPath: path.join(os.tmpdir(), `treelion-demo-${process.pid}.json`) });
  const { registrar, developer, buyer, funder, verifier, verifier2, investor1, trader } = ctx.cast;
  const at = async <T>(name: string, artifact = name) =>
    (await hre.ethers.getContractAt(artifact, (await hre.deployments.get(name)).address)) as unknown as T;
  const usd = await at<TestStablecoin>("TestStablecoin");
  const escrow = await at<MilestoneEscrow>("MilestoneEscrow");
  const factory = await at<GreenBondFactory>("GreenBondFactory");
  const market = await at<CreditMarketplace>("CreditMarketplace");
  const credit = await at<CarbonCredit>("CarbonCredit");
  const compliance = (await hre.deployments.get("ComplianceRegistry")).address;
  const usdAddr = await usd.getAddress();
  const forest = ctx.state.projects.forest as bigint;
  const batches = ctx.state.batches as Record<string, bigint>;
  const wait = async (tx: Promise<{ wait(): Promise<unknown> }>) => (await tx).wait();
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);

  // money for the people who buy and subscribe in the app
  for (const who of [buyer, trader, investor1]) await wait(usd.connect(registrar).mint(who.address, 10_000_000_000n));

  // an open deal: two milestones, either of two verifiers releases one
  const amounts = [40_000_000_000n, 60_000_000_000n];
  await wait(usd.connect(registrar).mint(funder.address, amounts[0] + amounts[1]));
  const rc = await (
    await escrow.connect(funder).createDeal({
      projectId: forest,
      beneficiary: developer.address,
      token: usdAddr,
      milestones: [
        { amount: amounts[0], deadline: now + 120n * DAY, description: ethers.id("Kasigau: 60 ha buffer zone fenced") },
        {
          amount: amounts[1],
          deadline: now + 300n * DAY,
          description: ethers.id("Kasigau: community nursery running"),
        },
      ],
      verifiers: [verifier.address, verifier2.address],
      threshold: 1,
      arbiter: registrar.address,
      disputeWindow: 7n * DAY,
    })
  ).wait();
  const dealId = escrow.interface.parseLog(rc!.logs.find((l) => escrow.interface.parseLog(l)?.name === "DealCreated")!)!
    .args.dealId as bigint;
  await wait(usd.connect(funder).approve(await escrow.getAddress(), amounts[0] + amounts[1]));
  await wait(escrow.connect(funder).fund(dealId));

  // a bond in subscription (30 days), monthly coupons
  const end = now + 30n * DAY;
  const bondRc = await (
    await factory.connect(developer).createBond(
      {
        paymentToken: usdAddr,
        issuer: developer.address,
        compliance,
        escrow: await escrow.getAddress(),
        unitPrice: 100_000_000n,
        cap: 5_000n * UNIT,
        softCap: 10n * UNIT,
        subscriptionStart: now,
        subscriptionEnd: end,
        maturity: end + 360n * DAY,
        couponPeriod: 30n * DAY,
        kpiDeadline: end + 200n * DAY,
        gracePeriod: 14n * DAY,
        couponRateBps: 600,
        stepUpBps: 100,
        proceeds: {
          projectId: forest,
          verifiers: [verifier.address],
          threshold: 1,
          arbiter: registrar.address,
          disputeWindow: 7n * DAY,
          milestones: [{ bps: 10_000, deadline: end + 60n * DAY, description: ethers.id("Kasigau: water points") }],
        },
      },
      "Kasigau Green Bond 2028",
      "KGB28",
    )
  ).wait();
  const bond = factory.interface.parseLog(
    bondRc!.logs.find((l) => {
      try {
        return factory.interface.parseLog(l)?.name === "BondCreated";
      } catch {
        return false;
      }
    })!,
  )!.args.bond as string;

  // an open listing of forest 2022 at 12.40 tUSD/t
  let listingBatch = batches.forest2022;
  for (const id of Object.values(batches)) {
    if ((await credit.balanceOf(developer.address, id)) >= 50_000n) {
      listingBatch = id;
      break;
    }
  }
  await wait(credit.connect(developer).setApprovalForAll(await market.getAddress(), true));
  const marketAddr = await market.getAddress();
  const listRc = await (await market.connect(developer).list(listingBatch, 50_000n, usdAddr, 12_400_000n)).wait();
  const listingId = market.interface.parseLog(listRc!.logs.find((l) => l.address === marketAddr)!)!.args
    .listingId as bigint;

  const seed: AppSeed = {
    dealId: dealId.toString(),
    bond,
    listingId: listingId.toString(),
    listingBatchId: listingBatch.toString(),
    accounts: Object.fromEntries(Object.entries(ctx.cast).map(([k, s]) => [k, s.address])),
  };
  const out = process.env.TREELION_APP_SEED ?? path.join(os.tmpdir(), "treelion-app-seed.json");
  fs.writeFileSync(out, JSON.stringify(seed, null, 2) + "\n");
  console.log(`seeded: deal #${seed.dealId}, bond ${seed.bond}, listing #${seed.listingId}`);
  return seed;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
