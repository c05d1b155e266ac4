/**
 * The deployed suite the whole-suite property test runs against: every deployment (hardhat-deploy fixture), the
 * StateProbe, the hostile contract (ReentrantActor, armed with theft attempts), funded and approving actors, seeded
 * projects, batches and two bonds (bond 1 closed with its first coupon funded); and the model of that seeded state.
 */
import { expect } from "chai";
import { deployments, ethers, network } from "hardhat";
import type {
  CarbonCredit,
  CarbonPool,
  ComplianceRegistry,
  CreditMarketplace,
  GreenBond,
  GreenBondFactory,
  GreenProjectRegistry,
  MilestoneEscrow,
  ReentrantActor,
  RetirementCertificate,
  StateProbe,
  TestStablecoin,
} from "../../../typechain-types";
import {
  BOND_PROJECT,
  DAY,
  ISSUER_USD,
  SEED_BATCHES,
  SEED_SUBSCRIPTIONS,
  START_USD,
  TECH_PROJECT,
  U,
  UNIT,
  bondMove,
  fundCoupon,
  issueBond,
  low,
  moveCred,
  pay,
  type BondModel,
  type BondTermsView,
  type Model,
  type Real,
} from "./model";
import { deployed } from "../suite";

/** Deploys and seeds the suite (the state every run starts from); returns its handles and the seed's last timestamp. */
export async function deployWorld(): Promise<{ real: Real; t0: bigint }> {
  await deployments.fixture();
  const signers = await ethers.getSigners();
  const [deployer, verifier, treasury, alice, bob, carol, dave, outsider, verifier2, arbiter, issuer] = signers;
  const at = deployed;
  const registry = await at<GreenProjectRegistry>("GreenProjectRegistry");
  const credit = await at<CarbonCredit>("CarbonCredit");
  const usd = await at<TestStablecoin>("TestStablecoin");
  const market = await at<CreditMarketplace>("CreditMarketplace");
  const escrowC = await at<MilestoneEscrow>("MilestoneEscrow");
  const certificate = await at<RetirementCertificate>("RetirementCertificate");
  const probe = (await ethers.deployContract("StateProbe")) as unknown as StateProbe;
  const poolC = [await at<CarbonPool>("NatureCarbonPool"), await at<CarbonPool>("TechCarbonPool")];
  const poolCfg = [];
  for (const p of poolC) {
    const c = await p.criteria();
    poolCfg.push({
      redeemBps: BigInt(await p.redeemFeeBps()),
      retireBps: BigInt(await p.retireFeeBps()),
      mask: c.categoryMask,
      minVintage: Number(c.minVintage),
    });
    expect(c.standards.length, "the model assumes pools without a standard filter").to.equal(0);
    expect(await p.treasury()).to.equal(treasury.address);
  }
  const attacker = (await ethers.deployContract("ReentrantActor", [deployer.address])) as unknown as ReentrantActor;
  await (await registry.connect(deployer).grantRole(await registry.VERIFIER_ROLE(), verifier2.address)).wait();
  const eoas = [alice, bob, carol, dave, outsider];
  const actors = [...eoas.map((s) => s.address), await attacker.getAddress()];
  for (const s of eoas) {
    await (await usd.connect(s).mint(s.address, START_USD)).wait();
    await (await usd.connect(s).approve(market.target, ethers.MaxUint256)).wait();
    await (await usd.connect(s).approve(escrowC.target, ethers.MaxUint256)).wait();
    await (await credit.connect(s).setApprovalForAll(market.target, true)).wait();
    for (const p of poolC) await (await credit.connect(s).setApprovalForAll(p.target, true)).wait();
  }
  await (await usd.mint(actors[5], START_USD)).wait();
  for (const [target, data] of [
    [usd.target, usd.interface.encodeFunctionData("approve", [market.target, ethers.MaxUint256])],
    [usd.target, usd.interface.encodeFunctionData("approve", [escrowC.target, ethers.MaxUint256])],
    [credit.target, credit.interface.encodeFunctionData("setApprovalForAll", [market.target, true])],
    ...poolC.map(
      (p) => [credit.target, credit.interface.encodeFunctionData("setApprovalForAll", [p.target, true])] as const,
    ),
  ] as const) {
    await (await attacker.connect(deployer).exec(target as string, data)).wait();
  }
  /** Registers project `id` (ids are sequential) and activates it unless `pending`. */
  const seedProject = async (id: bigint, owner: string, category: number, externalId: string, pending = false) => {
    const input = { owner, name: externalId, category, country: "0x4b45", standard: "VCS", externalId };
    await (await registry.connect(deployer).registerProject({ ...input, methodology: "", metadataURI: "" })).wait();
    if (!pending) await (await registry.connect(verifier).setProjectStatus(id, 1)).wait();
  };
  // seed: projects 1 and 2 Active, 3 Pending, 4 (the bonds' use of proceeds) and 5 (CarbonRemoval) Active
  for (let p = 1n; p <= 3n; p++) await seedProject(p, alice.address, 0, `SEED-${p}`, p === 3n);
  await seedProject(BOND_PROJECT, issuer.address, 0, "BOND-1");
  await seedProject(TECH_PROJECT, alice.address, 6, "TECH-1");
  // the bonds: project 4 (owned by the issuer) receives the proceeds; actors 0–3 and the hostile contract are
  // verified KE investors, the outsider (actor 4) is not
  const compliance = await at<ComplianceRegistry>("ComplianceRegistry");
  const factory = await at<GreenBondFactory>("GreenBondFactory");
  await (await factory.connect(deployer).grantRole(await factory.ISSUER_ROLE(), issuer.address)).wait();
  const verifiedActors = actors.filter((_, i) => i !== 4);
  await (await compliance.connect(deployer).setInvestors(verifiedActors, true, "0x4b45", 0)).wait();
  // two bonds with the same schedule relative to their subscription end: bond 1 is issued here (subscribed and
  // closed, its proceeds in escrow deal 1), bond 0 is still in subscription when a run starts
  const grace = 5n * DAY;
  const makeBond = async (k: number, window: bigint) => {
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const end = now + window;
    const terms = {
      paymentToken: usd.target,
      issuer: issuer.address,
      compliance: compliance.target,
      escrow: escrowC.target,
      unitPrice: 100n * U,
      cap: 5_000n * UNIT,
      softCap: 500n * UNIT,
      subscriptionStart: now,
      subscriptionEnd: end,
      maturity: end + 20n * DAY,
      couponPeriod: 10n * DAY,
      kpiDeadline: end + 15n * DAY,
      gracePeriod: grace,
      couponRateBps: 500,
      stepUpBps: 100,
      proceeds: {
        projectId: BOND_PROJECT,
        verifiers: [verifier.address, verifier2.address],
        threshold: 1,
        arbiter: arbiter.address,
        disputeWindow: 2n * DAY,
        milestones: [
          { bps: 6000, deadline: end + grace + 10n * DAY, description: ethers.id("m1") },
          { bps: 4000, deadline: end + grace + 20n * DAY, description: ethers.id("m2") },
        ],
      },
    };
    const addr = await factory.connect(issuer).createBond.staticCall(terms, `Property SLB ${k}`, `PSLB${k}`);
    await (await factory.connect(issuer).createBond(terms, `Property SLB ${k}`, `PSLB${k}`)).wait();
    const c = (await ethers.getContractAt("GreenBond", addr)) as unknown as GreenBond;
    await (await usd.connect(issuer).approve(addr, ethers.MaxUint256)).wait();
    for (const s of eoas) await (await usd.connect(s).approve(addr, ethers.MaxUint256)).wait();
    const approve = usd.interface.encodeFunctionData("approve", [addr, ethers.MaxUint256]);
    await (await attacker.connect(deployer).exec(usd.target as string, approve)).wait();
    for (const [a, bonds] of SEED_SUBSCRIPTIONS[k]) {
      const data = c.interface.encodeFunctionData("subscribe", [bonds * UNIT]);
      if (a === 5) await (await attacker.connect(deployer).exec(addr, data)).wait();
      else await (await eoas[a].sendTransaction({ to: addr, data })).wait();
    }
    const view: BondTermsView = {
      start: now,
      end,
      maturity: BigInt(await c.maturity()),
      period: BigInt(await c.couponPeriod()),
      grace,
      kpiDeadline: BigInt(await c.kpiDeadline()),
      stepUp: BigInt(await c.stepUpBps()),
      baseRate: BigInt(await c.baseRateBps()),
      unitPrice: await c.unitPrice(),
      cap: await c.cap(),
      softCap: await c.softCap(),
      couponCount: await c.couponCount(),
      milestones: terms.proceeds.milestones.map((x) => ({ bps: BigInt(x.bps), deadline: x.deadline })),
      projectIndex: Number(BOND_PROJECT) - 1,
    };
    return { c, terms: view };
  };
  await (await usd.mint(issuer.address, ISSUER_USD)).wait();
  const bond1 = await makeBond(1, 60n);
  await network.provider.send("evm_setNextBlockTimestamp", [Number(bond1.terms.end)]);
  await (await bond1.c.closeSubscription()).wait();
  expect(await bond1.c.escrowDealId(), "bond 1's use-of-proceeds deal").to.equal(1n);
  // bond 1's first coupon is funded (its holders have coupons to claim when a run starts)
  await network.provider.send("evm_setNextBlockTimestamp", [Number(bond1.terms.end + bond1.terms.period)]);
  await (await bond1.c.connect(issuer).depositCoupon(1)).wait();
  const bond0 = await makeBond(0, 10n * DAY);
  const bondAddr = bond0.c.target as string;
  const bondC = bond0.c;
  // theft attempts fired from every ERC-1155 receipt: all must fail (no approval, no role, not the minter)
  const victim = alice.address;
  await (
    await attacker.connect(deployer).arm([
      {
        target: credit.target,
        data: credit.interface.encodeFunctionData("safeTransferFrom", [victim, actors[5], 1n, 1n, "0x"]),
      },
      {
        target: credit.target,
        data: credit.interface.encodeFunctionData("safeBatchTransferFrom", [
          victim,
          actors[5],
          [1n, 2n],
          [1n, 1n],
          "0x",
        ]),
      },
      {
        target: credit.target,
        data: credit.interface.encodeFunctionData("retireFrom", [victim, 1n, 1n, actors[5], "", ""]),
      },
      {
        target: certificate.target,
        data: certificate.interface.encodeFunctionData("mint", [actors[5], victim, 1n, 1n, "", ""]),
      },
      { target: usd.target, data: usd.interface.encodeFunctionData("transferFrom", [victim, actors[5], 1n]) },
      { target: bondAddr, data: bondC.interface.encodeFunctionData("transferFrom", [victim, actors[5], 1n]) },
      { target: bondAddr, data: bondC.interface.encodeFunctionData("forcedTransfer", [victim, actors[5], 1n]) },
    ])
  ).wait();
  const real: Real = {
    registry,
    credit,
    certificate,
    usd,
    market,
    escrow: escrowC,
    probe,
    pools: poolC,
    poolCfg,
    attacker,
    deployer,
    verifier,
    verifier2,
    arbiter,
    treasury,
    actors,
    signers: new Map(signers.map((s) => [low(s.address), s])),
    marketFeeBps: BigInt(await market.feeBps()),
    escrowFeeBps: BigInt(await escrowC.feeBps()),
    retiredCerts: new Set(),
    retiredTopic: credit.interface.getEvent("Retired")!.topicHash,
    bonds: [bond0, bond1],
    issuer,
    verified: new Set(verifiedActors.map(low)),
    labels: new Map(
      Object.entries({
        registry,
        credit,
        market,
        escrow: escrowC,
        pool0: poolC[0],
        pool1: poolC[1],
        bond0: bond0.c,
        bond1: bond1.c,
      }).map(([name, c]) => [low(c.target as string), name]),
    ),
  };
  // seed: batches 1–5 of 10 t each held by alice, bob (project 1), the hostile actor, carol (project 2) and dave
  // (the tech project)
  const serial = new Map<number, bigint>();
  for (const { holder, project } of SEED_BATCHES) {
    const start = serial.get(project) ?? 1n;
    serial.set(project, start + 10n);
    await (
      await credit.connect(verifier).issue({
        projectId: project,
        vintage: 2020,
        serialStart: start,
        serialEnd: start + 9n,
        to: actors[holder],
        attestation: ethers.id("seed"),
      })
    ).wait();
  }
  const t0 = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  return { real, t0 };
}

