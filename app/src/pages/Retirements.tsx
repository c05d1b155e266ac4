import { useApi } from "../api";
import { Loadable } from "../components";
import { dateText, tonnesText } from "../format";
import { retirementsQuery } from "../queries";
import { Link } from "../router";

export default function Retirements({ params }: { params: Record<string, string> }) {
  const q = useApi(retirementsQuery(params.beneficiary));
  return (
    <>
      <h1>Retirements for {params.beneficiary}</h1>
      <Loadable q={q} what="retirements">
        {(d) => {
          const rows = d.retirements.edges.map((e) => e.node);
          const total = rows.reduce((a, r) => a + BigInt(r.amountKg), 0n);
          return (
            <>
              <p className="amount">
                Total retired: <strong>{tonnesText(total)}</strong> in {d.retirements.totalCount} retirements
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Certificate</th>
                    <th scope="col">Tonnes</th>
                    <th scope="col">Beneficiary name</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Batch</th>
                    <th scope="col">Date</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.certificateId}-${r.batchId}`}>
                      <td>
                        <Link to={`/certificates/${r.certificateId}`}>Certificate #{r.certificateId}</Link>
                      </td>
                      <td>{tonnesText(r.amountKg)}</td>
                      <td>{r.beneficiaryName}</td>
                      <td>{r.reason}</td>
                      <td>Batch #{r.batchId}</td>
                      <td>{dateText(r.timestamp)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Loadable>
    </>
  );
}
