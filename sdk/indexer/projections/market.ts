/** Listings and purchases (CreditMarketplace). */
import { sql } from "kysely";
import { p, stmt } from "../db";
import { AT, addr, big, str, type HandlerTable, type Work } from "./context";

const q = {
  insListing: stmt("insListing", (db) =>
    db.insertInto("listings").values({
      listing_id: p("listingId"),
      seller: p("seller"),
      batch_id: p("batchId"),
      amount_kg: p("kg"),
      remaining_kg: p("kg"),
      payment_token: p("paymentToken"),
      price_per_tonne: p("price"),
      status: "open",
      block_number: p("blockNumber"),
      tx_hash: p("txHash"),
      timestamp: p("timestamp"),
    }),
  ),
  insPurchase: stmt("insPurchase", (db) =>
    db.insertInto("purchases").values({
      ...AT,
      listing_id: p("listingId"),
      buyer: p("buyer"),
      amount_kg: p("kg"),
      total_price: p("totalPrice"),
      fee: p("fee"),
      retired: p("retired"),
    }),
  ),
  buyListing: stmt("buyListing", (db) =>
    db
      .updateTable("listings")
      .set({
        sold_kg: sql`sold_kg + ${p("kg")}`,
        remaining_kg: sql`remaining_kg - ${p("kg")}`,
        status: sql`CASE WHEN remaining_kg - ${p("kg")} = 0 THEN 'sold' ELSE status END`,
      })
      .where("listing_id", "=", p("listingId")),
  ),
  cancelListing: stmt("cancelListing", (db) =>
    db.updateTable("listings").set({ status: "cancelled", remaining_kg: 0 }).where("listing_id", "=", p("listingId")),
  ),
  priceListing: stmt("priceListing", (db) =>
    db
      .updateTable("listings")
      .set({ price_per_tonne: p("price") })
      .where("listing_id", "=", p("listingId")),
  ),
};

export const marketHandlers: HandlerTable = {
  "market.Listed": (c) =>
    c.run(q.insListing, {
      listingId: big(c.a.listingId),
      seller: addr(c.a.seller),
      batchId: big(c.a.batchId),
      kg: big(c.a.amountKg),
      paymentToken: addr(c.a.paymentToken),
      price: str(c.a.pricePerTonne),
    }),
  "market.Purchased": function* (c) {
    const args = {
      listingId: big(c.a.listingId),
      buyer: addr(c.a.buyer),
      kg: big(c.a.amountKg),
      totalPrice: str(c.a.totalPrice),
      fee: str(c.a.fee),
      retired: c.a.retired ? 1 : 0,
    };
    yield c.run(q.insPurchase, args);
    yield c.run(q.buyListing, args);
  },
  "market.ListingCancelled": (c) => c.run(q.cancelListing, { listingId: big(c.a.listingId) }),
  "market.PriceUpdated": (c) =>
    c.run(q.priceListing, { listingId: big(c.a.listingId), price: str(c.a.newPricePerTonne) }),
};
