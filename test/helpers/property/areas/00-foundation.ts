/**
 * Foundation: projects (register, status changes), credit issue / transfer (incl. pushes to the marketplace and
 * the pools) / retire, pause and unpause of every pausable contract, and the clock.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { Cmd, act, actorIx, drawHolding, ix, kgArb, pausable, pick, type PropertyArea } from "../actions";
import { DAY, PAUSABLE, book, cred, eligible, moveCred, type Pausable, type Status } from "../model";

const foundation = [
  fc.tuple(actorIx, fc.constantFrom(0, 6)).map(
    ([o, category]) =>
      new Cmd(`register(owner=actor${o}, category ${category})`, async (m, r) => {
        const ext = `EXT-${m.projects.length + 1}`; // ids continue after the seeded projects
        const input = {
          owner: r.actors[o],
          name: `P${m.projects.length + 1}`,
          category,
          country: "0x4b45",
          standard: "VCS",
          externalId: ext,
          methodology: "",
          metadataURI: "",
        };
        const s = await act(m, r, r.deployer.address, r.registry, "registerProject", [input]);
        expect(s.ok, s.error).to.equal(true);
        m.projects.push({ id: BigInt(m.projects.length + 1), status: 0, nextSerial: 1n, category });
      }),
  ),
  fc.tuple(ix, fc.constantFrom<Status>(1, 2, 3)).map(
    ([p, to]) =>
      new Cmd(`setStatus(project#${p}, ${to})`, async (m, r) => {
        const pr = pick(m.projects, p);
        if (!pr) return;
        const valid =
          (pr.status === 0 && (to === 1 || to === 3)) ||
          (pr.status === 1 && (to === 2 || to === 3)) ||
          (pr.status === 2 && (to === 1 || to === 3));
        const s = await act(m, r, r.verifier.address, r.registry, "setProjectStatus", [pr.id, to]);
        expect(s.ok, `transition ${pr.status}→${to}: ${s.error}`).to.equal(valid);
        if (s.ok) pr.status = to;
      }),
  ),
  fc.tuple(ix, actorIx, fc.integer({ min: 1, max: 20 })).map(
    ([p, to, t]) =>
      new Cmd(`issue(project#${p}, to=actor${to}, ${t} t)`, async (m, r) => {
        const pr = pick(m.projects, p);
        if (!pr) return;
        const params = {
          projectId: pr.id,
          vintage: 2020,
          serialStart: pr.nextSerial,
          serialEnd: pr.nextSerial + BigInt(t) - 1n,
          to: r.actors[to],
          attestation: ethers.id("a"),
        };
        const s = await act(m, r, r.verifier.address, r.credit, "issue", [params]);
        expect(s.ok, s.error).to.equal(pr.status === 1 && !m.paused.credit);
        if (!s.ok) return;
        const id = BigInt(m.batches.length + 1);
        m.batches.push({ id, project: m.projects.indexOf(pr), issued: BigInt(t) * 1000n, retired: 0n });
        pr.nextSerial += BigInt(t);
        moveCred(m, null, r.actors[to], id, BigInt(t) * 1000n);
      }),
  ),
  fc.tuple(actorIx, fc.oneof(actorIx, fc.constantFrom(6, 7, 8)), ix, kgArb, fc.boolean()).map(
    ([f0, t, b, kg0, smart]) =>
      new Cmd(
        `transfer(${smart ? "holder" : `actor${f0}`} → ${t < 6 ? `actor${t}` : t === 6 ? "marketplace" : `pool${t - 7}`}, batch#${b}, ${smart ? "part" : kg0} kg)`,
        async (m, r) => {
          const d = drawHolding(m, r, smart, f0, b, kg0);
          if (!d) return;
          const { batch, kg } = d;
          const from = r.actors[d.a];
          const to = t < 6 ? r.actors[t] : t === 6 ? (r.market.target as string) : (r.pools[t - 7].target as string);
          const s = await act(m, r, from, r.credit, "safeTransferFrom", [from, to, batch.id, kg, "0x"]);
          // pushes to the marketplace are refused (UnsolicitedTransfer): credits are never stranded there;
          // a push to a pool is a deposit for the sender (eligible batch, pool not paused, non-zero amount)
          const pushOk =
            t < 6 || (t > 6 && kg > 0n && !m.paused[`pool${t - 7}` as Pausable] && eligible(m, r, t - 7, batch));
          expect(s.ok, s.error).to.equal(!m.paused.credit && cred(m, from, batch.id) >= kg && pushOk);
          if (!s.ok) return;
          if (t > 6) book(m, r, t - 7, from, batch.id, kg);
          else moveCred(m, from, to, batch.id, kg);
        },
      ),
  ),
  fc.tuple(actorIx, ix, kgArb, actorIx, fc.boolean()).map(
    ([a0, b, kg0, ben, smart]) =>
      new Cmd(
        `retire(${smart ? "holder" : `actor${a0}`}, batch#${b}, ${smart ? "part" : kg0} kg, for actor${ben})`,
        async (m, r) => {
          const d = drawHolding(m, r, smart, a0, b, kg0);
          if (!d) return;
          const { batch, a, kg } = d;
          const s = await act(m, r, r.actors[a], r.credit, "retire", [
            batch.id,
            kg,
            r.actors[ben],
            "Beneficiary",
            "property",
          ]);
          const active = m.projects[batch.project].status === 1;
          expect(s.ok, s.error).to.equal(!m.paused.credit && kg > 0n && cred(m, r.actors[a], batch.id) >= kg && active);
          if (!s.ok) return;
          moveCred(m, r.actors[a], null, batch.id, kg);
          batch.retired += kg;
          m.certificates += 1n;
        },
      ),
  ),
  fc.constantFrom(...PAUSABLE).map(
    (which) =>
      new Cmd(`togglePause(${which})`, async (m, r) => {
        const c = pausable(r, which);
        const on = !m.paused[which];
        const s = await act(m, r, r.deployer.address, c, on ? "pause" : "unpause", []);
        expect(s.ok, s.error).to.equal(true);
        m.paused[which] = on;
      }),
  ),
  fc.nat({ max: PAUSABLE.length - 1 }).map(
    (k) =>
      new Cmd(`unpauseOne(#${k})`, async (m, r) => {
        const which = pick(
          PAUSABLE.filter((x) => m.paused[x]),
          k,
        );
        if (!which) return;
        const s = await act(m, r, r.deployer.address, pausable(r, which), "unpause", []);
        expect(s.ok, s.error).to.equal(true);
        m.paused[which] = false;
      }),
  ),
  fc.integer({ min: 1, max: 40 }).map(
    (d) =>
      new Cmd(`timeJump(${d} days)`, async (m) => {
        m.now += BigInt(d) * DAY;
      }),
  ),
  fc.tuple(ix, fc.nat({ max: 2 }), fc.integer({ min: -3_600, max: 4 * 86_400 })).map(
    ([d, i, off]) =>
      new Cmd(`timeTo(deadline of deal#${d} milestone ${i} ${off >= 0 ? "+" : ""}${off} s)`, async (m) => {
        const ms = pick(m.deals, d)?.ms[i];
        if (ms && ms.deadline + BigInt(off) > m.now) m.now = ms.deadline + BigInt(off);
      }),
  ),
];

/** Index of the pause/unpause command in `foundation` (drawn less often, else the suite stays paused). */
const PAUSE_INDEX = 5; // togglePause; unpauseOne is index 6
/** Index of timeTo(deadline of a deal's milestone) in `foundation`. */
const DEADLINE_INDEX = 8;

const area: PropertyArea = {
  name: "foundation",
  commands: foundation,
  weight: (i, x) =>
    (i === PAUSE_INDEX || i === 0 ? 1 : i === PAUSE_INDEX + 1 ? 2 : 3) *
    (i === DEADLINE_INDEX ? x("escrow") : i === 0 ? x("pools") : 1),
};
export default area;
