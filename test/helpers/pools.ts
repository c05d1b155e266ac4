import { expect } from "chai";
import type { CarbonCredit, CarbonPool } from "../../typechain-types";
import { Category, type CoreSuite, activeProject, coreSuite, deployed, issueBatch, issueParams } from "./suite";

/** Pool-token wei per kg. */
export const TOKEN_PER_KG = 10n ** 15n;
/** Ineligibility enum of ICarbonPool (generated from the compiler output). */
export { Ineligibility } from "../../sdk/generated";

/** Fee in pool-token wei for `kg` at `bps` (exact: kg × 1e15 × bps / 10,000). */
export function feeOf(kg: bigint, bps: bigint): bigint {
  return (kg * TOKEN_PER_KG * bps) / 10_000n;
}

export function tokens(kg: bigint): bigint {
  return kg * TOKEN_PER_KG;
}

export interface PoolSuite extends CoreSuite {
  ncp: CarbonPool;
  tcp: CarbonPool;
  /** projects: forest (Forestry, Verra VCS, alice), mangrove (BlueCarbon, Gold Standard, bob),
   * dac (CarbonRemoval, Puro.earth, carol), solar (RenewableEnergy, alice). */
  projects: { forest: bigint; mangrove: bigint; dac: bigint; solar: bigint };
  /** batches: forest2020 (alice, 100 t), forest2015 (alice, 10 t, too old for NCP), mangrove2021 (bob, 50 t),
   * dac2024 (carol, 20 t), solar2022 (alice, 10 t, category not in any pool). */
  batches: { forest2020: bigint; forest2015: bigint; mangrove2021: bigint; dac2024: bigint; solar2022: bigint };
}

/**
 * Deploys the `pools` tag (+ test tokens) with the real deploy scripts, four projects and five batches; every
 * signer approves both pools on CarbonCredit. Call it inside a file-local fixture.
 */
export async function poolSuite(): Promise<PoolSuite> {
  const s = await coreSuite(["pools", "test-tokens"]);
  const ncp = await deployed<CarbonPool>("NatureCarbonPool");
  const tcp = await deployed<CarbonPool>("TechCarbonPool");
  const forest = await activeProject(s, s.alice.address, { category: Category.Forestry, standard: "Verra VCS" });
  const mangrove = await activeProject(s, s.bob.address, { category: Category.BlueCarbon, standard: "Gold Standard" });
  const dac = await activeProject(s, s.carol.address, { category: Category.CarbonRemoval, standard: "Puro.earth" });
  const solar = await activeProject(s, s.alice.address, { category: Category.RenewableEnergy });
  const a = s.alice.address;
  const forest2020 = await issueBatch(
    s,
    issueParams(forest, a, { vintage: 2020, serialStart: 1001n, serialEnd: 1100n }),
  );
  const forest2015 = await issueBatch(
    s,
    issueParams(forest, a, { vintage: 2015, serialStart: 2001n, serialEnd: 2010n }),
  );
  const mangrove2021 = await issueBatch(s, issueParams(mangrove, s.bob.address, { vintage: 2021, serialEnd: 50n }));
  const dac2024 = await issueBatch(s, issueParams(dac, s.carol.address, { vintage: 2024, serialEnd: 20n }));
  const solar2022 = await issueBatch(s, issueParams(solar, a, { vintage: 2022, serialEnd: 10n }));
  for (const who of s.signers.slice(0, 10)) {
    await (await s.credit.connect(who).setApprovalForAll(await ncp.getAddress(), true)).wait();
    await (await s.credit.connect(who).setApprovalForAll(await tcp.getAddress(), true)).wait();
  }
  return {
    ...s,
    ncp,
    tcp,
    projects: { forest, mangrove, dac, solar },
    batches: { forest2020, forest2015, mangrove2021, dac2024, solar2022 },
  };
}

/** Issues `count` batches of `tonnes` t each for `projectId` to `to` with consecutive serials from `firstSerial`. */
export async function issueMany(
  s: Pick<CoreSuite, "credit" | "verifier">,
  projectId: bigint,
  to: string,
  count: number,
  tonnesEach: bigint,
  firstSerial: bigint,
): Promise<bigint[]> {
  const ids: bigint[] = [];
  let serial = firstSerial;
  for (let i = 0; i < count; i++) {
    ids.push(
      await issueBatch(
        s,
        issueParams(projectId, to, { vintage: 2022, serialStart: serial, serialEnd: serial + tonnesEach - 1n }),
      ),
    );
    serial += tonnesEach;
  }
  return ids;
}

/** The queue in order, walked with `neighbours` from the head (also checks back links and the length). */
export async function queueOrder(pool: CarbonPool): Promise<bigint[]> {
  const [head, tail, length] = await pool.queue();
  const order: bigint[] = [];
  let prev = 0n;
  let id = head;
  while (id !== 0n) {
    const [p, n] = await pool.neighbours(id);
    expect(p, `back link of ${id}`).to.equal(prev);
    order.push(id);
    prev = id;
    id = n;
  }
  expect(prev, "tail").to.equal(tail);
  expect(BigInt(order.length), "length").to.equal(length);
  return order;
}

/**
 * The backing invariant: totalSupply == Σ held kg × 1e15, every queued batch's held amount equals the pool's
 * CarbonCredit balance, and every batch in `knownBatches` not in the queue has zero held and zero balance.
 */
export async function expectBacked(pool: CarbonPool, credit: CarbonCredit, knownBatches: bigint[] = []): Promise<void> {
  const [ids, amounts] = await pool.holdings(0n, 1000n);
  const poolAddr = await pool.getAddress();
  let sum = 0n;
  for (let i = 0; i < ids.length; i++) {
    expect(amounts[i], `held ${ids[i]}`).to.be.greaterThan(0n);
    expect(await credit.balanceOf(poolAddr, ids[i]), `credit balance of ${ids[i]}`).to.equal(amounts[i]);
    sum += amounts[i];
  }
  expect(await pool.totalSupply(), "totalSupply == Σ held × 1e15").to.equal(sum * TOKEN_PER_KG);
  for (const id of knownBatches) {
    if (ids.includes(id)) continue;
    expect(await pool.heldKg(id)).to.equal(0n);
    expect(await credit.balanceOf(poolAddr, id)).to.equal(0n);
  }
}
