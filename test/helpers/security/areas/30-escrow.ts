/**
 * Escrow: MilestoneEscrow.
 *
 * Seeded state: dave also holds VERIFIER_ROLE in the registry. `deal`: funder bob, beneficiary alice,
 * tUSD, milestones [100 tUSD due day+10, 200 tUSD due day+20], verifiers [verifier, dave], threshold 2,
 * arbiter outsider, dispute window 1 day; funded; milestone 0 released (alice is owed 99, the treasury 1).
 * `unfundedDeal`: same terms, funder carol, not funded. `cancelledDeal`: funder bob, cancelled before funding.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Area, BadCase, Signer, World } from "../types";
import { MAX, ZERO, accessControlSpecs, pauseSpecs, forged, signPermit } from "../common";
import { ROLES } from "../../../../config/deploy-utils";

const U = 1_000_000n; // 1 tUSD
const DAY = 86_400n;
const WINDOW = DAY;
const escrow = (w: World) => w.contracts.MilestoneEscrow;
const usd = (w: World) => w.contracts.TestStablecoin as any;
const eAddr = (w: World) => escrow(w).target as string;
const EVIDENCE = ethers.id("evidence");

async function send(p: Promise<any>) {
  return (await p).wait();
}

/** A valid DealInput (funder = caller) with overrides. */
function dealInput(w: World, o: Record<string, unknown> = {}) {
  const t0 = w.ids.escrowT0;
  return {
    projectId: w.ids.project,
    beneficiary: w.alice.address,
    token: usd(w).target,
    milestones: [
      { amount: 100n * U, deadline: t0 + 10n * DAY, description: ethers.id("m0") },
      { amount: 200n * U, deadline: t0 + 20n * DAY, description: ethers.id("m1") },
    ],
    verifiers: [w.verifier.address, w.dave.address],
    threshold: 2,
    arbiter: w.outsider.address,
    disputeWindow: WINDOW,
    ...o,
  };
}

const bob = (w: World) => w.bob;
const alice = (w: World) => w.alice;
const carol = (w: World) => w.carol;
const arbiter = (w: World) => w.outsider;
const verifier = (w: World) => w.verifier;
const deadline1 = (w: World) => w.ids.escrowT0 + 20n * DAY;
const afterDeadline1 = async (w: World) => void (await time.increaseTo(deadline1(w) + 60n));
const disputed1 = async (w: World) => {
  await afterDeadline1(w);
  await send((escrow(w).connect(w.bob) as any).dispute(w.ids.deal, 1n, ethers.id("late")));
};

function createCase(
  kind: BadCase["kind"],
  what: string,
  o: (w: World) => Record<string, unknown>,
  error: string,
): BadCase {
  return { kind, what, signer: bob, args: (w) => [dealInput(w, o(w))], error };
}

