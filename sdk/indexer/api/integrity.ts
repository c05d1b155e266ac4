/**
 * GraphQL fields of climate integrity (issue #17: buffer, reversals, cancellations, labels) and governance (issue
 * #18: timelock operations), over the tables of projections/buffer.ts, labels.ts and governance.ts. The same style
 * as ./schema: decimal strings, checksummed addresses, cursor connections (`first` ≤ 1,000), coded errors.
 */
import { dependsOnClock } from "./cache";
import { sql } from "kysely";
import { LABEL_BITS, LABEL_NAMES, type LabelName } from "../../buffer";
import { decodeScheduledCall, operationStatus } from "../../governance";
import { abiOfKind, type ContractKind } from "../../abi";
import { badInput, cs, id, notFound, one, page, s, type ApiContext } from "./schema";

export const integrityTypeDefs = /* GraphQL */ `
  extend type Query {
    "the non-permanence buffer (BufferPool): totals, per project, per batch"
    buffer: Buffer!
    reversal(id: ID!): Reversal
    reversals(projectId: ID, first: Int, after: String): ReversalConnection!
    "every buffer change: Withheld (issuance), Compensated, Cancelled (a reversal), Shortfall; oldest first"
    bufferMovements(
      projectId: ID
      batchId: ID
      reversalId: ID
      kind: String
      first: Int
      after: String
    ): BufferMovementConnection!
    "credits cancelled out of circulation (CarbonCredit CreditsCancelled), oldest first"
    cancellations(batchId: ID, projectId: ID, first: Int, after: String): CancellationConnection!
    "batches with quality labels, by batch id; label: one label name (e.g. CORSIA_ELIGIBLE) the batch must carry"
    batchLabels(projectId: ID, label: String, first: Int, after: String): BatchLabelsConnection!
    "a TreelionTimelock operation by its id (bytes32 hex)"
    governanceOperation(id: ID!): GovernanceOperation
    "timelock operations in the order they were scheduled; status: Pending, Ready, Done or Cancelled"
    governanceOperations(status: String, first: Int, after: String): GovernanceOperationConnection!
  }

  extend type Batch {
    "kg cancelled out of this batch (reversals): issuedKg = Σ holders + retiredKg + cancelledKg"
    cancelledKg: String!
    "label names (CORSIA_ELIGIBLE, CCP_APPROVED, CORRESPONDING_ADJUSTMENT, REMOVAL)"
    labels: [String!]!
    "the label bits (CarbonCredit.labelsOf)"
    labelBits: Int!
    "every LabelsSet of the batch, oldest first"
    labelHistory: [LabelChange!]!
    "what the buffer holds of this batch (BufferPool.heldKg)"
    buffer: BatchBuffer!
  }

  extend type Project {
    cancelledKg: String!
    "the project's buffer rate, own buffer and what it owes"
    buffer: BufferProject!
    "its batches that carry labels"
    batchLabels(first: Int, after: String): BatchLabelsConnection!
    reversals(first: Int, after: String): ReversalConnection!
  }

  extend type Supply {
    "kg cancelled by reversals (outstandingKg = issuedKg − retiredKg − cancelledKg)"
    cancelledKg: String!
  }

  type Buffer {
    "kg the BufferPool holds (totalBufferKg = ownKg + pooledKg)"
    totalKg: String!
    "every project's own buffer (withheld at issuance)"
    ownKg: String!
    "pooled compensation credits"
    pooledKg: String!
    "kg projects owe back for avoidable reversals"
    owedKg: String!
    "kg of reversals the whole buffer could not cover"
    uncoveredKg: String!
    reversals: Int!
    "every project (by id) with its buffer"
    projects(first: Int, after: String): BufferProjectConnection!
    "what the buffer holds per batch (own and pooled rows), by batch id"
    holdings(projectId: ID, pooled: Boolean, first: Int, after: String): BufferHoldingConnection!
  }

  type BatchBuffer {
    "withheld at issuance and still held (the project's own buffer)"
    ownKg: String!
    "compensation credits of this batch still held (pooled)"
    pooledKg: String!
    "kg of this batch the buffer cancelled (own and pooled)"
    cancelledKg: String!
  }

  type BufferProject {
    projectId: ID!
    "the registry's bufferRateOf (0 when never set)"
    bufferRateBps: Int!
    "bufferOf(projectId): kg of its own buffer left"
    ownKg: String!
    "kg withheld from its issuance in all"
    withheldKg: String!
    "kg of its own buffer cancelled (its own or other projects' reversals)"
    cancelledKg: String!
    "kg it owes back (owedBy)"
    owedKg: String!
  }
  type BufferProjectEdge {
    cursor: String!
    node: BufferProject!
  }
  type BufferProjectConnection {
    edges: [BufferProjectEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type BufferHolding {
    batchId: ID!
    "the batch's project for its own buffer, 0 for pooled compensation credits"
    projectId: ID!
    pooled: Boolean!
    "heldKg(batchId): kg left"
    heldKg: String!
    addedKg: String!
    cancelledKg: String!
  }
  type BufferHoldingEdge {
    cursor: String!
    node: BufferHolding!
  }
  type BufferHoldingConnection {
    edges: [BufferHoldingEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Reversal {
    id: ID!
    projectId: ID!
    amountKg: String!
    avoidable: Boolean!
    "bytes32 evidence hash"
    evidence: String!
    cancelledKg: String!
    uncoveredKg: String!
    "still owed by the project (avoidable reversals): blocks its issuance while > 0"
    owedKg: String!
    compensatedKg: String!
    "left to cancel (settleReversal continues): amountKg − cancelledKg − uncoveredKg"
    remainingKg: String!
    settled: Boolean!
    reportedAt: Int!
    blockNumber: Int!
    txHash: String!
    movements(first: Int, after: String): BufferMovementConnection!
  }
  type ReversalEdge {
    cursor: String!
    node: Reversal!
  }
  type ReversalConnection {
    edges: [ReversalEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type BufferMovement {
    "Withheld, Compensated, Cancelled or Shortfall"
    kind: String!
    "null for a Shortfall"
    batchId: ID
    "own buffer (false) or pooled (true); null for a Shortfall"
    pooled: Boolean
    "whose own buffer (0 = pooled); for a Shortfall the reversal's project"
    projectId: ID!
    reversalId: ID
    "who compensated"
    account: String
    amountKg: String!
    txHash: String!
    blockNumber: Int!
    timestamp: Int!
  }
  type BufferMovementEdge {
    cursor: String!
    node: BufferMovement!
  }
  type BufferMovementConnection {
    edges: [BufferMovementEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type Cancellation {
    batchId: ID!
    projectId: ID!
    "whose units were burned (the BufferPool)"
    account: String!
    amountKg: String!
    "bytes32 reason (a reversal's evidence)"
    reason: String!
    txHash: String!
    blockNumber: Int!
    timestamp: Int!
  }
  type CancellationEdge {
    cursor: String!
    node: Cancellation!
  }
  type CancellationConnection {
    edges: [CancellationEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type BatchLabels {
    batchId: ID!
    projectId: ID!
    labels: [String!]!
    labelBits: Int!
    "when they were last set"
    updatedAt: Int!
    txHash: String!
  }
  type BatchLabelsEdge {
    cursor: String!
    node: BatchLabels!
  }
  type BatchLabelsConnection {
    edges: [BatchLabelsEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type LabelChange {
    labels: [String!]!
    added: [String!]!
    removed: [String!]!
    txHash: String!
    blockNumber: Int!
    timestamp: Int!
  }

  type GovernanceOperation {
    "operation id (hashOperation / hashOperationBatch)"
    id: ID!
    timelock: String!
    "Pending (waiting for readyAt), Ready, Done or Cancelled; ready is judged by the newer of the last indexed block's time and the server's clock"
    status: String!
    "unix seconds from which it can be executed (getTimestamp)"
    readyAt: Int!
    delay: Int!
    predecessor: String!
    salt: String!
    calls: [GovernanceCall!]!
    scheduledAt: Int!
    scheduledBlock: Int!
    scheduledTx: String!
    executedAt: Int
    executedTx: String
    cancelledAt: Int
    cancelledTx: String
  }
  type GovernanceCall {
    index: Int!
    target: String!
    "the target's deployment name when the ledger knows it"
    targetName: String
    "wei sent with the call"
    value: String!
    data: String!
    "the call decoded with the target's ABI, e.g. setFee(250); null when the selector is unknown"
    function: String
  }
  type GovernanceOperationEdge {
    cursor: String!
    node: GovernanceOperation!
  }
  type GovernanceOperationConnection {
    edges: [GovernanceOperationEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`;

