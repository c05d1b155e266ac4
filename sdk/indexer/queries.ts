/** Read-side of the ledger: retirements, per-project vintages, supply, and the on-chain cross-check. */
import { Contract, type ContractRunner, type InterfaceAbi } from "ethers";
import type { Ledger } from "./ledger";
import { kgToTonnesString } from "../units";
import { compiledAbi, KIND_ARTIFACT, type ContractKind } from "../abi";

const s = (v: unknown) => (typeof v === "bigint" ? v.toString() : v);
const plainRow = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, s(v)]));

export interface RetirementRow {
  certificate_id: string;
  batch_id: string;
  project_id: string;
  vintage: string;
  account: string;
  via: string;
  beneficiary: string;
  beneficiary_name: string;
  reason: string;
  amount_kg: string;
  tonnes: string;
  block_number: string;
  tx_hash: string;
  timestamp: string;
}

/** Retirements, oldest first; filter by beneficiary address and/or project id. */
export async function retirements(
  ledger: Ledger,
  f: { beneficiary?: string; project?: number | bigint } = {},
): Promise<RetirementRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.beneficiary) {
    where.push("beneficiary = ?");
    params.push(f.beneficiary.toLowerCase());
  }
  if (f.project !== undefined) {
    where.push("project_id = ?");
    params.push(BigInt(f.project));
  }
  const sql = `SELECT certificate_id, batch_id, project_id, vintage, account, via, beneficiary, beneficiary_name, reason, amount_kg, tonnes, block_number, tx_hash, timestamp
    FROM retirements ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY block_number, log_index`;
  return ((await ledger.query(sql, [...params])) as Record<string, unknown>[]).map(
    plainRow,
  ) as unknown as RetirementRow[];
}

export interface VintageRow {
  vintage: number;
  batches: number;
  issued_kg: bigint;
  retired_kg: bigint;
  /** cancelled by reversals (buffer units) */
  cancelled_kg: bigint;
  outstanding_kg: bigint;
  issued_t: string;
  retired_t: string;
  cancelled_t: string;
  outstanding_t: string;
}

/** A project with issued / retired / outstanding per vintage and its status history. */
export async function projectSummary(ledger: Ledger, projectId: number | bigint) {
  const project = (await ledger.query("SELECT * FROM projects WHERE project_id = ?", [BigInt(projectId)]))[0] as
    Record<string, unknown> | undefined;
  if (!project) return undefined;
  const rows = (await ledger.query(
    "SELECT vintage, COUNT(*) AS batches, SUM(issued_kg) AS issued_kg, SUM(retired_kg) AS retired_kg FROM batches WHERE project_id = ? GROUP BY vintage ORDER BY vintage",
    [BigInt(projectId)],
  )) as { vintage: bigint; batches: bigint; issued_kg: bigint; retired_kg: bigint }[];
  const cancelled = new Map(
    (
      (await ledger.query(
        "SELECT b.vintage, SUM(c.amount_kg) AS kg FROM cancellations c JOIN batches b ON b.batch_id = c.batch_id WHERE c.project_id = ? GROUP BY b.vintage",
        [BigInt(projectId)],
      )) as { vintage: bigint; kg: bigint }[]
    ).map((r) => [Number(r.vintage), BigInt(r.kg)]),
  );
  const vintages: VintageRow[] = rows.map((r) => {
    const cancelledKg = cancelled.get(Number(r.vintage)) ?? 0n;
    const outstanding = r.issued_kg - r.retired_kg - cancelledKg;
    return {
      vintage: Number(r.vintage),
      batches: Number(r.batches),
      issued_kg: r.issued_kg,
      retired_kg: r.retired_kg,
      cancelled_kg: cancelledKg,
      outstanding_kg: outstanding,
      issued_t: kgToTonnesString(r.issued_kg),
      retired_t: kgToTonnesString(r.retired_kg),
      cancelled_t: kgToTonnesString(cancelledKg),
      outstanding_t: kgToTonnesString(outstanding),
    };
  });
  const history = (
    (await ledger.query(
      "SELECT block_number, from_status, to_status, tx_hash, timestamp FROM project_status_history WHERE project_id = ? ORDER BY block_number, log_index",
      [BigInt(projectId)],
    )) as Record<string, unknown>[]
  ).map(plainRow);
  const sum = (k: "issued_kg" | "retired_kg" | "cancelled_kg" | "outstanding_kg") =>
    vintages.reduce((a, v) => a + v[k], 0n);
  return {
    project: plainRow(project),
    vintages,
    totals: {
      issued_kg: sum("issued_kg"),
      retired_kg: sum("retired_kg"),
      cancelled_kg: sum("cancelled_kg"),
      outstanding_kg: sum("outstanding_kg"),
    },
    history,
  };
}

