/**
 * Transactions from the UI: progress reads "Waiting for wallet" → "Pending" → "Confirmed"; a reverted or refused
 * transaction shows the SDK-decoded custom error by name in role="alert". Every call is simulated first, so a
 * transaction (or an approval for it) that would revert is never sent.
 */
import { useCallback, useState } from "react";
import type { TransactionReceipt } from "ethers";
import { refreshLedger } from "./api";
import { useWallet } from "./wallet";
import type { Treelion, ContractTransactionResponse } from "./chain";

export type TxStatus = "idle" | "wallet" | "pending" | "confirmed" | "error";

export const STATUS_TEXT: Record<TxStatus, string> = {
  idle: "",
  wallet: "Waiting for wallet",
  pending: "Pending",
  confirmed: "Confirmed",
  error: "Failed",
};

export interface TxContext {
  t: Treelion;
  account: string;
  /** sends one transaction and waits for it to be mined (status: wallet → pending) */
  send(tx: () => Promise<ContractTransactionResponse>): Promise<TransactionReceipt>;
  /** shows "Waiting for wallet" around a wallet prompt that is not a transaction (e.g. a permit signature) */
  prompt<T>(ask: () => Promise<T>): Promise<T>;
}

export interface TxState {
  status: TxStatus;
  error?: string;
  hash?: string;
  run<T>(fn: (ctx: TxContext) => Promise<T>): Promise<T | undefined>;
  reset(): void;
}

/** The error shown to the user: the custom error's name (with its arguments), else the wallet's or node's words. */
export async function describeError(err: unknown): Promise<string> {
  const { decodeError } = await import("./chain");
  const decoded = decodeError(err);
  if (decoded) {
    const args = decoded.args.map((a) => String(a)).join(", ");
    return `${decoded.name}(${args})`;
  }
  const e = err as {
    code?: number | string;
    info?: { error?: { code?: number } };
    shortMessage?: string;
    message?: string;
  };
  if (e?.code === 4001 || e?.code === "ACTION_REJECTED" || e?.info?.error?.code === 4001)
    return "Rejected in the wallet (4001)";
  return e?.shortMessage ?? e?.message ?? String(err);
}

export function useTx(): TxState {
  const wallet = useWallet();
  const [status, setStatus] = useState<TxStatus>("idle");
  const [error, setError] = useState<string>();
  const [hash, setHash] = useState<string>();

  const run = useCallback(
    async <T,>(fn: (ctx: TxContext) => Promise<T>): Promise<T | undefined> => {
      setError(undefined);
      setHash(undefined);
      if (!wallet.provider || !wallet.account) {
        setStatus("error");
        setError("Connect a wallet first");
        return undefined;
      }
      if (wallet.wrongNetwork) {
        setStatus("error");
        setError("Wrong network: switch the wallet to the app's network first");
        return undefined;
      }
      try {
        const { signingClient } = await import("./chain");
        const t = await signingClient(wallet.provider, wallet.account);
        const ctx: TxContext = {
          t,
          account: wallet.account,
          async send(tx) {
            setStatus("wallet");
            const sent = await tx();
            setHash(sent.hash);
            setStatus("pending");
            const receipt = await sent.wait();
            if (!receipt || receipt.status !== 1) throw new Error(`transaction ${sent.hash} failed`);
            return receipt;
          },
          async prompt(ask) {
            setStatus("wallet");
            return ask();
          },
        };
        const out = await fn(ctx);
        setStatus("confirmed");
        refreshLedger();
        return out;
      } catch (err) {
        setError(await describeError(err));
        setStatus("error");
        return undefined;
      }
    },
    [wallet],
  );

  const reset = useCallback(() => {
    setStatus("idle");
    setError(undefined);
    setHash(undefined);
  }, []);

  return { status, error, hash, run, reset };
}

/** Progress line (role="status") and the error (role="alert"). */
export function TxProgress({ tx }: { tx: TxState }) {
  return (
    <div className="tx">
      <p role="status" aria-live="polite" className={`tx-status tx-${tx.status}`}>
        {tx.status !== "idle" && tx.status !== "error" ? STATUS_TEXT[tx.status] : ""}
        {tx.hash && tx.status !== "wallet" ? <span className="mono"> {tx.hash.slice(0, 10)}…</span> : null}
      </p>
      {tx.error ? (
        <p role="alert" className="error">
          {tx.error}
        </p>
      ) : null}
    </div>
  );
}
