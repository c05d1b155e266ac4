/**
 * The areas of the whole-suite property test, in draw order (foundation, market, escrow, pools, bonds): the order is
 * part of a seed's meaning, so a recorded PROPERTY_SEED / PROPERTY_PATH replays the same steps only in this order.
 */
import type { PropertyArea } from "../actions";
import foundation from "./00-foundation";
import market from "./10-market";
import pools from "./20-pools";
import escrow from "./30-escrow";
import bonds from "./40-bonds";

export const AREAS: PropertyArea[] = [foundation, market, escrow, pools, bonds];
