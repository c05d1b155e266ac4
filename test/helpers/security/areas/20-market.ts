/**
 * Market: CreditMarketplace.
 *
 * Seeded state: alice (seller) approved the marketplace for her credits and listed 2 t of `batch` at
 * 10 tUSD/t (`listing`) and 1 t of `suspendedBatch` (`suspendedListing`, its project is Suspended);
 * `closedListing` was listed and cancelled. bob approved the marketplace for his tUSD. carol has tUSD
 * but no allowance (permit cases).
 */

import type { Area, BadCase, Signer, World } from "../types";
import { MAX, ZERO, accessControlSpecs, pauseSpecs, forged, signPermit, text } from "../common";

const PRICE = 10_000_000n; // 10 tUSD per tonne
const market = (w: World) => w.contracts.CreditMarketplace;
const usd = (w: World) => w.contracts.TestStablecoin as any;
const mAddr = (w: World) => market(w).target as string;

async function send(p: Promise<any>) {
  return (await p).wait();
}

/** A real permit by `buyer` of `value` tUSD to the marketplace, as the PermitSignature tuple. */
async function permitFor(w: World, buyer: Signer, value: bigint) {
  const deadline = 2n ** 40n;
  const sig = await signPermit(usd(w), buyer, mAddr(w), value, deadline);
  return { deadline, ...sig };
}

const bob = (w: World) => w.bob;
const alice = (w: World) => w.alice;
const carol = (w: World) => w.carol;

/** Cases shared by buy, buyAndRetire and their permit variants (`tail` = arguments after maxTotalPrice). */
function purchaseCases(signer: (w: World) => Signer, tail: (w: World) => unknown[]): BadCase[] {
  return [
    {
      kind: "unknown id",
      what: "unknown listing",
      signer,
      args: (w) => [999n, 1n, MAX, ...tail(w)],
      error: "ListingNotFound",
      errorArgs: () => [999n],
    },
    {
      kind: "unknown id",
      what: "listing id 0",
      signer,
      args: (w) => [0n, 1n, MAX, ...tail(w)],
      error: "ListingNotFound",
    },
    {
      kind: "wrong state",
      what: "cancelled listing",
      signer,
      args: (w) => [w.ids.closedListing, 1n, MAX, ...tail(w)],
      error: "ListingClosed",
    },
    {
      kind: "zero amount",
      what: "amount = 0",
      signer,
      args: (w) => [w.ids.listing, 0n, MAX, ...tail(w)],
      error: "ZeroAmount",
    },
    {
      kind: "max amount",
      what: "amount = max uint",
      signer,
      args: (w) => [w.ids.listing, MAX, MAX, ...tail(w)],
      error: "AmountExceedsListing",
    },
    {
      kind: "max amount",
      what: "more than listed",
      signer,
      args: (w) => [w.ids.listing, 2001n, MAX, ...tail(w)],
      error: "AmountExceedsListing",
    },
    {
      kind: "invalid value",
      what: "maxTotalPrice below the price",
      signer,
      args: (w) => [w.ids.listing, 1000n, PRICE - 1n, ...tail(w)],
      error: "PriceExceedsMax",
      errorArgs: () => [PRICE, PRICE - 1n],
    },
    {
      kind: "invalid value",
      what: "maxTotalPrice = 0",
      signer,
      args: (w) => [w.ids.listing, 1n, 0n, ...tail(w)],
      error: "PriceExceedsMax",
    },
  ];
}

const retireTail = (w: World) => [ZERO, "Bob", "offset"];

