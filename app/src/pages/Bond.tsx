import { useId, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useApi } from "../api";
import { Facts, Loadable } from "../components";
import { dateText, formatAmount, shortAddress, units18, usdText } from "../format";
import { bondQuery } from "../queries";
import { TxProgress, useTx } from "../tx";
import { useWallet } from "../wallet";

const UNIT = 10n ** 18n;
const YEAR = 365n * 86_400n;
const STATUS = ["Subscription", "Refunding", "Active", "Defaulted"];

/** The bond's terms and the connected account's position, read from the contract in one batched round trip. */
function useTerms(address: string, account: string | undefined) {
  return useQuery({
    queryKey: ["chain", "bond", address, account ?? ""],
    queryFn: async () => {
      const { readClient } = await import("../chain");
      const b = readClient().bond(address);
      const zero = Promise.resolve(0n);
      // every read starts at once: ethers batches them into one JSON-RPC request
      const reads = {
        name: b.name(),
        symbol: b.symbol(),
        status: b.status(),
        unitPrice: b.unitPrice(),
        cap: b.cap(),
        supply: b.totalSupply(),
        subscriptionStart: b.subscriptionStart(),
        subscriptionEnd: b.subscriptionEnd(),
        maturity: b.maturity(),
        couponPeriod: b.couponPeriod(),
        couponCount: b.couponCount(),
        rate: b.currentRateBps(),
        couponsFunded: b.couponsFunded(),
        balance: account ? b.balanceOf(account) : zero,
        claimable: account ? b.claimable(account) : zero,
        paymentToken: b.paymentToken(),
      };
      const keys = Object.keys(reads) as (keyof typeof reads)[];
      const values = await Promise.all(keys.map((k) => reads[k]));
      const r = Object.fromEntries(keys.map((k, i) => [k, values[i]])) as {
        [K in keyof typeof reads]: Awaited<(typeof reads)[K]>;
      };
      return {
        ...r,
        status: STATUS[Number(r.status)] ?? String(r.status),
        rate: BigInt(r.rate),
        couponsFunded: BigInt(r.couponsFunded),
      };
    },
  });
}

type Terms = NonNullable<ReturnType<typeof useTerms>["data"]>;

/** Subscribe: approve exactly the price when the allowance is short (after simulating everything else). */
function Subscribe({ address, terms }: { address: string; terms: Terms }) {
  const id = useId();
  const tx = useTx();
  const [units, setUnits] = useState("");
  const valid = /^\d+$/.test(units.trim()) && BigInt(units.trim()) > 0n;
  const amount = valid ? BigInt(units.trim()) * UNIT : 0n;
  const price = (amount * terms.unitPrice + UNIT - 1n) / UNIT;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    await tx.run(async ({ t, account, send }) => {
      const bond = t.bond(address);
      const usd = t.usd!;
      const allowance = await usd.allowance(account, address);
      if (allowance < price) {
        // everything but the payment is checked first: a subscription that would revert gets no approval
        try {
          await bond.subscribe.staticCall(amount);
        } catch (err) {
          const { decodeError } = await import("../chain");
          if (decodeError(err)?.name !== "ERC20InsufficientAllowance") throw err;
        }
        await send(() => usd.approve(address, price));
      }
      await bond.subscribe.staticCall(amount);
      return send(() => bond.subscribe(amount));
    });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Subscribe</h3>
      <label htmlFor={`${id}-u`}>Bonds</label>
      <input id={`${id}-u`} inputMode="numeric" value={units} onChange={(e) => setUnits(e.target.value)} />
      <p aria-live="polite">{valid ? `Price ${usdText(price)}` : ""}</p>
      <button type="submit" className="primary" disabled={!valid || tx.status === "wallet" || tx.status === "pending"}>
        Subscribe
      </button>
      <TxProgress tx={tx} />
    </form>
  );
}

/** A one-button bond call (claimCoupon, redeem), simulated before it is sent. */
function Action(props: { label: string; address: string; call: "claimCoupon" | "redeem"; onDone(): void }) {
  const tx = useTx();
  const click = async () => {
    await tx.run(async ({ t, send }) => {
      const fn = t.bond(props.address)[props.call];
      await fn.staticCall();
      return send(() => fn());
    });
    props.onDone();
  };
  return (
    <div className="panel">
      <button
        type="button"
        className="primary"
        disabled={tx.status === "wallet" || tx.status === "pending"}
        onClick={() => void click()}
      >
        {props.label}
      </button>
      <TxProgress tx={tx} />
    </div>
  );
}

export default function Bond({ params }: { params: Record<string, string> }) {
  const address = params.address;
  const w = useWallet();
  const api = useApi(bondQuery(address));
  const terms = useTerms(address, w.account);
  const refresh = () => void terms.refetch();
  return (
    <Loadable q={terms} what={`bond ${address}`}>
      {(t) => {
        const perBondCoupon = (t.unitPrice * t.rate * t.couponPeriod) / (10_000n * YEAR);
        const schedule = Array.from({ length: Number(t.couponCount) }, (_, i) => ({
          n: i + 1,
          due: t.subscriptionEnd + BigInt(i + 1) * t.couponPeriod,
        }));
        return (
          <>
            <h1>
              {t.name} ({t.symbol})
            </h1>
            <Facts
              items={[
                ["Status", t.status],
                ["Address", <span className="mono">{address}</span>],
                ["Price per bond", usdText(t.unitPrice)],
                ["Coupon rate", `${formatAmount(t.rate, 2)} % a year`],
                ["Subscription", `${dateText(String(t.subscriptionStart))} → ${dateText(String(t.subscriptionEnd))}`],
                ["Maturity", dateText(String(t.maturity))],
                ["Sold", `${units18(t.supply, 0)} of ${units18(t.cap, 0)} bonds`],
                ["Holders", api.data?.bond ? api.data.bond.holders.totalCount : "…"],
                ["Payment token", <span className="mono">{shortAddress(t.paymentToken)}</span>],
              ]}
            />
            <h2>Cash-flow schedule (per bond)</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Payment</th>
                  <th scope="col">Due</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Funded</th>
                </tr>
              </thead>
              <tbody>
                {schedule.map((s) => (
                  <tr key={s.n}>
                    <td>Coupon {s.n}</td>
                    <td>{dateText(String(s.due))}</td>
                    <td>{usdText(perBondCoupon)}</td>
                    <td>{BigInt(s.n) <= t.couponsFunded ? "yes" : "no"}</td>
                  </tr>
                ))}
                <tr>
                  <td>Principal</td>
                  <td>{dateText(String(t.maturity))}</td>
                  <td>{usdText(t.unitPrice)}</td>
                  <td>—</td>
                </tr>
              </tbody>
            </table>
            {w.account ? (
              <section aria-labelledby="pos-h">
                <h2 id="pos-h">Your position</h2>
                <p>
                  {units18(t.balance, 0)} bonds · coupon claimable {usdText(t.claimable)}
                </p>
                <div className="grid3">
                  {t.status === "Subscription" ? <Subscribe address={address} terms={t} /> : null}
                  <Action label="Claim coupon" address={address} call="claimCoupon" onDone={refresh} />
                  <Action label="Redeem" address={address} call="redeem" onDone={refresh} />
                </div>
              </section>
            ) : (
              <p>Connect a wallet to subscribe, claim coupons or redeem.</p>
            )}
          </>
        );
      }}
    </Loadable>
  );
}
