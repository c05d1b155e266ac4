/**
 * The Treelion app in a real browser (playwright-core + a headless Chromium) against an `npm run app`-style stack
 * on free ports, with an injected EIP-1193 test wallet forwarding to the node's unlocked accounts.
 * Screenshots of every page and the budget measurements land in app/test/artifacts/.
 */
import fs from "fs";
import path from "path";
import zlib from "zlib";
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { createTreelion, type Treelion } from "../../sdk";
import { freePort, startStack, type Stack } from "../scripts/stack";
import { launchBrowser } from "./browser";
import { TestWallet } from "./wallet";

const ARTIFACTS = path.join(__dirname, "artifacts");
const HOSTILE_NAME = `<img src=x onerror="window.__pwned=1">"Acme" & <script>window.__pwned=2</script>`;

describe("The Treelion app in a browser", function () {
  this.timeout(600_000);
  let stack: Stack;
  let browser: Browser;
  let provider: JsonRpcProvider;
  let app: string;
  const contexts: BrowserContext[] = [];
  /** uncaught errors in any page: each test ends with none */
  const pageErrors: string[] = [];

  afterEach(function () {
    const errors = pageErrors.splice(0);
    expect(errors, "uncaught errors in the app").to.deep.equal([]);
  });

  /** SDK client whose transactions come from one of the node's unlocked accounts. */
  const as = async (who: string): Promise<Treelion> =>
    createTreelion({ runner: await provider.getSigner(who), addresses: stack.config.addresses });
  const reader = (): Treelion => createTreelion({ runner: provider, addresses: stack.config.addresses });

  async function travelTo(ts: bigint): Promise<void> {
    const latest = BigInt((await provider.getBlock("latest"))!.timestamp);
    if (ts > latest) await provider.send("evm_increaseTime", [Number(ts - latest)]);
    await provider.send("evm_mine", []);
  }

  /** A page with its own test wallet holding `account`. */
  async function open(
    account: string,
    opts: { chainId?: number; knownChains?: number[] } = {},
  ): Promise<{ page: Page; wallet: TestWallet }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const wallet = new TestWallet({
      rpcUrl: stack.urls.node,
      account,
      chainId: opts.chainId ?? stack.config.chainId,
      knownChains: opts.knownChains,
    });
    await wallet.install(context);
    const page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    return { page, wallet };
  }

  async function connect(page: Page, wallet: TestWallet): Promise<void> {
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Disconnect" }).waitFor();
    expect(wallet.sent("eth_requestAccounts")).to.have.length(1);
  }

  /** Waits until the ledger API has indexed the node's latest block. */
  async function indexed(): Promise<void> {
    const head = await provider.getBlockNumber();
    const base = stack.urls.api.replace(/\/graphql$/, "");
    for (let i = 0; i < 120; i++) {
      const h = (await (await fetch(`${base}/health`)).json()) as { blockNumber: number | string };
      if (Number(h.blockNumber) >= head) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the ledger did not reach block ${head}`);
  }

  before(async function () {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const [nodePort, apiPort, appPort] = [await freePort(), await freePort(), await freePort()];
    stack = await startStack({
      nodePort,
      apiPort,
      appPort,
      deploymentsDir: fs.mkdtempSync(path.join(require("os").tmpdir(), "treelion-app-deployments-")),
      log: process.env.APP_TEST_VERBOSE ? (l) => console.log(l) : undefined,
    });
    app = stack.urls.app;
    provider = new JsonRpcProvider(stack.urls.node, stack.config.chainId, { staticNetwork: true });
    browser = await launchBrowser();
  });

  after(async function () {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    provider?.destroy();
    await stack?.stop();
  });

  it("connects the wallet and shows the connected account", async function () {
    const { page, wallet } = await open(stack.seed.accounts.buyer);
    await page.goto(`${app}/`);
    await connect(page, wallet);
    const short = `${stack.seed.accounts.buyer.slice(0, 6)}…${stack.seed.accounts.buyer.slice(-4)}`;
    await page.getByText(short).waitFor();
    expect(await page.getByRole("heading", { name: "Wrong network" }).count()).to.equal(0);
  });

  it("shows the wrong network state and switches the wallet, adding the local chain it does not know", async function () {
    const { page, wallet } = await open(stack.seed.accounts.buyer, { chainId: 1 });
    await page.goto(`${app}/portfolio`);
    await connect(page, wallet);
    await page.getByRole("heading", { name: "Wrong network" }).waitFor();
    await page.getByRole("button", { name: /^Switch to / }).click();
    await page.getByRole("heading", { name: "Wrong network" }).waitFor({ state: "detached" });
    const hexChain = `0x${stack.config.chainId.toString(16)}`;
    expect(wallet.sent("wallet_switchEthereumChain")[0].params).to.deep.equal([{ chainId: hexChain }]);
    const added = wallet.sent("wallet_addEthereumChain")[0].params as { chainId: string; rpcUrls: string[] }[];
    expect(added[0].chainId).to.equal(hexChain);
    expect(added[0].rpcUrls).to.deep.equal([stack.urls.node]);
    expect(wallet.chainId).to.equal(stack.config.chainId);
    // now on the right chain the portfolio loads
    await page.getByRole("heading", { name: "Credits" }).waitFor();
  });

  /** Retires `tonnes` of the buyer's first holding through the portfolio form; returns the certificate id. */
  async function retireFromPortfolio(page: Page, wallet: TestWallet, tonnes: string, name: string, reason: string) {
    await page.goto(`${app}/portfolio`);
    await connect(page, wallet);
    const row = page
      .locator("li.row")
      .filter({ hasText: /^Batch #\d+/ })
      .first();
    const label = (await row.locator("span").first().textContent())!;
    const batchId = BigInt(label.replace("Batch #", ""));
    await row.getByRole("button", { name: "Retire" }).click();
    await row.getByLabel("Tonnes").fill(tonnes);
    await row.getByLabel("Beneficiary name").fill(name);
    await row.getByLabel("Reason").fill(reason);
    const release = wallet.holdTransactions();
    const releaseReceipts = wallet.holdReceipts();
    await row.getByRole("button", { name: "Retire credits" }).click();
    await row.getByRole("status").filter({ hasText: "Waiting for wallet" }).waitFor();
    release();
    await row.getByRole("status").filter({ hasText: "Pending" }).waitFor();
    releaseReceipts();
    await page.waitForURL(/\/certificates\/\d+$/);
    const certificateId = BigInt(page.url().split("/").pop()!);
    return { batchId, certificateId };
  }

  it("retires credits from the portfolio, opens the verified certificate and lists it under the beneficiary", async function () {
    const buyer = stack.seed.accounts.buyer;
    const { page, wallet } = await open(buyer);
    const { batchId, certificateId } = await retireFromPortfolio(
      page,
      wallet,
      "1.5",
      "Acme Airlines",
      "Retired in the browser test",
    );
    await page.getByRole("heading", { name: `Retirement certificate #${certificateId}` }).waitFor();
    await page.getByText("1.500 t", { exact: true }).waitFor();
    await page.getByText("Verified on-chain", { exact: true }).waitFor();
    await page.getByText("Retired in the browser test", { exact: true }).waitFor();
    // the contract agrees with what the page shows
    const onChain = await reader().certificateJson(certificateId);
    expect(onChain.tonnes).to.equal("1.500");
    expect(onChain.beneficiaryName).to.equal("Acme Airlines");
    expect(onChain.batchIds).to.deep.equal([batchId]);
    const batch = await reader().credit.batch(batchId);
    const project = await reader().registry.project(await reader().credit.projectOf(batchId));
    await page.getByText(project.name, { exact: false }).first().waitFor();
    await page.getByText(`${batch.serialStart}–${batch.serialEnd}`, { exact: false }).waitFor();

    await page.getByRole("link", { name: buyer }).click();
    await page.waitForURL(`${app}/retirements/${buyer}`);
    await page.getByRole("heading", { name: `Retirements for ${buyer}` }).waitFor();
    const link = page.getByRole("link", { name: `Certificate #${certificateId}`, exact: true });
    await link.waitFor();
    await page.getByText(/Total retired:/).waitFor();
    await link.click();
    await page.waitForURL(`${app}/certificates/${certificateId}`);
  });

  it("shows a hostile beneficiary name verbatim as text and runs none of it", async function () {
    const { page, wallet } = await open(stack.seed.accounts.buyer);
    const { certificateId } = await retireFromPortfolio(page, wallet, "0.001", HOSTILE_NAME, "<b>bold?</b>");
    await page.getByText("Verified on-chain", { exact: true }).waitFor();
    expect(await page.locator(".beneficiary").textContent()).to.equal(HOSTILE_NAME);
    await page.getByText("<b>bold?</b>", { exact: true }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).__pwned)).to.equal(undefined);
    expect(await page.locator("main img, main script, main b").count()).to.equal(0);
    expect((await reader().certificateJson(certificateId)).beneficiaryName).to.equal(HOSTILE_NAME);
  });

  it("buys credits and buys-and-retires at the shown fee-inclusive total, and refuses a raised price (slippage)", async function () {
    const buyer = stack.seed.accounts.buyer;
    const listingId = BigInt(stack.seed.listingId);
    const batchId = BigInt(stack.seed.listingBatchId);
    const { page, wallet } = await open(buyer);
    await page.goto(`${app}/market`);
    await connect(page, wallet);
    const row = () => page.locator("li.row").filter({ hasText: `Listing #${listingId}` });

    // buy 2 t
    const held0 = await reader().credit.balanceOf(buyer, batchId);
    await row().getByRole("button", { name: "Buy" }).click();
    await row().getByLabel("Tonnes").fill("2");
    const [total, fee] = await reader().market!.quote(listingId, 2000n);
    const money = (v: bigint) =>
      `${(v / 1_000_000n).toLocaleString("en-US")}.${(v % 1_000_000n).toString().padStart(6, "0").slice(0, 2)} tUSD`;
    await row()
      .getByText(`Total ${money(total)} (incl. fee ${money(fee)})`)
      .waitFor();
    expect(wallet.sent("eth_sendTransaction")).to.have.length(0);
    await row().getByRole("button", { name: "Buy credits" }).click();
    await row().getByRole("status").filter({ hasText: "Confirmed" }).waitFor();
    expect(await reader().credit.balanceOf(buyer, batchId)).to.equal(held0 + 2000n);

    // buy and retire 1 t
    await indexed();
    await page.reload();
    await row().getByRole("button", { name: "Buy" }).click();
    await row().getByLabel("Tonnes").fill("1");
    await row().getByLabel("Retire on purchase").check();
    await row().getByLabel("Beneficiary name").fill("Acme Airlines");
    await row().getByLabel("Reason").fill("bought and retired in the app");
    await row()
      .getByText(/^Total /)
      .waitFor();
    await row().getByRole("button", { name: "Buy and retire" }).click();
    await row().getByRole("status").filter({ hasText: "Confirmed" }).waitFor();
    const certLink = row().getByRole("link", { name: /Retirement certificate #\d+/ });
    const certId = BigInt((await certLink.textContent())!.split("#")[1]);
    expect((await reader().certificateJson(certId)).reason).to.equal("bought and retired in the app");
    expect(await reader().credit.balanceOf(buyer, batchId)).to.equal(held0 + 2000n);

    // the seller raises the price after the total was shown: the purchase is refused, nothing is sent
    await page.reload();
    await row().getByRole("button", { name: "Buy" }).click();
    await row().getByLabel("Tonnes").fill("1");
    await row()
      .getByText(/^Total /)
      .waitFor();
    const developer = await as(stack.seed.accounts.developer);
    await (await developer.market!.updatePrice(listingId, 99_000_000n)).wait();
    const sentBefore = wallet.sent("eth_sendTransaction").length;
    await row().getByRole("button", { name: "Buy credits" }).click();
    await row().getByRole("alert").filter({ hasText: "PriceExceedsMax" }).waitFor();
    expect(wallet.sent("eth_sendTransaction").length).to.equal(sentBefore);
    expect(await reader().credit.balanceOf(buyer, batchId)).to.equal(held0 + 2000n);
  });

  it("deposits credits into a pool and redeems them", async function () {
    const buyer = stack.seed.accounts.buyer;
    const pool = reader().pools.NatureCarbonPool;
    const { page, wallet } = await open(buyer);
    await indexed();
    await page.goto(`${app}/pools/NatureCarbonPool`);
    await connect(page, wallet);
    await page.getByRole("heading", { name: "NatureCarbonPool" }).waitFor();
    await page.getByRole("img", { name: "Composition by project and vintage (t)" }).waitFor();

    const deposit = page.locator("form").filter({ has: page.getByRole("heading", { name: "Deposit credits" }) });
    await deposit.getByLabel("Batch").locator("option").first().waitFor({ state: "attached" });
    // the buyer's first batch the pool accepts
    // the first option can be the placeholder while the account's holdings still load: wait for real batches
    let options: string[] = [];
    for (let i = 0; i < 200 && !options.some(Boolean); i++) {
      if (i > 0) await page.waitForTimeout(100);
      options = await deposit
        .getByLabel("Batch")
        .locator("option")
        .evaluateAll((os) => os.map((o: any) => o.value));
    }
    let eligible: bigint | undefined;
    for (const o of options) if (o && (await pool.isEligible(BigInt(o)))) eligible ??= BigInt(o);
    expect(eligible === undefined, `an eligible batch among ${options.join(", ")}`).to.equal(false);
    const batchId = eligible!;
    await deposit.getByLabel("Batch").selectOption(String(batchId));
    const tokens0 = await pool.balanceOf(buyer);
    const credits0 = await reader().credit.balanceOf(buyer, batchId);
    await deposit.getByLabel("Tonnes").fill("1");
    await deposit.getByRole("button", { name: "Deposit" }).click();
    await deposit.getByRole("status").filter({ hasText: "Confirmed" }).waitFor();
    expect(await pool.balanceOf(buyer)).to.equal(tokens0 + 10n ** 18n);
    expect(await reader().credit.balanceOf(buyer, batchId)).to.equal(credits0 - 1000n);

    await indexed();
    await page.reload();
    const redeem = page.locator("form").filter({ has: page.getByRole("heading", { name: "Redeem credits" }) });
    await redeem.getByLabel("Batch").selectOption(String(batchId));
    await redeem.getByLabel("Tonnes").fill("0.5");
    await redeem.getByRole("button", { name: "Redeem" }).click();
    await redeem.getByRole("status").filter({ hasText: "Confirmed" }).waitFor();
    expect(await reader().credit.balanceOf(buyer, batchId)).to.equal(credits0 - 500n);
    expect(await pool.balanceOf(buyer)).to.be.lessThan(tokens0 + 10n ** 18n);
  });

  it("lets a verifier attest a milestone and the beneficiary withdraw it", async function () {
    const dealId = BigInt(stack.seed.dealId);
    const escrow = reader().escrow!;
    const usd = reader().usd!;
    const usdAddr = await usd.getAddress();
    const v = await open(stack.seed.accounts.verifier);
    await v.page.goto(`${app}/deals/${dealId}`);
    await connect(v.page, v.wallet);
    const m1 = v.page.locator("li.milestone").filter({ has: v.page.getByRole("heading", { name: "Milestone 1" }) });
    await m1.getByLabel("Evidence").fill("site visit 2026-12-01");
    await m1.getByRole("button", { name: "Attest" }).click();
    await m1.getByRole("status").filter({ hasText: "Confirmed" }).waitFor();
    const developer = stack.seed.accounts.developer;
    const owed = await escrow.owed(developer, usdAddr);
    expect(owed).to.be.greaterThan(0n);
    await indexed();

    const d = await open(developer);
    await d.page.goto(`${app}/deals/${dealId}`);
    await connect(d.page, d.wallet);
    await d.page.getByText("Released").first().waitFor();
    const balance0 = await usd.balanceOf(developer);
    await d.page.getByRole("button", { name: "Withdraw" }).click();
    await d.page.getByRole("status").filter({ hasText: "Confirmed" }).first().waitFor();
    expect(await usd.balanceOf(developer)).to.equal(balance0 + owed);
    expect(await escrow.owed(developer, usdAddr)).to.equal(0n);
  });

  it("subscribes to a bond and claims its first coupon", async function () {
    const investor = stack.seed.accounts.investor1;
    const bondAddr = stack.seed.bond;
    const bond = reader().bond(bondAddr);
    const { page, wallet } = await open(investor);
    await page.goto(`${app}/bonds/${bondAddr}`);
    await connect(page, wallet);
    await page.getByRole("heading", { name: "Cash-flow schedule (per bond)" }).waitFor();
    const form = page.locator("form").filter({ has: page.getByRole("heading", { name: "Subscribe" }) });
    await form.getByLabel("Bonds").fill("20");
    await form.getByText("Price 2,000.00 tUSD").waitFor();
    await form.getByRole("button", { name: "Subscribe" }).click();
    await form.getByRole("status").filter({ hasText: "Confirmed" }).waitFor();
    expect(await bond.balanceOf(investor)).to.equal(20n * 10n ** 18n);

    // the offering closes and the issuer funds coupon 1 (outside the app)
    await travelTo(await bond.subscriptionEnd());
    const developer = await as(stack.seed.accounts.developer);
    await (await developer.bond(bondAddr).closeSubscription()).wait();
    await travelTo(await bond.couponDueAt(1));
    const amount = await bond.couponAmount(await bond.currentRateBps());
    await (await developer.usd!.mint(stack.seed.accounts.developer, amount)).wait();
    await (await developer.usd!.approve(bondAddr, amount)).wait();
    await (await developer.bond(bondAddr).depositCoupon(1)).wait();
    const claimable = await bond.claimable(investor);
    expect(claimable).to.be.greaterThan(0n);

    await page.reload();
    const usd0 = await reader().usd!.balanceOf(investor);
    const claim = page.locator(".panel").filter({ has: page.getByRole("button", { name: "Claim coupon" }) });
    await claim.getByRole("button", { name: "Claim coupon" }).click();
    await claim.getByRole("status").filter({ hasText: "Confirmed" }).waitFor();
    expect(await reader().usd!.balanceOf(investor)).to.equal(usd0 + claimable);
    expect(await bond.claimable(investor)).to.equal(0n);
  });

  describe("every page", function () {
    let context: BrowserContext;
    const budgets: Record<string, unknown> = {};

    before(async function () {
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await new TestWallet({
        rpcUrl: stack.urls.node,
        account: stack.seed.accounts.buyer,
        chainId: stack.config.chainId,
      }).install(context);
      context.on("page", (page) => page.on("pageerror", (err) => pageErrors.push(`${page.url()}: ${err.message}`)));
      // pages open connected (the app reconnects silently with eth_accounts)
      await context.addInitScript(() => {
        if ((globalThis as any).location.protocol === "http:")
          (globalThis as any).localStorage.setItem("treelion.wallet.connected", "1");
      });
    });

    after(async function () {
      await context?.close().catch(() => undefined);
      if (Object.keys(budgets).length) {
        fs.writeFileSync(path.join(ARTIFACTS, "budgets.json"), JSON.stringify(budgets, null, 2) + "\n");
        console.log(`      budgets: ${JSON.stringify(budgets)}`);
      }
    });

    /** Every page of the app with a seeded example and the text that shows its data has loaded. */
    const pages = () => {
      const buyer = stack.seed.accounts.buyer;
      return [
        { name: "overview", path: "/", ready: "tonnes issued" },
        { name: "projects", path: "/projects", ready: /\d+ projects/ },
        { name: "project", path: "/projects/1", ready: "Batches" },
        { name: "portfolio", path: "/portfolio", ready: "Escrow money owed" },
        { name: "market", path: "/market", ready: `Listing #${stack.seed.listingId}` },
        { name: "pool", path: "/pools/NatureCarbonPool", ready: "Composition by project and vintage (t)" },
        { name: "deal", path: `/deals/${stack.seed.dealId}`, ready: "Milestone 1" },
        { name: "bond", path: `/bonds/${stack.seed.bond}`, ready: "Cash-flow schedule (per bond)" },
        { name: "retirements", path: `/retirements/${buyer}`, ready: /Total retired/ },
        { name: "certificate", path: "/certificates/1", ready: "Verified on-chain" },
      ];
    };

    /** Longest chain of data requests (ledger API, RPC) where each starts after the previous one ended. */
    function waterfall(requests: { start: number; end: number }[]): number {
      const sorted = [...requests].sort((a, b) => a.start - b.start);
      const depth: number[] = [];
      sorted.forEach((r, i) => {
        depth[i] = 1 + Math.max(0, ...sorted.slice(0, i).map((q, j) => (q.end <= r.start ? depth[j] : 0)));
      });
      return Math.max(0, ...depth);
    }

    it("has no serious or critical axe-core violation on any page, keeps a screenshot of each, and no page waterfalls past 2 round trips", async function () {
      const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
      const rounds: Record<string, number> = {};
      for (const p of pages()) {
        const page = await context.newPage();
        const data: { start: number; end: number }[] = [];
        page.on("requestfinished", (req: Request) => {
          const url = new URL(req.url());
          if (url.pathname !== "/graphql" && url.pathname !== "/rpc") return;
          const t = req.timing();
          data.push({ start: t.startTime, end: t.startTime + t.responseEnd });
        });
        await page.goto(`${app}${p.path}`);
        await page.getByText(p.ready).first().waitFor();
        await page.waitForLoadState("networkidle");
        rounds[p.name] = waterfall(data);
        await page.screenshot({ path: path.join(ARTIFACTS, `${p.name}.png`), fullPage: true });
        await page.addScriptTag({ content: axeSource });
        const violations = (await page.evaluate(async () => {
          const r = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ["violations"] });
          return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
        })) as { id: string; impact: string; nodes: number; help: string }[];
        const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        expect(serious, `${p.path}: ${JSON.stringify(serious)}`).to.deep.equal([]);
        await page.close();
      }
      budgets.dataRoundTrips = rounds;
      for (const [name, n] of Object.entries(rounds)) expect(n, `${name}: ${n} round trips`).to.be.at.most(2);
    });

    it("loads at most 350 KB of gzipped JavaScript on the initial route and shows the overview with data in under 2 s", async function () {
      const page = await context.newPage();
      const scripts: Promise<number>[] = [];
      page.on("response", (res) => {
        if (res.request().resourceType() === "script") scripts.push(res.body().then((b) => zlib.gzipSync(b).length));
      });
      const t0 = Date.now();
      await page.goto(`${app}/`);
      await page.getByText("tonnes issued").waitFor();
      await page.getByRole("button", { name: "Disconnect" }).waitFor();
      const wallMs = Date.now() - t0;
      const navMs = await page.evaluate(() => Math.round((globalThis as any).performance.now()));
      await page.waitForLoadState("networkidle");
      const gzipBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
      budgets.initialRouteJsGzipKB = Math.round(gzipBytes / 102.4) / 10;
      budgets.overviewWithDataMs = { wall: wallMs, sinceNavigationStart: navMs };
      await page.close();
      expect(gzipBytes).to.be.at.most(350 * 1024);
      expect(wallMs).to.be.lessThan(2000);
    });
  });
});
