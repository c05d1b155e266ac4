import { useEffect, useId, useState, type FormEvent } from "react";
import { useApi } from "../api";
import { Loadable } from "../components";
import { parseTonnes, shortAddress, tonnesText, usdText } from "../format";
import { listingsQuery, type ListingRow } from "../queries";
import { Link } from "../router";
import { TxProgress, useTx } from "../tx";
import { useWallet } from "../wallet";

/** The fee-inclusive total of `kg` from the contract's own quote (read before anything is sent). */
function useQuote(listingId: string, kg: bigint | undefined) {
  const [quote, setQuote] = useState<{ total: bigint; fee: bigint } | { error: string }>();
  useEffect(() => {
    setQuote(undefined);
    if (kg === undefined) return;
    let live = true;
    void (async () => {
      const { readClient } = await import("../chain");
      const { describeError } = await import("../tx");
      try {
        const [total, fee] = await readClient().market!.quote(BigInt(listingId), kg);
        if (live) setQuote({ total, fee });
      } catch (err) {
        if (live) setQuote({ error: await describeError(err) });
      }
    })();
    return () => {
      live = false;
    };
  }, [listingId, kg]);
  return quote;
}

function BuyForm({ listing }: { listing: ListingRow }) {
  const id = useId();
  const tx = useTx();
  const [amount, setAmount] = useState("");
  const [retire, setRetire] = useState(false);
  const [name, setName] = useState("");
  const [reason, setReason] = useState("");
  const parsed = parseTonnes(amount);
  const kg = typeof parsed === "bigint" ? parsed : undefined;
  const quote = useQuote(listing.id, kg);
  const [certificate, setCertificate] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (kg === undefined || !quote || "error" in quote) return;
    // the shown total is the most the buyer pays: a price raised meanwhile is refused (PriceExceedsMax)
    const maxTotal = quote.total;
    const out = await tx.run(async ({ t, account, send, prompt }) => {
      const market = t.market!;
      const marketAddr = await market.getAddress();
      const permit = await prompt(async () => {
        const { permitFor } = await import("../chain");
        return permitFor(t, listing.paymentToken, marketAddr, maxTotal);
      });
      const listingId = BigInt(listing.id);
      if (retire) {
        const args = [listingId, kg, maxTotal, account, name, reason, permit] as const;
        await market.buyAndRetireWithPermit.staticCall(...args);
        const receipt = await send(() => market.buyAndRetireWithPermit(...args));
        return String(t.events(receipt, "Retired")[0].args.certificateId);
      }
      const args = [listingId, kg, maxTotal, permit.deadline, permit.v, permit.r, permit.s] as const;
      await market.buyWithPermit.staticCall(...args);
      await send(() => market.buyWithPermit(...args));
      return "";
    });
    if (out) setCertificate(out);
  };

  return (
    <form className="panel" onSubmit={submit} aria-label={`Buy from listing #${listing.id}`}>
      <label htmlFor={`${id}-t`}>Tonnes</label>
      <input id={`${id}-t`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      <div className="check">
        <input id={`${id}-r`} type="checkbox" checked={retire} onChange={(e) => setRetire(e.target.checked)} />
        <label htmlFor={`${id}-r`}>Retire on purchase</label>
      </div>
      {retire ? (
        <>
          <label htmlFor={`${id}-n`}>Beneficiary name</label>
          <input id={`${id}-n`} value={name} onChange={(e) => setName(e.target.value)} />
          <label htmlFor={`${id}-why`}>Reason</label>
          <input id={`${id}-why`} value={reason} onChange={(e) => setReason(e.target.value)} />
        </>
      ) : null}
      <p className="total" aria-live="polite" data-testid="total">
        {amount && typeof parsed === "string" ? parsed : null}
        {quote && "error" in quote ? quote.error : null}
        {quote && !("error" in quote) ? (
          <>
            Total {usdText(quote.total)} (incl. fee {usdText(quote.fee)})
          </>
        ) : null}
      </p>
      <button
        type="submit"
        className="primary"
        disabled={!quote || "error" in quote || tx.status === "wallet" || tx.status === "pending"}
      >
        {retire ? "Buy and retire" : "Buy credits"}
      </button>
      <TxProgress tx={tx} />
      {certificate ? (
        <p>
          <Link to={`/certificates/${certificate}`}>Retirement certificate #{certificate}</Link>
        </p>
      ) : null}
    </form>
  );
}

export default function Market() {
  const q = useApi(listingsQuery());
  const w = useWallet();
  const [buying, setBuying] = useState<string>();
  return (
    <>
      <h1>Market</h1>
      {!w.account ? <p>Connect a wallet to buy.</p> : null}
      <Loadable q={q} what="listings">
        {(d) => (
          <ul className="rows">
            {d.listings.edges.length === 0 ? <li>No open listings.</li> : null}
            {d.listings.edges.map(({ node: l }) => (
              <li key={l.id} className="row">
                <span>Listing #{l.id}</span> <span>Batch #{l.batchId}</span>{" "}
                <span>{tonnesText(l.remainingKg)} left</span> <span>{usdText(l.pricePerTonne)} per t</span>{" "}
                <span className="mono">seller {shortAddress(l.seller)}</span>{" "}
                <button
                  type="button"
                  aria-expanded={buying === l.id}
                  onClick={() => setBuying(buying === l.id ? undefined : l.id)}
                >
                  Buy
                </button>
                {buying === l.id ? <BuyForm listing={l} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Loadable>
    </>
  );
}