/** Label names of the bits the SDK knows (bits it does not know are left out of the names, not an error). */
const namesOf = (bits: unknown): LabelName[] => LABEL_NAMES.filter((n) => (Number(bits) & LABEL_BITS[n]) !== 0);

const optId = (arg: string, v: string | undefined | null) => (v === undefined || v === null ? undefined : id(arg, v));

const MOVEMENT_KINDS = ["Withheld", "Compensated", "Cancelled", "Shortfall"];
const OPERATION_STATUS = ["Pending", "Ready", "Done", "Cancelled"];
const title = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

function oneOf(arg: string, v: string, allowed: string[]): string {
  const hit = allowed.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!hit) throw badInput(`${arg}: "${v}" is not one of ${allowed.join(", ")}`);
  return hit;
}

function reversalNode(r: Record<string, any>) {
  const amount = BigInt(r.amount_kg);
  return {
    id: s(r.reversal_id),
    projectId: s(r.project_id),
    amountKg: s(r.amount_kg),
    avoidable: Number(r.avoidable) === 1,
    evidence: r.evidence,
    cancelledKg: s(r.cancelled_kg),
    uncoveredKg: s(r.uncovered_kg),
    owedKg: s(r.owed_kg),
    compensatedKg: s(r.compensated_kg),
    remainingKg: String(amount - BigInt(r.cancelled_kg) - BigInt(r.uncovered_kg)),
    settled: Number(r.settled) === 1,
    reportedAt: Number(r.timestamp),
    blockNumber: Number(r.block_number),
    txHash: r.tx_hash,
    _id: BigInt(r.reversal_id),
  };
}

