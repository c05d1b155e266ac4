/**
 * Bonds: ComplianceRegistry, GreenBondFactory, GreenBondDeployer, and one GreenBond created at run time
 * through the factory (runtime contract "GreenBond").
 *
 * Seeded state: alice may issue bonds (factory ISSUER_ROLE); bob, carol, dave are verified KE investors.
 * `GreenBond`: issuer alice, 100 tUSD per 1e18 units, cap 10,000 / soft cap 1,000 bonds, subscription open
 * for 7 days from setup, 4 semi-annual 5 % coupons (+1 % step-up, KPI deadline in period 3), proceeds to an
 * escrow deal (verifier, threshold 1, arbiter outsider). bob subscribed 10 bonds (below the soft cap).
 * Scenario helpers move it to Refunding (close below the soft cap) or Active (carol adds 1,000 bonds).
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Area, BadCase, World } from "../types";
import { MAX, ZERO, accessControlSpecs, pauseSpecs, text } from "../common";
import { ROLES } from "../../../../config/deploy-utils";
import { DAY, KE, UNIT, standardTerms } from "../../bonds";

const bond = (w: World) => w.contracts.GreenBond as any;
const factory = (w: World) => w.contracts.GreenBondFactory as any;
const compliance = (w: World) => w.contracts.ComplianceRegistry as any;
const usd = (w: World) => w.contracts.TestStablecoin as any;
const alice = (w: World) => w.alice;
const bob = (w: World) => w.bob;
const carol = (w: World) => w.carol;
const dep = (w: World) => w.deployer;

async function send(p: Promise<any>) {
  return (await p).wait();
}

/** The standard test terms (test/helpers/bonds.ts) of alice's bond, from the world's bond clock. */
function terms(w: World, o: Record<string, unknown> = {}) {
  return standardTerms(
    {
      now: w.ids.bondT0,
      paymentToken: usd(w).target,
      issuer: w.alice.address,
      compliance: compliance(w).target,
      escrow: w.contracts.MilestoneEscrow.target as string,
      projectId: w.ids.project,
      verifier: w.verifier.address,
      arbiter: w.outsider.address,
    },
    o,
  );
}

const subEnd = (w: World) => BigInt(terms(w).subscriptionEnd);
/** Moves time to `t` unless it is already there. */
async function at(t: bigint) {
  if (BigInt(await time.latest()) < t) await time.increaseTo(t);
}
async function toEnd(w: World) {
  await at(subEnd(w));
}
/** Subscription closes below the soft cap: refunds open. */
async function refunding(w: World) {
  await toEnd(w);
  await send(bond(w).connect(w.bob).closeSubscription());
}
/** carol adds 1,000 bonds, the subscription closes above the soft cap: the bond is Active. */
async function active(w: World) {
  await send(usd(w).connect(w.carol).approve(bond(w).target, MAX));
  await send(
    bond(w)
      .connect(w.carol)
      .subscribe(1_000n * UNIT),
  );
  await toEnd(w);
  await send(bond(w).connect(w.bob).closeSubscription());
}
/** Active, then coupon periods 1..n funded by the issuer. */
async function coupons(w: World, n: number) {
  await active(w);
  await send(usd(w).connect(w.alice).approve(bond(w).target, MAX));
  for (let p = 1; p <= n; p++) {
    await at(await bond(w).couponDueAt(p));
    await send(bond(w).connect(w.alice).depositCoupon(p));
  }
}
/** All coupons and the principal funded, maturity reached. */
async function matured(w: World) {
  await coupons(w, 4);
  await send(bond(w).connect(w.alice).depositPrincipal());
  await at(await bond(w).maturity());
}
const usdOf = async (w: World, who: string) => (await usd(w).balanceOf(who)) as bigint;
function paid(who: (w: World) => any) {
  return {
    before: async (w: World) => {
      w.data.paidBefore = await usdOf(w, who(w).address);
    },
    check: async (w: World) => {
      if ((await usdOf(w, who(w).address)) <= w.data.paidBefore) throw new Error("nothing was paid out");
    },
  };
}

