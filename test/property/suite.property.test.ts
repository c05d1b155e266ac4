/**
 * Whole-suite model-based property test (fast-check `fc.commands` + `fc.asyncModelRun`).
 *
 * Random sequences of: register / activate / suspend / reinstate projects, issue, transfer, retire,
 * marketplace list / buy / buyAndRetire / updatePrice / cancel, escrow createDeal / fund / attest /
 * refundExpired / dispute / resolve / cancel / withdraw, pool deposit (pull and push) / redeem / redeemAuto /
 * retireFromPool (by batch and auto) / pool-token transfer on NatureCarbonPool and TechCarbonPool,
 * green bond subscribe / close / refund / transfer / forcedTransfer / freeze / depositCoupon / claimCoupon /
 * reportKpi / applyStepUp / depositPrincipal / redeem / declareDefault / pullEscrowRefunds /
 * withdrawIssuerSurplus on two bonds (bond 0 in subscription when a run starts, bond 1 issued with its first
 * coupon funded; their use-of-proceeds deals live in the same MilestoneEscrow as the random deals),
 * pause / unpause of every pausable contract (credit, market, escrow, both pools, both bonds) and
 * time jumps — across 6 actors, one of which is a hostile contract (ReentrantActor) that fires theft
 * attempts from every ERC-1155 receipt callback. The outsider (actor 4) is not a verified bond investor.
 *
 * The TypeScript model applies the exact effects of every successful step; a failed step must revert with
 * a named custom error and change nothing. After EVERY step one StateProbe eth_call reads the whole state
 * and the test asserts:
 *  - every holder's balance of every batch, every account's tUSD, every escrow claim equals the model
 *    (so an actor who did not act sees no change, except fees to the treasury and money owed to it);
 *  - credit conservation per batch: issued == Σ known holders (actors + marketplace + pools) + retired;
 *  - every pool-token balance (actors, treasury fees) and supply equals the model; pool backing:
 *    totalSupply == Σ kg the pool holds × 1e15; the pool's queue length equals the model's;
 *  - certificate count == model retirements == distinct certificates announced by Retired events;
 *  - escrow solvency: tUSD held by the escrow ≥ totalLiabilities == Σ locked + Σ owed (model);
 *  - bond solvency: each bond's tUSD ≥ reserved() == raised + refund pot + unclaimed coupons + principal pot +
 *    issuer surplus (model); every holder's units and claimable coupons, the supply, status, principal pot,
 *    coupon accumulator and rate equal the model; Σ claimable ≤ coupons funded − claimed;
 *  - the marketplace never holds money; the hostile actor's theft attempts all failed.
 *
 * Each run draws its steps from one of five mixes (balanced, or heavy on market, pools, escrow or bonds) so that states at the
 * end of long chains (a resolved dispute, a redeemed bond) are reached. Some commands also carry a "smart" draw that
 * moves the clock to where the call becomes possible (dispute just after a deadline, refundExpired just after a
 * dispute window) or chains the calls an issuer surplus needs (depositPrincipal → refundExpired on the bond's deal →
 * pullEscrowRefunds → withdrawIssuerSurplus), each call checked on its own. The printed table counts, per contract
 * function, the calls that succeeded and those refused.
 *
 * Runs: PROPERTY_RUNS (default 300) × ≤ PROPERTY_STEPS (default 40) steps. A failure prints fast-check's
 * seed and path; replay with PROPERTY_SEED=<seed> PROPERTY_PATH=<path>. Each run starts from the same
 * EVM snapshot (evm_revert), not a redeploy.
 *
 * Layout (like test/helpers/security/areas/): the model, the actions and the invariant checks are shared helpers in
 * test/helpers/property/ (model.ts, actions.ts, check.ts, world.ts); each area's commands and draw weights live in
 * test/helpers/property/areas/ (foundation, market, pools, escrow, bonds); this file is the whole-suite run.
 */
import fc from "fast-check";
import { network } from "hardhat";
import { table } from "../../scripts/lib/format";
import { tally, type Focus } from "../helpers/property/actions";
import { AREAS } from "../helpers/property/areas";
import type { Real } from "../helpers/property/model";
import { deployWorld, freshModel } from "../helpers/property/world";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const STEPS = Number(process.env.PROPERTY_STEPS ?? 40);
const SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : undefined;
const PATH = process.env.PROPERTY_PATH;

describe("whole-suite model-based property", function () {
  this.timeout(3_600_000);
  let real: Real;
  let snapshot: string;
  let t0: bigint;

  before(async function () {
    ({ real, t0 } = await deployWorld());
    snapshot = await network.provider.send("evm_snapshot", []);
  });

  it(`holds every suite invariant over ${RUNS} random runs of ≤ ${STEPS} steps (6 actors, one hostile contract)`, async function () {
    // Each run draws its steps from one mix: "balanced", or one that stresses an area whose interesting states lie
    // at the end of long chains (market: list → buy; pools: register a tech project → issue → deposit → redeem;
    // escrow: create → fund → deadline → dispute → resolve; bonds: coupons → principal → maturity → redeem).
    // Every command stays possible in every mix.
    const mix = (focus: Focus) => {
      const x = (area: Focus) => (focus === area ? 4 : 1);
      const weighted = AREAS.flatMap((area) =>
        area.commands.map((arbitrary, i) => ({ arbitrary, weight: area.weight(i, x) })),
      );
      return fc.commands([fc.oneof(...weighted)], { maxCommands: STEPS, size: "max" });
    };
    const cmds = fc.oneof(mix("balanced"), mix("market"), mix("pools"), mix("escrow"), mix("bonds"));
    const started = Date.now();
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(cmds, async (c) => {
        await network.provider.send("evm_revert", [snapshot]);
        snapshot = await network.provider.send("evm_snapshot", []);
        real.retiredCerts = new Set();
        await fc.asyncModelRun(() => ({ model: freshModel(real, t0), real }), c);
        steps += [...c].length;
      }),
      { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: true, verbose: 1 },
    );
    const attempts = await real.attacker.attempts();
    console.log(
      table([...tally.entries()].sort().map(([fn, t]) => ({ call: fn, succeeded: t.ok, refused: t.refused })))
        .split("\n")
        .map((l) => "      " + l)
        .join("\n"),
    );
    console.log(
      `      ${RUNS} runs, ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s; hostile callbacks in the last run: ${attempts} theft attempts, 0 succeeded`,
    );
  });
});
