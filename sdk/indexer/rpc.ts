/** A minimal JSON-RPC client (fetch, per-request timeout, batch requests) and the interface the indexer needs. */

export interface RpcCall {
  method: string;
  params: unknown[];
}

/** What the indexer needs of a node. Wrap it to inject faults in tests. */
export interface Rpc {
  send(method: string, params: unknown[]): Promise<any>;
  /** several calls in one round trip; results in order; a failed call rejects the whole batch */
  batch(calls: RpcCall[]): Promise<any[]>;
}

export class RpcError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** JSON-RPC over HTTP. `timeoutMs` aborts a request that takes longer (reported as a timeout error). */
export class HttpRpc implements Rpc {
  private id = 0;
  constructor(
    readonly url: string,
    readonly timeoutMs = 30_000,
  ) {}

  /** Every call the indexer makes is a read, so a request on a connection the server closed is simply resent. */
  private async post(body: unknown, attempt = 0): Promise<any> {
    try {
      return await this.postOnce(body);
    } catch (err: any) {
      const stale = /other side closed|socket hang up|ECONNRESET|UND_ERR_SOCKET/i.test(
        `${err?.message} ${err?.cause?.message} ${err?.cause?.code}`,
      );
      if (stale && attempt < 2) return this.post(body, attempt + 1);
      throw err;
    }
  }

  private async postOnce(body: unknown): Promise<any> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.timeoutMs);
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: ctrl.signal,
      });
      const text = await res.text();
      if (!res.ok && !text.startsWith("{") && !text.startsWith("["))
        throw new RpcError(`HTTP ${res.status}: ${text.slice(0, 200)}`, res.status);
      return JSON.parse(text);
    } catch (err: any) {
      if (err?.name === "AbortError") throw new RpcError(`request timeout after ${this.timeoutMs} ms`, -32099);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async send(method: string, params: unknown[]): Promise<any> {
    const r = await this.post({ jsonrpc: "2.0", id: ++this.id, method, params });
    if (r.error) throw new RpcError(r.error.message ?? JSON.stringify(r.error), r.error.code, r.error.data);
    return r.result;
  }

  async batch(calls: RpcCall[]): Promise<any[]> {
    if (calls.length === 0) return [];
    if (calls.length === 1) return [await this.send(calls[0].method, calls[0].params)];
    const base = this.id;
    this.id += calls.length;
    const body = calls.map((c, i) => ({ jsonrpc: "2.0", id: base + i + 1, method: c.method, params: c.params }));
    const r = await this.post(body);
    if (!Array.isArray(r)) {
      if (r?.error) throw new RpcError(r.error.message ?? JSON.stringify(r.error), r.error.code, r.error.data);
      throw new RpcError("batch request not supported by the node");
    }
    const byId = new Map<number, any>(r.map((x: any) => [Number(x.id), x]));
    return calls.map((_, i) => {
      const x = byId.get(base + i + 1);
      if (!x) throw new RpcError("missing response in batch");
      if (x.error) throw new RpcError(x.error.message ?? JSON.stringify(x.error), x.error.code, x.error.data);
      return x.result;
    });
  }
}

/** Provider errors that mean "ask for a smaller block range". */
export function isRangeTooLarge(err: unknown): boolean {
  const e = err as { message?: string; code?: number; cause?: { message?: string } } | undefined;
  // a dropped connection while a large eth_getLogs answer streams back is treated like a size refusal too
  const msg = `${String(e?.message ?? err)} ${e?.cause?.message ?? ""}`;
  return (
    e?.code === -32005 ||
    e?.code === -32099 ||
    /too many|more than \d+|query returned more than|limit exceeded|exceeds? (the )?(max|limit)|response size|range (is )?too (large|wide|big)|block range|timeout|timed out|time-out|other side closed|socket hang up|ECONNRESET|fetch failed/i.test(
      msg,
    )
  );
}
