import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GreenProjectRegistry, MilestoneEscrow, TestStablecoin } from "../../typechain-types";
import { type GasModule, type GasRow, measureTx } from "../lib";
import { ROLES } from "../../sdk/generated";

const DAY = 86_400n;

/**
 * MilestoneEscrow hot paths on a 3-milestone / 3-verifier / threshold-2 deal in tUSD, and the proof that
 * they are O(1) in the number of deals: createDeal and the final attest are measured again after 200 deals.
 */
const mod: GasModule = {
  area: "escrow",
  tags: ["escrow"],
  async measure(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
    const { ethers, deployments, network } = hre;
    const signers = await ethers.getSigners();
    const [deployer, verifier, , funder, beneficiary, , arbiter, , v2, v3] = signers;
    const at = async <T>(name: string) =>
      (await ethers.getContractAt(name, (await deployments.get(name)).address)) as unknown as T;
    const registry = await at<GreenProjectRegistry>("GreenProjectRegistry");
    const escrow = await at<MilestoneEscrow>("MilestoneEscrow");
    const usd = await at<TestStablecoin>("TestStablecoin");
    const escrowAddr = await escrow.getAddress();
    const usdAddr = await usd.getAddress();
    const rows: GasRow[] = [];
    const row = (key: string, op: string, gas: number, note?: string) =>
      rows.push({ key, area: "escrow", op, gas, note });

    const role = ROLES.VERIFIER_ROLE;
    for (const v of [v2, v3]) await (await registry.grantRole(role, v.address)).wait();
    await (
      await registry.registerProject({
        owner: beneficiary.address,
        name: "Kasigau Corridor REDD+",
        category: 0,
        country: "0x4b45",
        standard: "Verra VCS",
        externalId: "VCS-612",
        methodology: "VM0009",
        metadataURI: "ipfs://bafy",
      })
    ).wait();
    await (await registry.connect(verifier).setProjectStatus(1, 1)).wait();
    await (await usd.mint(funder.address, 10n ** 15n)).wait();
    await (await usd.connect(funder).approve(escrowAddr, ethers.MaxUint256)).wait();

    const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const input = async (n = 3) => {
      const t = await now();
      return {
        projectId: 1n,
        beneficiary: beneficiary.address,
        token: usdAddr,
        milestones: Array.from({ length: n }, (_, i) => ({
          amount: 1_000_000_000n * BigInt(i + 1),
          deadline: t + BigInt(i + 1) * 30n * DAY,
          description: ethers.id(`milestone ${i + 1}`),
        })),
        verifiers: [verifier.address, v2.address, v3.address],
        threshold: 2,
        arbiter: arbiter.address,
        disputeWindow: 7n * DAY,
      };
    };
    const f = escrow.connect(funder);
    let dealId = 0n;
    const create = async (n = 3) => {
      dealId += 1n;
      return measureTx(f.createDeal(await input(n)));
    };

    // deal 1: first deal, first funding in this token, first release (owed slots zero → non-zero)
    const c1 = await create();
    row("escrow.createDeal.3m", "createDeal (3 milestones, 3 verifiers)", c1.gas);
    const fund1 = await measureTx(f.fund(dealId));
    row("escrow.fund.firstInToken", "fund (first deal in that token)", fund1.gas);
    const a1 = await measureTx(escrow.connect(verifier).attest(dealId, 0, ethers.ZeroHash));
    row("escrow.attest.nonFinal", "attest, below threshold", a1.gas);
    const r1 = await measureTx(escrow.connect(v2).attest(dealId, 0, ethers.ZeroHash));
    row("escrow.attest.final.firstPayee", "attest reaching threshold (payees owed nothing yet)", r1.gas);

    // deal 2: the steady state
    await create();
    const fund2 = await measureTx(f.fund(dealId));
    row("escrow.fund", "fund (pulls Σ amounts, balance-delta check)", fund2.gas);
    await (await escrow.connect(verifier).attest(dealId, 0, ethers.ZeroHash)).wait();
    const r2 = await measureTx(escrow.connect(v2).attest(dealId, 0, ethers.ZeroHash));
    row("escrow.attest.final", "attest reaching threshold (release, fee split)", r2.gas, "after 2 deals");
    const steadyDeal = dealId;

    // 200 more deals, then the same operations again: nothing depends on the number of deals
    for (let i = 0; i < 200; i++) {
      await (await f.createDeal(await input())).wait();
      dealId += 1n;
    }
    const c3 = await create();
    row(
      "escrow.createDeal.3m.after200",
      "createDeal (3 milestones) after 200 deals",
      c3.gas,
      `Δ vs first: ${c3.gas - c1.gas}`,
    );
    await (await f.fund(dealId)).wait();
    await (await escrow.connect(verifier).attest(dealId, 0, ethers.ZeroHash)).wait();
    const r3 = await measureTx(escrow.connect(v2).attest(dealId, 0, ethers.ZeroHash));
    row(
      "escrow.attest.final.after200",
      "attest reaching threshold after 200 deals",
      r3.gas,
      `Δ vs 2 deals: ${r3.gas - r2.gas}`,
    );

    // expiry, dispute, ruling on the steady-state deal
    const m2 = await escrow.milestone(steadyDeal, 1);
    await network.provider.send("evm_setNextBlockTimestamp", [Number(m2.deadline + 7n * DAY + 1n)]);
    const rf = await measureTx(escrow.connect(deployer).refundExpired(steadyDeal, 1));
    row("escrow.refundExpired", "refundExpired (anyone, after deadline + window)", rf.gas);
    const m3 = await escrow.milestone(steadyDeal, 2);
    await network.provider.send("evm_setNextBlockTimestamp", [Number(m3.deadline + DAY)]);
    const dp = await measureTx(escrow.connect(beneficiary).dispute(steadyDeal, 2, ethers.id("reason")));
    row("escrow.dispute", "dispute (beneficiary, within the window)", dp.gas);
    const rs = await measureTx(escrow.connect(arbiter).resolve(steadyDeal, 2, 6000));
    row("escrow.resolve", "resolve 60/40 (fee on the released share)", rs.gas);

    const w = await measureTx(escrow.connect(beneficiary).withdraw(usdAddr));
    row("escrow.withdraw", "withdraw (pull payment, token transfer)", w.gas);

    // bounded loop: cancelling a funded 32-milestone deal
    await create(32);
    await (await f.fund(dealId)).wait();
    await (await f.cancel(dealId)).wait();
    const cx = await measureTx(escrow.connect(beneficiary).cancel(dealId));
    row("escrow.cancel.32", "cancel by consent, 32 locked milestones (the loop bound)", cx.gas);
    return rows;
  },
};
export default mod;
