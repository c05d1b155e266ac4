/**
 * The wallet: any EIP-1193 provider (EIP-6963 announced providers first, else `window.ethereum`).
 * Tracks the account and the chain; a chain other than the app's is the "wrong network" state, which offers
 * wallet_switchEthereumChain and, when the wallet does not know the chain (error 4902), wallet_addEthereumChain.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { config } from "./config";

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<any>;
  on?(event: string, listener: (...args: any[]) => void): void;
  removeListener?(event: string, listener: (...args: any[]) => void): void;
}

interface Announced {
  info: { uuid: string; name: string; rdns?: string };
  provider: Eip1193;
}

const announced: Announced[] = [];
window.addEventListener("eip6963:announceProvider", (e: Event) => {
  const detail = (e as CustomEvent<Announced>).detail;
  if (detail?.provider && !announced.some((a) => a.info.uuid === detail.info.uuid)) announced.push(detail);
});
window.dispatchEvent(new Event("eip6963:requestProvider"));

function findProvider(): { provider: Eip1193; name: string } | undefined {
  if (announced[0]) return { provider: announced[0].provider, name: announced[0].info.name };
  const injected = (window as unknown as { ethereum?: Eip1193 }).ethereum;
  return injected ? { provider: injected, name: "Injected wallet" } : undefined;
}

export interface WalletState {
  provider?: Eip1193;
  walletName?: string;
  account?: string;
  chainId?: number;
  /** connected to a chain other than the app's */
  wrongNetwork: boolean;
  connecting: boolean;
  error?: string;
  connect(): Promise<void>;
  switchNetwork(): Promise<void>;
  disconnect(): void;
}

const WalletContext = createContext<WalletState | undefined>(undefined);
const REMEMBER = "treelion.wallet.connected";
const hexChain = (id: number) => `0x${id.toString(16)}`;

function errorText(err: unknown): string {
  const e = err as { code?: number; message?: string };
  if (e?.code === 4001) return "The wallet refused the request (4001)";
  return e?.message ?? String(err);
}

export function WalletProvider({ children }: { children: ReactNode }) {
  const [found, setFound] = useState(findProvider);
  const [account, setAccount] = useState<string>();
  const [chainId, setChainId] = useState<number>();
  const [connecting, setConnecting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    // providers announced after the first render
    if (!found) {
      const t = setTimeout(() => setFound(findProvider()), 200);
      return () => clearTimeout(t);
    }
  }, [found]);

  const provider = found?.provider;

  useEffect(() => {
    if (!provider) return;
    const onAccounts = (accounts: string[]) => setAccount(accounts[0]);
    const onChain = (id: string) => setChainId(Number(id));
    provider.on?.("accountsChanged", onAccounts);
    provider.on?.("chainChanged", onChain);
    if (localStorage.getItem(REMEMBER)) {
      // reconnect silently: eth_accounts never prompts
      void Promise.all([provider.request({ method: "eth_accounts" }), provider.request({ method: "eth_chainId" })])
        .then(([accounts, id]: [string[], string]) => {
          setAccount(accounts[0]);
          setChainId(Number(id));
        })
        .catch(() => undefined);
    }
    return () => {
      provider.removeListener?.("accountsChanged", onAccounts);
      provider.removeListener?.("chainChanged", onChain);
    };
  }, [provider]);

  const connect = useCallback(async () => {
    if (!provider) {
      setError("No wallet found: install an EIP-1193 wallet (e.g. a browser extension) and reload");
      return;
    }
    setConnecting(true);
    setError(undefined);
    try {
      const accounts: string[] = await provider.request({ method: "eth_requestAccounts" });
      setAccount(accounts[0]);
      setChainId(Number(await provider.request({ method: "eth_chainId" })));
      localStorage.setItem(REMEMBER, "1");
    } catch (err) {
      setError(errorText(err));
    } finally {
      setConnecting(false);
    }
  }, [provider]);

  const switchNetwork = useCallback(async () => {
    if (!provider) return;
    setError(undefined);
    try {
      await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: hexChain(config.chainId) }] });
    } catch (err) {
      if ((err as { code?: number }).code !== 4902) {
        setError(errorText(err));
        return;
      }
      try {
        await provider.request({
          method: "wallet_addEthereumChain",
          params: [
            {
              chainId: hexChain(config.chainId),
              chainName: config.chainName,
              rpcUrls: [config.rpcUrl],
              nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            },
          ],
        });
      } catch (err2) {
        setError(errorText(err2));
        return;
      }
    }
    setChainId(Number(await provider.request({ method: "eth_chainId" })));
  }, [provider]);

  const disconnect = useCallback(() => {
    localStorage.removeItem(REMEMBER);
    setAccount(undefined);
  }, []);

  const value = useMemo<WalletState>(
    () => ({
      provider,
      walletName: found?.name,
      account,
      chainId,
      wrongNetwork: account !== undefined && chainId !== undefined && chainId !== config.chainId,
      connecting,
      error,
      connect,
      switchNetwork,
      disconnect,
    }),
    [provider, found, account, chainId, connecting, error, connect, switchNetwork, disconnect],
  );
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): WalletState {
  const w = useContext(WalletContext);
  if (!w) throw new Error("useWallet outside WalletProvider");
  return w;
}
