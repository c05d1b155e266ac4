import { expect } from "chai";
import {
  TESTNETS,
  invalidEnv,
  isLocalNetwork,
  missingEnv,
  parseAddressList,
  requiredEnv,
  testnetConfigs,
  verifyConfig,
} from "../../../config/networks";

const KEY = "0x" + "ab".repeat(32);
const ADDR = "0x" + "11".repeat(20);
const full = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  SEPOLIA_RPC_URL: "https://rpc.example/sepolia/secret-key",
  AMOY_RPC_URL: "https://rpc.example/amoy",
  BASE_SEPOLIA_RPC_URL: "https://rpc.example/base",
  CELO_SEPOLIA_RPC_URL: "https://rpc.example/celo",
  DEPLOYER_PRIVATE_KEY: KEY,
  ADMIN_ADDRESS: ADDR,
  VERIFIER_ADDRESSES: `${ADDR}, 0x${"22".repeat(20)}`,
  TREASURY_ADDRESS: ADDR,
  GUARDIAN_ADDRESS: "0x" + "33".repeat(20),
  ...extra,
});

describe("config/networks", function () {
  describe("testnetConfigs", function () {
    it("builds one network per testnet with the chain id and the RPC URL from its variable", function () {
      const nets = testnetConfigs(full());
      expect(Object.keys(nets)).to.have.members(["sepolia", "amoy", "baseSepolia", "celoSepolia"]);
      expect(nets.sepolia).to.deep.equal({
        url: "https://rpc.example/sepolia/secret-key",
        chainId: 11155111,
        accounts: [KEY],
      });
      expect(nets.amoy.chainId).to.equal(80002);
      expect(nets.baseSepolia).to.include({ url: "https://rpc.example/base", chainId: 84532 });
      expect(nets.celoSepolia).to.include({ url: "https://rpc.example/celo", chainId: 11142220 });
    });

    it("adds the 0x prefix to a bare private key and trims whitespace", function () {
      const nets = testnetConfigs(full({ DEPLOYER_PRIVATE_KEY: `  ${"cd".repeat(32)} ` }));
      expect(nets.amoy.accounts).to.deep.equal(["0x" + "cd".repeat(32)]);
    });

    it("uses no account when the key is missing or malformed, and a dead local URL when the RPC URL is unset", function () {
      const nets = testnetConfigs({ DEPLOYER_PRIVATE_KEY: "not-a-key" });
      for (const t of TESTNETS) {
        expect(nets[t.name].accounts).to.deep.equal([]);
        expect(nets[t.name].url).to.equal("http://127.0.0.1:1");
      }
    });
  });

  describe("requiredEnv / missingEnv", function () {
    it("needs nothing on local networks", function () {
      expect(isLocalNetwork("hardhat")).to.equal(true);
      expect(isLocalNetwork("localhost")).to.equal(true);
      expect(requiredEnv("hardhat")).to.deep.equal([]);
      expect(missingEnv("localhost", {})).to.deep.equal([]);
    });

    it("names the network's RPC variable first, then the deployer key and role holders", function () {
      expect(requiredEnv("baseSepolia")).to.deep.equal([
        "BASE_SEPOLIA_RPC_URL",
        "DEPLOYER_PRIVATE_KEY",
        "ADMIN_ADDRESS",
        "VERIFIER_ADDRESSES",
        "TREASURY_ADDRESS",
        "GUARDIAN_ADDRESS",
      ]);
      expect(missingEnv("sepolia", {})).to.deep.equal(requiredEnv("sepolia"));
    });

    it("treats empty or blank values as missing and does not ask for other networks' URLs", function () {
      const env = full({ AMOY_RPC_URL: "  ", TREASURY_ADDRESS: "", GUARDIAN_ADDRESS: "" });
      expect(missingEnv("amoy", env)).to.deep.equal(["AMOY_RPC_URL", "TREASURY_ADDRESS", "GUARDIAN_ADDRESS"]);
      expect(missingEnv("sepolia", { ...env, AMOY_RPC_URL: undefined })).to.deep.equal([
        "TREASURY_ADDRESS",
        "GUARDIAN_ADDRESS",
      ]);
      expect(missingEnv("celoSepolia", full())).to.deep.equal([]);
    });
  });

  describe("invalidEnv", function () {
    it("accepts well-formed values", function () {
      expect(invalidEnv("sepolia", full())).to.deep.equal([]);
    });

    it("reports malformed key, addresses and verifier list by name without echoing values", function () {
      const env = full({
        DEPLOYER_PRIVATE_KEY: "0x1234secret",
        ADMIN_ADDRESS: "0x1234",
        TREASURY_ADDRESS: "treasury",
        VERIFIER_ADDRESSES: `${ADDR},nope`,
      });
      const problems = invalidEnv("sepolia", env);
      expect(problems).to.have.length(4);
      expect(problems.join(" "))
        .to.include("DEPLOYER_PRIVATE_KEY")
        .and.include("ADMIN_ADDRESS")
        .and.include("TREASURY_ADDRESS")
        .and.include("VERIFIER_ADDRESSES");
      expect(problems.join(" ")).to.not.include("secret");
      expect(problems.join(" ")).to.not.include("0x1234");
    });

    it("refuses an address with a bad EIP-55 checksum (mixed case) or the zero address, and accepts all lower-case", function () {
      const good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"; // EIP-55 test vector
      const bad = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"; // last letter's case flipped
      expect(invalidEnv("sepolia", full({ VERIFIER_ADDRESSES: `${ADDR},${good}`, ADMIN_ADDRESS: good }))).to.deep.equal(
        [],
      );
      expect(invalidEnv("sepolia", full({ VERIFIER_ADDRESSES: `${good.toLowerCase()}` }))).to.deep.equal([]);
      expect(invalidEnv("sepolia", full({ VERIFIER_ADDRESSES: `${ADDR}, ${bad}` }))).to.deep.equal([
        "VERIFIER_ADDRESSES entry 2 has a bad EIP-55 checksum (copy it again, or write it all lower-case)",
      ]);
      expect(
        invalidEnv("sepolia", full({ GUARDIAN_ADDRESS: bad, TREASURY_ADDRESS: "0x" + "00".repeat(20) })),
      ).to.deep.equal([
        "TREASURY_ADDRESS is the zero address",
        "GUARDIAN_ADDRESS has a bad EIP-55 checksum (copy it again, or write it all lower-case)",
      ]);
    });

    it("ignores everything on local networks", function () {
      expect(invalidEnv("hardhat", { DEPLOYER_PRIVATE_KEY: "bad" })).to.deep.equal([]);
    });

    it("parses comma-separated verifier lists, skipping blanks", function () {
      expect(parseAddressList(` ${ADDR} ,, 0x${"22".repeat(20)} ,`)).to.deep.equal([ADDR, "0x" + "22".repeat(20)]);
      expect(parseAddressList(undefined)).to.deep.equal([]);
    });
  });

  describe("verifyConfig (hardhat-verify)", function () {
    it("passes ETHERSCAN_API_KEY through and disables Sourcify", function () {
      const v = verifyConfig({ ETHERSCAN_API_KEY: "KEY123" });
      expect(v.etherscan.apiKey).to.equal("KEY123");
      expect(v.sourcify).to.deep.equal({ enabled: false });
    });

    it("uses an empty key when unset (hardhat-verify then refuses to verify with its own message)", function () {
      expect(verifyConfig({}).etherscan.apiKey).to.equal("");
    });

    it("declares a custom chain for every testnet hardhat-verify does not know (Celo Sepolia), matching the network chain id", function () {
      const chains = verifyConfig({}).etherscan.customChains;
      const celo = chains.find((c) => c.network === "celoSepolia")!;
      expect(celo.chainId).to.equal(TESTNETS.find((t) => t.name === "celoSepolia")!.chainId);
      expect(celo.urls.apiURL).to.match(/^https:\/\/.+\/api$/);
      expect(celo.urls.browserURL).to.match(/^https:\/\//);
      for (const c of chains) expect(TESTNETS.map((t) => t.name)).to.include(c.network);
    });

    it("is what the loaded Hardhat config uses", async function () {
      const hre = await import("hardhat");
      const cfg = hre.config as any;
      expect(cfg.etherscan.customChains.map((c: any) => c.network)).to.include("celoSepolia");
      expect(cfg.sourcify.enabled).to.equal(false);
      for (const t of TESTNETS) expect((hre.config.networks[t.name] as any).chainId).to.equal(t.chainId);
      expect((hre.config.networks.localhost as any).url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    });
  });
});
