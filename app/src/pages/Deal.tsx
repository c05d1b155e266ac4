import { useId, useState, type FormEvent } from "react";
import { useApi } from "../api";
import { Facts, Loadable } from "../components";
import { dateText, shortAddress, usdText } from "../format";
import { dealQuery, holderQuery, type DealRow, type MilestoneRow } from "../queries";
import { Link } from "../router";
import { TxProgress, useTx } from "../tx";
import { useWallet } from "../wallet";

/** A verifier attests a pending milestone with a piece of evidence (hashed on-chain). */
function AttestForm({ deal, m }: { deal: DealRow; m: MilestoneRow }) {
  const id = useId();
  const tx = useTx();
  const [evidence, setEvidence] = useState("");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await tx.run(async ({ t, send }) => {
      const { keccakText } = await import("../chain");
      const args = [BigInt(deal.id), BigInt(m.index), keccakText(evidence)] as const;
      await t.escrow!.attest.staticCall(...args);
      return send(() => t.escrow!.attest(...args));
    });
  };
  return (
    <form onSubmit={submit} className="inline" aria-label={`Attest milestone ${m.index + 1}`}>
      <label htmlFor={`${id}-e`}>Evidence</label>
      <input id={`${id}-e`} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
      <button type="submit" className="primary" disabled={tx.status === "wallet" || tx.status === "pending"}>
        Attest
      </button>
      <TxProgress tx={tx} />
    </form>
  );
}

/** Pull what the escrow owes the connected account in the deal's token. */
function Withdraw({ deal, account }: { deal: DealRow; account: string }) {
  const tx = useTx();
  const holder = useApi(holderQuery(account));
  const owed = holder.data?.holder.escrowOwed.find((o) => o.token.toLowerCase() === deal.token.toLowerCase());
  return (
    <section aria-labelledby="withdraw-h">
      <h2 id="withdraw-h">Withdraw</h2>
      <p>Owed to you: {usdText(owed?.amount ?? "0")}</p>
      <button
        type="button"
        className="primary"
        disabled={tx.status === "wallet" || tx.status === "pending"}
        onClick={() =>
          void tx.run(async ({ t, send }) => {
            await t.escrow!.withdraw.staticCall(deal.token);
            return send(() => t.escrow!.withdraw(deal.token));
          })
        }
      >
        Withdraw
      </button>
      <TxProgress tx={tx} />
    </section>
  );
}

export default function Deal({ params }: { params: Record<string, string> }) {
  const q = useApi(dealQuery(params.id));
  const w = useWallet();
  return (
    <Loadable q={q} what={`deal #${params.id}`}>
      {({ deal }) =>
        !deal ? (
          <>
            <h1>Deal #{params.id}</h1>
            <p role="alert">No deal #{params.id}.</p>
          </>
        ) : (
          <>
            <h1>Deal #{deal.id}</h1>
            <Facts
              items={[
                ["State", deal.state],
                ["Project", <Link to={`/projects/${deal.projectId}`}>Project {deal.projectId}</Link>],
                ["Funder", <span className="mono">{deal.funder}</span>],
                ["Beneficiary", <span className="mono">{deal.beneficiary}</span>],
                ["Token", <span className="mono">{shortAddress(deal.token)}</span>],
              ]}
            />
            <h2>Milestones</h2>
            <ol className="timeline">
              {deal.milestones.map((m) => (
                <li key={m.index} className={`milestone ms-${m.state.toLowerCase()}`}>
                  <h3>Milestone {m.index + 1}</h3>
                  <p>
                    {usdText(m.amount ?? "0")} · due {dateText(m.deadline ?? 0)} · <strong>{m.state}</strong> ·{" "}
                    {m.attestations} attestations
                  </p>
                  {m.state === "Pending" && w.account ? <AttestForm deal={deal} m={m} /> : null}
                </li>
              ))}
            </ol>
            {w.account ? <Withdraw deal={deal} account={w.account} /> : <p>Connect a wallet to attest or withdraw.</p>}
          </>
        )
      }
    </Loadable>
  );
}
