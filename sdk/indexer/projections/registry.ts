/** Projects and their status history (GreenProjectRegistry). */
import { p, stmt } from "../db";
import { AT, addr, big, bytes2ToText, type HandlerTable, type Work } from "./context";

const q = {
  insProject: stmt("insProject", (db) =>
    db.insertInto("projects").values({
      project_id: p("projectId"),
      owner: p("owner"),
      name: p("name"),
      category: p("category"),
      country: p("country"),
      standard: p("standard"),
      external_id: p("externalId"),
      status: 0,
      registered_block: p("blockNumber"),
      registered_tx: p("txHash"),
      registered_at: p("timestamp"),
    }),
  ),
  insStatus: stmt("insStatus", (db) =>
    db.insertInto("project_status_history").values({
      ...AT,
      project_id: p("projectId"),
      from_status: p("from"),
      to_status: p("to"),
    }),
  ),
  setStatus: stmt("setStatus", (db) =>
    db
      .updateTable("projects")
      .set({ status: p("to") })
      .where("project_id", "=", p("projectId")),
  ),
  setMetadata: stmt("setMetadata", (db) =>
    db
      .updateTable("projects")
      .set({ metadata_uri: p("uri") })
      .where("project_id", "=", p("projectId")),
  ),
};

export const registryHandlers: HandlerTable = {
  "registry.ProjectRegistered": (c) =>
    c.run(q.insProject, {
      projectId: big(c.a.projectId),
      owner: addr(c.a.owner),
      name: c.a.name,
      category: Number(c.a.category),
      country: bytes2ToText(c.a.country),
      standard: c.a.standard,
      externalId: c.a.externalId,
    }),
  "registry.ProjectStatusChanged": function* (c) {
    const args = { projectId: big(c.a.projectId), from: Number(c.a.from), to: Number(c.a.to) };
    yield c.run(q.insStatus, args);
    yield c.run(q.setStatus, args);
  },
  "registry.ProjectMetadataUpdated": (c) =>
    c.run(q.setMetadata, { uri: c.a.metadataURI, projectId: big(c.a.projectId) }),
};
