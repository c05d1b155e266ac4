/** What the app needs to know about its network; embedded in index.html as a JSON data block (never executed). */
export interface AppConfig {
  network: string;
  chainId: number;
  chainName: string;
  /** RPC URL offered to the wallet by wallet_addEthereumChain */
  rpcUrl: string;
  /** RPC URL the app reads through (default: rpcUrl); relative to the page */
  readRpcUrl?: string;
  /** GraphQL endpoint of the ledger API; relative to the page or absolute */
  apiUrl: string;
  /** deployment name → address */
  addresses: Record<string, string>;
}
