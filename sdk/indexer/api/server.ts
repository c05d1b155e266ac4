/**
 * The ledger's read-only HTTP API: GraphQL (graphql-yoga) at /graphql (POST, GET; GraphiQL for a browser GET),
 * GET /health (`{ chainId, blockNumber, blockHash, lagBlocks }`) and GET /metrics (Prometheus text: requests,
 * latency histogram, checkpoint block). Stateless: any number of API processes can read one PostgreSQL ledger
 * while one indexer writes it. Binds to 127.0.0.1 unless told otherwise.
 */
import http from "http";
import type { AddressInfo } from "net";
import { getOperationAST, type ExecutionResult } from "graphql";
import { createSchema, createYoga, isAsyncIterable, type Plugin } from "graphql-yoga";
import { Ledger } from "../ledger";
import type { LedgerDb } from "../db";
import { SUITE_ENUMS, type EnumTable } from "./enums";
import { DEFAULT_LIMITS, limitsRule, variablesCostError, type QueryLimits } from "./limits";
import { resolvers, typeDefs, type ApiContext } from "./schema";
import { ResponseCache, type ResponseCacheStats } from "./cache";
import { integrityResolvers, integrityTypeDefs } from "./integrity";

export interface LedgerServerOptions {
  /** a SQLite file, a `postgres://` URL, an open Ledger or database */
  db: string | Ledger | LedgerDb;
  host?: string;
  port?: number;
  /**
   * CORS: the origins allowed to call the API from a browser (e.g. `["https://app.example.org"]`); default `"*"`
   * (any origin, no credentials: the API is read-only and public data); `false` sends no CORS headers.
   */
  cors?: string[] | "*" | false;
  /** a JSON-RPC URL of the chain, for `lagBlocks` in /health (null without it) */
  rpcUrl?: string;
  limits?: Partial<QueryLimits>;
  /** PostgreSQL connections of this process (default 8) */
  poolSize?: number;
  /** GraphiQL on a browser GET of /graphql (default true) */
  graphiql?: boolean;
  enums?: EnumTable;
  /**
   * Answers kept until the ledger changes (default 10,000; `false`: none). A change committed by the indexer
   * empties the cache of every API process (PostgreSQL: NOTIFY/LISTEN; SQLite: the file's data version).
   */
  responseCache?: number | false;
}

export interface LedgerServer {
  readonly url: string;
  readonly server: http.Server;
  readonly ledger: Ledger;
  close(): Promise<void>;
}

/** the largest request body the direct path reads (larger ones go to yoga, which limits them) */
const DIRECT_MAX_BODY = 64 * 1024;

const BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