const area: Area = {
  name: "escrow",
  deployments: ["MilestoneEscrow", "GreenProjectRegistry", "TestStablecoin"],

  async setup(w) {
    await send((w.contracts.GreenProjectRegistry.connect(w.deployer) as any).grantRole(ROLES.VERIFIER, w.dave.address));
    w.ids.escrowT0 = BigInt(await time.latest());
    const create = async (funder: Signer) => {
      const e = escrow(w).connect(funder) as any;
      const id = await e.createDeal.staticCall(dealInput(w));
      await send(e.createDeal(dealInput(w)));
      return id as bigint;
    };
    await send(usd(w).connect(w.bob).approve(eAddr(w), MAX));
    w.ids.deal = await create(w.bob);
    await send((escrow(w).connect(w.bob) as any).fund(w.ids.deal));
    for (const v of [w.verifier, w.dave]) await send((escrow(w).connect(v) as any).attest(w.ids.deal, 0n, EVIDENCE));
    w.ids.unfundedDeal = await create(w.carol);
    w.ids.cancelledDeal = await create(w.bob);
    await send((escrow(w).connect(w.bob) as any).cancel(w.ids.cancelledDeal));
    w.probeIds = [...new Set([...w.probeIds, w.ids.deal, w.ids.unfundedDeal, w.ids.cancelledDeal])];
  },

  specs: {
    MilestoneEscrow: {
      pauser: (w) => w.deployer,
      functions: {
        ...accessControlSpecs(),
        createDeal: {
          access: { open: "anyone may open a deal that they fund themselves" },
          pause: { stops: { signer: bob, args: (w) => [dealInput(w)] } },
          bad: [
            createCase(
              "wrong state",
              "Pending project",
              (w) => ({ projectId: w.ids.pendingProject }),
              "ProjectNotActive",
            ),
            createCase("unknown id", "unknown project", () => ({ projectId: 999n }), "ProjectNotFound"),
            createCase("max amount", "project id = max uint", () => ({ projectId: MAX }), "ProjectNotFound"),
            {
              ...createCase("zero address", "beneficiary = 0", () => ({ beneficiary: ZERO }), "ZeroAddress"),
              errorArgs: () => ["beneficiary"],
            },
            {
              ...createCase("zero address", "token = 0", () => ({ token: ZERO }), "ZeroAddress"),
              errorArgs: () => ["token"],
            },
            createCase("invalid value", "token without code", (w) => ({ token: w.dave.address }), "TokenNotContract"),
            {
              ...createCase("zero address", "arbiter = 0", () => ({ arbiter: ZERO }), "ZeroAddress"),
              errorArgs: () => ["arbiter"],
            },
            createCase(
              "invalid value",
              "arbiter = funder",
              (w) => ({ arbiter: w.bob.address }),
              "ArbiterNotIndependent",
            ),
            createCase(
              "invalid value",
              "arbiter = beneficiary",
              (w) => ({ arbiter: w.alice.address }),
              "ArbiterNotIndependent",
            ),
            createCase("zero amount", "dispute window 0", () => ({ disputeWindow: 0n }), "InvalidDisputeWindow"),
            createCase(
              "max amount",
              "dispute window = max uint64",
              () => ({ disputeWindow: 2n ** 64n - 1n }),
              "InvalidDisputeWindow",
            ),
            createCase("empty array", "no verifiers", () => ({ verifiers: [] }), "InvalidVerifierCount"),
            createCase(
              "oversized array",
              "17 verifiers",
              () => ({
                verifiers: Array.from({ length: 17 }, (_, i) =>
                  ethers.getAddress("0x" + (i + 1).toString(16).padStart(40, "0")),
                ),
              }),
              "InvalidVerifierCount",
            ),
            createCase("zero amount", "threshold 0", () => ({ threshold: 0 }), "InvalidThreshold"),
            createCase(
              "invalid value",
              "threshold above the verifier count",
              () => ({ threshold: 3 }),
              "InvalidThreshold",
            ),
            createCase(
              "zero address",
              "verifier = 0",
              (w) => ({ verifiers: [w.verifier.address, ZERO] }),
              "VerifierNotIndependent",
            ),
            createCase(
              "invalid value",
              "verifier = beneficiary",
              (w) => ({ verifiers: [w.verifier.address, w.alice.address] }),
              "VerifierNotIndependent",
            ),
            createCase(
              "invalid value",
              "duplicate verifier",
              (w) => ({ verifiers: [w.verifier.address, w.verifier.address] }),
              "DuplicateVerifier",
            ),
            createCase("empty array", "no milestones", () => ({ milestones: [] }), "InvalidMilestoneCount"),
            createCase(
              "oversized array",
              "33 milestones",
              (w) => ({
                milestones: Array.from({ length: 33 }, (_, i) => ({
                  amount: U,
                  deadline: w.ids.escrowT0 + BigInt(i + 1) * DAY,
                  description: ethers.ZeroHash,
                })),
              }),
              "InvalidMilestoneCount",
            ),
            createCase(
              "zero amount",
              "milestone amount 0",
              (w) => ({ milestones: [{ amount: 0n, deadline: w.ids.escrowT0 + DAY, description: ethers.ZeroHash }] }),
              "InvalidMilestoneAmount",
            ),
            createCase(
              "max amount",
              "milestone amount = max uint",
              (w) => ({ milestones: [{ amount: MAX, deadline: w.ids.escrowT0 + DAY, description: ethers.ZeroHash }] }),
              "InvalidMilestoneAmount",
            ),
            createCase(
              "deadline",
              "first deadline in the past",
              (w) => ({ milestones: [{ amount: U, deadline: w.ids.escrowT0 - 1n, description: ethers.ZeroHash }] }),
              "DeadlineNotInFuture",
            ),
            createCase(
              "deadline",
              "reversed deadlines",
              (w) => ({
                milestones: [
                  { amount: U, deadline: w.ids.escrowT0 + 2n * DAY, description: ethers.ZeroHash },
                  { amount: U, deadline: w.ids.escrowT0 + DAY, description: ethers.ZeroHash },
                ],
              }),
              "DeadlinesNotIncreasing",
            ),
          ],
        },
        fund: {
          access: { auth: "NotFunder", args: (w) => [w.ids.unfundedDeal] },
          pause: {
            stops: {
              signer: carol,
              before: async (w) => void (await send(usd(w).connect(w.carol).approve(eAddr(w), MAX))),
              args: (w) => [w.ids.unfundedDeal],
            },
          },
          bad: [
            { kind: "unknown id", what: "unknown deal", signer: bob, args: () => [999n], error: "DealNotFound" },
            {
              kind: "wrong state",
              what: "already funded",
              signer: bob,
              args: (w) => [w.ids.deal],
              error: "DealAlreadyFunded",
            },
            {
              kind: "wrong state",
              what: "cancelled deal",
              signer: bob,
              args: (w) => [w.ids.cancelledDeal],
              error: "DealIsCancelled",
            },
            {
              kind: "invalid value",
              what: "funder without allowance",
              signer: carol,
              args: (w) => [w.ids.unfundedDeal],
              error: "ERC20InsufficientAllowance",
            },
            {
              kind: "deadline",
              what: "first deadline passed",
              signer: carol,
              before: async (w) => void (await time.increaseTo(w.ids.escrowT0 + 10n * DAY)),
              args: (w) => [w.ids.unfundedDeal],
              error: "MilestoneExpired",
            },
          ],
        },
        fundWithPermit: {
          access: { auth: "NotFunder", args: (w) => [w.ids.unfundedDeal, MAX, ...forged(w)] },
          pause: {
            stops: {
              signer: carol,
              args: async (w) => {
                const p = await signPermit(usd(w), w.carol, eAddr(w), 300n * U, MAX);
                return [w.ids.unfundedDeal, MAX, p.v, p.r, p.s];
              },
            },
          },
          bad: [
            {
              kind: "bad signature",
              what: "permit signed by someone else",
              signer: carol,
              args: (w) => [w.ids.unfundedDeal, MAX, ...forged(w)],
              error: "ERC20InsufficientAllowance",
            },
            {
              kind: "deadline",
              what: "permit deadline in the past",
              signer: carol,
              args: (w) => [w.ids.unfundedDeal, 1n, ...forged(w)],
              error: "ERC20InsufficientAllowance",
            },
            {
              kind: "unknown id",
              what: "unknown deal",
              signer: carol,
              args: (w) => [999n, MAX, ...forged(w)],
              error: "DealNotFound",
            },
          ],
        },
        attest: {
          access: { auth: "NotDealVerifier", args: (w) => [w.ids.deal, 1n, EVIDENCE] },
          pause: { stops: { signer: verifier, args: (w) => [w.ids.deal, 1n, EVIDENCE] } },
          bad: [
            {
              kind: "unknown id",
              what: "unknown deal",
              signer: verifier,
              args: () => [999n, 0n, EVIDENCE],
              error: "DealNotFound",
            },
            {
              kind: "wrong state",
              what: "unfunded deal",
              signer: verifier,
              args: (w) => [w.ids.unfundedDeal, 0n, EVIDENCE],
              error: "DealNotFunded",
            },
            {
              kind: "unknown id",
              what: "milestone index out of range",
              signer: verifier,
              args: (w) => [w.ids.deal, 2n, EVIDENCE],
              error: "MilestoneOutOfRange",
            },
            {
              kind: "max amount",
              what: "milestone index = max uint",
              signer: verifier,
              args: (w) => [w.ids.deal, MAX, EVIDENCE],
              error: "MilestoneOutOfRange",
            },
            {
              kind: "wrong state",
              what: "released milestone",
              signer: verifier,
              args: (w) => [w.ids.deal, 0n, EVIDENCE],
              error: "MilestoneAlreadySettled",
            },
            {
              kind: "deadline",
              what: "after the milestone deadline",
              signer: verifier,
              before: afterDeadline1,
              args: (w) => [w.ids.deal, 1n, EVIDENCE],
              error: "MilestoneExpired",
            },
            {
              kind: "wrong state",
              what: "second attestation by the same verifier",
              signer: (w) => w.dave,
              before: async (w) =>
                void (await send((escrow(w).connect(w.dave) as any).attest(w.ids.deal, 1n, EVIDENCE))),
              args: (w) => [w.ids.deal, 1n, EVIDENCE],
              error: "AlreadyAttested",
            },
            {
              kind: "wrong state",
              what: "listed verifier who lost VERIFIER_ROLE",
              signer: (w) => w.dave,
              before: async (w) =>
                void (await send(
                  (w.contracts.GreenProjectRegistry.connect(w.deployer) as any).revokeRole(
                    ROLES.VERIFIER,
                    w.dave.address,
                  ),
                )),
              args: (w) => [w.ids.deal, 1n, EVIDENCE],
              error: "VerifierRoleMissing",
            },
          ],
        },
        release: {
          access: {
            open: "anyone may trigger a release the attestations already earned; the money is owed to the beneficiary",
          },
          pause: {
            stops: {
              signer: (w) => w.outsider,
              // the A-17 shape: dave attests and loses his role, verifier attests, dave gets it back: 2 valid
              // attestations and nothing released
              before: async (w) => {
                const reg = w.contracts.GreenProjectRegistry.connect(w.deployer) as any;
                await send((escrow(w).connect(w.dave) as any).attest(w.ids.deal, 1n, EVIDENCE));
                await send(reg.revokeRole(ROLES.VERIFIER, w.dave.address));
                await send((escrow(w).connect(w.verifier) as any).attest(w.ids.deal, 1n, EVIDENCE));
                await send(reg.grantRole(ROLES.VERIFIER, w.dave.address));
              },
              args: (w) => [w.ids.deal, 1n],
            },
          },
          bad: [
            {
              kind: "wrong state",
              what: "fewer valid attestations than the threshold",
              signer: (w) => w.outsider,
              args: (w) => [w.ids.deal, 1n],
              error: "NotEnoughAttestations",
              errorArgs: (w) => [w.ids.deal, 1n, 0n, 2n],
            },
            {
              kind: "wrong state",
              what: "released milestone",
              signer: (w) => w.outsider,
              args: (w) => [w.ids.deal, 0n],
              error: "MilestoneAlreadySettled",
            },
            {
              kind: "unknown id",
              what: "unknown deal",
              signer: (w) => w.outsider,
              args: () => [999n, 0n],
              error: "DealNotFound",
            },
            {
              kind: "unknown id",
              what: "milestone index out of range",
              signer: (w) => w.outsider,
              args: (w) => [w.ids.deal, 2n],
              error: "MilestoneOutOfRange",
            },
          ],
        },
        refundExpired: {
          access: { open: "anyone may trigger a refund that is due; the money is owed to the funder only" },
          pause: {
            exits: {
              signer: (w) => w.dave,
              before: async (w) => void (await time.increaseTo(deadline1(w) + WINDOW + 1n)),
              args: (w) => [w.ids.deal, 1n],
              check: async (w) => {
                if ((await (escrow(w) as any).owed(w.bob.address, usd(w).target)) !== 200n * U)
                  throw new Error("funder not owed the refund");
              },
            },
            why: "an expired milestone returns to the funder",
          },
          bad: [
            {
              kind: "deadline",
              what: "before deadline + window",
              signer: bob,
              args: (w) => [w.ids.deal, 1n],
              error: "RefundNotAvailable",
            },
            {
              kind: "wrong state",
              what: "released milestone",
              signer: bob,
              args: (w) => [w.ids.deal, 0n],
              error: "MilestoneAlreadySettled",
            },
            { kind: "unknown id", what: "unknown deal", signer: bob, args: () => [999n, 0n], error: "DealNotFound" },
            {
              kind: "unknown id",
              what: "index out of range",
              signer: bob,
              args: (w) => [w.ids.deal, 5n],
              error: "MilestoneOutOfRange",
            },
            {
              kind: "wrong state",
              what: "unfunded deal",
              signer: bob,
              args: (w) => [w.ids.unfundedDeal, 0n],
              error: "DealNotFunded",
            },
            {
              kind: "wrong state",
              what: "cancelled deal",
              signer: bob,
              args: (w) => [w.ids.cancelledDeal, 0n],
              error: "DealIsCancelled",
            },
          ],
        },
        dispute: {
          access: { auth: "NotParty", args: (w) => [w.ids.deal, 1n, EVIDENCE] },
          pause: { stops: { signer: bob, before: afterDeadline1, args: (w) => [w.ids.deal, 1n, EVIDENCE] } },
          bad: [
            {
              kind: "deadline",
              what: "before the deadline",
              signer: bob,
              args: (w) => [w.ids.deal, 1n, EVIDENCE],
              error: "DisputeTooEarly",
            },
            {
              kind: "deadline",
              what: "after the dispute window",
              signer: bob,
              before: async (w) => void (await time.increaseTo(deadline1(w) + WINDOW + 1n)),
              args: (w) => [w.ids.deal, 1n, EVIDENCE],
              error: "DisputeWindowClosed",
            },
            {
              kind: "wrong state",
              what: "released milestone",
              signer: bob,
              args: (w) => [w.ids.deal, 0n, EVIDENCE],
              error: "MilestoneAlreadySettled",
            },
            {
              kind: "wrong state",
              what: "already disputed",
              signer: alice,
              before: disputed1,
              args: (w) => [w.ids.deal, 1n, EVIDENCE],
              error: "MilestoneAlreadyDisputed",
            },
            {
              kind: "unknown id",
              what: "index out of range",
              signer: bob,
              args: (w) => [w.ids.deal, 9n, EVIDENCE],
              error: "MilestoneOutOfRange",
            },
            {
              kind: "unknown id",
              what: "unknown deal",
              signer: bob,
              args: () => [999n, 0n, EVIDENCE],
              error: "DealNotFound",
            },
          ],
        },
        resolve: {
          access: { auth: "NotArbiter", args: (w) => [w.ids.deal, 1n, 5000] },
          pause: {
            exits: {
              signer: arbiter,
              before: disputed1,
              args: (w) => [w.ids.deal, 1n, 6000],
              check: async (w) => {
                if ((await (escrow(w) as any).owed(w.bob.address, usd(w).target)) !== 80n * U)
                  throw new Error("funder not owed 40 %");
              },
            },
            why: "the arbiter splits a disputed milestone between the parties",
          },
          bad: [
            {
              kind: "max amount",
              what: "releaseBps above 10,000",
              signer: arbiter,
              before: disputed1,
              args: (w) => [w.ids.deal, 1n, 10_001],
              error: "InvalidReleaseBps",
            },
            {
              kind: "max amount",
              what: "releaseBps = max uint16",
              signer: arbiter,
              before: disputed1,
              args: (w) => [w.ids.deal, 1n, 65_535],
              error: "InvalidReleaseBps",
            },
            {
              kind: "wrong state",
              what: "milestone not disputed",
              signer: arbiter,
              args: (w) => [w.ids.deal, 1n, 5000],
              error: "MilestoneNotDisputed",
            },
            {
              kind: "wrong state",
              what: "released milestone",
              signer: arbiter,
              args: (w) => [w.ids.deal, 0n, 5000],
              error: "MilestoneAlreadySettled",
            },
            {
              kind: "deadline",
              what: "after the arbitration window",
              signer: arbiter,
              before: async (w) => {
                await disputed1(w);
                await time.increase(WINDOW + 1n);
              },
              args: (w) => [w.ids.deal, 1n, 5000],
              error: "ArbitrationClosed",
            },
            {
              kind: "unknown id",
              what: "unknown deal",
              signer: arbiter,
              args: () => [999n, 0n, 5000],
              error: "DealNotFound",
            },
          ],
        },
        cancel: {
          access: { auth: "NotParty", args: (w) => [w.ids.deal] },
          pause: {
            exits: {
              signer: bob,
              before: async (w) => void (await send((escrow(w).connect(w.alice) as any).cancel(w.ids.deal))),
              args: (w) => [w.ids.deal],
              check: async (w) => {
                if ((await (escrow(w) as any).owed(w.bob.address, usd(w).target)) !== 200n * U)
                  throw new Error("funder not owed the locked milestone");
              },
            },
            why: "with both parties' consent the locked money returns to the funder",
          },
          bad: [
            { kind: "unknown id", what: "unknown deal", signer: bob, args: () => [999n], error: "DealNotFound" },
            {
              kind: "wrong state",
              what: "cancelled deal",
              signer: bob,
              args: (w) => [w.ids.cancelledDeal],
              error: "DealIsCancelled",
            },
            {
              kind: "wrong state",
              what: "consent given twice",
              signer: bob,
              before: async (w) => void (await send((escrow(w).connect(w.bob) as any).cancel(w.ids.deal))),
              args: (w) => [w.ids.deal],
              error: "CancelAlreadyConsented",
            },
            {
              kind: "invalid value",
              what: "beneficiary cancels an unfunded deal",
              signer: alice,
              args: (w) => [w.ids.unfundedDeal],
              error: "NotFunder",
            },
          ],
        },
        revokeCancelConsent: {
          access: { auth: "NotParty", args: (w) => [w.ids.deal] },
          pause: { free: "withdrawing a consent moves nothing" },
          bad: [
            {
              kind: "wrong state",
              what: "no consent given",
              signer: bob,
              args: (w) => [w.ids.deal],
              error: "NoCancelConsent",
            },
            { kind: "unknown id", what: "unknown deal", signer: bob, args: () => [999n], error: "DealNotFound" },
          ],
        },
        withdraw: {
          access: { open: "pays the caller what the escrow owes the caller (a stranger is owed nothing)" },
          pause: {
            exits: {
              signer: alice,
              before: async (w) => {
                w.data.aliceUsd = await usd(w).balanceOf(w.alice.address);
              },
              args: (w) => [usd(w).target],
              check: async (w) => {
                if ((await usd(w).balanceOf(w.alice.address)) !== w.data.aliceUsd + 99n * U)
                  throw new Error("beneficiary not paid");
              },
            },
            why: "pull payment of released / refunded money",
          },
          bad: [
            { kind: "zero address", what: "token = 0", signer: bob, args: () => [ZERO], error: "NothingOwed" },
            {
              kind: "invalid value",
              what: "nothing owed",
              signer: bob,
              args: (w) => [usd(w).target],
              error: "NothingOwed",
            },
          ],
        },
        setFeeBps: {
          access: { role: "DEFAULT_ADMIN" },
          pause: { free: "configuration" },
          bad: [
            {
              kind: "max amount",
              what: "fee above 1,000 bps",
              signer: (w) => w.deployer,
              args: () => [1001],
              error: "FeeTooHigh",
              errorArgs: () => [1001n, 1000n],
            },
          ],
        },
        setTreasury: {
          access: { role: "DEFAULT_ADMIN" },
          pause: { free: "configuration" },
          bad: [
            {
              kind: "zero address",
              what: "treasury = 0",
              signer: (w) => w.deployer,
              args: () => [ZERO],
              error: "InvalidTreasury",
              errorArgs: () => [ZERO],
            },
          ],
        },
        ...pauseSpecs(),
      },
    },
  },
};

export default area;
