/**
 * The invariants checked after every step: one StateProbe eth_call reads the whole suite's state and every value is
 * compared with the model (see the list in test/property/suite.property.test.ts).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Contract } from "ethers";
import { BOND_VIEWS, TOKEN_PER_KG, bondClaimable, cred, get, low, type Model, type Real } from "./model";

/** Encoded StateProbe calldata of checkAll, by number of batches. */
const probeCache = new Map<number, string>();
/** Views (of the probed ones) whose result is a single 32-byte word. */
const ONE_WORD = new Set([
  "balanceOf",
  "owed",
  "totalSupply",
  "totalCertificates",
  "totalLiabilities",
  "successes",
  "attempts",
  "claimable",
  "reserved",
  "status",
  "principalPot",
  "couponPerUnit",
  "currentRateBps",
]);

/** expect(actual).to.equal(expected) with a lazily built message (checkAll makes hundreds of these per step). */
function eq<T>(actual: T, expected: T, what: () => string) {
  if (actual !== expected) expect(actual, what()).to.equal(expected);
}

export async function checkAll(m: Model, r: Real) {
  const creditHolders = [...r.actors, r.market.target as string, ...r.pools.map((p) => p.target as string)];
  const tokenHolders = [...r.actors, r.treasury.address];
  const bondAddrs = r.bonds.map((x) => x.c.target as string);
  const usdHolders = [
    ...r.actors,
    r.treasury.address,
    r.market.target as string,
    r.escrow.target as string,
    ...bondAddrs,
    r.issuer.address,
  ];
  const batchIds = m.batches.map((b) => b.id);
  const accounts = creditHolders.flatMap((h) => batchIds.map(() => h));
  const ids = creditHolders.flatMap(() => batchIds);
  // the probe's calldata depends only on the number of batches (ids are 1..n, every address is fixed): built once
  let probeData = probeCache.get(batchIds.length);
  if (!probeData) {
    const calls: { target: string; data: string }[] = [];
    const push = (c: Contract | any, fn: string, args: unknown[]) =>
      calls.push({ target: c.target as string, data: c.interface.encodeFunctionData(fn, args) });
    push(r.credit, "balanceOfBatch", [accounts, ids]);
    for (const id of batchIds) push(r.credit, "batch", [id]);
    for (const h of usdHolders) push(r.usd, "balanceOf", [h]);
    for (const h of usdHolders) push(r.escrow, "owed", [h, r.usd.target]);
    for (const p of r.pools) {
      for (const h of tokenHolders) push(p, "balanceOf", [h]);
      push(p, "totalSupply", []);
      push(p, "queue", []);
    }
    push(r.certificate, "totalCertificates", []);
    push(r.escrow, "totalLiabilities", [r.usd.target]);
    push(r.attacker, "successes", []);
    push(r.attacker, "attempts", []);
    for (const { c } of r.bonds) {
      for (const h of r.actors) push(c, "balanceOf", [h]);
      for (const h of r.actors) push(c, "claimable", [h]);
      for (const fn of BOND_VIEWS) push(c, fn, []);
    }
    probeData = r.probe.interface.encodeFunctionData("probe", [calls]);
    probeCache.set(batchIds.length, probeData);
  }
  const raw = await ethers.provider.call({ to: r.probe.target as string, data: probeData });
  const [ok, res] = r.probe.interface.decodeFunctionResult("probe", raw) as unknown as [boolean[], string[]];
  ok.forEach((x, k) => eq(x, true, () => `probe call ${k}`));
  let i = 0;
  // views returning one 32-byte word are read directly; the rest goes through the ABI decoder
  const dec = (c: any, fn: string) =>
    ONE_WORD.has(fn) ? [BigInt(res[i++].slice(0, 66))] : c.interface.decodeFunctionResult(fn, res[i++]);
  // balanceOfBatch returns uint256[]: offset word, length word, then one word per element
  const arr = res[i++];
  const balances = Array.from({ length: accounts.length }, (_, k) =>
    BigInt("0x" + arr.slice(130 + 64 * k, 194 + 64 * k)),
  );
  expect(BigInt("0x" + arr.slice(66, 130)), "balanceOfBatch length").to.equal(BigInt(accounts.length));
  const named: Record<string, string> = { [low(r.issuer.address)]: "the issuer" };
  bondAddrs.forEach((a, k) => (named[low(a)] = `bond${k}`));
  const where = (h: string) => (r.actors.indexOf(h) >= 0 ? `actor${r.actors.indexOf(h)}` : (named[low(h)] ?? h));
  balances.forEach((b, k) =>
    eq(b, cred(m, accounts[k], ids[k]), () => `credits of ${where(accounts[k])} in batch ${ids[k]}`),
  );
  for (const b of m.batches) {
    const onChain = dec(r.credit, "batch")[0];
    expect(onChain.issuedKg, `issued of batch ${b.id}`).to.equal(b.issued);
    expect(onChain.retiredKg, `retired of batch ${b.id}`).to.equal(b.retired);
    // conservation: issued = Σ known holders + retired (nothing escaped to an unknown address)
    const held = balances.filter((_, k) => ids[k] === b.id).reduce((s, v) => s + v, 0n);
    expect(held + onChain.retiredKg, `conservation of batch ${b.id}`).to.equal(onChain.issuedKg);
  }
  for (const h of usdHolders) eq(dec(r.usd, "balanceOf")[0], get(m.usd, h), () => `tUSD of ${where(h)}`);
  for (const h of usdHolders) eq(dec(r.escrow, "owed")[0], get(m.owed, h), () => `escrow owes ${where(h)}`);
  r.pools.forEach((pool, p) => {
    for (const h of tokenHolders)
      eq(dec(pool, "balanceOf")[0], get(m.pools[p].tokens, h), () => `pool${p} tokens of ${where(h)}`);
    const supply = dec(pool, "totalSupply")[0];
    expect(supply, `pool${p} supply`).to.equal(m.pools[p].supply);
    // backing: every pool token is 1e-15 of a kg the pool holds
    const held = balances.filter((_, k) => low(accounts[k]) === low(pool.target as string)).reduce((s, v) => s + v, 0n);
    expect(supply, `pool${p} backing`).to.equal(held * TOKEN_PER_KG);
    expect(dec(pool, "queue")[2], `pool${p} queue length`).to.equal(BigInt(m.pools[p].queue.length));
  });
  const certs = dec(r.certificate, "totalCertificates")[0];
  expect(certs, "certificates").to.equal(m.certificates);
  expect(certs, "certificates = Retired events").to.equal(BigInt(r.retiredCerts.size));
  const liabilities = dec(r.escrow, "totalLiabilities")[0];
  expect(liabilities, "escrow liabilities").to.equal(m.liabilities);
  const locked = m.deals
    .flatMap((d) => (d.status === "funded" ? d.ms.filter((x) => x.state === "pending" || x.state === "disputed") : []))
    .reduce((s, x) => s + x.amount, 0n);
  const owed = [...m.owed.values()].reduce((s, v) => s + v, 0n);
  expect(liabilities, "liabilities = locked + owed").to.equal(locked + owed);
  expect(get(m.usd, r.escrow.target as string) >= liabilities, "escrow solvency").to.equal(true);
  expect(get(m.usd, r.market.target as string), "the marketplace never holds money").to.equal(0n);
  expect(dec(r.attacker, "successes")[0], "hostile actor's theft attempts").to.equal(0n);
  dec(r.attacker, "attempts");
  // bond: units, claimable coupons, pots and status equal the model; solvency: tUSD held ≥ reserved
  r.bonds.forEach(({ c }, k) => {
    const b = m.bonds[k];
    const bk = `bond${k}`;
    for (const h of r.actors) eq(dec(c, "balanceOf")[0], get(b.units, h), () => `${bk} units of ${where(h)}`);
    let claimable = 0n;
    for (const h of r.actors) {
      const due = dec(c, "claimable")[0];
      eq(due, bondClaimable(b, h), () => `${bk} coupons claimable by ${where(h)}`);
      claimable += due;
    }
    const [supply, reserved, status, pot, perUnit, rate] = BOND_VIEWS.map((fn) => dec(c, fn)[0]);
    expect(supply, `${bk} supply`).to.equal(b.supply);
    expect(reserved, `${bk} reserved`).to.equal(
      b.raised + b.refundPot + b.fundedTotal - b.claimedTotal + b.pot + b.surplus,
    );
    expect(Number(status), `${bk} status`).to.equal(b.status);
    expect(pot, `${bk} principal pot`).to.equal(b.pot);
    expect(perUnit, `${bk} coupon accumulator`).to.equal(b.perUnit);
    expect(rate, `${bk} coupon rate`).to.equal(b.rateBps);
    // solvency: the bond holds at least what it owes its holders and the issuer
    expect(get(m.usd, c.target as string) >= reserved, `${bk} solvency: tUSD held ≥ reserved`).to.equal(true);
    expect(claimable <= b.fundedTotal - b.claimedTotal, `${bk}: Σ claimable ≤ coupons funded − claimed`).to.equal(true);
  });
}
