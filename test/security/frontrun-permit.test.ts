/**
 * Front-running and permit replay.
 *  - A seller who raises the price between the buyer's quote and the buyer's transaction (ordered before
 *    it in the same block) cannot make the buyer pay more than `maxTotalPrice`: the buy reverts
 *    PriceExceedsMax and nothing moves. A price cut goes through at the lower price.
 *  - ERC-2612 permits cannot be replayed: a signature consumed once (by the consumer contract or by
 *    anyone who front-ran it) is refused by the token, and a consumer contract cannot be made to pull more
 *    than the permit allowed. Permit consumers are listed in PERMIT_CONSUMERS (one entry per area).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { CarbonCredit, CreditMarketplace, TestStablecoin } from "../../typechain-types";
import type { Signer, World } from "../helpers/security/types";
import { signPermit } from "../helpers/security/common";
import { world } from "../helpers/security/world";

/** This file's own fixture (loadFixture keys snapshots by function: sharing one across files breaks when
 * another file's hardhat-deploy fixture reverts to an earlier snapshot). */
async function suite() {
  return world();
}

const c = (w: World) => ({
  market: w.contracts.CreditMarketplace as unknown as CreditMarketplace,
  usd: w.contracts.TestStablecoin as unknown as TestStablecoin,
  credit: w.contracts.CarbonCredit as unknown as CarbonCredit,
});

/** Sends `first` then `second` into the same block (automine off), mines it, returns both receipts' status. */
async function sameBlock(first: () => Promise<any>, second: () => Promise<any>): Promise<[number, number]> {
  await network.provider.send("evm_setAutomine", [false]);
  try {
    const a = await first();
    const b = await second();
    await network.provider.send("evm_mine", []);
    const ra = await ethers.provider.getTransactionReceipt(a.hash);
    const rb = await ethers.provider.getTransactionReceipt(b.hash);
    expect(ra!.blockNumber).to.equal(rb!.blockNumber);
    expect(ra!.index).to.be.lessThan(rb!.index);
    return [ra!.status!, rb!.status!];
  } finally {
    await network.provider.send("evm_setAutomine", [true]);
  }
}

/**
 * Contracts that consume an ERC-2612 permit: `use` makes `owner` spend through the consumer with the
 * given permit of `value` (the consumer is the spender). Add one entry per new consumer (pool, escrow, …).
 */
interface PermitConsumer {
  name: string;
  deployments: string[];
  /** The permit token and the spender (the consumer contract). */
  token: (w: World) => any;
  spender: (w: World) => string;
  /** Amount the consumer pulls when used with a permit of `value`. */
  value: (w: World) => Promise<bigint>;
  /** Uses the permit through the consumer. */
  use: (
    w: World,
    owner: Signer,
    value: bigint,
    sig: { deadline: bigint; v: number; r: string; s: string },
    attempt: number,
  ) => Promise<any>;
  /** Contract and custom error refusing a replay once no allowance is left. */
  replay: (w: World) => [any, string];
}

const PERMIT_CONSUMERS: PermitConsumer[] = [
  {
    name: "CreditMarketplace.buyWithPermit",
    deployments: ["CreditMarketplace"],
    token: (w) => c(w).usd,
    spender: (w) => w.contracts.CreditMarketplace.target as string,
    value: async (w) => (await c(w).market.quote(w.ids.listing, 1000n))[0],
    use: (w, owner, value, p) =>
      c(w).market.connect(owner).buyWithPermit(w.ids.listing, 1000n, value, p.deadline, p.v, p.r, p.s),
    replay: (w) => [c(w).market, "PermitFailed"],
  },
  {
    name: "CreditMarketplace.buyAndRetireWithPermit",
    deployments: ["CreditMarketplace"],
    token: (w) => c(w).usd,
    spender: (w) => w.contracts.CreditMarketplace.target as string,
    value: async (w) => (await c(w).market.quote(w.ids.listing, 1000n))[0],
    use: (w, owner, value, p) =>
      c(w)
        .market.connect(owner)
        .buyAndRetireWithPermit(w.ids.listing, 1000n, value, ethers.ZeroAddress, "Carol", "offset", p),
    replay: (w) => [c(w).market, "PermitFailed"],
  },
  {
    name: "MilestoneEscrow.fundWithPermit",
    deployments: ["MilestoneEscrow"],
    token: (w) => c(w).usd,
    spender: (w) => w.contracts.MilestoneEscrow.target as string,
    value: async (w) => (await (w.contracts.MilestoneEscrow as any).deal(w.ids.unfundedDeal)).total,
    use: async (w, owner, _value, p, attempt) => {
      const escrow = w.contracts.MilestoneEscrow.connect(owner) as any;
      let dealId = w.ids.unfundedDeal;
      if (attempt > 0) {
        // a second deal with the same terms: the replayed permit would have to pay for it
        const terms = await escrowTermsOf(w, dealId);
        dealId = await escrow.createDeal.staticCall(terms);
        await (await escrow.createDeal(terms)).wait();
      }
      return escrow.fundWithPermit(dealId, p.deadline, p.v, p.r, p.s);
    },
    replay: (w) => [c(w).usd, "ERC20InsufficientAllowance"],
  },
];