function movementNode(r: Record<string, any>) {
  return {
    kind: title(r.kind),
    batchId: s(r.batch_id),
    pooled: r.pooled === null ? null : Number(r.pooled) === 1,
    projectId: s(r.project_id),
    reversalId: s(r.reversal_id),
    account: r.account ? cs(r.account) : null,
    amountKg: s(r.amount_kg),
    txHash: r.tx_hash,
    blockNumber: Number(r.block_number),
    timestamp: Number(r.timestamp),
  };
}

function holdingNode(r: Record<string, any>) {
  return {
    batchId: s(r.batch_id),
    projectId: s(r.project_id),
    pooled: Number(r.pooled) === 1,
    heldKg: s(r.balance_kg),
    addedKg: s(r.added_kg),
    cancelledKg: s(r.cancelled_kg),
  };
}

function batchLabelsNode(r: Record<string, any>) {
  return {
    batchId: s(r.batch_id),
    projectId: s(r.project_id),
    labels: namesOf(r.labels),
    labelBits: Number(r.labels),
    updatedAt: Number(r.timestamp),
    txHash: r.tx_hash,
  };
}

/** The time an operation's readiness is judged by: the newer of the last indexed block's and the clock's. */
async function now(c: ApiContext): Promise<bigint> {
  dependsOnClock(c); // the answer changes when the clock passes a ready time, not only when the ledger changes
  const b = await one<{ timestamp: bigint }>(
    c,
    c.ledger.db.kysely.selectFrom("blocks").select("timestamp").orderBy("number", "desc").limit(1),
  );
  const clock = BigInt(Math.floor(Date.now() / 1000));
  const block = b ? BigInt(b.timestamp) : 0n;
  return block > clock ? block : clock;
}

function operationNode(r: Record<string, any>, at: bigint) {
  return {
    id: r.operation_id,
    timelock: cs(r.timelock),
    status: title(
      operationStatus(
        { readyAt: BigInt(r.ready_at), executed: r.status === "done", cancelled: r.status === "cancelled" },
        at,
      ),
    ),
    readyAt: Number(r.ready_at),
    delay: Number(r.delay),
    predecessor: r.predecessor,
    salt: r.salt,
    scheduledAt: Number(r.scheduled_at),
    scheduledBlock: Number(r.scheduled_block),
    scheduledTx: r.scheduled_tx,
    executedAt: r.executed_at === null ? null : Number(r.executed_at),
    executedTx: r.executed_tx ?? null,
    cancelledAt: r.cancelled_at === null ? null : Number(r.cancelled_at),
    cancelledTx: r.cancelled_tx ?? null,
    _id: r.operation_id as string,
  };
}

/** A known contract (deployment or discovered bond) by address: its name and kind. */
async function contractAt(c: ApiContext, a: string): Promise<{ name: string; kind: string } | undefined> {
  const db = c.ledger.db.kysely;
  const r = await one<{ name: string; kind: string }>(
    c,
    db.selectFrom("contracts").select(["name", "kind"]).where("address", "=", a),
  );
  if (r) return r;
  const d = await one<{ kind: string }>(
    c,
    db.selectFrom("contracts_discovered").select("kind").where("address", "=", a),
  );
  return d ? { name: `GreenBond@${cs(a)}`, kind: d.kind } : undefined;
}

