/**
 * Serves the built app (app/dist) with its network config embedded in index.html, and proxies `/graphql` to the
 * ledger API and `/rpc` to the node so the browser talks to one origin (no CORS preflight round trips).
 */
import fs from "fs";
import http from "http";
import path from "path";
import type { AppConfig } from "../src/app-config";

export type { AppConfig };

const CONFIG_MARK = "<!--treelion-config-->";

/** index.html with the config as `<script type="application/json" id="treelion-config">`; `<` is escaped. */
export function injectConfig(html: string, config: AppConfig): string {
  if (!html.includes(CONFIG_MARK)) throw new Error(`index.html has no ${CONFIG_MARK} placeholder`);
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  return html.replace(CONFIG_MARK, `<script type="application/json" id="treelion-config">${json}</script>`);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
};

function proxy(req: http.IncomingMessage, res: http.ServerResponse, target: string): void {
  const url = new URL(target);
  const upstream = http.request(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname + (req.url?.includes("?") ? req.url.slice(req.url.indexOf("?")) : ""),
      method: req.method,
      headers: { ...req.headers, host: url.host },
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", (err) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(`upstream ${target} unreachable: ${err.message}`);
  });
  req.pipe(upstream);
}

export interface ServeOptions {
  port: number;
  host?: string;
  dist: string;
  config: AppConfig;
  /** ledger API base URL (its /graphql is proxied), optional for a static deployment */
  apiUrl?: string;
  /** node RPC URL proxied at /rpc */
  rpcUrl?: string;
}

/** Starts the server; resolves once it listens. */
export async function serveApp(o: ServeOptions): Promise<{ close(): Promise<void> }> {
  const indexHtml = injectConfig(fs.readFileSync(path.join(o.dist, "index.html"), "utf8"), o.config);
  const root = path.resolve(o.dist);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (o.apiUrl && pathname === "/graphql") return proxy(req, res, `${o.apiUrl}/graphql`);
    if (o.rpcUrl && pathname === "/rpc") return proxy(req, res, o.rpcUrl);
    const file = path.resolve(root, "." + pathname);
    if (file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const type = TYPES[path.extname(file)] ?? "application/octet-stream";
      const immutable = pathname.startsWith("/assets/");
      res.writeHead(200, {
        "content-type": type,
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      });
      fs.createReadStream(file).pipe(res);
      return;
    }
    // every page path is the app (client-side routing)
    res.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-cache" });
    res.end(indexHtml);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
