import fs from "fs";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { isLocalNetwork, missingEnv, invalidEnv, parseAddressList } from "./networks";
import { governanceEnvProblems } from "./governance";
import { preflight } from "./preflight";

import type { RoleConstant } from "../sdk/generated";
import { readFactsJson } from "./facts";
import { ethersAbi } from "../sdk/abi-clean";

type ShortRole<T> = T extends `${infer R}_ROLE` ? R : never;
/** Short role name: "DEFAULT_ADMIN", "ISSUER", … (the constant's name without `_ROLE`). */
export type RoleName = ShortRole<RoleConstant>;

/**
 * Role ids by short name, from the generated facts (sdk/generated/facts.json), read at call time: this module
 * is loaded by hardhat.config.ts (through tasks/) before anything is compiled.
 */
export function roleIds(): Readonly<Record<RoleName, string>> {
  const facts = readFactsJson();
  if (!facts) throw new Error("contract facts are not generated yet: run `npx hardhat compile` first");
  return Object.fromEntries(Object.entries(facts.roles).map(([k, v]) => [k.replace(/_ROLE$/, ""), v])) as Record<
    RoleName,
    string
  >;
}

/** Role ids by short name (`ROLES.ISSUER`), resolved on access from the generated facts (see `roleIds`). */
export const ROLES: Readonly<Record<RoleName, string>> = new Proxy({} as Record<RoleName, string>, {
  get: (_t, k) => (typeof k === "string" ? (roleIds() as Record<string, string>)[k] : undefined),
  has: (_t, k) => typeof k === "string" && k in roleIds(),
  ownKeys: () => Object.keys(roleIds()),
  getOwnPropertyDescriptor: (_t, k) =>
    typeof k === "string" && k in roleIds()
      ? { enumerable: true, configurable: true, value: (roleIds() as Record<string, string>)[k] }
      : undefined,
});

/**
 * Stops a deploy to a public network before any transaction when a variable is missing or malformed.
 * The message names the variables, never their values.
 */
export function assertDeployEnv(hre: HardhatRuntimeEnvironment): void {
  const net = hre.network.name;
  const missing = missingEnv(net);
  if (missing.length > 0) {
    throw new Error(
      `Deploy to "${net}" stopped before sending any transaction: missing environment variable(s) ${missing.join(", ")}. ` +
        `See .env.example.`,
    );
  }
  const invalid = [...invalidEnv(net), ...governanceEnvProblems(net)];
  if (invalid.length > 0) {
    throw new Error(`Deploy to "${net}" stopped before sending any transaction: ${invalid.join("; ")}.`);
  }
}

export function isLocal(hre: HardhatRuntimeEnvironment): boolean {
  return isLocalNetwork(hre.network.name);
}

/** Everyone who gets VERIFIER_ROLE (and ISSUER_ROLE): local → named `verifier`; testnets → VERIFIER_ADDRESSES. */
export async function verifierAddresses(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  if (isLocal(hre)) return [(await hre.getNamedAccounts()).verifier];
  return parseAddressList(process.env.VERIFIER_ADDRESSES);
}

/** Minimal AccessControl surface used by the deploy scripts. */
interface AccessControlLike {
  hasRole(role: string, account: string): Promise<boolean>;
  grantRole(role: string, account: string): Promise<{ wait(): Promise<unknown> }>;
}

/**
 * Grants `role` to `account` on `contract` unless it already holds it (idempotent). Sent by the deployer.
 * After the hand-over (the deployer no longer administers the contract) the deployer's own bootstrap roles are not
 * needed and are skipped; a grant to anyone else is refused before any transaction by `preflight`, and here as a
 * backstop with the same advice. Returns true when a transaction was sent.
 */
export async function ensureRole(
  hre: HardhatRuntimeEnvironment,
  contractName: string,
  role: RoleName,
  account: string,
): Promise<boolean> {
  const { deployer } = await hre.getNamedAccounts();
  const d = await hre.deployments.get(contractName);
  const signer = await hre.ethers.getSigner(deployer);
  const c = (await hre.ethers.getContractAt(d.abi, d.address, signer)) as unknown as AccessControlLike;
  if (await c.hasRole(ROLES[role], account)) return false;
  if (!(await c.hasRole(ROLES.DEFAULT_ADMIN, deployer))) {
    if (account.toLowerCase() === deployer.toLowerCase()) return false; // handed over: no bootstrap role needed
    throw new Error(
      `${contractName}: ${account} lacks ${role}_ROLE and the deployer no longer administers the contract; ` +
        `schedule it through governance: npx hardhat gov:schedule --network ${hre.network.name} ` +
        `--contract ${contractName} --call "grantRole(${role}_ROLE, ${account})"`,
    );
  }
  const tx = await c.grantRole(ROLES[role], account);
  await tx.wait();
  hre.deployments.log(`  granted ${role} on ${contractName} to ${account}`);
  return true;
}

/** Deploy options shared by every script: the deployer sends, redeploy only when bytecode or args changed. */
export async function deployOptions(hre: HardhatRuntimeEnvironment) {
  await preflight(hre); // every script asks for these options before its first transaction
  const { deployer } = await hre.getNamedAccounts();
  return {
    from: deployer,
    log: true,
    autoMine: true,
    skipIfAlreadyDeployed: false,
    waitConfirmations: isLocal(hre) ? 1 : 2,
  };
}

/** File name of the address summary written next to the deployment records. */
export const ADDRESS_SUMMARY = "addresses.json";

/**
 * Every real deployment record. hardhat-deploy loads every *.json of deployments/<network>/ as a deployment,
 * including the addresses.json summary (as "addresses", without address/abi): use this instead of
 * `deployments.all()` wherever records are iterated.
 */
export async function suiteDeployments(hre: HardhatRuntimeEnvironment) {
  const all = await hre.deployments.all();
  // library records (BondTermsLib, …) list library-only parameter types that ethers cannot parse: dropped here
  return Object.fromEntries(
    Object.entries(all)
      .filter(([, d]) => typeof d.address === "string" && Array.isArray(d.abi))
      .map(([name, d]) => [name, { ...d, abi: ethersAbi(d.abi) }]),
  ) as typeof all;
}

/**
 * Writes deployments/<network>/addresses.json: { contractName: address } for every deployment. `network` names
 * the records' folder when it differs from hre.network.name (`npx hardhat node` deploys on "hardhat" and saves
 * the records under "localhost").
 */
export async function writeAddressSummary(
  hre: HardhatRuntimeEnvironment,
  network: string = hre.network.name,
): Promise<string> {
  const all = await suiteDeployments(hre);
  const summary: Record<string, string> = {};
  for (const name of Object.keys(all).sort()) summary[name] = all[name].address;
  const dir = path.join(hre.config.paths.deployments ?? path.join(hre.config.paths.root, "deployments"), network);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, ADDRESS_SUMMARY);
  const body =
    JSON.stringify(
      {
        network,
        chainId: Number((await hre.ethers.provider.getNetwork()).chainId),
        contracts: summary,
      },
      null,
      2,
    ) + "\n";
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== body) fs.writeFileSync(file, body);
  return file;
}
