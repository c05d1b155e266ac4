import { useQuery } from "@tanstack/react-query";
import { useApi } from "../api";
import { BarChart, Loadable, Stat } from "../components";
import { tonnesText, usdText, units18 } from "../format";
import { overviewQuery } from "../queries";
import { Link } from "../router";

// Pending and Disputed milestones hold money (MilestoneState in IMilestoneEscrow)
const OPEN_MILESTONE = new Set(["Pending", "Disputed"]);

export default function Overview() {
  const q = useApi(overviewQuery());
  // the buffer is read from the contract once the ledger's numbers are on screen
  const buffered = useQuery({
    queryKey: ["chain", "buffered"],
    queryFn: async () => (await (await import("../chain")).bufferedKg()) ?? null,
    enabled: q.isSuccess,
  });
  return (
    <>
      <h1>Overview</h1>
      <Loadable q={q} what="the ledger">
        {(d) => {
          const inEscrow = d.deals.edges.reduce(
            (sum, { node }) =>
              sum +
              node.milestones
                .filter((m) => OPEN_MILESTONE.has(m.state))
                .reduce((a, m) => a + BigInt(m.amount ?? 0), 0n),
            0n,
          );
          const inBonds = d.bonds
            .filter((b) => b.status === "Active" || b.status === "Subscription")
            .reduce((a, b) => a + BigInt(b.faceValue), 0n);
          const projects = d.projects.edges.map((e) => e.node);
          return (
            <>
              <section aria-label="Totals" className="stats">
                <Stat label="tonnes issued" value={tonnesText(d.supply.issuedKg)} />
                <Stat label="tonnes retired" value={tonnesText(d.supply.retiredKg)} />
                <Stat
                  label="tonnes buffered"
                  value={buffered.data != null ? tonnesText(buffered.data) : buffered.isPending ? "…" : "—"}
                />
                <Stat label="open listings" value={d.listings.totalCount} />
                <Stat label="money in escrow" value={usdText(inEscrow)} />
                <Stat label="money in bonds" value={usdText(inBonds)} />
              </section>
              <div className="grid2">
                <BarChart
                  title="Issued and retired per project (t)"
                  bars={projects.flatMap((p) => [
                    { label: `${p.name} · issued`, value: Number(p.issuedKg) / 1000, text: tonnesText(p.issuedKg) },
                    { label: `${p.name} · retired`, value: Number(p.retiredKg) / 1000, text: tonnesText(p.retiredKg) },
                  ])}
                />
                <BarChart
                  title="Credits held by each pool (t)"
                  bars={d.pools.map((p) => ({
                    label: `${p.name} (${p.symbol})`,
                    value: Number(p.heldKg) / 1000,
                    text: tonnesText(p.heldKg),
                  }))}
                />
              </div>
              <section aria-labelledby="pools-h">
                <h2 id="pools-h">Pools</h2>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Pool</th>
                      <th scope="col">Supply</th>
                      <th scope="col">Credits held</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.pools.map((p) => (
                      <tr key={p.address}>
                        <td>
                          <Link to={`/pools/${encodeURIComponent(p.name)}`}>{p.name}</Link>
                        </td>
                        <td>
                          {units18(p.totalSupply)} {p.symbol}
                        </td>
                        <td>{tonnesText(p.heldKg)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section aria-labelledby="bonds-h">
                <h2 id="bonds-h">Green bonds</h2>
                <ul>
                  {d.bonds.map((b) => (
                    <li key={b.address}>
                      <Link to={`/bonds/${b.address}`}>{b.name}</Link> · {b.status} · {(b.couponRateBps ?? 0) / 100} %
                    </li>
                  ))}
                </ul>
              </section>
              <section aria-labelledby="deals-h">
                <h2 id="deals-h">Escrow deals</h2>
                <ul>
                  {d.deals.edges.map(({ node }) => (
                    <li key={node.id}>
                      <Link to={`/deals/${node.id}`}>Deal #{node.id}</Link> · {node.state} · {node.milestones.length}{" "}
                      {node.milestones.length === 1 ? "milestone" : "milestones"}
                    </li>
                  ))}
                </ul>
              </section>
            </>
          );
        }}
      </Loadable>
    </>
  );
}
