import { useId, useState, type FormEvent } from "react";
import { useApi } from "../api";
import { BarChart, Facts, Loadable } from "../components";
import { parseTonnes, tonnesText, units18 } from "../format";
import { batchesQuery, holderQuery, poolsQuery, type PoolRow } from "../queries";
import { TxProgress, useTx } from "../tx";
import { useWallet } from "../wallet";

type Direction = "deposit" | "redeem";

/** Deposit credits into the pool (an ERC-1155 transfer to it mints pool tokens) or redeem them back. */
function PoolForm({ pool, direction, batches }: { pool: PoolRow; direction: Direction; batches: string[] }) {
  const id = useId();
  const tx = useTx();
  const [batch, setBatch] = useState(batches[0] ?? "");
  const [amount, setAmount] = useState("");
  const [invalid, setInvalid] = useState<string>();
  const title = direction === "deposit" ? "Deposit credits" : "Redeem credits";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const kg = parseTonnes(amount);
    if (typeof kg === "string") return setInvalid(kg);
    if (!batch) return setInvalid("Choose a batch");
    setInvalid(undefined);
    await tx.run(async ({ t, account, send }) => {
      const batchId = BigInt(batch);
      if (direction === "deposit") {
        const args = [account, pool.address, batchId, kg, "0x"] as const;
        await t.credit.safeTransferFrom.staticCall(...args);
        return send(() => t.credit.safeTransferFrom(...args));
      }
      const p = t.pools[pool.name];
      if (!p) throw new Error(`no deployment record for pool ${pool.name}`);
      await p.redeem.staticCall(batchId, kg);
      return send(() => p.redeem(batchId, kg));
    });
  };

  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{title}</h3>
      <label htmlFor={`${id}-b`}>Batch</label>
      <select id={`${id}-b`} value={batch} onChange={(e) => setBatch(e.target.value)}>
        {batches.length === 0 ? <option value="">none</option> : null}
        {batches.map((b) => (
          <option key={b} value={b}>
            Batch #{b}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-t`}>Tonnes</label>
      <input id={`${id}-t`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      {invalid ? (
        <p role="alert" className="error">
          {invalid}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={tx.status === "wallet" || tx.status === "pending"}>
        {direction === "deposit" ? "Deposit" : "Redeem"}
      </button>
      <TxProgress tx={tx} />
    </form>
  );
}

function Actions({ pool, account }: { pool: PoolRow; account: string }) {
  const holder = useApi(holderQuery(account));
  const mine = holder.data?.holder.credits.map((c) => c.batchId) ?? [];
  const balance = holder.data?.holder.poolTokens.find((p) => p.pool.toLowerCase() === pool.address.toLowerCase());
  return (
    <section aria-labelledby="act-h">
      <h2 id="act-h">Deposit and redeem</h2>
      <p>
        Your balance: {units18(balance?.amount ?? "0")} {pool.symbol}
      </p>
      <div className="grid2">
        <PoolForm key={`d${mine.join()}`} pool={pool} direction="deposit" batches={mine} />
        <PoolForm pool={pool} direction="redeem" batches={pool.batches.map((b) => b.batchId)} />
      </div>
    </section>
  );
}

function Composition({ pool }: { pool: PoolRow }) {
  const q = useApi(batchesQuery(pool.batches.map((b) => b.batchId)));
  const info = q.data ? Object.values(q.data) : [];
  const byKey = new Map<string, number>();
  pool.batches.forEach((b, i) => {
    const batch = info[i] && "vintage" in info[i]! ? info[i] : undefined;
    const key = batch ? `${batch.project.name} · ${batch.vintage}` : `Batch #${b.batchId}`;
    byKey.set(key, (byKey.get(key) ?? 0) + Number(b.amountKg));
  });
  return (
    <BarChart
      title="Composition by project and vintage (t)"
      bars={[...byKey].map(([label, kg]) => ({ label, value: kg / 1000, text: tonnesText(BigInt(kg)) }))}
    />
  );
}

export default function Pool({ params }: { params: Record<string, string> }) {
  const q = useApi(poolsQuery());
  const w = useWallet();
  return (
    <Loadable q={q} what="pools">
      {(d) => {
        const pool = d.pools.find((p) => p.name === params.name || p.symbol === params.name);
        if (!pool)
          return (
            <>
              <h1>Pool {params.name}</h1>
              <p role="alert">No pool named {params.name}.</p>
            </>
          );
        return (
          <>
            <h1>{pool.name}</h1>
            <Facts
              items={[
                ["Symbol", pool.symbol],
                ["Address", <span className="mono">{pool.address}</span>],
                ["Total supply", `${units18(pool.totalSupply)} ${pool.symbol}`],
                ["Credits held", tonnesText(pool.heldKg)],
                ["Batches", pool.batches.length],
              ]}
            />
            <Composition pool={pool} />
            {w.account ? <Actions pool={pool} account={w.account} /> : <p>Connect a wallet to deposit or redeem.</p>}
          </>
        );
      }}
    </Loadable>
  );
}
