import "@nomicfoundation/hardhat-toolbox";
import "hardhat-deploy";
import { HardhatUserConfig } from "hardhat/config";

import "./config/solc";
import "./config/facts";
import { SOLC_VERSION } from "./config/solc";
import { TESTNETS, parseAddressList, testnetConfigs, verifyConfig } from "./config/networks";
import { loadDotenv } from "./config/dotenv";
import "./tasks";

// `.env` (git-ignored) fills variables not already set in the environment; see .env.example.
loadDotenv(__dirname);
const env = process.env;

/** Per-network named accounts: local networks use indexes, testnets the addresses from the environment. */
function namedFromEnv(value: string | undefined, localIndex: number) {
  const entry: Record<string, string | number> = { default: localIndex };
  if (value) for (const t of TESTNETS) entry[t.name] = value;
  return entry;
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  defaultNetwork: "hardhat",
  networks: {
    hardhat: {
      // HARDHAT_CHAIN_ID lets a local `hardhat node` pose as a public network (rehearsals, integration tests)
      chainId: Number(env.HARDHAT_CHAIN_ID) || 31337,
      // fixtures and the demo deploy the same scripts as a real network
      allowUnlimitedContractSize: false,
    },
    localhost: { url: env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545" },
    ...testnetConfigs(env),
  },
  namedAccounts: {
    deployer: { default: 0 },
    verifier: namedFromEnv(parseAddressList(env.VERIFIER_ADDRESSES)[0], 1),
    treasury: namedFromEnv(env.TREASURY_ADDRESS, 2),
    admin: namedFromEnv(env.ADMIN_ADDRESS, 0),
    // PAUSER_ROLE everywhere (pauses, cannot unpause); locally the last account (not deployer, verifier or treasury)
    guardian: namedFromEnv(env.GUARDIAN_ADDRESS, 19),
  },
  ...verifyConfig(env),
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: {
    enabled: env.REPORT_GAS === "true",
    currency: "USD",
    offline: true,
  },
  mocha: {
    timeout: 120_000,
  },
  paths: {
    sources: "contracts",
    tests: "test",
    // hardhat-deploy records; the integration tests point this at a temporary directory.
    deployments: env.TREELION_DEPLOYMENTS_DIR || "deployments",
  },
};

export default config;