/** Request counters and a latency histogram per route, in Prometheus text format. */
class Metrics {
  private requests = new Map<string, number>();
  /** GraphQL answers sent by the direct path (the rest by yoga) */
  direct = 0;
  private hist = new Map<string, { counts: number[]; sum: number; n: number }>();
  observe(route: string, status: number, ms: number) {
    const k = `route="${route}",status="${status}"`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
    let h = this.hist.get(route);
    if (!h) this.hist.set(route, (h = { counts: BUCKETS_MS.map(() => 0), sum: 0, n: 0 }));
    BUCKETS_MS.forEach((b, i) => {
      if (ms <= b) h!.counts[i]++;
    });
    h.sum += ms / 1000;
    h.n++;
  }
  text(checkpoint: number | undefined, cache?: ResponseCacheStats): string {
    const out = [
      "# HELP treelion_api_requests_total HTTP requests served, by route and status.",
      "# TYPE treelion_api_requests_total counter",
      ...[...this.requests].map(([k, v]) => `treelion_api_requests_total{${k}} ${v}`),
      "# HELP treelion_api_request_duration_seconds Request latency, by route.",
      "# TYPE treelion_api_request_duration_seconds histogram",
    ];
    for (const [route, h] of this.hist) {
      BUCKETS_MS.forEach((b, i) =>
        out.push(`treelion_api_request_duration_seconds_bucket{route="${route}",le="${b / 1000}"} ${h.counts[i]}`),
      );
      out.push(`treelion_api_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.n}`);
      out.push(`treelion_api_request_duration_seconds_sum{route="${route}"} ${h.sum}`);
      out.push(`treelion_api_request_duration_seconds_count{route="${route}"} ${h.n}`);
    }
    out.push(
      "# HELP treelion_api_graphql_direct_total GraphQL answers sent by the direct path for plain POSTs (the others by graphql-yoga).",
      "# TYPE treelion_api_graphql_direct_total counter",
      `treelion_api_graphql_direct_total ${this.direct}`,
      "# HELP treelion_ledger_checkpoint_block The ledger's last indexed block.",
      "# TYPE treelion_ledger_checkpoint_block gauge",
      `treelion_ledger_checkpoint_block ${checkpoint ?? -1}`,
    );
    if (cache)
      out.push(
        "# HELP treelion_api_response_cache_total GraphQL requests answered from the response cache (hit), not (miss), or asked not to be (bypass: Cache-Control no-cache).",
        "# TYPE treelion_api_response_cache_total counter",
        `treelion_api_response_cache_total{result="hit"} ${cache.hits}`,
        `treelion_api_response_cache_total{result="miss"} ${cache.misses}`,
        `treelion_api_response_cache_total{result="bypass"} ${cache.bypasses}`,
        "# HELP treelion_api_response_cache_entries Answers in the response cache.",
        "# TYPE treelion_api_response_cache_entries gauge",
        `treelion_api_response_cache_entries ${cache.entries}`,
      );
    const cpu = process.cpuUsage();
    out.push(
      "# HELP process_cpu_seconds_total CPU time of this API process (user and system).",
      "# TYPE process_cpu_seconds_total counter",
      `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    );
    return out.join("\n") + "\n";
  }
}

async function chainHead(rpcUrl: string): Promise<number | undefined> {
  try {
    const r = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      signal: AbortSignal.timeout(3_000),
    });
    const j = (await r.json()) as { result?: string };
    return j.result ? parseInt(j.result, 16) : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the API (not listening yet: `listen()`). */
export async function createLedgerServer(o: LedgerServerOptions) {
  const ownLedger = !(o.db instanceof Ledger);
  const ledger = o.db instanceof Ledger ? o.db : await Ledger.open(o.db, { readonly: true, poolSize: o.poolSize ?? 8 });
  const limits: QueryLimits = { ...DEFAULT_LIMITS, ...(o.limits ?? {}) };
  const enums = o.enums ?? SUITE_ENUMS;
  const metrics = new Metrics();
  const context: ApiContext = { ledger, enums, limits };
  const cache =
    o.responseCache === false ? undefined : new ResponseCache(await ledger.db.watch(), o.responseCache ?? 10_000);

  const limitsPlugin: Plugin = {
    onValidate({ addValidationRule }) {
      addValidationRule(limitsRule(limits));
    },
    // the cost of an operation with variables, per request (validation results are cached per document)
    onExecute({ args, setResultAndStopExecution }) {
      const error = variablesCostError(args.document, args.operationName, limits, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
  // a plugin added here runs for browser, GET and failing requests only: plain POSTs take the direct path below
  // (enveloped plugins — parse, validate, context, execute hooks like limitsPlugin — run on both paths)
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: [typeDefs, integrityTypeDefs],
      resolvers: [resolvers(), integrityResolvers()] as any,
    }),
    graphqlEndpoint: "/graphql",
    context: () => context,
    graphiql: o.graphiql ?? true,
    landingPage: false,
    // errors we did not create (bugs, a lost database) are answered as "Unexpected error." without details
    maskedErrors: true,
    cors:
      o.cors === false
        ? false
        : {
            origin: o.cors === undefined || o.cors === "*" ? "*" : o.cors,
            methods: ["GET", "POST"],
            credentials: false,
          },
    plugins: cache ? [cache.plugin(), limitsPlugin] : [limitsPlugin],
  });

  const health = async () => {
    const cp = await ledger.checkpoint();
    const head = o.rpcUrl ? await chainHead(o.rpcUrl) : undefined;
    return {
      chainId: (await ledger.getMeta("chain_id")) ?? null,
      blockNumber: cp?.blockNumber ?? null,
      blockHash: cp?.blockHash ?? null,
      lagBlocks: head !== undefined && cp ? Math.max(0, head - cp.blockNumber) : null,
    };
  };

  /**
   * The direct path of a plain GraphQL POST (JSON body of query, variables, operationName; no Origin, so no CORS;
   * a JSON answer): the same parse, validation (limits included), context and execution as yoga's (its enveloped
   * functions, with their document and validation caches) and the same response cache, without yoga's HTTP layer
   * (Fetch API request and response objects, body streams), which cost about as much CPU as the query itself.
   * Only an answer without errors is sent from here; anything else (a bad request, an error, an unusual header)
   * is handed to yoga with the body read, so every error is reported exactly as yoga reports it.
   */
  const direct = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const h = req.headers;
    const length = Number(h["content-length"]);
    if (req.method !== "POST" || req.url !== "/graphql" || h.origin !== undefined) return false;
    if (!(length > 0 && length <= DIRECT_MAX_BODY) || !/^application\/json\s*(;|$)/i.test(h["content-type"] ?? ""))
      return false;
    if (h.accept !== undefined && h.accept !== "*/*" && h.accept !== "application/json") return false;
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      if (!res.headersSent) res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "the request body could not be read (the client aborted it)" }));
      return true;
    }
    const body = Buffer.concat(chunks);
    const json = await directAnswer(body.toString("utf8"), h["cache-control"] ?? null);
    if (json !== undefined) {
      metrics.direct++;
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(json),
      });
      res.end(json);
      return true;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (typeof v === "string") headers[k] = v;
    const r = await yoga.fetch(`http://${h.host ?? "localhost"}${req.url}`, { method: "POST", headers, body });
    const out: Record<string, string> = {};
    r.headers.forEach((v, k) => (out[k] = v));
    const payload = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, out);
    res.end(payload);
    return true;
  };
  const directAnswer = async (text: string, cacheControl: string | null): Promise<string | undefined> => {
    let params: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      params = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!params || typeof params !== "object" || Array.isArray(params) || typeof params.query !== "string") return;
    if (Object.keys(params).some((k) => k !== "query" && k !== "variables" && k !== "operationName")) return;
    const { query, variables, operationName } = params;
    if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return;
    if (operationName != null && typeof operationName !== "string") return;
    const look = cache?.lookup({ query, variables, operationName }, cacheControl);
    if (look?.hit) return look.hit.json;
    const giveUp = () => void (look && cache!.uncount(look.counted));
    try {
      // identity of this request for dependsOnClock (resolvers see it as context.request)
      const request = {};
      const env = yoga.getEnveloped({ request, params: { query, variables, operationName } } as any);
      const document = env.parse(query);
      const op = getOperationAST(document, operationName as string | undefined);
      if (!op || op.operation !== "query" || env.validate(env.schema, document).length > 0) return giveUp();
      const result = (await env.execute({
        schema: env.schema,
        document,
        contextValue: await env.contextFactory(),
        variableValues: variables as Record<string, unknown> | undefined,
        operationName: operationName as string | undefined,
      })) as ExecutionResult;
      if (isAsyncIterable(result) || result.errors?.length || result.extensions) return giveUp();
      return (look?.pending && cache!.keep(look.pending, request, result)) || JSON.stringify(result);
    } catch {
      return giveUp();
    }
  };

  const server = http.createServer(async (req, res) => {
    const t0 = process.hrtime.bigint();
    const path = (req.url ?? "/").split("?")[0];
    const route =
      path === "/graphql" ? "graphql" : path === "/health" ? "health" : path === "/metrics" ? "metrics" : "other";
    res.on("finish", () => metrics.observe(route, res.statusCode, Number(process.hrtime.bigint() - t0) / 1e6));
    try {
      if (route === "graphql") {
        if (await direct(req, res)) return;
        return void (await yoga(req, res));
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET", "content-type": "application/json" });
        return void res.end(JSON.stringify({ error: "read-only API: GET only (POST is for /graphql)" }));
      }
      if (route === "health") {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(JSON.stringify(await health()));
      }
      if (route === "metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        return void res.end(metrics.text((await ledger.checkpoint())?.blockNumber, cache?.stats));
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `no route ${path}: /graphql, /health, /metrics` }));
    } catch {
      if (!res.headersSent) res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "the ledger is not reachable" }));
    }
  });
  // a slow client may not hold a socket for Node's default 5 minutes
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return {
    yoga,
    server,
    ledger,
    /** Starts listening (default 127.0.0.1:4000; port 0 = a free port). */
    listen(): Promise<LedgerServer> {
      return new Promise((resolve, reject) => {
        server.once("error", (err) => {
          void cache?.close();
          reject(err);
        });
        server.listen(o.port ?? 4000, o.host ?? "127.0.0.1", () => {
          const a = server.address() as AddressInfo;
          const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
          resolve({
            url: `http://${host}:${a.port}`,
            server,
            ledger,
            close: async () => {
              const closed = new Promise<void>((r) => server.close(() => r()));
              server.closeAllConnections();
              await closed;
              await cache?.close();
              if (ownLedger) await ledger.close();
            },
          });
        });
      });
    },
  };
}
