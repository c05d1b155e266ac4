/** The network the app was built or served for: a JSON data block in index.html (see app/scripts/serve.ts). */
import type { AppConfig } from "./app-config";

export type { AppConfig };
function readConfig(): AppConfig | undefined {
  const el = document.getElementById("treelion-config");
  if (!el?.textContent) return undefined;
  return JSON.parse(el.textContent) as AppConfig;
}

const found = readConfig();

/** True when index.html carries a config (it is missing under a bare `vite` dev server). */
export const hasConfig = found !== undefined;

export const config: AppConfig = found ?? {
  network: "unconfigured",
  chainId: 0,
  chainName: "unconfigured",
  rpcUrl: "",
  apiUrl: "/graphql",
  addresses: {},
};
