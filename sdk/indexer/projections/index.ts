/**
 * The projections: one module per area, each a handler table `"<kind>.<Event>" → handler` over its own
 * statements. An event without a handler stays in `events` only (e.g. admin events).
 */
import type { HandlerTable } from "./context";
import { registryHandlers } from "./registry";
import { creditHandlers } from "./credits";
import { poolHandlers } from "./pools";
import { marketHandlers } from "./market";
import { escrowHandlers } from "./escrow";
import { bondHandlers } from "./bonds";
import { bufferHandlers } from "./buffer";
import { labelHandlers } from "./labels";
import { governanceHandlers } from "./governance";

export * from "./context";

function merge(...tables: HandlerTable[]): HandlerTable {
  const out: HandlerTable = {};
  for (const t of tables)
    for (const [k, h] of Object.entries(t)) {
      if (out[k]) throw new Error(`two projections handle ${k}`);
      out[k] = h;
    }
  return out;
}

/** Every area's handlers. */
export const HANDLERS: HandlerTable = merge(
  registryHandlers,
  creditHandlers,
  poolHandlers,
  marketHandlers,
  escrowHandlers,
  bondHandlers,
  bufferHandlers,
  labelHandlers,
  governanceHandlers,
);