/** DealInput that recreates the terms of an existing deal (same amounts, deadlines, verifiers). */
async function escrowTermsOf(w: World, dealId: bigint) {
  const escrow = w.contracts.MilestoneEscrow as any;
  const d = await escrow.deal(dealId);
  const milestones = [];
  for (let i = 0n; i < d.milestoneCount; i++) {
    const m = await escrow.milestone(dealId, i);
    milestones.push({ amount: m.amount, deadline: m.deadline, description: ethers.ZeroHash });
  }
  return {
    projectId: d.projectId,
    beneficiary: d.beneficiary,
    token: d.token,
    milestones,
    verifiers: [...(await escrow.verifiers(dealId))],
    threshold: d.threshold,
    arbiter: d.arbiter,
    disputeWindow: d.disputeWindow,
  };
}

describe("security: front-running and permit replay", function () {
  describe("marketplace: price change between quote and buy", function () {
    for (const variant of ["buy", "buyAndRetire"] as const) {
      it(`${variant}: a seller's price rise ordered before the buyer's transaction makes it revert PriceExceedsMax and moves nothing`, async function () {
        const w = await loadFixture(suite);
        const { market, usd, credit } = c(w);
        const [quoted] = await market.quote(w.ids.listing, 1000n);
        const usdBefore = await usd.balanceOf(w.bob.address);
        const creditBefore = await credit.balanceOf(w.bob.address, w.ids.batch);
        const price = (await market.listing(w.ids.listing)).pricePerTonne;
        const buy = () =>
          variant === "buy"
            ? market.connect(w.bob).buy(w.ids.listing, 1000n, quoted, { gasLimit: 1_000_000 })
            : market.connect(w.bob).buyAndRetire(w.ids.listing, 1000n, quoted, ethers.ZeroAddress, "Bob", "offset", {
                gasLimit: 1_000_000,
              });
        const [raise, bought] = await sameBlock(
          () => market.connect(w.alice).updatePrice(w.ids.listing, price * 3n, { gasLimit: 200_000 }),
          buy,
        );
        expect(raise).to.equal(1);
        expect(bought).to.equal(0);
        // the revert reason, replayed on the same state
        await expect(
          variant === "buy"
            ? market.connect(w.bob).buy(w.ids.listing, 1000n, quoted)
            : market.connect(w.bob).buyAndRetire(w.ids.listing, 1000n, quoted, ethers.ZeroAddress, "Bob", "offset"),
        )
          .to.be.revertedWithCustomError(market, "PriceExceedsMax")
          .withArgs(quoted * 3n, quoted);
        expect(await usd.balanceOf(w.bob.address)).to.equal(usdBefore);
        expect(await credit.balanceOf(w.bob.address, w.ids.batch)).to.equal(creditBefore);
        expect((await market.listing(w.ids.listing)).remainingKg).to.equal(2000n);
      });
    }

    it("a price cut ordered before the buy goes through at the lower price (the buyer never pays the maximum by default)", async function () {
      const w = await loadFixture(suite);
      const { market, usd } = c(w);
      const [quoted] = await market.quote(w.ids.listing, 1000n);
      const price = (await market.listing(w.ids.listing)).pricePerTonne;
      const before = await usd.balanceOf(w.bob.address);
      const [cut, bought] = await sameBlock(
        () => market.connect(w.alice).updatePrice(w.ids.listing, price / 2n, { gasLimit: 200_000 }),
        () => market.connect(w.bob).buy(w.ids.listing, 1000n, quoted, { gasLimit: 1_000_000 }),
      );
      expect([cut, bought]).to.deep.equal([1, 1]);
      expect(before - (await usd.balanceOf(w.bob.address))).to.equal(quoted / 2n);
    });

    it("a buy racing a cancel of the same listing reverts ListingClosed and moves nothing", async function () {
      const w = await loadFixture(suite);
      const { market, usd } = c(w);
      const before = await usd.balanceOf(w.bob.address);
      const [cancelled, bought] = await sameBlock(
        () => market.connect(w.alice).cancel(w.ids.listing, { gasLimit: 300_000 }),
        () => market.connect(w.bob).buy(w.ids.listing, 1000n, ethers.MaxUint256, { gasLimit: 1_000_000 }),
      );
      expect([cancelled, bought]).to.deep.equal([1, 0]);
      await expect(market.connect(w.bob).buy(w.ids.listing, 1000n, ethers.MaxUint256)).to.be.revertedWithCustomError(
        market,
        "ListingClosed",
      );
      expect(await usd.balanceOf(w.bob.address)).to.equal(before);
    });
  });

  describe("permit replay", function () {
    /** ERC-2612 tokens of the suite: (deployment, holder who owns some). */
    const PERMIT_TOKENS: { name: string; holder: (w: World) => any }[] = [
      { name: "TestStablecoin", holder: (w) => w.carol },
      { name: "NatureCarbonPool", holder: (w) => w.alice },
    ];
    for (const pt of PERMIT_TOKENS) {
      it(`${pt.name} refuses a permit signature used twice (nonce consumed) with ERC2612InvalidSigner`, async function () {
        const w = await loadFixture(suite);
        const token = w.contracts[pt.name] as any;
        const owner = pt.holder(w);
        const deadline = 2n ** 40n;
        const sig = await signPermit(token, owner, w.dave.address, 5n, deadline);
        await (
          await token.connect(w.dave).permit(owner.address, w.dave.address, 5n, deadline, sig.v, sig.r, sig.s)
        ).wait();
        expect(await token.nonces(owner.address)).to.equal(1n);
        await expect(
          token.connect(w.dave).permit(owner.address, w.dave.address, 5n, deadline, sig.v, sig.r, sig.s),
        ).to.be.revertedWithCustomError(token, "ERC2612InvalidSigner");
        expect(await token.allowance(owner.address, w.dave.address)).to.equal(5n);
        // the allowance is spent once, then nothing more moves
        await (await token.connect(w.dave).transferFrom(owner.address, w.dave.address, 5n)).wait();
        await expect(
          token.connect(w.dave).transferFrom(owner.address, w.dave.address, 1n),
        ).to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance");
      });
    }

    for (const pc of PERMIT_CONSUMERS) {
      it(`${pc.name}: the permit works once; replaying it is refused and moves nothing`, async function () {
        const w = await loadFixture(suite);
        const token = pc.token(w);
        const value = await pc.value(w);
        const deadline = 2n ** 40n;
        const sig = { deadline, ...(await signPermit(token, w.carol, pc.spender(w), value, deadline)) };
        const start = await token.balanceOf(w.carol.address);
        await (await pc.use(w, w.carol, value, sig, 0)).wait();
        expect(start - (await token.balanceOf(w.carol.address))).to.equal(value);
        expect(await token.allowance(w.carol.address, pc.spender(w))).to.equal(0n);
        // replay through the consumer: the token refuses the used nonce, no allowance is left
        const [rc, re] = pc.replay(w);
        await expect(pc.use(w, w.carol, value, sig, 1)).to.be.revertedWithCustomError(rc, re);
        // replay straight on the token
        await expect(
          token.connect(w.dave).permit(w.carol.address, pc.spender(w), value, deadline, sig.v, sig.r, sig.s),
        ).to.be.revertedWithCustomError(token, "ERC2612InvalidSigner");
        expect(start - (await token.balanceOf(w.carol.address))).to.equal(value);
      });

      it(`${pc.name}: a front-runner who submits the permit first gains nothing and the owner's call still succeeds`, async function () {
        const w = await loadFixture(suite);
        const token = pc.token(w);
        const value = await pc.value(w);
        const deadline = 2n ** 40n;
        const sig = { deadline, ...(await signPermit(token, w.carol, pc.spender(w), value, deadline)) };
        const start = await token.balanceOf(w.carol.address);
        await (
          await token.connect(w.dave).permit(w.carol.address, pc.spender(w), value, deadline, sig.v, sig.r, sig.s)
        ).wait();
        await (await pc.use(w, w.carol, value, sig, 0)).wait();
        expect(start - (await token.balanceOf(w.carol.address))).to.equal(value);
        expect(await token.allowance(w.carol.address, pc.spender(w))).to.equal(0n);
      });

      it(`${pc.name}: a permit for less than the price cannot be stretched (the consumer pulls at most the permitted value)`, async function () {
        const w = await loadFixture(suite);
        const token = pc.token(w);
        const value = await pc.value(w);
        const deadline = 2n ** 40n;
        const sig = { deadline, ...(await signPermit(token, w.carol, pc.spender(w), value - 1n, deadline)) };
        const start = await token.balanceOf(w.carol.address);
        const [rc, re] = pc.replay(w);
        await expect(pc.use(w, w.carol, value, sig, 0)).to.be.revertedWithCustomError(rc, re);
        expect(await token.balanceOf(w.carol.address)).to.equal(start);
      });
    }
  });
});
