/**
 * `npm run bench:scale`: proves there is no hidden loop over history. Each hot operation is really
 * performed many times on the in-process network (automine off, many transactions per block), and its gas
 * is read at the 10th, 1,000th and 10,000th operation of its kind (SCALE_MAX caps the count: CI uses
 * SCALE_MAX=1000). Fails when an operation's gas grows by more than 2 % between checkpoints. Prints, next to
 * each figure, the cost floor from EVM opcode prices (bench/lib.ts) and writes bench/scale.json.
 *
 * GreenBond transfer (with coupon-accumulator settlement of both sides) is measured after 10 / 1,000 / 10,000
 * prior transfers. Not measured here: claimCoupon (a bond has a handful of coupon periods, so "10,000 prior
 * claims" needs 10,000 funded holders; its O(1) in holders is measured by the bonds gas rows).
 *
 * Every measured call is the same kind of call at each checkpoint (same storage pattern: e.g. a transfer to
 * a never-seen address, a retire by an account that already holds certificates), so only growth with the
 * number of prior operations can show up.
 */
import fs from "fs";
import path from "path";
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  CarbonCredit,
  ComplianceRegistry,
  CreditMarketplace,
  GreenBond,
  GreenBondFactory,
  GreenProjectRegistry,
  MilestoneEscrow,
  TestStablecoin,
} from "../typechain-types";
import { EVM, calldataCost, logCost, traceFloor } from "./lib";
import { table } from "../scripts/lib/format";

const { ethers, deployments, network } = hre;
const MAX = Number(process.env.SCALE_MAX ?? 10_000);
/** SCALE_ONLY=bond,escrow measures only those areas (credits, pools, market, escrow, bond); bench/scale.json is then
 * left as it is (a partial table would replace the whole one). */
const AREAS = ["credits", "pools", "market", "escrow", "bond"] as const;
const ONLY = process.env.SCALE_ONLY ? process.env.SCALE_ONLY.split(",").map((a) => a.trim()) : undefined;
const want = (area: (typeof AREAS)[number]) => !ONLY || ONLY.includes(area);
const CHECKPOINTS = [10, 1_000, 10_000].filter((n) => n <= MAX);
const GROWTH_LIMIT = 0.02;
const PER_BLOCK = 150;

interface Row {
  op: string;
  gas: Record<number, number>;
  floor: number;
  growth: number;
}

/** Sends `count` transactions built by `make(i)` (i = 1..count), mining every PER_BLOCK; returns gas of the checkpoint ones. */
async function run(
  count: number,
  make: (i: number) => Promise<{ hash: string } | null>,
  checkpoints: number[],
): Promise<Record<number, { gas: number; data: string; hash: string }>> {
  const out: Record<number, { gas: number; data: string; hash: string }> = {};
  const pending: { i: number; hash: string }[] = [];
  await network.provider.send("evm_setAutomine", [false]);
  try {
    for (let i = 1; i <= count; i++) {
      const tx = await make(i);
      if (tx && checkpoints.includes(i)) pending.push({ i, hash: tx.hash });
      if (i % PER_BLOCK === 0 || i === count) await network.provider.send("evm_mine", []);
    }
  } finally {
    await network.provider.send("evm_setAutomine", [true]);
  }
  for (const p of pending) {
    const rc = await ethers.provider.getTransactionReceipt(p.hash);
    const tx = await ethers.provider.getTransaction(p.hash);
    if (!rc || rc.status !== 1) throw new Error(`checkpoint transaction ${p.i} failed`);
    out[p.i] = { gas: Number(rc.gasUsed), data: tx!.data, hash: p.hash };
  }
  return out;
}

/** Sender through raw eth_sendTransaction (automine is off, nonces tracked locally): no ethers overhead per call. */
function sender(s: HardhatEthersSigner, startNonce: number) {
  let nonce = startNonce;
  return async <T extends { fragment: any; _contract?: any }>(fn: T, ...args: unknown[]): Promise<{ hash: string }> => {
    const f = fn as any;
    const to = (await f._contract?.getAddress?.()) ?? f.contract?.target;
    const data = f.fragment ? (f._contract ?? f.contract).interface.encodeFunctionData(f.fragment, args) : "0x";
    const hash = (await network.provider.send("eth_sendTransaction", [
      { from: s.address, to, data, gas: ethers.toQuantity(1_500_000), nonce: ethers.toQuantity(nonce++) },
    ])) as string;
    return { hash };
  };
}