/** Credit supply (issued / retired / outstanding), pool tokens, open listings, escrow and bonds. */
export async function supply(ledger: Ledger) {
  const credits = (
    await ledger.query(
      "SELECT COUNT(*) AS batches, COALESCE(SUM(issued_kg),0) AS issued_kg, COALESCE(SUM(retired_kg),0) AS retired_kg FROM batches",
      [],
    )
  )[0] as Record<string, bigint>;
  const byProject = (
    (await ledger.query(
      "SELECT b.project_id, p.name, SUM(b.issued_kg) AS issued_kg, SUM(b.retired_kg) AS retired_kg FROM batches b LEFT JOIN projects p ON p.project_id = b.project_id GROUP BY b.project_id, p.name ORDER BY b.project_id",
      [],
    )) as Record<string, any>[]
  ).map((r) => ({
    project_id: Number(r.project_id),
    name: r.name,
    issued_kg: r.issued_kg as bigint,
    retired_kg: r.retired_kg as bigint,
    outstanding_kg: (r.issued_kg as bigint) - (r.retired_kg as bigint),
  }));
  const sumOf = (rows: Record<string, unknown>[], k: string) => rows.reduce((t, r) => t + BigInt(r[k] as string), 0n);
  const tokenSupply = async (token: string) =>
    sumOf(await ledger.query("SELECT balance FROM token_balances WHERE token = ?", [token]), "balance");
  const pools = [];
  for (const p of await ledger.query<{ address: string; name: string }>(
    "SELECT address, name FROM contracts WHERE kind = 'pool' ORDER BY name",
  )) {
    const [held] = await ledger.query<{ kg: bigint }>(
      "SELECT COALESCE(SUM(balance_kg),0) AS kg FROM credit_balances WHERE account = ?",
      [p.address],
    );
    pools.push({
      name: p.name,
      address: p.address,
      totalSupply: await tokenSupply(p.address),
      heldKg: BigInt(held.kg),
    });
  }
  const [listings] = await ledger.query<Record<string, bigint>>(
    "SELECT COUNT(*) AS open, COALESCE(SUM(remaining_kg),0) AS remaining_kg FROM listings WHERE status = 'open'",
  );
  const escrow = [];
  for (const r of await ledger.query<{ token: string; deals: bigint }>(
    "SELECT token, COUNT(*) AS deals FROM deals GROUP BY token ORDER BY token",
  )) {
    const funded = sumOf(await ledger.query("SELECT funded FROM deals WHERE token = ?", [r.token]), "funded");
    const withdrawn = sumOf(
      await ledger.query("SELECT amount FROM escrow_withdrawals WHERE token = ?", [r.token]),
      "amount",
    );
    escrow.push({ token: r.token, deals: Number(r.deals), funded, withdrawn });
  }
  const bonds = [];
  for (const b of await ledger.query(
    "SELECT address, issuer, coupon_rate_bps, defaulted_period FROM bonds ORDER BY block_number, address",
  ))
    bonds.push({
      address: b.address as string,
      issuer: b.issuer as string,
      unitsOutstanding: await tokenSupply(b.address),
      couponRateBps: b.coupon_rate_bps === null ? null : Number(b.coupon_rate_bps),
      defaulted: b.defaulted_period !== null,
    });
  const cp = await ledger.checkpoint();
  const [cancelled] = await ledger.query<{ kg: bigint }>("SELECT COALESCE(SUM(amount_kg),0) AS kg FROM cancellations");
  return {
    block: cp?.blockNumber ?? null,
    credits: {
      batches: Number(credits.batches),
      issued_kg: credits.issued_kg,
      retired_kg: credits.retired_kg,
      // units leave circulation by retirement and by cancellation (reversals cancel buffer units)
      cancelled_kg: BigInt(cancelled.kg),
      outstanding_kg: credits.issued_kg - credits.retired_kg - BigInt(cancelled.kg),
    },
    byProject,
    pools,
    listings: { open: Number(listings.open), remaining_kg: listings.remaining_kg },
    escrow,
    bonds,
  };
}

