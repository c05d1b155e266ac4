/** Shared pieces: the page frame (navigation, wallet), data states, a bar chart, definition lists. */
import type { ReactNode } from "react";
import { Link } from "./router";
import { useWallet } from "./wallet";
import { config, hasConfig } from "./config";
import { shortAddress } from "./format";
import { fitLabel } from "./labels";

export function WalletButton() {
  const w = useWallet();
  if (!w.account)
    return (
      <button type="button" className="primary" onClick={() => void w.connect()} disabled={w.connecting}>
        {w.connecting ? "Connecting…" : "Connect wallet"}
      </button>
    );
  return (
    <span className="account">
      <span className="mono" title={w.account}>
        {shortAddress(w.account)}
      </span>{" "}
      <button type="button" onClick={w.disconnect}>
        Disconnect
      </button>
    </span>
  );
}

/** Shown while the wallet is on another chain: offers the switch (and adding the chain). */
export function WrongNetwork() {
  const w = useWallet();
  if (!w.wrongNetwork) return null;
  return (
    <section className="banner warning" aria-labelledby="wrong-network">
      <h2 id="wrong-network">Wrong network</h2>
      <p>
        Your wallet is on chain {w.chainId}; this app runs on {config.chainName} (chain {config.chainId}).
      </p>
      <button type="button" className="primary" onClick={() => void w.switchNetwork()}>
        Switch to {config.chainName}
      </button>
    </section>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const w = useWallet();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Treelion
        </Link>
        <nav aria-label="Main">
          <Link to="/">Overview</Link>
          <Link to="/projects">Projects</Link>
          <Link to="/market">Market</Link>
          <Link to="/portfolio">Portfolio</Link>
        </nav>
        <WalletButton />
      </header>
      {w.error ? (
        <p role="alert" className="error banner">
          {w.error}
        </p>
      ) : null}
      <WrongNetwork />
      {!hasConfig ? (
        <p role="alert" className="error banner">
          This page has no network config: serve it with `npm run app` (or build it for a network).
        </p>
      ) : null}
      <main id="main">{children}</main>
      <footer>
        Treelion on {config.chainName} · chain {config.chainId}
      </footer>
    </>
  );
}

/** Loading / error / empty handling around a query result. */
export function Loadable<T>({
  q,
  children,
  what,
}: {
  q: { data?: T; error: Error | null; isPending: boolean };
  children: (data: T) => ReactNode;
  what: string;
}) {
  if (q.error)
    return (
      <p role="alert" className="error">
        Could not load {what}: {q.error.message}
      </p>
    );
  if (q.isPending || q.data === undefined) return <p aria-busy="true">Loading {what}…</p>;
  return <>{children(q.data)}</>;
}

export interface Bar {
  label: string;
  value: number;
  text: string;
}

/** Horizontal bar chart (SVG) with the numbers also as a table for screen readers. */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 28;
  const height = bars.length * row + 4;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 600 ${height}`} width="100%" height={height} role="img" aria-label={title}>
        {bars.map((b, i) => (
          <g key={b.label + i} transform={`translate(0 ${i * row + 2})`}>
            <text x="0" y="17" className="chart-label">
              <title>{b.label}</title>
              {fitLabel(b.label)}
            </text>
            <rect x="220" y="4" height="18" width={Math.max(2, (b.value / max) * 280)} className="chart-bar" rx="3" />
            <text x={Math.min(590, 228 + (b.value / max) * 280)} y="18" className="chart-value">
              {b.text}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