/** The model of the seeded state (each run starts from it). */
export function freshModel(real: Real, t0: bigint): Model {
  const usdMap = new Map<string, bigint>();
  for (const a of real.actors) usdMap.set(low(a), START_USD);
  usdMap.set(low(real.issuer.address), ISSUER_USD);
  const m: Model = {
    now: t0 + 10n,
    paused: { credit: false, market: false, escrow: false, pool0: false, pool1: false, bond0: false, bond1: false },
    pools: real.pools.map(() => ({ queue: [], tokens: new Map(), supply: 0n })),
    projects: [
      { id: 1n, status: 1, nextSerial: 21n, category: 0 },
      { id: 2n, status: 1, nextSerial: 21n, category: 0 },
      { id: 3n, status: 0, nextSerial: 1n, category: 0 },
      { id: BOND_PROJECT, status: 1, nextSerial: 1n, category: 0 },
      { id: TECH_PROJECT, status: 1, nextSerial: 11n, category: 6 },
    ],
    batches: SEED_BATCHES.map(({ project }, i) => ({
      id: BigInt(i + 1),
      project: project - 1,
      issued: 10_000n,
      retired: 0n,
    })),
    credits: new Map(),
    usd: usdMap,
    certificates: 0n,
    listings: [],
    deals: [],
    owed: new Map(),
    liabilities: 0n,
    bonds: [],
  };
  SEED_BATCHES.forEach(({ holder }, i) => moveCred(m, null, real.actors[holder], BigInt(i + 1), 10_000n));
  // the seeded subscriptions; bond 1 was closed with them (its deal is escrow deal 1)
  SEED_SUBSCRIPTIONS.forEach((seed, k) => {
    const b: BondModel = {
      status: 0,
      units: new Map(),
      supply: 0n,
      raised: 0n,
      refundPot: 0n,
      issuedUnits: 0n,
      couponsFunded: 0n,
      fundedTotal: 0n,
      claimedTotal: 0n,
      perUnit: 0n,
      holders: new Map(),
      pot: 0n,
      principalFunded: false,
      surplus: 0n,
      recovered: 0n,
      recoveries: new Map(),
      rateBps: real.bonds[k].terms.baseRate,
      steppedUp: false,
      kpi: 0,
      frozen: new Set(),
    };
    m.bonds.push(b);
    for (const [a, bonds] of seed) {
      const price = bonds * real.bonds[k].terms.unitPrice;
      pay(m, real.actors[a], real.bonds[k].c.target as string, price);
      b.raised += price;
      bondMove(b, null, real.actors[a], bonds * UNIT);
    }
    if (k === 1) {
      issueBond(m, real, k);
      fundCoupon(m, real, k, 1n);
    }
  });
  return m;
}
