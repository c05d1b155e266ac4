/**
 * A response cache of the ledger API: a GraphQL answer is a function of its request (query, variables,
 * operation name) and of the ledger's content, so answers without errors are kept per request until the
 * ledger changes. The ledger's ChangeWatcher says when: on PostgreSQL every committed write NOTIFYs the API
 * processes (LISTEN), on SQLite `data_version` moves. While changes cannot be watched (the listening connection
 * is down) nothing is served from or stored in the cache. An answer computed across a change is not stored,
 * nor one that also depends on the clock (a governance operation's Pending/Ready status): its resolver calls
 * `dependsOnClock(context)`. A request with `Cache-Control: no-cache` (or `no-store`) is computed from the ledger
 * and its answer not stored (a bypass: a client that wants a fresh answer, and the bench's uncached run).
 */
import type { Plugin } from "graphql-yoga";
import type { ExecutionResult } from "graphql";
import type { ChangeWatcher } from "../db";

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  /** requests with Cache-Control: no-cache / no-store */
  bypasses: number;
  entries: number;
}

export interface Entry {
  result: ExecutionResult;
  json: string;
}

/** Requests whose answer depends on the clock as well as on the ledger: never stored. */
const clockDependent = new WeakSet<object>();

/** Marks the request of a resolver's context as clock-dependent: its answer is not kept in the cache. */
export function dependsOnClock(context: unknown): void {
  const request = (context as { request?: unknown } | undefined)?.request;
  if (request && typeof request === "object") clockDependent.add(request);
}

/** request directives asking for an answer computed now */
const NO_CACHE = /\bno-(cache|store)\b/i;

/** Answers larger than this are not kept (a few of them would fill the cache). */
const MAX_ANSWER_BYTES = 256 * 1024;

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private version: string | undefined;
  private pending = new WeakMap<object, { key: string; version: string }>();
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0, bypasses: 0, entries: 0 };

  constructor(
    private readonly watcher: ChangeWatcher,
    /** most answers kept (least recently used ones go first) */
    private readonly maxEntries: number,
  ) {}

  /** The ledger's version now; a change empties the cache. */
  private current(): string | undefined {
    const v = this.watcher.version();
    if (v !== this.version) {
      this.entries.clear();
      this.version = v;
    }
    this.stats.entries = this.entries.size;
    return v;
  }

  get(key: string): Entry | undefined {
    if (this.current() === undefined) return undefined;
    const e = this.entries.get(key);
    if (e) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(key: string, version: string, result: ExecutionResult): string | undefined {
    if (this.current() !== version) return undefined;
    const json = JSON.stringify(result);
    if (json.length > MAX_ANSWER_BYTES) return json;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { result, json });
    this.stats.entries = this.entries.size;
    return json;
  }

  /**
   * Looks a request up (shared by the yoga plugin and the server's direct path): a hit, or what to pass to
   * `keep` once the answer is computed (undefined: do not keep it).
   */
  lookup(
    params: { query?: string; variables?: unknown; operationName?: string | null },
    cacheControl: string | null,
  ): { hit?: Entry; pending?: { key: string; version: string }; counted: "hits" | "misses" | "bypasses" } {
    if (NO_CACHE.test(cacheControl ?? "")) {
      this.stats.bypasses++;
      return { counted: "bypasses" };
    }
    const key = JSON.stringify([params.query ?? "", params.variables ?? null, params.operationName ?? null]);
    const version = this.current();
    const hit = version === undefined ? undefined : this.get(key);
    if (hit) {
      this.stats.hits++;
      return { hit, counted: "hits" };
    }
    this.stats.misses++;
    return version === undefined ? { counted: "misses" } : { pending: { key, version }, counted: "misses" };
  }

  /** Takes back the count of a lookup whose request is answered by the yoga path after all (counted there). */
  uncount(counted: "hits" | "misses" | "bypasses"): void {
    this.stats[counted]--;
  }

  /** Keeps an answer of a looked-up request unless it depends on the clock or is not plain data; its JSON. */
  keep(
    p: { key: string; version: string },
    request: object,
    result: ExecutionResult | AsyncIterable<unknown> | undefined,
  ): string | undefined {
    if (clockDependent.has(request)) return undefined;
    if (!result || Symbol.asyncIterator in result || result.errors?.length || result.extensions) return undefined;
    return this.set(p.key, p.version, result);
  }

  /** The yoga plugin: a hit skips parsing, validation, execution and serialisation. */
  plugin(): Plugin {
    return {
      onParams: ({ params, request, setResult }) => {
        const { hit, pending } = this.lookup(params, request.headers.get("cache-control"));
        if (hit) return void setResult({ ...hit.result, stringify: () => hit.json } as ExecutionResult);
        if (pending) this.pending.set(request, pending);
      },
      onExecutionResult: ({ request, result, setResult }) => {
        const p = this.pending.get(request);
        if (!p) return;
        this.pending.delete(request);
        const json = this.keep(p, request, result as ExecutionResult);
        if (json !== undefined) setResult({ ...(result as ExecutionResult), stringify: () => json } as ExecutionResult);
      },
    };
  }

  close(): Promise<void> {
    this.entries.clear();
    return this.watcher.close();
  }
}
