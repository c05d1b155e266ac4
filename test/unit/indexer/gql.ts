/** GraphQL over HTTP for the API tests: one POST, its status, body and text. */
import { expect } from "chai";
import type { LedgerServer } from "../../../sdk/indexer";

export interface Answer {
  status: number;
  body: any;
  text: string;
}

export async function gql(api: LedgerServer, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const r = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const text = await r.text();
  return { status: r.status, body: JSON.parse(text), text };
}

/** data of a query that must succeed */
export async function data(api: LedgerServer, query: string, variables?: Record<string, unknown>) {
  const a = await gql(api, query, variables);
  expect(a.body.errors, a.text).to.equal(undefined);
  expect(a.status).to.equal(200);
  return a.body.data;
}

/** How many answers the API process has served from its response cache (from /metrics). */
export async function cacheHits(api: LedgerServer): Promise<number> {
  const metrics = await (await fetch(`${api.url}/metrics`)).text();
  return Number(/treelion_api_response_cache_total\{result="hit"\} (\d+)/.exec(metrics)![1]);
}
