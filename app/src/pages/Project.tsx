import { useQuery } from "@tanstack/react-query";
import { useApi } from "../api";
import { Facts, Loadable } from "../components";
import { tonnesText } from "../format";
import { projectQuery } from "../queries";

export default function Project({ params }: { params: Record<string, string> }) {
  const q = useApi(projectQuery(params.id));
  const ids = q.data?.project?.batches.map((b) => b.id) ?? [];
  const labels = useQuery({
    queryKey: ["chain", "labels", ids],
    queryFn: async () => (await import("../chain")).batchLabels(ids),
    enabled: ids.length > 0,
  });
  return (
    <Loadable q={q} what={`project ${params.id}`}>
      {(d) =>
        !d.project ? (
          <>
            <h1>Project {params.id}</h1>
            <p role="alert">No project with id {params.id}.</p>
          </>
        ) : (
          <>
            <h1>{d.project.name}</h1>
            <Facts
              items={[
                ["Project id", d.project.id],
                ["Status", d.project.status],
                ["Category", d.project.category],
                ["Country", d.project.country],
                ["Standard", d.project.standard],
                ["External id", d.project.externalId],
                ["Issued", tonnesText(d.project.issuedKg)],
                ["Retired", tonnesText(d.project.retiredKg)],
              ]}
            />
            <h2>Batches</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Batch</th>
                  <th scope="col">Vintage</th>
                  <th scope="col">Serial range</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Retired</th>
                  <th scope="col">Labels</th>
                </tr>
              </thead>
              <tbody>
                {d.project.batches.map((b) => (
                  <tr key={b.id}>
                    <td>Batch #{b.id}</td>
                    <td>{b.vintage}</td>
                    <td className="mono">
                      {b.serialStart}–{b.serialEnd}
                    </td>
                    <td>{tonnesText(b.issuedKg)}</td>
                    <td>{tonnesText(b.retiredKg)}</td>
                    <td>
                      {labels.data ? labels.data[b.id]?.join(", ") || "none" : labels.error ? "unavailable" : "…"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
      }
    </Loadable>
  );
}
