/**
 * `verify:all`: verifies the source of every deployment of a network on its block explorer (Etherscan API v2, or an
 * Etherscan-compatible API such as Blockscout), from the deployment records alone: address, constructor arguments,
 * the compiler input saved with the record (deployments/<network>/solcInputs) and the compiler version from its
 * metadata. Already verified contracts are skipped; every failure is reported and makes the command exit non-zero.
 */
import fs from "fs";
import path from "path";
import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { AbiCoder } from "ethers";
import { PLUGIN, action } from "./lib/runner";
import { suiteDeployments } from "../config/deploy-utils";
import { verifyConfig } from "../config/networks";

const ETHERSCAN_V2 = "https://api.etherscan.io/v2/api";

/** The explorer API of a chain: a custom chain of the hardhat-verify settings, else Etherscan's v2 API. */
export function explorerApi(chainId: number): string {
  const custom = verifyConfig({}).etherscan.customChains.find((c) => c.chainId === chainId);
  return custom ? custom.urls.apiURL : ETHERSCAN_V2;
}

interface ExplorerReply {
  status: string;
  message?: string;
  result: string;
}

async function explorer(url: string, init?: RequestInit): Promise<ExplorerReply> {
  const res = await fetch(url, init);
  const text = await res.text();
  try {
    return JSON.parse(text) as ExplorerReply;
  } catch {
    throw new HardhatPluginError(PLUGIN, `the explorer API answered HTTP ${res.status} with no JSON`);
  }
}

task(
  "verify:all",
  "Verifies every deployment of a network on its block explorer from the deployment records (needs ETHERSCAN_API_KEY).\n" +
    "  Skips contracts already verified; exits non-zero when any verification fails.\n" +
    "  Example: npx hardhat verify:all --network sepolia",
)
  .addOptionalParam(
    "apiUrl",
    "explorer API URL (default: Etherscan v2, or the network's custom chain, e.g. Blockscout)",
  )
  .addOptionalParam("contract", "only this deployment, e.g. CarbonCredit")
  .addOptionalParam("pollMs", "milliseconds between status checks", "5000")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const apiKey = process.env.ETHERSCAN_API_KEY?.trim();
      if (!apiKey)
        throw new HardhatPluginError(
          PLUGIN,
          "verify:all needs the environment variable ETHERSCAN_API_KEY (see .env.example)",
        );
      const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
      const api = a.apiUrl ?? explorerApi(chainId);
      const pollMs = Number(a.pollMs);
      const dir = path.join(hre.config.paths.deployments, hre.network.name, "solcInputs");
      let all = Object.entries(await suiteDeployments(hre)).sort(([x], [y]) => x.localeCompare(y));
      if (a.contract) {
        all = all.filter(([n]) => n === a.contract);
        if (all.length === 0)
          throw new HardhatPluginError(PLUGIN, `--contract: no deployment "${a.contract}" on ${hre.network.name}`);
      }
      const q = (params: Record<string, string>) =>
        `${api}?${new URLSearchParams({ chainid: String(chainId), apikey: apiKey, ...params })}`;
      const failed: string[] = [];
      let verified = 0;
      let skipped = 0;
      for (const [i, [name, d]] of all.entries()) {
        const tag = `[${i + 1}/${all.length}] ${name} (${d.address})`;
        const abi = await explorer(q({ module: "contract", action: "getabi", address: d.address }));
        if (abi.status === "1") {
          console.log(`${tag}: already verified, skipped`);
          skipped++;
          continue;
        }
        const metadata = d.metadata ? JSON.parse(d.metadata) : undefined;
        const inputFile = d.solcInputHash ? path.join(dir, `${d.solcInputHash}.json`) : undefined;
        if (!metadata || !inputFile || !fs.existsSync(inputFile)) {
          console.log(`${tag}: FAILED — the record has no compiler input (redeploy with hardhat-deploy to save it)`);
          failed.push(name);
          continue;
        }
        const [file, contractName] = Object.entries(metadata.settings.compilationTarget as Record<string, string>)[0];
        const ctor = (d.abi as any[]).find((x) => x.type === "constructor");
        const args = ctor
          ? AbiCoder.defaultAbiCoder()
              .encode(ctor.inputs, d.args ?? [])
              .slice(2)
          : "";
        const body = new URLSearchParams({
          apikey: apiKey,
          module: "contract",
          action: "verifysourcecode",
          contractaddress: d.address,
          sourceCode: fs.readFileSync(inputFile, "utf8"),
          codeformat: "solidity-standard-json-input",
          contractname: `${file}:${contractName}`,
          compilerversion: `v${metadata.compiler.version}`,
          constructorArguements: args, // sic: the Etherscan API's spelling
        });
        const sub = await explorer(`${api}?chainid=${chainId}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        });
        if (sub.status !== "1") {
          console.log(`${tag}: FAILED to submit — ${sub.message ?? ""} ${sub.result}`.trim());
          failed.push(name);
          continue;
        }
        console.log(`${tag}: submitted (guid ${sub.result}), waiting for the explorer…`);
        for (;;) {
          await new Promise((r) => setTimeout(r, pollMs));
          const st = await explorer(q({ module: "contract", action: "checkverifystatus", guid: sub.result }));
          if (/pending/i.test(st.result)) continue;
          if (st.status === "1" && !/fail/i.test(st.result)) {
            console.log(`${tag}: verified`);
            verified++;
          } else {
            console.log(`${tag}: FAILED — ${st.result}`);
            failed.push(name);
          }
          break;
        }
      }
      console.log(
        `verify:all on ${hre.network.name}: ${verified} verified, ${skipped} already verified, ${failed.length} failed`,
      );
      if (failed.length) throw new HardhatPluginError(PLUGIN, `verification failed for ${failed.join(", ")}`);
    }),
  );