async function sumKg(c: ApiContext, table: string, column: string, where: (qb: any) => any): Promise<string> {
  const [r] = await c.ledger.db.fetch<{ kg: bigint }>(
    where(c.ledger.db.kysely.selectFrom(table)).select(sql`COALESCE(SUM(${sql.ref(column)}), 0)`.as("kg")),
  );
  return String(r.kg);
}

async function bufferProject(c: ApiContext, projectId: bigint) {
  const rate = await one<{ buffer_bps: bigint }>(
    c,
    c.ledger.db.kysely.selectFrom("buffer_rates").select("buffer_bps").where("project_id", "=", projectId),
  );
  const own = (qb: any) => qb.where("project_id", "=", projectId).where("pooled", "=", 0);
  return {
    projectId: String(projectId),
    bufferRateBps: rate ? Number(rate.buffer_bps) : 0,
    ownKg: await sumKg(c, "buffer_holdings", "balance_kg", own),
    withheldKg: await sumKg(c, "buffer_holdings", "added_kg", own),
    cancelledKg: await sumKg(c, "buffer_holdings", "cancelled_kg", own),
    owedKg: await sumKg(c, "reversals", "owed_kg", (qb) => qb.where("project_id", "=", projectId)),
  };
}

type PageArgs = { first?: number; after?: string };

const reversalPage = (c: ApiContext, a: PageArgs, projectId: bigint | undefined) =>
  page(c, {
    table: "reversals",
    keys: ["reversal_id"],
    where: (qb) => (projectId === undefined ? qb : qb.where("project_id", "=", projectId)),
    first: a.first,
    after: a.after,
    node: reversalNode,
  });

function labelsPage(c: ApiContext, a: PageArgs & { label?: string | null }, projectId: bigint | undefined) {
  let bit: number | undefined;
  if (a.label !== undefined && a.label !== null) {
    const name = LABEL_NAMES.find((n) => n === a.label!.trim().toUpperCase().replace(/[- ]/g, "_"));
    if (!name) throw badInput(`label: "${a.label}" is not a label (${LABEL_NAMES.join(", ")})`);
    bit = LABEL_BITS[name];
  }
  return page(c, {
    table: "batch_labels",
    keys: ["batch_id"],
    where: (qb) => {
      let q = qb.where("labels", "<>", 0);
      if (projectId !== undefined) q = q.where("project_id", "=", projectId);
      if (bit !== undefined) q = q.where(sql`(labels & ${bit})`, "<>", 0);
      return q;
    },
    first: a.first,
    after: a.after,
    node: batchLabelsNode,
  });
}

