import { useApi } from "../api";
import { Loadable } from "../components";
import { tonnesText } from "../format";
import { projectsQuery } from "../queries";
import { Link } from "../router";

export default function Projects() {
  const q = useApi(projectsQuery());
  return (
    <>
      <h1>Projects</h1>
      <Loadable q={q} what="projects">
        {(d) => (
          <table>
            <caption>{d.projects.totalCount} projects</caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Category</th>
                <th scope="col">Country</th>
                <th scope="col">Status</th>
                <th scope="col">Issued</th>
                <th scope="col">Retired</th>
              </tr>
            </thead>
            <tbody>
              {d.projects.edges.map(({ node: p }) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/projects/${p.id}`}>{p.name}</Link>
                  </td>
                  <td>{p.category}</td>
                  <td>{p.country}</td>
                  <td>{p.status}</td>
                  <td>{tonnesText(p.issuedKg)}</td>
                  <td>{tonnesText(p.retiredKg)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loadable>
    </>
  );
}
