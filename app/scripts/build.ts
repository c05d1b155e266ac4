/**
 * `npm run app:build -- --network <name> --api-url <url> --rpc-url <url> [--out <dir>]`: builds the app for a
 * network from its deployment records (deployments/<name>, or $TREELION_DEPLOYMENTS_DIR/<name>) and a ledger API
 * URL, into a static folder any web server can host (serve index.html for every unknown path).
 */
import fs from "fs";
import path from "path";
import { buildApp, deploymentAddresses, DIST_DIR, ROOT } from "./stack";
import { readDeployments } from "../../sdk/node";
import { injectConfig, type AppConfig } from "./serve";

const HELP = `Usage: npm run app:build -- --network <name> --api-url <url> --rpc-url <url> [--out <dir>] [--chain-name <text>]

Builds the app for <name> from its deployment records (deployments/<name>, or
$TREELION_DEPLOYMENTS_DIR/<name>). --api-url is the ledger GraphQL endpoint the browser calls
(e.g. https://ledger.example.org/graphql; allow the app's origin in the API's CORS settings);
--rpc-url is the public JSON-RPC URL the app reads through and offers to wallets.
Writes a static site to --out (default app/dist-<name>): host it with index.html served for every path.
`;

function arg(argv: string[], flag: string): string | undefined {
  const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  return argv[i].includes("=") ? argv[i].split("=").slice(1).join("=") : argv[i + 1];
}

/** The app config of a deployed network, from its records. */
export function networkConfig(network: string, apiUrl: string, rpcUrl: string, chainName?: string): AppConfig {
  const dir = path.join(process.env.TREELION_DEPLOYMENTS_DIR ?? path.join(ROOT, "deployments"), network);
  if (!fs.existsSync(dir)) throw new Error(`no deployment records for "${network}" in ${dir}: deploy first`);
  const chainFile = path.join(dir, ".chainId");
  if (!fs.existsSync(chainFile)) throw new Error(`${chainFile} is missing: is ${dir} a hardhat-deploy folder?`);
  const addresses = deploymentAddresses(readDeployments(network, path.dirname(dir)));
  for (const u of [apiUrl, rpcUrl]) if (!/^https?:\/\//.test(u)) throw new Error(`"${u}" is not an http(s) URL`);
  return {
    network,
    chainId: Number(fs.readFileSync(chainFile, "utf8").trim()),
    chainName: chainName ?? network,
    rpcUrl,
    apiUrl,
    addresses,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.length === 0) {
    process.stdout.write(HELP);
    return;
  }
  const network = arg(argv, "--network");
  const apiUrl = arg(argv, "--api-url");
  const rpcUrl = arg(argv, "--rpc-url");
  if (!network || !apiUrl || !rpcUrl) throw new Error("--network, --api-url and --rpc-url are required (see --help)");
  const config = networkConfig(network, apiUrl, rpcUrl, arg(argv, "--chain-name"));
  const out = path.resolve(arg(argv, "--out") ?? path.join(ROOT, "app", `dist-${network}`));
  await buildApp("always", (l) => process.stderr.write(`app:build: ${l}\n`));
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(DIST_DIR, out, { recursive: true });
  const index = path.join(out, "index.html");
  fs.writeFileSync(index, injectConfig(fs.readFileSync(index, "utf8"), config));
  process.stdout.write(
    `app:build: ${network} (chain ${config.chainId}, ${Object.keys(config.addresses).length} contracts) → ${out}\n`,
  );
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`app:build: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
