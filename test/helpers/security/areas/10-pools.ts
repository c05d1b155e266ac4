/**
 * Pools: CarbonPool (deployments NatureCarbonPool and TechCarbonPool; cases run on the first by name,
 * NatureCarbonPool, which accepts the seeded Forestry 2020 batches).
 *
 * Seeded state: alice deposited 3 t of `batch` into NatureCarbonPool (she holds 3e18 NCP).
 */
import { ethers } from "hardhat";
import type { Area, BadCase, World } from "../types";
import { MAX, ZERO, accessControlSpecs, pauseSpecs, erc20Specs, text } from "../common";

const pool = (w: World) => w.contracts.NatureCarbonPool;
const alice = (w: World) => w.alice;
const carol = (w: World) => w.carol;

async function send(p: Promise<any>) {
  return (await p).wait();
}

const zeroAmount = (args: (w: World) => unknown[]): BadCase => ({
  kind: "zero amount",
  what: "amount = 0",
  signer: alice,
  args,
  error: "ZeroAmount",
});

const area: Area = {
  name: "pools",
  deployments: ["NatureCarbonPool", "TechCarbonPool", "CarbonCredit"],

  async setup(w) {
    await send((w.contracts.CarbonCredit.connect(w.alice) as any).setApprovalForAll(pool(w).target, true));
    await send((pool(w).connect(w.alice) as any).deposit(w.ids.batch, 3000n));
  },

  specs: {
    CarbonPool: {
      pauser: (w) => w.deployer,
      functions: {
        ...accessControlSpecs(),
        ...erc20Specs("NatureCarbonPool", alice, {
          free: "pool-token transfers are not paused: the pool pauses inflows only",
        }),
        deposit: {
          access: { open: "deposits the caller's own credits (a stranger holds none)" },
          pause: { stops: { signer: alice, args: (w) => [w.ids.batch, 1000n] } },
          bad: [
            zeroAmount((w) => [w.ids.batch, 0n]),
            {
              kind: "unknown id",
              what: "unknown batch",
              signer: alice,
              args: () => [999n, 1000n],
              error: "BatchNotEligible",
            },
            {
              kind: "unknown id",
              what: "batch id 0",
              signer: alice,
              args: () => [0n, 1000n],
              error: "BatchNotEligible",
            },
            {
              kind: "wrong state",
              what: "batch of a Suspended project",
              signer: alice,
              args: (w) => [w.ids.suspendedBatch, 1000n],
              error: "BatchNotEligible",
            },
            {
              kind: "max amount",
              what: "amount = max uint (pool already holds the batch)",
              signer: alice,
              args: (w) => [w.ids.batch, MAX],
              error: "SafeCastOverflowedUintDowncast",
            },
            {
              kind: "max amount",
              what: "more than the depositor holds",
              signer: alice,
              args: (w) => [w.ids.batch, 1_000_000n],
              error: "ERC1155InsufficientBalance",
            },
          ],
        },
        redeem: {
          access: { open: "burns the caller's own pool tokens (a stranger holds none)" },
          pause: {
            exits: {
              signer: alice,
              args: (w) => [w.ids.batch, 1000n],
              before: async (w) => {
                w.data.poolCredits = await (w.contracts.CarbonCredit as any).balanceOf(w.alice.address, w.ids.batch);
              },
              check: async (w) => {
                if (
                  (await (w.contracts.CarbonCredit as any).balanceOf(w.alice.address, w.ids.batch)) !==
                  w.data.poolCredits + 1000n
                )
                  throw new Error("credits not redeemed");
              },
            },
            why: "pool-token holders take credits out",
          },
          bad: [
            zeroAmount((w) => [w.ids.batch, 0n]),
            {
              kind: "max amount",
              what: "amount = max uint",
              signer: alice,
              args: (w) => [w.ids.batch, MAX],
              error: "InsufficientPoolBalance",
            },
            {
              kind: "unknown id",
              what: "batch the pool does not hold",
              signer: alice,
              args: () => [999n, 1n],
              error: "InsufficientPoolBalance",
            },
            {
              kind: "invalid value",
              what: "caller without pool tokens",
              signer: carol,
              args: (w) => [w.ids.batch, 1000n],
              error: "ERC20InsufficientBalance",
            },
          ],
        },
        redeemAuto: {
          access: { open: "burns the caller's own pool tokens" },
          pause: { exits: { signer: alice, args: () => [1000n] }, why: "pool-token holders take credits out (FIFO)" },
          bad: [
            zeroAmount(() => [0n]),
            {
              kind: "max amount",
              what: "amount = max uint",
              signer: alice,
              args: () => [MAX],
              error: "NotEnoughActiveCredits",
            },
            {
              kind: "invalid value",
              what: "caller without pool tokens",
              signer: carol,
              args: () => [1000n],
              error: "ERC20InsufficientBalance",
            },
          ],
        },
        retireFromPool: {
          access: { open: "burns the caller's own pool tokens" },
          pause: {
            exits: { signer: alice, args: (w) => [w.ids.batch, 1000n, ZERO, "Alice", "offset"] },
            why: "pool-token holders retire credits",
          },
          bad: [
            zeroAmount((w) => [w.ids.batch, 0n, ZERO, "", ""]),
            {
              kind: "max amount",
              what: "amount = max uint (chosen batch)",
              signer: alice,
              args: (w) => [w.ids.batch, MAX, ZERO, "", ""],
              error: "InsufficientPoolBalance",
            },
            {
              kind: "max amount",
              what: "amount = max uint (auto)",
              signer: alice,
              args: () => [0n, MAX, ZERO, "", ""],
              error: "NotEnoughActiveCredits",
            },
            {
              kind: "invalid value",
              what: "beneficiary = the pool",
              signer: alice,
              args: (w) => [w.ids.batch, 1n, pool(w).target, "", ""],
              error: "InvalidBeneficiary",
            },
            {
              kind: "oversized string",
              what: "beneficiary name of 257 bytes",
              signer: alice,
              args: (w) => [w.ids.batch, 1n, ZERO, text(257), ""],
              error: "BeneficiaryNameTooLong",
            },
            {
              kind: "unknown id",
              what: "batch the pool does not hold",
              signer: alice,
              args: () => [999n, 1n, ZERO, "", ""],
              error: "InsufficientPoolBalance",
            },
          ],
        },
        onERC1155Received: {
          access: {
            auth: "UnsupportedToken",
            args: (w) => [w.stranger.address, w.stranger.address, w.ids.batch, 1n, "0x"],
          },
          pause: { free: "only CarbonCredit may call it; pushes while paused revert EnforcedPause like deposit" },
          bad: [
            {
              kind: "invalid value",
              what: "called by a contract other than CarbonCredit",
              signer: alice,
              args: (w) => [w.alice.address, w.alice.address, w.ids.batch, 1n, "0x"],
              error: "UnsupportedToken",
            },
          ],
        },
        onERC1155BatchReceived: {
          access: {
            auth: "UnsupportedToken",
            args: (w) => [w.stranger.address, w.stranger.address, [w.ids.batch], [1n], "0x"],
          },
          pause: { free: "only CarbonCredit may call it; pushes while paused revert EnforcedPause like deposit" },
          bad: [
            {
              kind: "invalid value",
              what: "called by a contract other than CarbonCredit",
              signer: alice,
              args: (w) => [w.alice.address, w.alice.address, [w.ids.batch], [1n], "0x"],
              error: "UnsupportedToken",
            },
          ],
        },
        setCriteria: {
          access: { role: "POOL_ADMIN" },
          pause: { free: "configuration" },
          bad: [
            {
              kind: "oversized array",
              what: "17 standards",
              signer: (w) => w.deployer,
              args: () => [
                {
                  minVintage: 0,
                  categoryMask: 1n,
                  standards: Array.from({ length: 17 }, (_, i) => ethers.id(`s${i}`)),
                },
              ],
              error: "TooManyStandards",
            },
            {
              kind: "invalid value",
              what: "zero standard hash",
              signer: (w) => w.deployer,
              args: () => [{ minVintage: 0, categoryMask: 1n, standards: [ethers.ZeroHash] }],
              error: "InvalidStandard",
            },
          ],
        },
        setRequiredLabels: {
          access: { role: "POOL_ADMIN" },
          pause: { free: "configuration" },
          bad: [
            {
              kind: "invalid value",
              what: "an unknown label bit",
              signer: (w) => w.deployer,
              args: () => [32],
              error: "UnknownLabels",
              errorArgs: () => [32n],
            },
          ],
        },
        unqueue: {
          access: { open: "anyone may move a batch of a non-Active project out of the FIFO; nothing changes hands" },
          pause: { free: "moves nothing: FIFO upkeep that keeps the exits reachable" },
          bad: [
            {
              kind: "wrong state",
              what: "batch of an Active project",
              signer: alice,
              args: (w) => [w.ids.batch],
              error: "WrongProjectStatus",
            },
            {
              kind: "unknown id",
              what: "batch the pool does not hold",
              signer: alice,
              args: () => [999n],
              error: "BatchNotQueued",
            },
          ],
        },
        requeue: {
          access: { open: "anyone may put an unqueued batch of an Active project back; nothing changes hands" },
          pause: { free: "moves nothing: FIFO upkeep" },
          bad: [
            {
              kind: "wrong state",
              what: "batch already in the FIFO",
              signer: alice,
              args: (w) => [w.ids.batch],
              error: "BatchNotUnqueued",
            },
            {
              kind: "unknown id",
              what: "batch the pool does not hold",
              signer: alice,
              args: () => [999n],
              error: "BatchNotUnqueued",
            },
          ],
        },
        setFees: {
          access: { role: "POOL_ADMIN" },
          pause: { free: "configuration" },
          bad: [
            {
              kind: "max amount",
              what: "redeem fee above 1,000 bps",
              signer: (w) => w.deployer,
              args: (w) => [1001, 0, w.treasury.address],
              error: "FeeTooHigh",
            },
            {
              kind: "max amount",
              what: "retire fee = max uint16",
              signer: (w) => w.deployer,
              args: (w) => [0, 65535, w.treasury.address],
              error: "FeeTooHigh",
            },
            {
              kind: "zero address",
              what: "treasury = 0",
              signer: (w) => w.deployer,
              args: () => [0, 0, ZERO],
              error: "InvalidTreasury",
              errorArgs: () => [ZERO],
            },
            {
              kind: "invalid value",
              what: "treasury = the pool itself",
              signer: (w) => w.deployer,
              args: (w) => [0, 0, pool(w).target],
              error: "InvalidTreasury",
              errorArgs: (w) => [pool(w).target],
            },
          ],
        },
        ...pauseSpecs(),
      },
    },
  },
};

export default area;