async function main() {
  const unknown = (ONLY ?? []).filter((a) => !(AREAS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`SCALE_ONLY: unknown area ${unknown.join(", ")} (use ${AREAS.join(", ")})`);
  await deployments.fixture();
  const [deployer, verifier, treasury, alice, bob, carol, dave, , verifier2, arbiter] = await ethers.getSigners();
  const at = async <T>(n: string) =>
    (await ethers.getContractAt(n, (await deployments.get(n)).address)) as unknown as T;
  const registry = await at<GreenProjectRegistry>("GreenProjectRegistry");
  const credit = await at<CarbonCredit>("CarbonCredit");
  const usd = await at<TestStablecoin>("TestStablecoin");
  const market = await at<CreditMarketplace>("CreditMarketplace");
  const escrow = await at<MilestoneEscrow>("MilestoneEscrow");
  const nonce = async (s: HardhatEthersSigner) => ethers.provider.getTransactionCount(s.address);
  const rows: Row[] = [];
  const add = (op: string, res: Record<number, { gas: number; data: string }>, storage: number) => {
    const gas: Record<number, number> = {};
    for (const k of CHECKPOINTS) gas[k] = res[k].gas;
    const first = gas[CHECKPOINTS[0]];
    const growth = Math.max(...CHECKPOINTS.map((k) => gas[k] / first - 1));
    const floor = EVM.TX + calldataCost(res[CHECKPOINTS[0]].data) + storage;
    rows.push({ op, gas, floor, growth });
    console.log(`  ${op}: ${CHECKPOINTS.map((k) => `${k} → ${gas[k]}`).join(", ")}`);
  };

  // setup: an active project owned by alice, a large batch held by alice, approvals
  const input = {
    owner: alice.address,
    name: "Scale",
    category: 0,
    country: "0x4b45",
    standard: "VCS",
    externalId: "SCALE-1",
    methodology: "",
    metadataURI: "",
  };
  await (await registry.registerProject(input)).wait();
  await (await registry.connect(verifier).setProjectStatus(1, 1)).wait();
  await (await registry.grantRole(await registry.VERIFIER_ROLE(), verifier2.address)).wait();
  const need = BigInt(MAX) * 10n + 1_000_000n;
  await (
    await credit.connect(verifier).issue({
      projectId: 1,
      vintage: 2020,
      serialStart: 1,
      serialEnd: need,
      to: alice.address,
      attestation: ethers.id("scale"),
    })
  ).wait();
  await (await credit.connect(alice).setApprovalForAll(market.target, true)).wait();
  await (await credit.connect(alice).retire(1, 1, alice.address, "Alice", "warm-up")).wait(); // alice holds a certificate
  for (const s of [bob, carol]) {
    await (await usd.connect(s).mint(s.address, 10n ** 18n)).wait();
    await (await usd.connect(s).approve(market.target, ethers.MaxUint256)).wait();
    await (await usd.connect(s).approve(escrow.target, ethers.MaxUint256)).wait();
  }
  const N = MAX;
  console.log(
    `bench:scale — checkpoints ${CHECKPOINTS.join(", ")} (SCALE_MAX=${MAX}${ONLY ? `, SCALE_ONLY=${ONLY.join(",")}` : ""})`,
  );

  // credits: transfer to a never-seen address (new holder)
  if (want("credits")) {
    const send = sender(alice, await nonce(alice));
    const res = await run(
      N,
      (i) =>
        send(
          credit.safeTransferFrom,
          alice.address,
          ethers.zeroPadValue(ethers.toBeHex(0x10000 + i), 20),
          1n,
          1n,
          "0x",
        ),
      CHECKPOINTS,
    );
    add("credits: safeTransferFrom to a new holder", res, EVM.SSTORE_NEW + EVM.SSTORE_UPDATE_COLD + logCost(4, 64));
  }
  // credits: retire 1 kg (the beneficiary already holds certificates)
  if (want("credits")) {
    const send = sender(alice, await nonce(alice));
    const res = await run(N, () => send(credit.retire, 1n, 1n, alice.address, "Alice", "scale"), CHECKPOINTS);
    // burn (balance update), retiredKg update, certificate: counter update, data slot new, text slot new, owner new, balance update
    add(
      "credits: retire (certificate minted)",
      res,
      3 * EVM.SSTORE_NEW +
        4 * EVM.SSTORE_UPDATE_COLD +
        2 * EVM.CALL_COLD +
        logCost(4, 64) +
        logCost(4, 0) +
        logCost(1, 32) +
        logCost(4, 256),
    );
  }
  // credits: issue a new batch above all ranges of the project
  if (want("credits")) {
    const send = sender(verifier, await nonce(verifier));
    let next = need + 1n;
    const res = await run(
      N,
      () => {
        const p = {
          projectId: 1,
          vintage: 2020,
          serialStart: next,
          serialEnd: next,
          to: bob.address,
          attestation: ethers.id("s"),
        };
        next += 1n;
        return send(credit.issue, p);
      },
      CHECKPOINTS,
    );
    // 3 batch slots + recipient balance new; batch counter and range ends updated; registry status read
    add(
      "credits: issue (range above all)",
      res,
      4 * EVM.SSTORE_NEW +
        2 * EVM.SSTORE_UPDATE_COLD +
        logCost(4, 64) +
        logCost(4, 160) +
        EVM.CALL_COLD +
        EVM.SLOAD_COLD,
    );
  }
  // pools: deposit 1 kg, then redeemAuto 1 kg (FIFO over the deposited batch)
  if (want("pools")) {
    const pool = (await ethers.getContractAt("CarbonPool", (await deployments.get("NatureCarbonPool")).address)) as any;
    await (await credit.connect(alice).setApprovalForAll(pool.target, true)).wait();
    const send = sender(alice, await nonce(alice));
    const dep = await run(N, () => send(pool.deposit, 1n, 1n), CHECKPOINTS);
    // pool node balance update, pool-token balance update, totalSupply update, credit balances (2 updates); 3 logs
    add(
      "pools: deposit (batch already queued)",
      dep,
      5 * EVM.SSTORE_UPDATE_COLD + 3 * EVM.CALL_COLD + logCost(3, 32) + logCost(3, 96) + logCost(4, 64),
    );
    // redeeming pays a fee in pool tokens (≤ 10 %): top up so that N redemptions of 1 kg are covered
    await (await pool.connect(alice).deposit(1n, BigInt(Math.ceil(N / 10)) + 10n)).wait();
    const send2 = sender(alice, await nonce(alice));
    const red = await run(N, () => send2(pool.redeemAuto, 1n), CHECKPOINTS);
    add(
      "pools: redeemAuto (1 batch)",
      red,
      6 * EVM.SSTORE_UPDATE_COLD + 2 * EVM.CALL_COLD + logCost(3, 32) * 2 + logCost(3, 96) + logCost(4, 128),
    );
  }
  // market: list 1 kg
  if (want("market")) {
    const send = sender(alice, await nonce(alice));
    const res = await run(N, () => send(market.list, 1n, 1n, usd.target, 1_000_000n), CHECKPOINTS);
    add(
      "market: list",
      res,
      3 * EVM.SSTORE_NEW + EVM.SSTORE_UPDATE_COLD * 2 + logCost(4, 96) + logCost(4, 64) + EVM.CALL_COLD,
    );
  }
  // market: buy 1 kg of one big listing
  if (want("market")) {
    const id = await market.listingCount.staticCall().then((n) => n + 1n);
    await (await market.connect(alice).list(1n, BigInt(N) + 10n, usd.target, 1_000_000n)).wait();
    const send = sender(bob, await nonce(bob));
    const res = await run(N, () => send(market.buy, id, 1n, 10_000n), CHECKPOINTS);
    add(
      "market: buy (pay seller + fee, deliver)",
      res,
      4 * EVM.SSTORE_UPDATE_COLD +
        EVM.SSTORE_NEW +
        3 * EVM.CALL_COLD +
        logCost(3, 96) +
        2 * logCost(3, 32) +
        logCost(4, 64),
    );
  }
  // escrow: createDeal (2 milestones, 2 verifiers) by bob
  const t = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const deal = (beneficiary: string) => ({
    projectId: 1,
    beneficiary,
    token: usd.target,
    milestones: [
      { amount: 1_000_000n, deadline: t + 365n * 86_400n, description: ethers.ZeroHash },
      { amount: 1_000_000n, deadline: t + 366n * 86_400n, description: ethers.ZeroHash },
    ],
    verifiers: [verifier.address, verifier2.address],
    threshold: 2,
    arbiter: arbiter.address,
    disputeWindow: 86_400n,
  });
  if (want("escrow")) {
    const send = sender(bob, await nonce(bob));
    const res = await run(N, () => send(escrow.createDeal, deal(dave.address)), CHECKPOINTS);
    // deal 5 slots, 2 milestones, 2 verifier-list slots, 2 verifier-index slots new; counter updated; isActive read
    add(
      "escrow: createDeal (2 milestones, 2 verifiers)",
      res,
      11 * EVM.SSTORE_NEW + EVM.SSTORE_UPDATE_COLD + EVM.CALL_COLD + logCost(4, 96) + logCost(2, 512),
    );
  }
  // escrow: attest (final, releases) and withdraw, on fresh deals funded by carol for beneficiary dave
  if (want("escrow")) {
    const first = (await escrow.dealCount()) + 1n;
    const deals = Math.ceil(N / 2);
    const sendC = sender(carol, await nonce(carol));
    await run(
      deals * 2,
      (i) =>
        i % 2 === 1 ? sendC(escrow.createDeal, deal(dave.address)) : sendC(escrow.fund, first + BigInt(i / 2 - 1)),
      [],
    );
    const sendV = sender(verifier, await nonce(verifier));
    const sendV2 = sender(verifier2, await nonce(verifier2));
    const sendD = sender(dave, await nonce(dave));
    // order per deal: v attests m0, v2 attests m0 (release), dave withdraws, v attests m1, v2 attests m1 (release), dave withdraws
    let finals = 0;
    let withdraws = 0;
    const finalHashes: Record<number, string> = {};
    const withdrawHashes: Record<number, string> = {};
    await network.provider.send("evm_setAutomine", [false]);
    try {
      let k = 0;
      for (let d = 0; d < deals; d++) {
        const id = first + BigInt(d);
        for (const m of [0n, 1n]) {
          await sendV(escrow.attest, id, m, ethers.id("e"));
          const f = await sendV2(escrow.attest, id, m, ethers.id("e"));
          finals++;
          if (CHECKPOINTS.includes(finals)) finalHashes[finals] = f.hash;
          await network.provider.send("evm_mine", []); // the withdrawal must follow the release
          const w = await sendD(escrow.withdraw, usd.target);
          withdraws++;
          if (CHECKPOINTS.includes(withdraws)) withdrawHashes[withdraws] = w.hash;
          if (++k % 50 === 0) await network.provider.send("evm_mine", []);
        }
      }
      await network.provider.send("evm_mine", []);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
    const collect = async (hashes: Record<number, string>) => {
      const out: Record<number, { gas: number; data: string }> = {};
      for (const [k, h] of Object.entries(hashes)) {
        const rc = await ethers.provider.getTransactionReceipt(h);
        if (!rc || rc.status !== 1) throw new Error(`escrow checkpoint ${k} failed`);
        out[Number(k)] = { gas: Number(rc.gasUsed), data: (await ethers.provider.getTransaction(h))!.data };
      }
      return out;
    };
    // milestone slot and treasury claim updated, beneficiary claim new (withdrawn before); deal slots read; registry calls
    add(
      "escrow: attest (final, releases)",
      await collect(finalHashes),
      2 * EVM.SSTORE_UPDATE_COLD +
        EVM.SSTORE_NEW +
        EVM.CALL_COLD +
        3 * EVM.SLOAD_COLD +
        logCost(4, 64) +
        logCost(3, 64),
    );
    add(
      "escrow: withdraw",
      await collect(withdrawHashes),
      2 * EVM.SSTORE_UPDATE_COLD + EVM.CALL_COLD + logCost(3, 32) + logCost(3, 32),
    );
  }
  void treasury;

  // ── GreenBond transfer: verified holders alternate transfers; every checkpoint is the same direction ──
  if (want("bond")) {
    const compliance = await at<ComplianceRegistry>("ComplianceRegistry");
    const factory = await at<GreenBondFactory>("GreenBondFactory");
    const KE = "0x4b45";
    const DAY = 86_400n;
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const end = now + 2n * DAY;
    const terms = {
      paymentToken: await usd.getAddress(),
      issuer: deployer.address,
      compliance: await compliance.getAddress(),
      escrow: await escrow.getAddress(),
      unitPrice: 1_000_000n,
      cap: 10n ** 30n,
      softCap: 1n,
      subscriptionStart: now,
      subscriptionEnd: end,
      maturity: end + 60n * DAY,
      couponPeriod: 30n * DAY,
      kpiDeadline: 0n,
      gracePeriod: 7n * DAY,
      couponRateBps: 500,
      stepUpBps: 0,
      proceeds: {
        projectId: 1n,
        verifiers: [verifier.address],
        threshold: 1,
        arbiter: arbiter.address,
        disputeWindow: 7n * DAY,
        milestones: [{ bps: 10_000, deadline: end + 20n * DAY, description: ethers.id("use of proceeds") }],
      },
    };
    const bondAddr = await factory.createBond.staticCall(terms, "Scale bond", "SB");
    await (await factory.createBond(terms, "Scale bond", "SB")).wait();
    const bond = (await ethers.getContractAt("GreenBond", bondAddr)) as unknown as GreenBond;
    for (const h of [carol, dave]) {
      await (await compliance.setInvestor(h.address, true, KE, 0)).wait();
      await (await usd.mint(h.address, 10n ** 12n)).wait();
      await (await usd.connect(h).approve(bondAddr, ethers.MaxUint256)).wait();
      await (await bond.connect(h).subscribe(1_000n * 10n ** 18n)).wait();
    }
    await network.provider.send("evm_setNextBlockTimestamp", [Number(end + 1n)]);
    await (await bond.closeSubscription()).wait();
    await network.provider.send("evm_setNextBlockTimestamp", [Number(end + 30n * DAY + 1n)]);
    await (await usd.mint(deployer.address, 10n ** 12n)).wait();
    await (await usd.approve(bondAddr, ethers.MaxUint256)).wait();
    await (await bond.depositCoupon(1)).wait(); // a non-zero accumulator: every transfer settles both sides
    const fromCarol = sender(carol, await nonce(carol));
    const fromDave = sender(dave, await nonce(dave));
    const res = await run(
      MAX * 2,
      (i) => (i % 2 === 0 ? fromCarol(bond.transfer, dave.address, 1n) : fromDave(bond.transfer, carol.address, 1n)),
      CHECKPOINTS.map((k) => k * 2),
    );
    const gas: Record<number, number> = {};
    for (const k of CHECKPOINTS) gas[k] = res[k * 2].gas;
    const first = gas[CHECKPOINTS[0]];
    const growth = Math.max(...CHECKPOINTS.map((k) => gas[k] / first - 1));
    // floor from the trace of the first checkpoint transaction (SLOAD/SSTORE/LOG prices + intrinsic − refund)
    const cp = res[CHECKPOINTS[0] * 2];
    const floor = await traceFloor(network.provider, cp.hash, cp.data, first);
    rows.push({ op: "bond: transfer (settles both holders' coupons)", gas, floor, growth });
    console.log(`  bond: transfer: ${CHECKPOINTS.map((k) => `${k} → ${gas[k]}`).join(", ")}`);
  }

  const printable = rows.map((r) => ({
    operation: r.op,
    ...Object.fromEntries(
      CHECKPOINTS.map((k) => [`after ${k.toLocaleString("en-US")}`, r.gas[k].toLocaleString("en-US")]),
    ),
    growth: `${(r.growth * 100).toFixed(2)} %`,
    floor: r.floor.toLocaleString("en-US"),
    "gas / floor": `${(r.gas[CHECKPOINTS[0]] / r.floor).toFixed(2)}×`,
  }));
  console.log("\n" + table(printable));
  if (!ONLY) {
    const out = path.join(hre.config.paths.root, "bench", "scale.json");
    fs.writeFileSync(
      out,
      JSON.stringify(
        { generatedAt: new Date().toISOString(), checkpoints: CHECKPOINTS, growthLimit: GROWTH_LIMIT, rows },
        null,
        2,
      ) + "\n",
    );
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  }
  const bad = rows.filter((r) => r.growth > GROWTH_LIMIT);
  if (bad.length > 0) {
    console.error(`gas grows with history by more than ${GROWTH_LIMIT * 100} %: ${bad.map((r) => r.op).join(", ")}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
