/** Investors (ComplianceRegistry), bonds created by the factory and every bond event (GreenBond). */
import { p, stmt } from "../db";
import { AT, addr, big, bytes2ToText, str, type EventContext, type HandlerTable, type Work } from "./context";
import { tokenTransfer } from "./pools";

const bond = (db: any) => db.updateTable("bonds").where("address", "=", p("self"));
const row = (table: string, cols: Record<string, unknown>) =>
  stmt(table, (db) => db.insertInto(table).values({ ...AT, bond: p("self"), ...cols }));

const q = {
  upInvestor: stmt("upInvestor", (db) =>
    db
      .insertInto("investors")
      .values({
        account: p("account"),
        verified: p("verified"),
        country: p("country"),
        expires_at: p("expiresAt"),
        updated_block: p("blockNumber"),
      })
      .onConflict((oc) =>
        oc.column("account").doUpdateSet({
          verified: p("verified"),
          country: p("country"),
          expires_at: p("expiresAt"),
          updated_block: p("blockNumber"),
        }),
      ),
  ),
  insBond: stmt("insBond", (db) =>
    db
      .insertInto("bonds")
      .values({
        address: p("bond"),
        issuer: p("issuer"),
        payment_token: p("paymentToken"),
        terms: p("terms"),
        coupon_rate_bps: p("rate"),
        block_number: p("blockNumber"),
        tx_hash: p("txHash"),
        timestamp: p("timestamp"),
      })
      .onConflict((oc) => oc.doNothing()),
  ),
  insDiscovered: stmt("insDiscovered", (db) =>
    db
      .insertInto("contracts_discovered")
      .values({ address: p("bond"), kind: "bond", block_number: p("blockNumber") })
      .onConflict((oc) => oc.doNothing()),
  ),
  insSubscription: row("bond_subscriptions", { investor: p("account"), units: p("units"), paid: p("paid") }),
  insCoupon: row("coupon_payments", { period: p("period"), amount: p("amount"), rate_bps: p("rateBps") }),
  insClaim: row("coupon_claims", { holder: p("account"), amount: p("amount") }),
  insKpi: row("bond_kpi_reports", {
    kind: p("kind"),
    met: p("met"),
    evidence: p("evidence"),
    new_rate_bps: p("rateBps"),
  }),
  insBondRedemption: row("bond_redemptions", { holder: p("account"), units: p("units"), paid: p("paid") }),
  insBondEvent: row("bond_events", {
    name: p("name"),
    account: p("account"),
    units: p("units"),
    amount: p("amount"),
    details: p("details"),
  }),
  bondRate: stmt("bondRate", (db) => bond(db).set({ coupon_rate_bps: p("rateBps") })),
  bondKpi: stmt("bondKpi", (db) => bond(db).set({ kpi_met: p("met") })),
  bondDefault: stmt("bondDefault", (db) => bond(db).set({ defaulted_period: p("period"), status: "defaulted" })),
  bondClosed: stmt("bondClosed", (db) => bond(db).set({ status: p("status"), escrow_deal_id: p("dealId") })),
};

/** One row of `bond_events` (the other cash-flow and agent events), its arguments as JSON `details`. */
const bondEvent = (c: EventContext, o: { account?: unknown; units?: unknown; amount?: unknown }) =>
  c.run(q.insBondEvent, {
    name: c.e.name,
    account: o.account === undefined ? null : addr(o.account),
    units: o.units === undefined ? null : str(o.units),
    amount: o.amount === undefined ? null : str(o.amount),
    details: JSON.stringify(c.a),
  });

/** What the bond paid a holder at redemption: `BondRedeemed`. */
const redeemed = (c: EventContext) =>
  c.run(q.insBondRedemption, { account: addr(c.a.holder), units: str(c.a.units), paid: str(c.a.paid) });

export const bondHandlers: HandlerTable = {
  "compliance.InvestorUpdated": (c) =>
    c.run(q.upInvestor, {
      account: addr(c.a.account),
      verified: c.a.verified ? 1 : 0,
      country: bytes2ToText(c.a.country),
      expiresAt: big(c.a.expiresAt),
    }),
  "bondFactory.BondCreated": function* (c) {
    const bondAddr = addr(c.a.bond);
    const terms = c.a.terms as { couponRateBps?: unknown };
    const rate = terms.couponRateBps;
    yield c.run(q.insBond, {
      bond: bondAddr,
      issuer: addr(c.a.issuer),
      paymentToken: addr(c.a.paymentToken),
      terms: JSON.stringify(terms),
      rate: rate !== undefined ? Number(rate) : null,
    });
    yield c.run(q.insDiscovered, { bond: bondAddr });
    c.kinds.set(bondAddr, "bond");
  },
  "bond.Transfer": tokenTransfer,
  "bond.Subscribed": (c) =>
    c.run(q.insSubscription, { account: addr(c.a.investor), units: str(c.a.units), paid: str(c.a.paid) }),
  "bond.CouponFunded": (c) =>
    c.run(q.insCoupon, { period: big(c.a.period), amount: str(c.a.amount), rateBps: Number(c.a.rateBps) }),
  "bond.CouponClaimed": (c) => c.run(q.insClaim, { account: addr(c.a.holder), amount: str(c.a.amount) }),
  "bond.KpiReported": function* (c) {
    const met = c.a.met ? 1 : 0;
    yield c.run(q.insKpi, { kind: "report", met, evidence: c.a.evidence, rateBps: null });
    yield c.run(q.bondKpi, { met });
  },
  "bond.CouponStepUp": function* (c) {
    const rateBps = Number(c.a.newRateBps);
    yield c.run(q.insKpi, { kind: "step-up", met: null, evidence: null, rateBps });
    yield c.run(q.bondRate, { rateBps });
  },
  "bond.BondRedeemed": redeemed,
  "bond.Defaulted": (c) => c.run(q.bondDefault, { period: big(c.a.period) }),
  "bond.SubscriptionClosed": function* (c) {
    yield c.run(q.bondClosed, {
      status: c.a.success ? "active" : "refunding",
      dealId: c.a.success ? big(c.a.dealId) : null,
    });
    yield bondEvent(c, { units: c.a.units, amount: c.a.proceeds });
  },
  "bond.Refunded": (c) => bondEvent(c, { account: c.a.investor, units: c.a.units, amount: c.a.paid }),
  "bond.PrincipalFunded": (c) => bondEvent(c, { amount: c.a.amount }),
  "bond.EscrowRefundsPulled": (c) => bondEvent(c, { amount: c.a.amount }),
  "bond.IssuerSurplusWithdrawn": (c) => bondEvent(c, { account: c.a.issuer, amount: c.a.amount }),
  "bond.Frozen": (c) => bondEvent(c, { account: c.a.account }),
  "bond.ForcedTransfer": (c) => bondEvent(c, { account: c.a.from, units: c.a.units }),
};
