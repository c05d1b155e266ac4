/**
 * An EIP-1193 test wallet injected into the page: `window.ethereum` (also announced over EIP-6963) whose requests
 * go to this Node process, which answers account and chain questions itself and forwards everything else —
 * eth_sendTransaction and eth_signTypedData_v4 included — to the Hardhat node, whose accounts are unlocked.
 */
import type { BrowserContext, Page } from "playwright-core";

export interface TestWalletOptions {
  /** JSON-RPC URL of the node */
  rpcUrl: string;
  /** the account the wallet holds (one of the node's unlocked accounts) */
  account: string;
  /** chain the wallet is on at first (default: the node's) */
  chainId: number;
  /** chains the wallet knows besides its first one (switching to another one fails with 4902) */
  knownChains?: number[];
}

export interface WalletRequest {
  method: string;
  params: unknown;
}

interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

/** The Node side of the wallet. */
export class TestWallet {
  readonly requests: WalletRequest[] = [];
  chainId: number;
  account: string;
  private known: Set<number>;
  private pages = new Set<Page>();
  private hold?: Promise<void>;
  private receiptsHeld = false;

  constructor(private readonly o: TestWalletOptions) {
    this.chainId = o.chainId;
    this.account = o.account;
    this.known = new Set([o.chainId, ...(o.knownChains ?? [])]);
  }

  /** Injects the wallet into every page of the context (before any page script runs). */
  async install(context: BrowserContext): Promise<void> {
    await context.exposeBinding("__testWalletRequest", async ({ page }, method: string, params: unknown) => {
      this.pages.add(page);
      try {
        return { result: await this.handle(method, params as unknown[]) };
      } catch (err) {
        const e = err as RpcError;
        return { error: { code: e.code ?? -32603, message: e.message, data: e.data } };
      }
    });
    await context.addInitScript(() => {
      const listeners: Record<string, ((...a: unknown[]) => void)[]> = {};
      const w = globalThis as any;
      const provider = {
        isTestWallet: true,
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const out = await w.__testWalletRequest(method, params ?? []);
          if (out.error) {
            const err = new Error(out.error.message) as Error & { code: number; data?: unknown };
            err.code = out.error.code;
            if (out.error.data !== undefined) err.data = out.error.data;
            throw err;
          }
          return out.result;
        },
        on(event: string, fn: (...a: unknown[]) => void) {
          (listeners[event] ??= []).push(fn);
        },
        removeListener(event: string, fn: (...a: unknown[]) => void) {
          listeners[event] = (listeners[event] ?? []).filter((f) => f !== fn);
        },
      };
      w.__testWalletEmit = (event: string, value: unknown) => (listeners[event] ?? []).forEach((f) => f(value));
      w.ethereum = provider;
      const info = {
        uuid: "00000000-0000-4000-8000-000000000001",
        name: "Test wallet",
        rdns: "test.treelion",
        icon: "data:,",
      };
      const announce = () =>
        w.dispatchEvent(new w.CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
      w.addEventListener("eip6963:requestProvider", announce);
      announce();
    });
  }

  /** Until `release()` is called, transactions wait in the wallet (to see "Waiting for wallet"). */
  holdTransactions(): () => void {
    let release!: () => void;
    this.hold = new Promise<void>((r) => (release = r));
    return () => {
      this.hold = undefined;
      release();
    };
  }

  /** Until `release()` is called, receipts are not reported (the transaction stays "Pending" in the app). */
  holdReceipts(): () => void {
    this.receiptsHeld = true;
    return () => {
      this.receiptsHeld = false;
    };
  }

  sent(method: string): WalletRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  private async emit(event: string, value: unknown): Promise<void> {
    for (const page of this.pages) {
      if (!page.isClosed()) await page.evaluate(([e, v]) => (globalThis as any).__testWalletEmit(e, v), [event, value]);
    }
  }

  private async handle(method: string, params: unknown[]): Promise<unknown> {
    this.requests.push({ method, params });
    const hex = (n: number) => `0x${n.toString(16)}`;
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return [this.account];
      case "eth_chainId":
        return hex(this.chainId);
      case "net_version":
        return String(this.chainId);
      case "wallet_switchEthereumChain": {
        const id = Number((params[0] as { chainId: string }).chainId);
        if (!this.known.has(id)) throw { code: 4902, message: `Unrecognized chain ID ${hex(id)}` };
        this.chainId = id;
        setTimeout(() => void this.emit("chainChanged", hex(id)), 0);
        return null;
      }
      case "wallet_addEthereumChain": {
        const p = params[0] as { chainId: string; rpcUrls: string[] };
        const id = Number(p.chainId);
        if (!Array.isArray(p.rpcUrls) || p.rpcUrls.length === 0) throw { code: -32602, message: "rpcUrls missing" };
        this.known.add(id);
        this.chainId = id; // like common wallets: adding the chain switches to it
        setTimeout(() => void this.emit("chainChanged", hex(id)), 0);
        return null;
      }
    }
    if (method === "eth_getTransactionReceipt" && this.receiptsHeld) return null;
    if (method === "eth_sendTransaction") {
      if (this.chainId !== this.o.chainId && !this.known.has(this.o.chainId)) {
        throw { code: 4901, message: "the wallet is not on the node's chain" };
      }
      if (this.hold) await this.hold;
      const tx = { ...(params[0] as object), from: this.account };
      return this.forward(method, [tx]);
    }
    return this.forward(method, params);
  }

  private async forward(method: string, params: unknown[]): Promise<unknown> {
    const res = await fetch(this.o.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: RpcError };
    if (body.error) throw body.error;
    return body.result;
  }
}
