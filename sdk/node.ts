/**
 * Treelion SDK, Node entry (`treelion-contracts/node`): everything of the root entry plus what needs the file
 * system — reading hardhat-deploy records from `deployments/<network>/` and `createTreelion({ runner, network })`.
 * No Hardhat: plain `fs`.
 */
import fs from "fs";
import path from "path";
import type { ContractRunner } from "ethers";
import {
  clientFromRecords,
  createTreelion as createFromData,
  recordFromJson,
  type DeploymentRecord,
  type Treelion,
  type TreelionOptions,
} from "./index";

export * from "./index";

/** Directory holding `deployments/<network>`: `$TREELION_DEPLOYMENTS_DIR`, else `./deployments` from cwd upwards. */
export function defaultDeploymentsDir(): string {
  if (process.env.TREELION_DEPLOYMENTS_DIR) return process.env.TREELION_DEPLOYMENTS_DIR;
  let dir = process.cwd();
  for (;;) {
    const candidate = path.join(dir, "deployments");
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return path.join(process.cwd(), "deployments");
    dir = up;
  }
}

/** All deployment records of a network, keyed by deployment name (e.g. "CarbonCredit", "NatureCarbonPool"). */
export function readDeployments(network: string, dir = defaultDeploymentsDir()): Record<string, DeploymentRecord> {
  const folder = path.join(dir, network);
  if (!fs.existsSync(folder)) throw new Error(`no deployment records for network "${network}" in ${folder}`);
  const out: Record<string, DeploymentRecord> = {};
  for (const file of fs.readdirSync(folder).sort()) {
    if (!file.endsWith(".json") || file.startsWith(".")) continue;
    const name = file.slice(0, -5);
    const rec = recordFromJson(name, JSON.parse(fs.readFileSync(path.join(folder, file), "utf8")));
    // the addresses.json summary and other non-records have no address / ABI
    if (rec && rec.abi.length > 0) out[name] = rec;
  }
  return out;
}

export type NodeTreelionOptions =
  TreelionOptions | { runner: ContractRunner | null; network: string; deploymentsDir?: string };

/** `createTreelion` of the root entry, plus `{ runner, network, deploymentsDir? }` reading the records from disk. */
export function createTreelion(options: NodeTreelionOptions): Treelion {
  if ("network" in options)
    return clientFromRecords(options.runner, readDeployments(options.network, options.deploymentsDir));
  return createFromData(options);
}
