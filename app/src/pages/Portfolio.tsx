import { useId, useState, type FormEvent } from "react";
import { useApi } from "../api";
import { Loadable } from "../components";
import { parseTonnes, tonnesText, units18, usdText, shortAddress } from "../format";
import { holderQuery } from "../queries";
import { Link, navigate } from "../router";
import { TxProgress, useTx } from "../tx";
import { useWallet } from "../wallet";

/** The Retire form of one holding: Tonnes, Beneficiary name, Reason → Retire credits → the certificate page. */
function RetireForm({ batchId, heldKg, onCancel }: { batchId: string; heldKg: string; onCancel(): void }) {
  const id = useId();
  const tx = useTx();
  const [amount, setAmount] = useState("");
  const [name, setName] = useState("");
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const kg = parseTonnes(amount);
    if (typeof kg === "string") return setInvalid(kg);
    if (kg > BigInt(heldKg)) return setInvalid(`You hold ${tonnesText(heldKg)} of batch #${batchId}`);
    if (!name.trim()) return setInvalid("Enter the beneficiary name");
    setInvalid(undefined);
    const certificateId = await tx.run(async ({ t, account, send }) => {
      const receipt = await send(() => t.credit.retire(BigInt(batchId), kg, account, name, reason));
      return t.events(receipt, "Retired")[0].args.certificateId as bigint;
    });
    if (certificateId !== undefined) navigate(`/certificates/${certificateId}`);
  };

  return (
    <form className="panel" onSubmit={submit} aria-label={`Retire credits of batch #${batchId}`}>
      <label htmlFor={`${id}-t`}>Tonnes</label>
      <input id={`${id}-t`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      <label htmlFor={`${id}-n`}>Beneficiary name</label>
      <input id={`${id}-n`} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-r`}>Reason</label>
      <input id={`${id}-r`} value={reason} onChange={(e) => setReason(e.target.value)} />
      {invalid ? (
        <p role="alert" className="error">
          {invalid}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={tx.status === "wallet" || tx.status === "pending"}>
          Retire credits
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <TxProgress tx={tx} />
    </form>
  );
}

function Holdings({ account }: { account: string }) {
  const q = useApi(holderQuery(account));
  const [retiring, setRetiring] = useState<string>();
  return (
    <Loadable q={q} what="your holdings">
      {({ holder }) => (
        <>
          <section aria-labelledby="credits-h">
            <h2 id="credits-h">Credits</h2>
            {holder.credits.length === 0 ? <p>No credits.</p> : null}
            <ul className="rows">
              {holder.credits.map((c) => (
                <li key={c.batchId} className="row">
                  <span>Batch #{c.batchId}</span> <span>{tonnesText(c.amountKg)}</span>{" "}
                  <button
                    type="button"
                    aria-expanded={retiring === c.batchId}
                    onClick={() => setRetiring(retiring === c.batchId ? undefined : c.batchId)}
                  >
                    Retire
                  </button>
                  {retiring === c.batchId ? (
                    <RetireForm batchId={c.batchId} heldKg={c.amountKg} onCancel={() => setRetiring(undefined)} />
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="pool-h">
            <h2 id="pool-h">Pool tokens</h2>
            {holder.poolTokens.length === 0 ? <p>No pool tokens.</p> : null}
            <ul>
              {holder.poolTokens.map((p) => (
                <li key={p.pool}>
                  <span className="mono">{shortAddress(p.pool)}</span>: {units18(p.amount)}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="certs-h">
            <h2 id="certs-h">Certificates</h2>
            <p>
              <Link to={`/retirements/${account}`}>Every retirement for this address</Link>
            </p>
            <ul>
              {holder.certificates.map((c) => (
                <li key={c.id}>
                  <Link to={`/certificates/${c.id}`}>Certificate #{c.id}</Link>: {c.tonnes} t for {c.beneficiaryName}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="bonds-h">
            <h2 id="bonds-h">Bond units</h2>
            {holder.bondUnits.length === 0 ? <p>No bond units.</p> : null}
            <ul>
              {holder.bondUnits.map((b) => (
                <li key={b.bond}>
                  <Link to={`/bonds/${b.bond}`}>{shortAddress(b.bond)}</Link>: {units18(b.amount, 0)} units
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="owed-h">
            <h2 id="owed-h">Escrow money owed</h2>
            {holder.escrowOwed.length === 0 ? <p>Nothing owed.</p> : null}
            <ul>
              {holder.escrowOwed.map((o) => (
                <li key={o.token}>
                  {usdText(o.amount)} <span className="mono">({shortAddress(o.token)})</span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </Loadable>
  );
}

export default function Portfolio() {
  const w = useWallet();
  return (
    <>
      <h1>Portfolio</h1>
      {w.account ? (
        <Holdings account={w.account} />
      ) : (
        <p>Connect a wallet to see your credits, pool tokens, certificates, bond units and escrow money owed.</p>
      )}
    </>
  );
}
