import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type {
  ComplianceRegistry,
  GreenBond,
  GreenBondFactory,
  GreenProjectRegistry,
  TestStablecoin,
} from "../../typechain-types";
import { type GasModule, type GasRow, measureTx } from "../lib";
import { ROLES } from "../../sdk/generated";

const UNIT = 10n ** 18n;
const DAY = 86_400n;
const HALF_YEAR = (365n * DAY) / 2n;
const KE = "0x4b45";

/**
 * Green bond hot paths, each measured on a bond with 10 and with 500 holders to show they are O(1) in the number
 * of holders (coupon accumulator; no loop over holders). Holders beyond the measured accounts are seeded by
 * agent forced transfers to verified addresses.
 */
const mod: GasModule = {
  area: "bonds",
  tags: ["bonds", "test-tokens"],
  async measure(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
    const { ethers, deployments } = hre;
    const signers = await ethers.getSigners();
    const [, verifier, , issuer, whale, bob, carol, arbiter] = signers;
    const at = async <T>(name: string) =>
      (await ethers.getContractAt(name, (await deployments.get(name)).address)) as unknown as T;
    const registry = await at<GreenProjectRegistry>("GreenProjectRegistry");
    const compliance = await at<ComplianceRegistry>("ComplianceRegistry");
    const factory = await at<GreenBondFactory>("GreenBondFactory");
    const usd = await at<TestStablecoin>("TestStablecoin");
    const escrow = await deployments.get("MilestoneEscrow");

    const wait = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait();
    const latest = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const travelTo = async (ts: bigint) => {
      const now = await latest();
      if (ts > now) await ethers.provider.send("evm_increaseTime", [Number(ts - now)]);
      await ethers.provider.send("evm_mine", []);
    };

    await wait(
      registry.registerProject({
        owner: issuer.address,
        name: "Bench forest",
        category: 0,
        country: KE,
        standard: "Verra VCS",
        externalId: "VCS-BENCH-14",
        methodology: "VM0047",
        metadataURI: "ipfs://bench",
      }),
    );
    const projectId = await registry.projectCount();
    await wait(registry.connect(verifier).setProjectStatus(projectId, 1));
    await wait(factory.grantRole(ROLES.ISSUER_ROLE, issuer.address));
    for (const a of [whale, bob, carol]) await wait(compliance.setInvestor(a.address, true, KE, 0));

    // verified addresses for the extra holders (batches of 200)
    const extra = Array.from({ length: 500 }, (_, i) => ethers.getAddress(ethers.toBeHex(0xb0b0000n + BigInt(i), 20)));
    for (let i = 0; i < extra.length; i += 200) {
      await wait(compliance.setInvestors(extra.slice(i, i + 200), true, KE, 0));
    }

    async function newBond(): Promise<GreenBond> {
      const now = await latest();
      const end = now + 7n * DAY;
      const terms = {
        paymentToken: await usd.getAddress(),
        issuer: issuer.address,
        compliance: await compliance.getAddress(),
        escrow: escrow.address,
        unitPrice: 100_000_000n,
        cap: 1_000_000n * UNIT,
        softCap: 1n,
        subscriptionStart: now,
        subscriptionEnd: end,
        maturity: end + 4n * HALF_YEAR,
        couponPeriod: HALF_YEAR,
        kpiDeadline: end + 3n * HALF_YEAR,
        gracePeriod: 14n * DAY,
        couponRateBps: 500,
        stepUpBps: 100,
        proceeds: {
          projectId,
          verifiers: [verifier.address],
          threshold: 1,
          arbiter: arbiter.address,
          disputeWindow: 7n * DAY,
          milestones: [
            { bps: 5000, deadline: end + 60n * DAY, description: ethers.id("m1") },
            { bps: 5000, deadline: end + 120n * DAY, description: ethers.id("m2") },
          ],
        },
      };
      const addr = await factory.connect(issuer).createBond.staticCall(terms, "Bench bond", "BB");
      await wait(factory.connect(issuer).createBond(terms, "Bench bond", "BB"));
      const bond = (await ethers.getContractAt("GreenBond", addr)) as unknown as GreenBond;
      for (const a of [whale, bob, carol, issuer]) {
        await wait(usd.mint(a.address, 10n ** 15n));
        await wait(usd.connect(a).approve(addr, ethers.MaxUint256));
      }
      return bond;
    }

    async function scenario(holders: number): Promise<GasRow[]> {
      const bond = await newBond();
      const tag = `h${holders}`;
      const note = `${holders} holders`;
      await wait(bond.connect(whale).subscribe(100_000n * UNIT));
      await wait(bond.connect(carol).subscribe(1_000n * UNIT));
      // whale, carol, bob (below) + extra holders seeded by the agent
      for (let i = 0; i < holders - 3; i++) await wait(bond.forcedTransfer(whale.address, extra[i], 10n * UNIT));
      const rows: GasRow[] = [];
      const sub = await measureTx(bond.connect(bob).subscribe(1_000n * UNIT));
      rows.push({ key: `bonds.subscribe.${tag}`, area: "bonds", op: "subscribe (new holder)", gas: sub.gas, note });
      if (Number(await bond.balanceOf(extra[0])) === 0 && holders > 3) throw new Error("holders not seeded");

      await travelTo(await bond.subscriptionEnd());
      await wait(bond.closeSubscription());
      await travelTo(await bond.couponDueAt(1));
      await wait(bond.connect(issuer).depositCoupon(1));

      const tr = await measureTx(bond.connect(bob).transfer(carol.address, 100n * UNIT));
      rows.push({
        key: `bonds.transfer.${tag}`,
        area: "bonds",
        op: "transfer (first settlement of both sides: 4 zero→non-zero slots; 2 compliance calls)",
        gas: tr.gas,
        note,
      });
      const cl = await measureTx(bond.connect(bob).claimCoupon());
      rows.push({ key: `bonds.claimCoupon.${tag}`, area: "bonds", op: "claimCoupon", gas: cl.gas, note });

      for (let k = 2n; k <= 4n; k++) {
        await travelTo(await bond.couponDueAt(k));
        await wait(bond.connect(issuer).depositCoupon(k));
      }
      await wait(bond.connect(issuer).depositPrincipal());
      const rd = await measureTx(bond.connect(carol).redeem());
      rows.push({
        key: `bonds.redeem.${tag}`,
        area: "bonds",
        op: "redeem (burn settles pending coupons)",
        gas: rd.gas,
        note,
      });
      return rows;
    }

    const rows = [...(await scenario(10)), ...(await scenario(500))];
    return rows;
  },
};
export default mod;
