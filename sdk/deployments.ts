/** Reading hardhat-deploy records (`deployments/<network>/*.json`) with plain fs: no Hardhat needed. */
import fs from "fs";
import path from "path";
import type { JsonFragment } from "ethers";
import { kindOfAbi, type ContractKind } from "./abi";

export interface DeploymentRecord {
  name: string;
  address: string;
  abi: JsonFragment[];
  kind?: ContractKind;
  /** block of the deployment transaction, when the record has its receipt */
  blockNumber?: number;
  transactionHash?: string;
}

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
    const raw = JSON.parse(fs.readFileSync(path.join(folder, file), "utf8"));
    if (typeof raw.address !== "string" || !Array.isArray(raw.abi)) continue;
    const name = file.slice(0, -5);
    out[name] = {
      name,
      address: raw.address,
      abi: raw.abi,
      kind: kindOfAbi(raw.abi),
      blockNumber: raw.receipt?.blockNumber !== undefined ? Number(raw.receipt.blockNumber) : undefined,
      transactionHash: raw.transactionHash ?? raw.receipt?.transactionHash,
    };
  }
  return out;
}
