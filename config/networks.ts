/**
 * Network configuration from environment variables only. Nothing here is ever printed:
 * RPC URLs often embed API keys and the deployer key is a secret.
 */
import { isAddress } from "ethers";

export interface TestnetSpec {
  /** hardhat network name */
  name: string;
  /** environment variable holding the RPC URL */
  rpcEnv: string;
  chainId: number;
}

export const TESTNETS: TestnetSpec[] = [
  { name: "sepolia", rpcEnv: "SEPOLIA_RPC_URL", chainId: 11155111 },
  { name: "amoy", rpcEnv: "AMOY_RPC_URL", chainId: 80002 },
  { name: "baseSepolia", rpcEnv: "BASE_SEPOLIA_RPC_URL", chainId: 84532 },
  { name: "celoSepolia", rpcEnv: "CELO_SEPOLIA_RPC_URL", chainId: 11142220 },
];

export const LOCAL_NETWORKS = ["hardhat", "localhost"];

export function isLocalNetwork(name: string): boolean {
  return LOCAL_NETWORKS.includes(name);
}

/** Variables every non-local deploy needs besides the network's RPC URL. */
export const ROLE_ENV = [
  "DEPLOYER_PRIVATE_KEY",
  "ADMIN_ADDRESS",
  "VERIFIER_ADDRESSES",
  "TREASURY_ADDRESS",
  "GUARDIAN_ADDRESS",
] as const;

/** The environment variables the chosen network needs, in the order they are checked. */
export function requiredEnv(network: string): string[] {
  if (isLocalNetwork(network)) return [];
  const spec = TESTNETS.find((t) => t.name === network);
  if (!spec) return [];
  return [spec.rpcEnv, ...ROLE_ENV];
}

/** Names of required variables that are missing or empty. */
export function missingEnv(network: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return requiredEnv(network).filter((k) => !env[k] || env[k]!.trim() === "");
}

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/** Why `value` is not a usable address ("" when it is): format, then EIP-55 checksum (mixed case), then zero. */
export function addressProblem(value: string): string {
  if (!ADDRESS_RE.test(value)) return "is not a 0x-prefixed 20-byte address";
  if (!isAddress(value)) return "has a bad EIP-55 checksum (copy it again, or write it all lower-case)";
  if (/^0x0{40}$/.test(value)) return "is the zero address";
  return "";
}

const KEY_RE = /^(0x)?[0-9a-fA-F]{64}$/;

/** Validation problems with the role variables (format only; never echoes a secret). */
export function invalidEnv(network: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (isLocalNetwork(network)) return [];
  const problems: string[] = [];
  const key = env.DEPLOYER_PRIVATE_KEY;
  if (key && !KEY_RE.test(key.trim())) problems.push("DEPLOYER_PRIVATE_KEY is not a 32-byte hex private key");
  for (const k of ["ADMIN_ADDRESS", "TREASURY_ADDRESS", "GUARDIAN_ADDRESS"]) {
    const v = env[k];
    const why = v ? addressProblem(v.trim()) : "";
    if (why) problems.push(`${k} ${why}`);
  }
  const vs = env.VERIFIER_ADDRESSES;
  if (vs) {
    const list = parseAddressList(vs);
    if (list.length === 0 || list.some((a) => !ADDRESS_RE.test(a))) {
      problems.push("VERIFIER_ADDRESSES must be a comma-separated list of 0x addresses");
    } else {
      list.forEach((a, i) => {
        const why = addressProblem(a);
        if (why) problems.push(`VERIFIER_ADDRESSES entry ${i + 1} ${why}`);
      });
    }
  }
  return problems;
}

export function parseAddressList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Hardhat `networks` entries for the testnets (URL and key read from the environment). */
export function testnetConfigs(env: NodeJS.ProcessEnv = process.env) {
  const key = env.DEPLOYER_PRIVATE_KEY?.trim();
  const accounts = key && KEY_RE.test(key) ? [key.startsWith("0x") ? key : `0x${key}`] : [];
  const out: Record<string, { url: string; chainId: number; accounts: string[] }> = {};
  for (const t of TESTNETS) {
    // An unset URL still yields a network entry so `--network sepolia` resolves and the deploy
    // can stop with a message naming the missing variable before sending anything.
    out[t.name] = { url: env[t.rpcEnv]?.trim() || "http://127.0.0.1:1", chainId: t.chainId, accounts };
  }
  return out;
}

/** Etherscan-family verification settings for hardhat-verify (API key from ETHERSCAN_API_KEY). */
export function verifyConfig(env: NodeJS.ProcessEnv = process.env) {
  return {
    etherscan: {
      apiKey: env.ETHERSCAN_API_KEY ?? "",
      customChains: [
        {
          network: "celoSepolia",
          chainId: 11142220,
          urls: {
            apiURL: "https://celo-sepolia.blockscout.com/api",
            browserURL: "https://celo-sepolia.blockscout.com",
          },
        },
      ],
    },
    sourcify: { enabled: false },
  };
}
