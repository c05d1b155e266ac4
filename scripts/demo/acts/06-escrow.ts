import { ethers } from "ethers";
import type { Act, DemoContext } from "../context";
import type { GreenProjectRegistry, MilestoneEscrow, TestStablecoin } from "../../../typechain-types";
import { usd } from "../../lib/format";
import { signPermit } from "../../../sdk";

const DAY = 86_400n;
const WINDOW = 7n * DAY;

/** Moves the chain clock to `ts` (works on the embedded hardhat network and on a localhost node). */
async function travelTo(ctx: DemoContext, ts: bigint): Promise<void> {
  const latest = BigInt((await ctx.hre.ethers.provider.getBlock("latest"))!.timestamp);
  if (ts > latest) await ctx.hre.network.provider.send("evm_increaseTime", [Number(ts - latest)]);
  await ctx.hre.network.provider.send("evm_mine", []);
}

/**
 * The Green Climate Fund locks 500,000 tUSD for the Kasigau reforestation project in three milestones.
 * Verifiers release milestone 1 (2 of 3), milestone 2 expires and goes back to the funder, milestone 3 is
 * disputed and the arbiter splits it 60/40; everybody pulls what they are owed.
 */
const act: Act = {
  title: "Milestone escrow: funding reforestation",
  async run(ctx) {
    const { registrar, funder, developer, verifier, verifier2, verifier3, treasury } = ctx.cast;
    const registry = await ctx.contract<GreenProjectRegistry>("GreenProjectRegistry", registrar);
    const escrow = await ctx.contract<MilestoneEscrow>("MilestoneEscrow", funder);
    const tusd = await ctx.contract<TestStablecoin>("TestStablecoin", funder);
    const escrowAddr = await escrow.getAddress();
    const tusdAddr = await tusd.getAddress();
    const forest = ctx.state.projects.forest as bigint;

    const role = await registry.VERIFIER_ROLE();
    for (const v of [verifier, verifier2, verifier3]) {
      if (!(await registry.hasRole(role, v.address))) {
        await ctx.send(`registrar grants VERIFIER_ROLE to ${ctx.who(v.address)}`, registry.grantRole(role, v.address));
      }
    }

    // money the escrow already owed these parties (earlier deals, e.g. a previous demo run on this node)
    const prior: Record<string, bigint> = {};
    for (const [who, s] of [
      ["developer", developer],
      ["treasury", treasury],
      ["funder", funder],
    ] as const)
      prior[who] = await escrow.owed(s.address, tusdAddr);

    const now = BigInt((await ctx.hre.ethers.provider.getBlock("latest"))!.timestamp);
    const plan = [
      { label: "1. nursery and 40 ha site preparation", amount: 100_000_000_000n, days: 90n },
      { label: "2. 120 ha planted", amount: 150_000_000_000n, days: 180n },
      { label: "3. 12-month survival survey", amount: 250_000_000_000n, days: 365n },
    ];
    const total = plan.reduce((a, p) => a + p.amount, 0n);
    await ctx.send("Green Climate Fund mints 500,000 tUSD (test token)", tusd.mint(funder.address, total));

    const input = {
      projectId: forest,
      beneficiary: developer.address,
      token: tusdAddr,
      milestones: plan.map((p) => ({
        amount: p.amount,
        deadline: now + p.days * DAY,
        description: ethers.id(p.label),
      })),
      verifiers: [verifier.address, verifier2.address, verifier3.address],
      threshold: 2,
      arbiter: registrar.address,
      disputeWindow: WINDOW,
    };
    const rc = await ctx.send(
      "Green Climate Fund creates a 3-milestone deal (2 of 3 verifiers)",
      escrow.createDeal(input),
    );
    const dealId = BigInt(ctx.event(rc, "DealCreated").args.dealId as string);
    ctx.state.escrowDeal = dealId;

    // fund with an ERC-2612 permit: no separate approve transaction
    const deadline = now + DAY;
    const sig = await signPermit(tusd, funder, escrowAddr, total, deadline);
    await ctx.send(
      "Green Climate Fund funds the deal with a permit",
      escrow.fundWithPermit(dealId, deadline, sig.v, sig.r, sig.s),
    );

    // milestone 1: two of three verifiers attest
    await ctx.send(
      "Verifier A attests milestone 1",
      escrow.connect(verifier).attest(dealId, 0, ethers.id("site-visit-2025-03")),
    );
    const rel = await ctx.send(
      "Verifier B attests milestone 1 → released",
      escrow.connect(verifier2).attest(dealId, 0, ethers.id("drone-survey-2025-03")),
    );
    const released = ctx.event(rel, "MilestoneReleased").args;

    // milestone 2: nobody attests; after deadline + dispute window anyone can send it back to the funder
    await travelTo(ctx, input.milestones[1].deadline + WINDOW + 1n);
    await ctx.send(
      "⏩ 187 days later: anyone refunds expired milestone 2",
      escrow.connect(registrar).refundExpired(dealId, 1),
    );

    // milestone 3: the developer disputes (only partly verified); the arbiter splits 60/40
    await travelTo(ctx, input.milestones[2].deadline + 2n * DAY);
    await ctx.send(
      "⏩ after milestone 3's deadline: the developer disputes (60 % of the trees survived)",
      escrow.connect(developer).dispute(dealId, 2, ethers.id("survival survey shows 60 %")),
    );
    const res = await ctx.send(
      "arbiter resolves milestone 3: 60 % to the developer",
      escrow.connect(registrar).resolve(dealId, 2, 6000),
    );
    const settled = ctx.event(res, "DisputeSettled").args;

    // everybody pulls what they are owed
    const received: Record<string, bigint> = {};
    for (const [who, signer] of [
      ["developer", developer],
      ["treasury", treasury],
      ["funder", funder],
    ] as const) {
      const before = await tusd.balanceOf(signer.address);
      await ctx.send(`${ctx.who(signer.address)} withdraws`, escrow.connect(signer).withdraw(tusdAddr));
      received[who] = (await tusd.balanceOf(signer.address)) - before - prior[who];
    }

    const d = await escrow.deal(dealId);
    const m1 = plan[0].amount;
    const rows = [
      {
        milestone: plan[0].label,
        amount: usd(m1),
        outcome: "Released (2 of 3)",
        developer: usd(BigInt(released.toBeneficiary as string)),
        treasury: usd(BigInt(released.fee as string)),
        funder: usd(0n),
      },
      {
        milestone: plan[1].label,
        amount: usd(plan[1].amount),
        outcome: "Refunded (expired)",
        developer: usd(0n),
        treasury: usd(0n),
        funder: usd(plan[1].amount),
      },
      {
        milestone: plan[2].label,
        amount: usd(plan[2].amount),
        outcome: "Resolved 60/40",
        developer: usd(BigInt(settled.toBeneficiary as string)),
        treasury: usd(BigInt(settled.fee as string)),
        funder: usd(BigInt(settled.toFunder as string)),
      },
      {
        milestone: "total withdrawn",
        amount: usd(total),
        outcome: "",
        developer: usd(received.developer),
        treasury: usd(received.treasury),
        funder: usd(received.funder),
      },
    ];
    ctx.table(
      `Where the money of deal #${dealId} went (platform fee ${Number(d.feeBps) / 100} % on released amounts)`,
      rows,
    );
    const sum = received.developer + received.treasury + received.funder;
    ctx.print(
      `\n  funded ${usd(total)} = developer ${usd(received.developer)} + treasury ${usd(received.treasury)} + ` +
        `funder refunds ${usd(received.funder)} = ${usd(sum)} ${sum === total ? "✓" : "✗ MISMATCH"}`,
    );
    ctx.print(
      `  open milestones: ${d.openMilestones}; escrow liabilities left in tUSD: ${usd(await escrow.totalLiabilities(tusdAddr))}`,
    );
    if (sum !== total) throw new Error(`escrow demo: funded ${total} but paid out ${sum}`);
    ctx.note("escrow", {
      dealId: dealId.toString(),
      funded: total.toString(),
      received: Object.fromEntries(Object.entries(received).map(([k, v]) => [k, v.toString()])),
    });
  },
};
export default act;