const area: Area = {
  name: "market",
  deployments: ["CreditMarketplace", "CarbonCredit", "TestStablecoin"],

  async setup(w) {
    const m = market(w);
    const ma = m.connect(w.alice) as any;
    await send((w.contracts.CarbonCredit.connect(w.alice) as any).setApprovalForAll(mAddr(w), true));
    const list = async (batchId: bigint, kg: bigint) => {
      const id = await ma.list.staticCall(batchId, kg, usd(w).target, PRICE);
      await send(ma.list(batchId, kg, usd(w).target, PRICE));
      return id as bigint;
    };
    w.ids.listing = await list(w.ids.batch, 2000n);
    w.ids.suspendedListing = await list(w.ids.suspendedBatch, 1000n);
    w.ids.closedListing = await list(w.ids.batch, 500n);
    await send(ma.cancel(w.ids.closedListing));
    await send(usd(w).connect(w.bob).approve(mAddr(w), MAX));
  },

  specs: {
    CreditMarketplace: {
      pauser: (w) => w.deployer,
      functions: {
        ...accessControlSpecs(),
        list: {
          access: { open: "escrows the caller's own credits" },
          pause: { stops: { signer: alice, args: (w) => [w.ids.batch, 1000n, usd(w).target, PRICE] } },
          bad: [
            {
              kind: "zero amount",
              what: "amount = 0",
              signer: alice,
              args: (w) => [w.ids.batch, 0n, usd(w).target, PRICE],
              error: "ZeroAmount",
            },
            {
              kind: "zero amount",
              what: "price = 0",
              signer: alice,
              args: (w) => [w.ids.batch, 1000n, usd(w).target, 0n],
              error: "ZeroPrice",
            },
            {
              kind: "overflow",
              what: "amount × price > 2^256",
              signer: alice,
              args: (w) => [w.ids.batch, 2n, usd(w).target, MAX],
              error: "PriceOverflow",
              errorArgs: () => [2n, MAX],
            },
            {
              kind: "max amount",
              what: "amount = max uint",
              signer: alice,
              args: (w) => [w.ids.batch, MAX, usd(w).target, 1n],
              error: "AmountTooLarge",
            },
            {
              kind: "max amount",
              what: "amount above the seller's balance",
              signer: alice,
              args: (w) => [w.ids.batch, 1_000_000n, usd(w).target, PRICE],
              error: "ERC1155InsufficientBalance",
            },
            {
              kind: "unknown id",
              what: "batch id above uint96",
              signer: alice,
              args: (w) => [2n ** 96n, 1n, usd(w).target, 1n],
              error: "InvalidBatchId",
            },
            {
              kind: "unknown id",
              what: "unknown batch",
              signer: alice,
              args: (w) => [999n, 1000n, usd(w).target, PRICE],
              error: "ERC1155InsufficientBalance",
            },
            {
              kind: "zero address",
              what: "payment token = 0",
              signer: alice,
              args: (w) => [w.ids.batch, 1000n, ZERO, PRICE],
              error: "PaymentTokenNotAllowed",
              errorArgs: () => [ZERO],
            },
            {
              kind: "invalid value",
              what: "payment token not allow-listed",
              signer: alice,
              args: (w) => [w.ids.batch, 1000n, w.contracts.CarbonCredit.target, PRICE],
              error: "PaymentTokenNotAllowed",
            },
          ],
        },
        updatePrice: {
          access: { auth: "NotSeller", args: (w) => [w.ids.listing, 1n] },
          pause: { stops: { signer: alice, args: (w) => [w.ids.listing, PRICE * 2n] } },
          bad: [
            {
              kind: "zero amount",
              what: "price = 0",
              signer: alice,
              args: (w) => [w.ids.listing, 0n],
              error: "ZeroPrice",
            },
            {
              kind: "overflow",
              what: "remaining × price > 2^256",
              signer: alice,
              args: (w) => [w.ids.listing, MAX],
              error: "PriceOverflow",
            },
            {
              kind: "unknown id",
              what: "unknown listing",
              signer: alice,
              args: () => [999n, 1n],
              error: "ListingNotFound",
            },
            {
              kind: "wrong state",
              what: "cancelled listing",
              signer: alice,
              args: (w) => [w.ids.closedListing, 1n],
              error: "ListingClosed",
            },
          ],
        },
        cancel: {
          access: { auth: "NotSeller", args: (w) => [w.ids.listing] },
          pause: {
            exits: {
              signer: alice,
              args: (w) => [w.ids.listing],
              before: async (w) => {
                w.data.sellerBalance = await (w.contracts.CarbonCredit as any).balanceOf(w.alice.address, w.ids.batch);
              },
              check: async (w) => {
                const l = await (market(w) as any).listing(w.ids.listing);
                const bal = await (w.contracts.CarbonCredit as any).balanceOf(w.alice.address, w.ids.batch);
                if (l.remainingKg !== 0n || bal !== w.data.sellerBalance + 2000n)
                  throw new Error("cancel did not return the 2 t to the seller");
              },
            },
            why: "the seller takes her escrowed credits back",
          },
          bad: [
            {
              kind: "unknown id",
              what: "unknown listing",
              signer: alice,
              args: () => [999n],
              error: "ListingNotFound",
            },
            {
              kind: "wrong state",
              what: "already cancelled",
              signer: alice,
              args: (w) => [w.ids.closedListing],
              error: "ListingClosed",
            },
          ],
        },
        buy: {
          access: { open: "pays with the caller's own money (a stranger has no allowance)" },
          pause: { stops: { signer: bob, args: (w) => [w.ids.listing, 1000n, PRICE] } },
          bad: [
            ...purchaseCases(bob, () => []),
            {
              kind: "invalid value",
              what: "seller buys her own listing",
              signer: alice,
              args: (w) => [w.ids.listing, 1000n, MAX],
              error: "SellerCannotBuy",
            },
            {
              kind: "invalid value",
              what: "buyer without allowance",
              signer: carol,
              args: (w) => [w.ids.listing, 1000n, MAX],
              error: "ERC20InsufficientAllowance",
            },
          ],
        },
        buyWithPermit: {
          access: { open: "pays with the caller's own money, after the caller's own permit" },
          pause: {
            stops: {
              signer: carol,
              args: async (w) => {
                const p = await permitFor(w, w.carol, PRICE);
                return [w.ids.listing, 1000n, PRICE, p.deadline, p.v, p.r, p.s];
              },
            },
          },
          bad: [
            {
              kind: "bad signature",
              what: "permit signed by someone else",
              signer: carol,
              args: (w) => [w.ids.listing, 1000n, PRICE, MAX, ...forged(w)],
              error: "PermitFailed",
            },
            {
              kind: "deadline",
              what: "permit deadline in the past",
              signer: carol,
              args: (w) => [w.ids.listing, 1000n, PRICE, 1n, ...forged(w)],
              error: "PermitFailed",
            },
            {
              kind: "unknown id",
              what: "unknown listing",
              signer: carol,
              args: (w) => [999n, 1000n, PRICE, MAX, ...forged(w)],
              error: "ListingNotFound",
            },
          ],
        },
        buyAndRetire: {
          access: { open: "pays with the caller's own money" },
          pause: { stops: { signer: bob, args: (w) => [w.ids.listing, 1000n, PRICE, ...retireTail(w)] } },
          bad: [
            ...purchaseCases(bob, retireTail),
            {
              kind: "invalid value",
              what: "beneficiary = the marketplace (soulbound certificate stuck)",
              signer: bob,
              args: (w) => [w.ids.listing, 1000n, MAX, market(w).target, "Market", "offset"],
              error: "InvalidBeneficiary",
              errorArgs: (w) => [market(w).target],
            },
            {
              kind: "wrong state",
              what: "credits of a Suspended project",
              signer: bob,
              args: (w) => [w.ids.suspendedListing, 1000n, MAX, ...retireTail(w)],
              error: "ProjectNotRetirable",
            },
            {
              kind: "oversized string",
              what: "beneficiary name of 257 bytes",
              signer: bob,
              args: (w) => [w.ids.listing, 1000n, MAX, ZERO, text(257), ""],
              error: "BeneficiaryNameTooLong",
            },
            {
              kind: "oversized string",
              what: "reason of 257 bytes",
              signer: bob,
              args: (w) => [w.ids.listing, 1000n, MAX, ZERO, "", text(257)],
              error: "ReasonTooLong",
            },
          ],
        },
        buyAndRetireWithPermit: {
          access: { open: "pays with the caller's own money, after the caller's own permit" },
          pause: {
            stops: {
              signer: carol,
              args: async (w) => [
                w.ids.listing,
                1000n,
                PRICE,
                ZERO,
                "Carol",
                "offset",
                await permitFor(w, w.carol, PRICE),
              ],
            },
          },
          bad: [
            {
              kind: "bad signature",
              what: "permit signed by someone else",
              signer: carol,
              args: (w) => {
                const [v, r, s] = forged(w);
                return [w.ids.listing, 1000n, PRICE, ZERO, "", "", { deadline: MAX, v, r, s }];
              },
              error: "PermitFailed",
            },
            {
              kind: "deadline",
              what: "permit deadline in the past",
              signer: carol,
              args: (w) => {
                const [v, r, s] = forged(w);
                return [w.ids.listing, 1000n, PRICE, ZERO, "", "", { deadline: 1n, v, r, s }];
              },
              error: "PermitFailed",
            },
          ],
        },
        setPaymentToken: {
          access: { role: "DEFAULT_ADMIN" },
          pause: { free: "configuration" },
          bad: [
            {
              kind: "zero address",
              what: "allow token 0",
              signer: (w) => w.deployer,
              args: () => [ZERO, true],
              error: "InvalidPaymentToken",
              errorArgs: () => [ZERO],
            },
            {
              kind: "invalid value",
              what: "allow an account without code",
              signer: (w) => w.deployer,
              args: (w) => [w.alice.address, true],
              error: "InvalidPaymentToken",
            },
          ],
        },
        setFee: {
          access: { role: "DEFAULT_ADMIN" },
          pause: { free: "configuration" },
          bad: [
            {
              kind: "max amount",
              what: "fee above 1,000 bps",
              signer: (w) => w.deployer,
              args: (w) => [1001, w.treasury.address],
              error: "FeeTooHigh",
              errorArgs: () => [1001n, 1000n],
            },
            {
              kind: "max amount",
              what: "fee = max uint16",
              signer: (w) => w.deployer,
              args: (w) => [65535, w.treasury.address],
              error: "FeeTooHigh",
            },
            {
              kind: "zero address",
              what: "treasury = 0",
              signer: (w) => w.deployer,
              args: () => [100, ZERO],
              error: "InvalidTreasury",
            },
          ],
        },
        ...pauseSpecs(),
      },
    },
  },
};

export default area;