export interface VerifyDifference {
  check: string;
  key: string;
  ledger: string;
  chain: string;
}

export interface VerifyResult {
  block: number;
  checks: number;
  differences: VerifyDifference[];
  /** every check that ran and how many times (what was compared), in the order they first ran */
  checked: { check: string; count: number }[];
}

/**
 * Compares the ledger with contract views at the ledger's checkpoint block: batches (issuedKg, retiredKg),
 * every credit balance and Σ balances per batch, project statuses, pool/bond totalSupply and holders,
 * escrow token balances (Σ funded − Σ withdrawn), open listings. Returns every difference.
 */
export async function verify(
  ledger: Ledger,
  runner: ContractRunner,
  abis: Partial<Record<ContractKind, InterfaceAbi>> = {},
): Promise<VerifyResult> {
  const cp = await ledger.checkpoint();
  if (!cp) throw new Error("the ledger is empty: run the indexer first");
  const blockTag = cp.blockNumber;
  const diffs: VerifyDifference[] = [];
  let checks = 0;
  const counts = new Map<string, number>();
  const cmp = (check: string, key: string, l: unknown, c: unknown) => {
    checks++;
    counts.set(check, (counts.get(check) ?? 0) + 1);
    if (String(l) !== String(c)) diffs.push({ check, key, ledger: String(l), chain: String(c) });
  };
  /** `view().field` of each [field, ledger value, chain value] */
  const cmpAll = (view: string, key: string, pairs: [string, unknown, unknown][]) => {
    for (const [field, l, c] of pairs) cmp(`${view}().${field}`, key, l, c);
  };
  const abi = (k: ContractKind) => abis[k] ?? compiledAbi(KIND_ARTIFACT[k]) ?? [];
  const byKind = async (k: ContractKind) =>
    (await ledger.query("SELECT address, name FROM contracts WHERE kind = ? ORDER BY name", [k])) as {
      address: string;
      name: string;
    }[];
  const at = { blockTag };
  const inGroups = async <T>(items: T[], n: number, fn: (x: T) => Promise<void>) => {
    for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(fn));
  };

  for (const r of await byKind("registry")) {
    const reg = new Contract(r.address, abi("registry"), runner);
    const projects = (await ledger.query("SELECT project_id, status FROM projects ORDER BY project_id", [])) as {
      project_id: bigint;
      status: bigint;
    }[];
    cmp("registry.projectCount", r.name, projects.length, await reg.projectCount(at));
    await inGroups(projects, 50, async (p) =>
      cmp("registry.statusOf", `project ${p.project_id}`, p.status, await reg.statusOf(p.project_id, at)),
    );
  }

  for (const r of await byKind("credit")) {
    const credit = new Contract(r.address, abi("credit"), runner);
    const batches = (await ledger.query(
      "SELECT batch_id, project_id, vintage, issued_kg, retired_kg FROM batches ORDER BY batch_id",
      [],
    )) as Record<string, bigint>[];
    cmp("credit.batchCount", r.name, batches.length, await credit.batchCount(at));
    const held = new Map<string, bigint>(
      (
        (await ledger.query("SELECT batch_id, SUM(balance_kg) AS kg FROM credit_balances GROUP BY batch_id", [])) as {
          batch_id: bigint;
          kg: bigint;
        }[]
      ).map((x) => [String(x.batch_id), x.kg]),
    );
    const cancelledByBatch = await kgByBatch(
      ledger,
      "SELECT batch_id, SUM(amount_kg) AS kg FROM cancellations GROUP BY batch_id",
    );
    const labelsByBatch = await kgByBatch(ledger, "SELECT batch_id, labels AS kg FROM batch_labels");
    await inGroups(batches, 50, async (b) => {
      const c = await credit.batch(b.batch_id, at);
      const key = `batch ${b.batch_id}`;
      cmpAll("batch", key, [
        ["projectId", b.project_id, c.projectId],
        ["vintage", b.vintage, c.vintage],
        ["issuedKg", b.issued_kg, c.issuedKg],
        ["retiredKg", b.retired_kg, c.retiredKg],
      ]);
      // units leave circulation by retirement and by cancellation (a reversal): per batch, from the ledger's own
      // tables, Σ holders == issuedKg − retiredKg − cancelledKg (cancellations), and the cancelled kg against the chain
      const cancelled = cancelledByBatch.get(String(b.batch_id)) ?? 0n;
      cmp(
        "ledger Σ balances == issuedKg − retiredKg − cancelledKg",
        key,
        held.get(String(b.batch_id)) ?? 0n,
        BigInt(b.issued_kg) - BigInt(b.retired_kg) - cancelled,
      );
      cmp("credit.cancelledKg", key, cancelled, await credit.cancelledKg(b.batch_id, at));
      cmp("credit.labelsOf", key, labelsByBatch.get(String(b.batch_id)) ?? 0n, await credit.labelsOf(b.batch_id, at));
    });
    const bal = (await ledger.query(
      "SELECT batch_id, account, balance_kg FROM credit_balances ORDER BY batch_id, account",
      [],
    )) as { batch_id: bigint; account: string; balance_kg: bigint }[];
    for (let i = 0; i < bal.length; i += 200) {
      const part = bal.slice(i, i + 200);
      const res: bigint[] = await credit.balanceOfBatch(
        part.map((x) => x.account),
        part.map((x) => x.batch_id),
        at,
      );
      part.forEach((x, j) => cmp("credit.balanceOf", `${x.account} batch ${x.batch_id}`, x.balance_kg, res[j]));
    }
    const certs = (await ledger.query(
      "SELECT certificate_id, amount_kg FROM certificates ORDER BY certificate_id",
      [],
    )) as {
      certificate_id: bigint;
      amount_kg: bigint;
    }[];
    const certAddr = (
      (await ledger.query("SELECT address FROM contracts WHERE kind = 'certificate'", []))[0] as
        { address: string } | undefined
    )?.address;
    if (certAddr) {
      const cert = new Contract(certAddr, abi("certificate"), runner);
      cmp("certificate.totalCertificates", "certificates", certs.length, await cert.totalCertificates(at));
      await inGroups(certs, 50, async (c) =>
        cmp(
          "certificate().amountKg",
          `certificate ${c.certificate_id}`,
          c.amount_kg,
          (await cert.certificate(c.certificate_id, at)).amountKg,
        ),
      );
    }
  }

  const erc20 = ["function totalSupply() view returns (uint256)", "function balanceOf(address) view returns (uint256)"];
  const tokenChecks = async (kind: string, token: string, name: string) => {
    const t = new Contract(token, erc20, runner);
    const rows = (await ledger.query("SELECT account, balance FROM token_balances WHERE token = ? ORDER BY account", [
      token,
    ])) as { account: string; balance: string }[];
    cmp(
      `${kind}.totalSupply`,
      name,
      rows.reduce((a, r) => a + BigInt(r.balance), 0n),
      await t.totalSupply(at),
    );
    await inGroups(rows, 50, async (r) =>
      cmp(`${kind}.balanceOf`, `${name} ${r.account}`, r.balance, await t.balanceOf(r.account, at)),
    );
  };
  for (const p of await byKind("pool")) await tokenChecks("pool", p.address, p.name);
  for (const b of (await ledger.query("SELECT address FROM bonds ORDER BY block_number, address", [])) as {
    address: string;
  }[])
    await tokenChecks("bond", b.address, `bond ${b.address}`);

  for (const e of await byKind("escrow")) {
    for (const s of (await supply(ledger)).escrow) {
      const t = new Contract(s.token, erc20, runner);
      cmp(
        "escrow token balance == Σ funded − Σ withdrawn",
        `${e.name} ${s.token}`,
        s.funded - s.withdrawn,
        await t.balanceOf(e.address, at),
      );
    }
  }
  for (const e of await byKind("escrow")) {
    const esc = new Contract(e.address, abi("escrow"), runner);
    const rows = (await ledger.query(
      "SELECT account, token, owed FROM escrow_owed WHERE escrow = ? ORDER BY account, token",
      [e.address],
    )) as { account: string; token: string; owed: string }[];
    await inGroups(rows, 50, async (r) =>
      cmp("escrow.owed", `${r.account} ${r.token}`, r.owed, await esc.owed(r.account, r.token, at)),
    );
  }
  for (const m of await byKind("market")) {
    const mk = new Contract(m.address, abi("market"), runner);
    const listings = (await ledger.query(
      "SELECT listing_id, seller, batch_id, remaining_kg, price_per_tonne FROM listings ORDER BY listing_id",
      [],
    )) as Record<string, any>[];
    await inGroups(listings, 50, async (l) => {
      const c = await mk.listing(l.listing_id, at);
      cmp("listing().remainingKg", `listing ${l.listing_id}`, l.remaining_kg, c.remainingKg);
      cmp("listing().pricePerTonne", `listing ${l.listing_id}`, l.price_per_tonne, c.pricePerTonne);
    });
    const open = (await ledger.query(
      "SELECT batch_id, SUM(remaining_kg) AS kg FROM listings WHERE status = 'open' GROUP BY batch_id ORDER BY batch_id",
      [],
    )) as { batch_id: bigint; kg: bigint }[];
    const credit = (await byKind("credit"))[0];
    if (!credit) continue;
    const c = new Contract(credit.address, abi("credit"), runner);
    // the marketplace escrows exactly the remaining amounts of open listings
    await inGroups(open, 50, async (o) =>
      cmp(
        "marketplace credits == Σ open listings",
        `${m.name} batch ${o.batch_id}`,
        o.kg,
        await c.balanceOf(m.address, o.batch_id, at),
      ),
    );
  }

  for (const bp of await byKind("buffer")) {
    const buf = new Contract(bp.address, abi("buffer"), runner);
    const [tot] = await ledger.query<Record<string, bigint>>(
      "SELECT COALESCE(SUM(balance_kg),0) AS total, COALESCE(SUM(CASE WHEN pooled = 1 THEN balance_kg ELSE 0 END),0) AS pooled FROM buffer_holdings",
    );
    cmp("buffer.totalBufferKg", bp.name, tot.total, await buf.totalBufferKg(at));
    cmp("buffer.pooledBufferKg", bp.name, tot.pooled, await buf.pooledBufferKg(at));
    // per batch: what the buffer holds (own withheld units, pooled compensation units)
    const holdings = (await ledger.query(
      "SELECT batch_id, SUM(CASE WHEN pooled = 0 THEN balance_kg ELSE 0 END) AS own, SUM(CASE WHEN pooled = 1 THEN balance_kg ELSE 0 END) AS pooled, SUM(balance_kg) AS kg FROM buffer_holdings GROUP BY batch_id ORDER BY batch_id",
    )) as Record<string, bigint>[];
    const bufferCredits = await kgByBatch(
      ledger,
      "SELECT batch_id, balance_kg AS kg FROM credit_balances WHERE account = ?",
      [bp.address],
    );
    await inGroups(holdings, 50, async (h) => {
      const key = `batch ${h.batch_id}`;
      const [own, pooled] = await buf.heldKg(h.batch_id, at);
      cmp("buffer.heldKg own", key, h.own, own);
      cmp("buffer.heldKg pooled", key, h.pooled, pooled);
      // the buffer's holdings are exactly its credit balance (the ledger's two projections agree)
      cmp("ledger buffer holdings == buffer's credit balance", key, h.kg, bufferCredits.get(String(h.batch_id)) ?? 0n);
    });
    const projects = (await ledger.query(
      "SELECT project_id, SUM(CASE WHEN pooled = 0 THEN balance_kg ELSE 0 END) AS own FROM buffer_holdings WHERE pooled = 0 GROUP BY project_id ORDER BY project_id",
    )) as Record<string, bigint>[];
    await inGroups(projects, 50, async (p) =>
      cmp("buffer.bufferOf", `project ${p.project_id}`, p.own, await buf.bufferOf(p.project_id, at)),
    );
    const reversals = (await ledger.query("SELECT * FROM reversals ORDER BY reversal_id")) as Record<string, any>[];
    cmp("buffer.reversalCount", bp.name, reversals.length, await buf.reversalCount(at));
    await inGroups(reversals, 50, async (r) => {
      const c = await buf.reversal(r.reversal_id, at);
      const key = `reversal ${r.reversal_id}`;
      cmpAll("reversal", key, [
        ["projectId", r.project_id, c.projectId],
        ["amountKg", r.amount_kg, c.amountKg],
        ["cancelledKg", r.cancelled_kg, c.cancelledKg],
        ["uncoveredKg", r.uncovered_kg, c.uncoveredKg],
        ["owedKg", r.owed_kg, c.owedKg],
        ["avoidable", Number(r.avoidable) === 1, c.avoidable],
      ]);
    });
    const owing = (await ledger.query(
      "SELECT project_id, SUM(owed_kg) AS owed FROM reversals GROUP BY project_id ORDER BY project_id",
    )) as Record<string, bigint>[];
    await inGroups(owing, 50, async (o) =>
      cmp("buffer.owedBy", `project ${o.project_id}`, o.owed, (await buf.owedBy(o.project_id, at)).owedKg),
    );
  }

  for (const tl of await byKind("timelock")) {
    const timelock = new Contract(tl.address, abi("timelock"), runner);
    const ops = (await ledger.query(
      "SELECT operation_id, status, ready_at FROM gov_operations WHERE timelock = ? ORDER BY scheduled_block, scheduled_log",
      [tl.address],
    )) as { operation_id: string; status: string; ready_at: bigint }[];
    // getTimestamp: the ready time of a pending operation, 1 once done, 0 once cancelled (the timelock forgets it)
    const DONE = 1n;
    await inGroups(ops, 50, async (o) => {
      const expected = o.status === "done" ? DONE : o.status === "cancelled" ? 0n : BigInt(o.ready_at);
      cmp(
        `timelock.getTimestamp (${o.status})`,
        `operation ${o.operation_id}`,
        expected,
        await timelock.getTimestamp(o.operation_id, at),
      );
      if (o.status === "pending")
        cmp(
          "timelock.isOperationPending",
          `operation ${o.operation_id}`,
          true,
          await timelock.isOperationPending(o.operation_id, at),
        );
    });
  }
  return {
    block: blockTag,
    checks,
    differences: diffs,
    checked: [...counts].map(([check, count]) => ({ check, count })),
  };
}

/** `batch_id → kg` of a query that selects `batch_id` and `kg`. */
async function kgByBatch(ledger: Ledger, text: string, params: unknown[] = []): Promise<Map<string, bigint>> {
  const rows = (await ledger.query(text, params)) as { batch_id: bigint; kg: bigint }[];
  return new Map(rows.map((r) => [String(r.batch_id), BigInt(r.kg)]));
}
