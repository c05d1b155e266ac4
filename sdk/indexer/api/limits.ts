/**
 * Query limits of the ledger API, as a GraphQL validation rule: the selection depth (fragments followed) and a
 * cost (every field costs 1; a list or connection field multiplies the cost of what it selects by its `first`
 * argument, or by the default page size). A query over either limit is refused before it runs, with a
 * GraphQL error naming the limit: at validation, or, for an operation whose cost depends on its variables, at
 * the start of execution with the request's variables (a cached validation result must not stand for them).
 */
import {
  GraphQLError,
  Kind,
  getOperationAST,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from "graphql";

export interface QueryLimits {
  /** deepest selection allowed (default 10) */
  maxDepth: number;
  /** largest estimated cost (default 50,000) */
  maxCost: number;
  /** the page size when `first` is not given (default 100) */
  defaultFirst: number;
  /** the largest `first` (1,000) */
  maxFirst: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 50_000, defaultFirst: 100, maxFirst: 1_000 };

/** Fields that return many rows without a `first` argument: their assumed size for the cost. */
const LIST_SIZE: Record<string, number> = {
  pools: 20,
  bonds: 50,
  batches: 100,
  credits: 100,
  poolTokens: 20,
  certificates: 100,
  bondUnits: 50,
  escrowOwed: 20,
  milestones: 20,
  batchIds: 20,
  verifiers: 10,
  // climate integrity and governance (./integrity)
  labelHistory: 50,
  calls: 20,
  edges: 1,
};

function argInt(v: ValueNode | undefined, vars: Record<string, unknown>): number | undefined {
  if (!v) return undefined;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = vars[v.name.value];
    return typeof x === "number" ? x : undefined;
  }
  return undefined;
}

/** The depth and cost of one operation of a document (fragments followed), with the request's variables. */
export function measureOperation(
  document: DocumentNode,
  op: OperationDefinitionNode,
  limits: QueryLimits,
  vars: Record<string, unknown>,
): { depth: number; cost: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  // a variable the request leaves out takes its default (`query($n: Int = 1000)`), as execution will
  const values: Record<string, unknown> = { ...vars };
  for (const v of op.variableDefinitions ?? [])
    if (values[v.variable.name.value] === undefined && v.defaultValue?.kind === Kind.INT)
      values[v.variable.name.value] = Number(v.defaultValue.value);

  const measure = (set: SelectionSetNode, depth: number, seen: Set<string>): { depth: number; cost: number } => {
    let maxDepth = depth;
    let cost = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const f = s as FieldNode;
        if (f.name.value.startsWith("__")) continue;
        let here = 1;
        let deepest = depth;
        if (f.selectionSet) {
          const inner = measure(f.selectionSet, depth + 1, seen);
          deepest = inner.depth;
          const first = argInt(f.arguments?.find((a) => a.name.value === "first")?.value, values);
          const isConnection = f.selectionSet.selections.some(
            (x) => x.kind === Kind.FIELD && (x.name.value === "edges" || x.name.value === "pageInfo"),
          );
          const n = isConnection
            ? Math.min(Math.max(first ?? limits.defaultFirst, 1), limits.maxFirst)
            : (LIST_SIZE[f.name.value] ?? 1);
          here += n * inner.cost;
        }
        cost += here;
        maxDepth = Math.max(maxDepth, deepest);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const inner = measure(s.selectionSet, depth, seen);
        cost += inner.cost;
        maxDepth = Math.max(maxDepth, inner.depth);
      } else {
        const name = s.name.value;
        const frag = fragments.get(name);
        if (!frag || seen.has(name)) continue; // unknown / cyclic fragments are reported by graphql's own rules
        const inner = measure(frag.selectionSet, depth, new Set([...seen, name]));
        cost += inner.cost;
        maxDepth = Math.max(maxDepth, inner.depth);
      }
    }
    return { depth: maxDepth, cost };
  };
  return measure(op.selectionSet, 1, new Set());
}

function costError(cost: number, limits: QueryLimits, op: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(
    `query cost ${cost} exceeds the limit of ${limits.maxCost} (each field costs 1, a page multiplies by its first)`,
    { nodes: [op], extensions: { code: "QUERY_TOO_COSTLY" } },
  );
}

/**
 * The validation rule: the depth of every operation, and the cost of an operation without variables. The cost
 * of an operation with variables depends on each request's values (`first: $n`), while a validation result is
 * cached per document: it is checked at execution by `variablesCostError`, for every request.
 */
export function limitsRule(limits: QueryLimits) {
  return (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(op) {
      const { depth, cost } = measureOperation(ctx.getDocument(), op, limits, {});
      if (depth > limits.maxDepth)
        ctx.reportError(
          new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
            nodes: [op],
            extensions: { code: "QUERY_TOO_DEEP" },
          }),
        );
      if (!op.variableDefinitions?.length && cost > limits.maxCost) ctx.reportError(costError(cost, limits, op));
    },
  });
}

/** At execution, with this request's variables: the cost error of an operation that has variables, if over. */
export function variablesCostError(
  document: DocumentNode,
  operationName: string | null | undefined,
  limits: QueryLimits,
  vars: Record<string, unknown> | null | undefined,
): GraphQLError | undefined {
  const op = getOperationAST(document, operationName ?? undefined);
  if (!op?.variableDefinitions?.length) return undefined;
  const { cost } = measureOperation(document, op, limits, vars ?? {});
  return cost > limits.maxCost ? costError(cost, limits, op) : undefined;
}
