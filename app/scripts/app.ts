/**
 * `npm run app [-- --node-port 8545 --api-port 4000 --app-port 5173]`: the whole Treelion stack on this machine —
 * a Hardhat node with the suite deployed and the demo story seeded, the indexer following new blocks, the ledger
 * API and the built app. Prints the URLs; Ctrl-C stops everything.
 */
import { killChildren, startStack } from "./stack";

const HELP = `Usage: npm run app [-- --node-port <port>] [-- --api-port <port>] [-- --app-port <port>] [--rebuild]

Starts a local Hardhat node (deploying the suite; records in deployments/localhost, or
$TREELION_DEPLOYMENTS_DIR/localhost when set), seeds the demo story, indexes it into a ledger while
following new blocks, serves the ledger API and the built app, and prints their URLs. Ctrl-C stops everything.

Options:
  --node-port <port>  JSON-RPC port of the Hardhat node   (default 8545)
  --api-port <port>   port of the ledger GraphQL API      (default 4000)
  --app-port <port>   port of the app                     (default 5173)
  --rebuild           rebuild the app even when app/dist is up to date
  --help              this text
`;

export function parseArgs(argv: string[]): { nodePort: number; apiPort: number; appPort: number; rebuild: boolean } {
  const out = { nodePort: 8545, apiPort: 4000, appPort: 5173, rebuild: false };
  const keys: Record<string, "nodePort" | "apiPort" | "appPort"> = {
    "--node-port": "nodePort",
    "--api-port": "apiPort",
    "--app-port": "appPort",
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    if (flag === "--rebuild") {
      out.rebuild = true;
      continue;
    }
    const key = keys[flag];
    if (!key) throw new Error(`unknown option ${argv[i]} (see --help)`);
    const value = inline ?? argv[++i];
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new Error(
        `${flag} needs a port number between 1 and 65535, got ${value === undefined ? "nothing" : `"${value}"`}`,
      );
    }
    out[key] = port;
  }
  const ports = [out.nodePort, out.apiPort, out.appPort];
  if (new Set(ports).size !== 3)
    throw new Error(`--node-port, --api-port and --app-port must differ (got ${ports.join(", ")})`);
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP);
    return;
  }
  const opts = parseArgs(argv);
  const t0 = Date.now();
  // Ctrl-C while starting: stop the children started so far
  const early = () => {
    process.stderr.write("\napp: interrupted while starting; stopping what was started\n");
    killChildren();
    process.exit(130);
  };
  process.once("SIGINT", early);
  process.once("SIGTERM", early);
  const stack = await startStack({
    ...opts,
    rebuild: opts.rebuild ? "always" : "if-stale",
    log: (line) => process.stderr.write(`app: ${line}\n`),
  });
  process.removeListener("SIGINT", early);
  process.removeListener("SIGTERM", early);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write("\napp: stopping the app, the API, the indexer and the node…\n");
    await stack.stop();
    process.stderr.write("app: stopped\n");
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(
    [
      ``,
      `Treelion is running (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s):`,
      `  app          ${stack.urls.app}`,
      `  ledger API   ${stack.urls.api}`,
      `  node (RPC)   ${stack.urls.node}   chain id ${stack.config.chainId}`,
      `  deployments  ${stack.deploymentsDir}/localhost`,
      `  open deal    ${stack.urls.app}/deals/${stack.seed.dealId}`,
      `  open bond    ${stack.urls.app}/bonds/${stack.seed.bond}`,
      ``,
      `Wallet: add the network (the app offers it), import a Hardhat test account (e.g. Acme Airlines, ${stack.seed.accounts.buyer}).`,
      `Ctrl-C stops everything.`,
      ``,
    ].join("\n"),
  );
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`app: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