function createCase(
  kind: BadCase["kind"],
  what: string,
  o: (w: World) => Record<string, unknown>,
  error: string,
  name = "Bond",
  symbol = "BND",
): BadCase {
  return { kind, what, signer: alice, args: (w) => [terms(w, o(w)), name, symbol], error };
}

const area: Area = {
  name: "bonds",
  deployments: ["ComplianceRegistry", "GreenBondFactory", "GreenBondDeployer", "MilestoneEscrow", "TestStablecoin"],

  async setup(w) {
    await send(factory(w).connect(w.deployer).grantRole(ROLES.ISSUER, w.alice.address));
    await send(
      compliance(w).connect(w.deployer).setInvestors([w.bob.address, w.carol.address, w.dave.address], true, KE, 0),
    );
    w.ids.bondT0 = BigInt(await time.latest());
    const t = terms(w);
    w.addr.bond = await factory(w).connect(w.alice).createBond.staticCall(t, "Kasigau SLB", "KSLB");
    await send(factory(w).connect(w.alice).createBond(t, "Kasigau SLB", "KSLB"));
    const b = await ethers.getContractAt("GreenBond", w.addr.bond);
    await send(usd(w).connect(w.bob).approve(w.addr.bond, MAX));
    await send(b.connect(w.bob).subscribe(10n * UNIT));
  },

  runtime: async (w) => [{ name: "GreenBond", artifact: "GreenBond", address: w.addr.bond }],

  specs: {
    ComplianceRegistry: {
      functions: {
        ...accessControlSpecs(),
        setInvestor: {
          access: { role: "COMPLIANCE" },
          bad: [
            {
              kind: "zero address",
              what: "account = 0",
              signer: dep,
              args: () => [ZERO, true, KE, 0n],
              error: "ZeroAddress",
              errorArgs: () => ["account"],
            },
            {
              kind: "invalid value",
              what: "invalid country",
              signer: dep,
              args: (w) => [w.alice.address, true, "0x0000", 0n],
              error: "InvalidCountry",
            },
            {
              kind: "deadline",
              what: "expiry in the past",
              signer: dep,
              args: (w) => [w.alice.address, true, KE, 1n],
              error: "ExpiryInPast",
            },
          ],
        },
        setInvestors: {
          access: { role: "COMPLIANCE" },
          bad: [
            {
              kind: "empty array",
              what: "no accounts",
              signer: dep,
              args: () => [[], true, KE, 0n],
              error: "InvalidBatchSize",
            },
            {
              kind: "oversized array",
              what: "201 accounts",
              signer: dep,
              args: (w) => [Array(201).fill(w.alice.address), true, KE, 0n],
              error: "InvalidBatchSize",
            },
            {
              kind: "zero address",
              what: "an account = 0",
              signer: dep,
              args: (w) => [[w.alice.address, ZERO], true, KE, 0n],
              error: "ZeroAddress",
              errorArgs: () => ["account"],
            },
            {
              kind: "deadline",
              what: "expiry in the past",
              signer: dep,
              args: (w) => [[w.alice.address], true, KE, 1n],
              error: "ExpiryInPast",
            },
          ],
        },
        blockCountry: {
          access: { role: "COMPLIANCE" },
          bad: [
            {
              kind: "invalid value",
              what: "invalid country",
              signer: dep,
              args: () => ["0x6b65", true],
              error: "InvalidCountry",
            },
          ],
        },
      },
    },

    GreenBondFactory: {
      functions: {
        ...accessControlSpecs(),
        createBond: {
          access: { role: "ISSUER" },
          bad: [
            createCase(
              "invalid value",
              "issuer is not the caller",
              (w) => ({ issuer: w.bob.address }),
              "IssuerNotCaller",
            ),
            createCase(
              "invalid value",
              "unapproved escrow",
              (w) => ({ escrow: w.contracts.CreditMarketplace.target }),
              "UnapprovedEscrow",
            ),
            createCase(
              "invalid value",
              "unapproved compliance",
              (w) => ({ compliance: w.contracts.CreditMarketplace.target }),
              "UnapprovedCompliance",
            ),
            createCase("empty string", "empty name", () => ({}), "EmptyNameOrSymbol", "", "BND"),
            createCase(
              "wrong state",
              "project not Active",
              (w) => ({ proceeds: { ...terms(w).proceeds, projectId: w.ids.pendingProject } }),
              "ProjectNotActive",
            ),
            createCase(
              "unknown id",
              "unknown project",
              (w) => ({ proceeds: { ...terms(w).proceeds, projectId: 999n } }),
              "ProjectNotFound",
            ),
            createCase(
              "zero amount",
              "threshold 0",
              (w) => ({ proceeds: { ...terms(w).proceeds, threshold: 0 } }),
              "InvalidThreshold",
            ),
            createCase(
              "oversized array",
              "17 verifiers",
              (w) => ({ proceeds: { ...terms(w).proceeds, verifiers: Array(17).fill(w.verifier.address) } }),
              "InvalidVerifierCount",
            ),
            createCase(
              "zero address",
              "arbiter = 0",
              (w) => ({ proceeds: { ...terms(w).proceeds, arbiter: ZERO } }),
              "ArbiterNotIndependent",
            ),
            createCase(
              "invalid value",
              "verifier without VERIFIER_ROLE",
              (w) => ({ proceeds: { ...terms(w).proceeds, verifiers: [w.carol.address] } }),
              "NotRegistryVerifier",
            ),
            {
              ...createCase("zero address", "payment token = 0", () => ({ paymentToken: ZERO }), "ZeroAddress"),
              errorArgs: () => ["paymentToken"],
            },
            createCase(
              "deadline",
              "reversed subscription window",
              (w) => ({ subscriptionStart: w.ids.bondT0 + DAY, subscriptionEnd: w.ids.bondT0 }),
              "InvalidSubscriptionWindow",
            ),
            createCase("invalid value", "soft cap above cap", () => ({ softCap: 20_000n * UNIT }), "InvalidCaps"),
            createCase("zero amount", "unit price 0", () => ({ unitPrice: 0n }), "ZeroUnitPrice"),
            createCase(
              "overflow",
              "cap × unit price > 2^256",
              () => ({ cap: MAX, unitPrice: MAX }),
              "FaceValueOverflow",
            ),
            createCase("zero amount", "grace period 0", () => ({ gracePeriod: 0n }), "ZeroGracePeriod"),
            createCase(
              "empty array",
              "no milestones",
              (w) => ({ proceeds: { ...terms(w).proceeds, milestones: [] } }),
              "InvalidMilestoneCount",
            ),
            createCase(
              "deadline",
              "milestone due before the subscription ends",
              (w) => ({
                proceeds: {
                  ...terms(w).proceeds,
                  milestones: [{ bps: 10_000, deadline: w.ids.bondT0, description: ethers.ZeroHash }],
                },
              }),
              "MilestoneTooEarly",
            ),
            createCase(
              "invalid value",
              "milestone shares not summing to 100 %",
              (w) => ({
                proceeds: {
                  ...terms(w).proceeds,
                  milestones: [{ bps: 5000, deadline: w.ids.bondT0 + 60n * DAY, description: ethers.ZeroHash }],
                },
              }),
              "MilestoneBpsSum",
            ),
            createCase(
              "oversized string",
              "symbol of 300 bytes is accepted only if non-empty: empty symbol",
              () => ({}),
              "EmptyNameOrSymbol",
              text(300),
              "",
            ),
            createCase(
              "zero amount",
              "escrow dispute window 0",
              (w) => ({ proceeds: { ...terms(w).proceeds, disputeWindow: 0n } }),
              "InvalidDisputeWindow",
            ),
            createCase(
              "max amount",
              "grace period = max uint64",
              () => ({ gracePeriod: 2n ** 64n - 1n }),
              "GracePeriodTooLong",
            ),
            createCase(
              "invalid value",
              "duplicate verifier",
              (w) => ({ proceeds: { ...terms(w).proceeds, verifiers: [w.verifier.address, w.verifier.address] } }),
              "DuplicateVerifier",
            ),
          ],
        },
        setBondRoles: {
          access: { role: "DEFAULT_ADMIN" },
          bad: [
            {
              kind: "zero address",
              what: "agent = 0",
              signer: dep,
              args: (w) => [w.deployer.address, ZERO],
              error: "ZeroAddress",
              errorArgs: () => ["bondAgent"],
            },
          ],
        },
        setBondPauser: {
          access: { role: "DEFAULT_ADMIN" },
          bad: [
            {
              kind: "zero address",
              what: "pauser = 0",
              signer: dep,
              args: () => [ZERO],
              error: "ZeroAddress",
              errorArgs: () => ["bondPauser"],
            },
          ],
        },
      },
    },

    BondTermsLib: {
      // an external library: its only function is a view the bond's constructor delegate-calls
      functions: {},
    },
    BondProceedsLib: {
      // an external library whose entry points take the bond's storage: none is in its ABI
      functions: {},
    },

    GreenBondDeployer: {
      functions: {
        deploy: {
          access: {
            open: "deploys GreenBond bytecode (anyone could); only bonds created by the factory are recognised (isBond)",
          },
          bad: { none: "the terms are validated by the GreenBond constructor: see GreenBondFactory.createBond cases" },
        },
      },
    },

    GreenBond: {
      pauser: (w) => w.deployer,
      functions: {
        ...accessControlSpecs(),
        subscribe: {
          access: { open: "verified investors pay for their own units (a stranger is not verified)" },
          pause: { stops: { signer: bob, args: () => [UNIT] } },
          bad: [
            { kind: "zero amount", what: "0 units", signer: bob, args: () => [0n], error: "ZeroUnits" },
            { kind: "max amount", what: "max uint units", signer: bob, args: () => [MAX], error: "CapExceeded" },
            {
              kind: "invalid value",
              what: "unverified investor",
              signer: alice,
              args: () => [UNIT],
              error: "NotVerified",
            },
            {
              kind: "deadline",
              what: "after the subscription window",
              signer: bob,
              before: toEnd,
              args: () => [UNIT],
              error: "OutsideSubscriptionWindow",
            },
          ],
        },
        closeSubscription: {
          access: { open: "anyone may close the subscription after its window" },
          pause: {
            exits: { signer: (w) => w.dave, before: toEnd, args: () => [] },
            why: "after the window: proceeds to the escrow deal or refunds open (never stuck)",
          },
          bad: [
            {
              kind: "deadline",
              what: "window still open",
              signer: bob,
              args: () => [],
              error: "SubscriptionStillOpen",
            },
            {
              kind: "wrong state",
              what: "already closed",
              signer: bob,
              before: refunding,
              args: () => [],
              error: "WrongStatus",
            },
          ],
        },
        refund: {
          access: { open: "returns the caller's own subscription (a stranger has none)" },
          pause: {
            exits: {
              signer: bob,
              before: async (w) => {
                await refunding(w);
                await paid(bob).before(w);
              },
              args: () => [],
              check: paid(bob).check,
            },
            why: "below the soft cap investors take their money back",
          },
          bad: [
            { kind: "wrong state", what: "not refunding", signer: bob, args: () => [], error: "WrongStatus" },
            {
              kind: "invalid value",
              what: "nothing subscribed",
              signer: carol,
              before: refunding,
              args: () => [],
              error: "NothingToRedeem",
            },
          ],
        },
        depositCoupon: {
          access: { auth: "NotIssuer", args: () => [1n], before: active },
          pause: {
            exits: {
              signer: alice,
              before: async (w) => {
                await active(w);
                await send(usd(w).connect(w.alice).approve(bond(w).target, MAX));
                await at(await bond(w).couponDueAt(1));
              },
              args: () => [1n],
            },
            why: "the issuer funds what holders are owed (an inflow that funds the exits)",
          },
          bad: [
            {
              kind: "unknown id",
              what: "period 0",
              signer: alice,
              before: active,
              args: () => [0n],
              error: "NoSuchCouponPeriod",
            },
            {
              kind: "max amount",
              what: "period = max uint",
              signer: alice,
              before: active,
              args: () => [MAX],
              error: "NoSuchCouponPeriod",
            },
            {
              kind: "invalid value",
              what: "period out of order",
              signer: alice,
              before: active,
              args: () => [2n],
              error: "CouponPeriodOutOfOrder",
            },
            {
              kind: "deadline",
              what: "coupon not due yet",
              signer: alice,
              before: active,
              args: () => [1n],
              error: "CouponNotDue",
            },
            { kind: "wrong state", what: "bond not active", signer: alice, args: () => [1n], error: "WrongStatus" },
          ],
        },
        claimCoupon: {
          access: { open: "pays the caller's own coupons (a stranger is owed none)" },
          pause: {
            exits: {
              signer: carol,
              before: async (w) => {
                await coupons(w, 1);
                await paid(carol).before(w);
              },
              args: () => [],
              check: paid(carol).check,
            },
            why: "holders claim funded coupons",
          },
          bad: [
            { kind: "invalid value", what: "nothing to claim", signer: bob, args: () => [], error: "NothingToClaim" },
          ],
        },
        reportKpi: {
          access: { role: "VERIFIER" },
          pause: { free: "a KPI report moves no money" },
          bad: {
            none: "no bond verifier holds the bond's VERIFIER_ROLE in this world; its deadline and once-only rules are in the unit tests",
          },
        },
        applyStepUp: {
          access: { open: "anyone may apply the step-up after a missed or unreported KPI" },
          pause: { free: "changes the rate of later coupons; moves no money" },
          bad: [
            {
              kind: "deadline",
              what: "before the KPI deadline",
              signer: bob,
              before: active,
              args: () => [],
              error: "KpiDeadlineNotReached",
            },
            { kind: "wrong state", what: "during the subscription", signer: bob, args: () => [], error: "WrongStatus" },
          ],
        },
        depositPrincipal: {
          access: { auth: "NotIssuer", args: () => [], before: active },
          pause: {
            exits: {
              signer: alice,
              before: async (w) => {
                await active(w);
                await send(usd(w).connect(w.alice).approve(bond(w).target, MAX));
              },
              args: () => [],
            },
            why: "the issuer funds the principal holders are owed",
          },
          bad: [
            { kind: "wrong state", what: "bond not active", signer: alice, args: () => [], error: "WrongStatus" },
            {
              kind: "wrong state",
              what: "principal already funded",
              signer: alice,
              before: async (w) => {
                await active(w);
                await send(usd(w).connect(w.alice).approve(bond(w).target, MAX));
                await send(bond(w).connect(w.alice).depositPrincipal());
              },
              args: () => [],
              error: "PrincipalAlreadyFunded",
            },
          ],
        },
        redeem: {
          access: { open: "burns the caller's own units for principal (a stranger holds none)" },
          pause: {
            exits: {
              signer: carol,
              before: async (w) => {
                await matured(w);
                await paid(carol).before(w);
              },
              args: () => [],
              check: paid(carol).check,
            },
            why: "holders redeem at maturity",
          },
          bad: [
            {
              kind: "deadline",
              what: "before maturity",
              signer: carol,
              before: active,
              args: () => [],
              error: "NotMatured",
            },
            { kind: "wrong state", what: "during the subscription", signer: bob, args: () => [], error: "WrongStatus" },
          ],
        },
        declareDefault: {
          access: { open: "anyone may declare a default once a payment is overdue past the grace period" },
          pause: { free: "records the default; holders then claim pro-rata" },
          bad: [
            {
              kind: "wrong state",
              what: "no payment overdue",
              signer: bob,
              before: active,
              args: () => [],
              error: "NoDefault",
            },
          ],
        },
        pullEscrowRefunds: {
          access: { open: "anyone may pull escrow refunds owed to the bond into the bond" },
          pause: { free: "moves money from the escrow into the bond itself (covered by the escrow's withdraw exit)" },
          bad: [
            { kind: "wrong state", what: "during the subscription", signer: bob, args: () => [], error: "WrongStatus" },
            {
              kind: "invalid value",
              what: "nothing owed by the escrow",
              signer: bob,
              before: active,
              args: () => [],
              error: "NothingOwed",
            },
          ],
        },
        withdrawIssuerSurplus: {
          access: { auth: "NotIssuer", args: () => [] },
          pause: {
            free: "issuer surplus (escrow refunds beyond the principal) is an exit; no surplus arises in this world (unit tests cover it)",
          },
          bad: [{ kind: "invalid value", what: "no surplus", signer: alice, args: () => [], error: "NothingToClaim" }],
        },
        freeze: {
          access: { role: "AGENT" },
          pause: { free: "freezing moves nothing" },
          bad: { none: "any account may be frozen or unfrozen (idempotent)" },
        },
        forcedTransfer: {
          access: { role: "AGENT" },
          pause: { free: "agent recovery (lost keys, court orders) by AGENT_ROLE is not paused" },
          bad: [
            {
              kind: "zero amount",
              what: "0 units",
              signer: dep,
              args: (w) => [w.bob.address, w.carol.address, 0n],
              error: "ZeroUnits",
            },
            {
              kind: "invalid value",
              what: "to an unverified account",
              signer: dep,
              args: (w) => [w.bob.address, w.alice.address, 1n],
              error: "NotVerified",
            },
            {
              kind: "max amount",
              what: "more than held",
              signer: dep,
              args: (w) => [w.bob.address, w.carol.address, MAX],
              error: "ERC20InsufficientBalance",
            },
          ],
        },
        transfer: {
          access: { open: "moves the caller's own units" },
          pause: { stops: { signer: carol, before: active, args: (w) => [w.dave.address, UNIT] } },
          bad: [
            {
              kind: "wrong state",
              what: "during the subscription",
              signer: bob,
              args: (w) => [w.carol.address, 1n],
              error: "TransfersLocked",
            },
            {
              kind: "invalid value",
              what: "to an unverified account",
              signer: carol,
              before: active,
              args: (w) => [w.alice.address, 1n],
              error: "NotVerified",
            },
            {
              kind: "zero address",
              what: "to = 0",
              signer: carol,
              before: active,
              args: () => [ZERO, 1n],
              error: "NotVerified",
            },
            {
              kind: "max amount",
              what: "max uint units",
              signer: carol,
              before: active,
              args: (w) => [w.dave.address, MAX],
              error: "ERC20InsufficientBalance",
            },
          ],
        },
        transferFrom: {
          access: {
            auth: "ERC20InsufficientAllowance",
            args: (w) => [w.carol.address, w.dave.address, 1n],
            before: active,
          },
          pause: {
            stops: {
              signer: (w) => w.dave,
              before: async (w) => {
                await active(w);
                await send(bond(w).connect(w.carol).approve(w.dave.address, UNIT));
              },
              args: (w) => [w.carol.address, w.dave.address, UNIT],
            },
          },
          bad: [
            {
              kind: "max amount",
              what: "above the allowance",
              signer: (w) => w.dave,
              before: active,
              args: (w) => [w.carol.address, w.dave.address, MAX],
              error: "ERC20InsufficientAllowance",
            },
          ],
        },
        ...pauseSpecs(),
        approve: {
          access: { open: "sets the caller's own allowance" },
          pause: { free: "an allowance moves nothing" },
          bad: [
            {
              kind: "zero address",
              what: "spender = 0",
              signer: bob,
              args: () => [ZERO, 1n],
              error: "ERC20InvalidSpender",
            },
          ],
        },
      },
    },
  },
};

export default area;