export function integrityResolvers() {
  return {
    Query: {
      buffer: () => ({}),
      reversal: async (_: unknown, a: { id: string }, c: ApiContext) => {
        const rid = id("id", a.id);
        const r = await one(c, c.ledger.db.kysely.selectFrom("reversals").selectAll().where("reversal_id", "=", rid));
        if (!r) throw notFound(`reversal ${rid}`);
        return reversalNode(r);
      },
      reversals: (_: unknown, a: PageArgs & { projectId?: string }, c: ApiContext) =>
        reversalPage(c, a, optId("projectId", a.projectId)),
      bufferMovements: (
        _: unknown,
        a: PageArgs & { projectId?: string; batchId?: string; reversalId?: string; kind?: string },
        c: ApiContext,
      ) => {
        const pid = optId("projectId", a.projectId);
        const bid = optId("batchId", a.batchId);
        const rid = optId("reversalId", a.reversalId);
        const kind = a.kind === undefined || a.kind === null ? undefined : oneOf("kind", a.kind, MOVEMENT_KINDS);
        return page(c, {
          table: "buffer_movements",
          keys: ["block_number", "log_index"],
          where: (qb) => {
            let q = qb;
            if (pid !== undefined) q = q.where("project_id", "=", pid);
            if (bid !== undefined) q = q.where("batch_id", "=", bid);
            if (rid !== undefined) q = q.where("reversal_id", "=", rid);
            if (kind !== undefined) q = q.where("kind", "=", kind.toLowerCase());
            return q;
          },
          first: a.first,
          after: a.after,
          node: movementNode,
        });
      },
      cancellations: (_: unknown, a: PageArgs & { batchId?: string; projectId?: string }, c: ApiContext) => {
        const bid = optId("batchId", a.batchId);
        const pid = optId("projectId", a.projectId);
        return page(c, {
          table: "cancellations",
          keys: ["block_number", "log_index"],
          where: (qb) => {
            let q = qb;
            if (bid !== undefined) q = q.where("batch_id", "=", bid);
            if (pid !== undefined) q = q.where("project_id", "=", pid);
            return q;
          },
          first: a.first,
          after: a.after,
          node: (r: any) => ({
            batchId: s(r.batch_id),
            projectId: s(r.project_id),
            account: cs(r.account),
            amountKg: s(r.amount_kg),
            reason: r.reason,
            txHash: r.tx_hash,
            blockNumber: Number(r.block_number),
            timestamp: Number(r.timestamp),
          }),
        });
      },
      batchLabels: (_: unknown, a: PageArgs & { projectId?: string; label?: string }, c: ApiContext) =>
        labelsPage(c, a, optId("projectId", a.projectId)),
      governanceOperation: async (_: unknown, a: { id: string }, c: ApiContext) => {
        const opId = String(a.id).toLowerCase();
        if (!/^0x[0-9a-f]{64}$/.test(opId))
          throw badInput(`id: "${a.id}" is not an operation id (0x followed by 64 hex digits)`);
        const r = await one(
          c,
          c.ledger.db.kysely.selectFrom("gov_operations").selectAll().where("operation_id", "=", opId),
        );
        if (!r) throw notFound(`governance operation ${opId}`);
        return operationNode(r, await now(c));
      },
      governanceOperations: async (_: unknown, a: PageArgs & { status?: string }, c: ApiContext) => {
        const status =
          a.status === undefined || a.status === null ? undefined : oneOf("status", a.status, OPERATION_STATUS);
        const at = await now(c);
        return page(c, {
          table: "gov_operations",
          keys: ["scheduled_block", "scheduled_log"],
          where: (qb) => {
            if (status === "Done") return qb.where("status", "=", "done");
            if (status === "Cancelled") return qb.where("status", "=", "cancelled");
            if (status === "Ready") return qb.where("status", "=", "pending").where("ready_at", "<=", at);
            if (status === "Pending") return qb.where("status", "=", "pending").where("ready_at", ">", at);
            return qb;
          },
          first: a.first,
          after: a.after,
          node: (r) => operationNode(r, at),
        });
      },
    },
    Buffer: {
      totalKg: (_: unknown, __: unknown, c: ApiContext) => sumKg(c, "buffer_holdings", "balance_kg", (qb) => qb),
      ownKg: (_: unknown, __: unknown, c: ApiContext) =>
        sumKg(c, "buffer_holdings", "balance_kg", (qb) => qb.where("pooled", "=", 0)),
      pooledKg: (_: unknown, __: unknown, c: ApiContext) =>
        sumKg(c, "buffer_holdings", "balance_kg", (qb) => qb.where("pooled", "=", 1)),
      owedKg: (_: unknown, __: unknown, c: ApiContext) => sumKg(c, "reversals", "owed_kg", (qb) => qb),
      uncoveredKg: (_: unknown, __: unknown, c: ApiContext) => sumKg(c, "reversals", "uncovered_kg", (qb) => qb),
      reversals: async (_: unknown, __: unknown, c: ApiContext) => {
        const [r] = await c.ledger.db.fetch<{ n: bigint }>(
          c.ledger.db.kysely.selectFrom("reversals").select(sql`COUNT(*)`.as("n")),
        );
        return Number(r.n);
      },
      projects: (_: unknown, a: PageArgs, c: ApiContext) =>
        page(c, {
          table: "projects",
          keys: ["project_id"],
          where: (qb) => qb,
          first: a.first,
          after: a.after,
          node: (r: any) => bufferProject(c, BigInt(r.project_id)),
        }),
      holdings: (_: unknown, a: PageArgs & { projectId?: string; pooled?: boolean }, c: ApiContext) => {
        const pid = optId("projectId", a.projectId);
        return page(c, {
          table: "buffer_holdings",
          keys: ["batch_id", "pooled"],
          where: (qb) => {
            let q = qb;
            if (pid !== undefined) q = q.where("project_id", "=", pid);
            if (a.pooled === true || a.pooled === false) q = q.where("pooled", "=", a.pooled ? 1 : 0);
            return q;
          },
          first: a.first,
          after: a.after,
          node: holdingNode,
        });
      },
    },
    Reversal: {
      movements: (r: { _id: bigint }, a: PageArgs, c: ApiContext) =>
        page(c, {
          table: "buffer_movements",
          keys: ["block_number", "log_index"],
          where: (qb) => qb.where("reversal_id", "=", r._id),
          first: a.first,
          after: a.after,
          node: movementNode,
        }),
    },
    Batch: {
      cancelledKg: (b: { _id: bigint }, _: unknown, c: ApiContext) =>
        sumKg(c, "cancellations", "amount_kg", (qb) => qb.where("batch_id", "=", b._id)),
      labels: async (b: { _id: bigint }, _: unknown, c: ApiContext) => namesOf(await batchLabelBits(c, b._id)),
      labelBits: (b: { _id: bigint }, _: unknown, c: ApiContext) => batchLabelBits(c, b._id),
      labelHistory: async (b: { _id: bigint }, _: unknown, c: ApiContext) =>
        (
          await c.ledger.db.fetch(
            c.ledger.db.kysely
              .selectFrom("label_changes")
              .selectAll()
              .where("batch_id", "=", b._id)
              .orderBy("block_number")
              .orderBy("log_index"),
          )
        ).map((r) => ({
          labels: namesOf(r.labels),
          added: namesOf(r.added),
          removed: namesOf(r.removed),
          txHash: r.tx_hash,
          blockNumber: Number(r.block_number),
          timestamp: Number(r.timestamp),
        })),
      buffer: async (b: { _id: bigint }, _: unknown, c: ApiContext) => {
        const rows = await c.ledger.db.fetch(
          c.ledger.db.kysely.selectFrom("buffer_holdings").selectAll().where("batch_id", "=", b._id),
        );
        const held = (pooled: number) => s(rows.find((r) => Number(r.pooled) === pooled)?.balance_kg ?? 0);
        return {
          ownKg: held(0),
          pooledKg: held(1),
          cancelledKg: String(rows.reduce((t, r) => t + BigInt(r.cancelled_kg), 0n)),
        };
      },
    },
    Project: {
      cancelledKg: (p: { _id: bigint }, _: unknown, c: ApiContext) =>
        sumKg(c, "cancellations", "amount_kg", (qb) => qb.where("project_id", "=", p._id)),
      buffer: (p: { _id: bigint }, _: unknown, c: ApiContext) => bufferProject(c, p._id),
      batchLabels: (p: { _id: bigint }, a: PageArgs, c: ApiContext) => labelsPage(c, a, p._id),
      reversals: (p: { _id: bigint }, a: PageArgs, c: ApiContext) => reversalPage(c, a, p._id),
    },
    Supply: {
      cancelledKg: (_: unknown, __: unknown, c: ApiContext) => sumKg(c, "cancellations", "amount_kg", (qb) => qb),
      // units leave circulation by retirement and by cancellation
      outstandingKg: async (x: { issuedKg: string; retiredKg: string }, _: unknown, c: ApiContext) =>
        String(
          BigInt(x.issuedKg) - BigInt(x.retiredKg) - BigInt(await sumKg(c, "cancellations", "amount_kg", (qb) => qb)),
        ),
    },
    GovernanceOperation: {
      calls: async (o: { _id: string }, _: unknown, c: ApiContext) => {
        const rows = await c.ledger.db.fetch(
          c.ledger.db.kysely.selectFrom("gov_calls").selectAll().where("operation_id", "=", o._id).orderBy("idx"),
        );
        return Promise.all(
          rows.map(async (r) => {
            const known = await contractAt(c, r.target);
            let fn: string | null = null;
            if (known) {
              try {
                fn = decodeScheduledCall(abiOfKind(known.kind as ContractKind) as any, r.data)?.text ?? null;
              } catch {
                fn = null; // a kind without an ABI
              }
            }
            return {
              index: Number(r.idx),
              target: cs(r.target),
              targetName: known?.name ?? null,
              value: r.value,
              data: r.data,
              function: fn,
            };
          }),
        );
      },
    },
  };
}

async function batchLabelBits(c: ApiContext, batchId: bigint): Promise<number> {
  const r = await one<{ labels: bigint }>(
    c,
    c.ledger.db.kysely.selectFrom("batch_labels").select("labels").where("batch_id", "=", batchId),
  );
  return r ? Number(r.labels) : 0;
}
