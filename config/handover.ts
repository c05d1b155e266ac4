/**
 * Role hand-over at the end of a deploy: on public networks the deployer grants governance
 * (DEFAULT_ADMIN_ROLE) and the operator roles to ADMIN_ADDRESS, then renounces every role it holds on
 * every Treelion contract. Idempotent: reads state first and sends only what is missing.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, Interface } from "ethers";
import { ROLES, suiteDeployments, type RoleName } from "./deploy-utils";

/** Roles handed to the admin when the contract defines them (DEFAULT_ADMIN_ROLE: every AccessControl contract). */
export const ADMIN_ROLES: RoleName[] = ["DEFAULT_ADMIN", "PAUSER", "REGISTRAR", "COMPLIANCE", "AGENT", "POOL_ADMIN"];
/** Every role the deployer may hold (and renounces), from the generated facts; DEFAULT_ADMIN last so the others can still be managed. */
export const ALL_ROLES: RoleName[] = [
  ...(Object.keys(ROLES) as RoleName[]).filter((r) => r !== "DEFAULT_ADMIN").sort(),
  "DEFAULT_ADMIN",
];

/** Deployments that are never handed over (local test support). */
const SKIP = new Set(["TestStablecoin"]);

export interface HandoverAction {
  contract: string;
  action: "grant" | "renounce" | "setBondRoles";
  role: RoleName;
  account: string;
}

/** Whether an ABI is an AccessControl contract, and which of the known roles it defines (X_ROLE getters). */
export function rolesDefined(abi: any[]): RoleName[] {
  const iface = new Interface(abi);
  if (!iface.getFunction("hasRole") || !iface.getFunction("renounceRole")) return [];
  return (Object.keys(ROLES) as RoleName[]).filter(
    (r) => r === "DEFAULT_ADMIN" || iface.getFunction(`${r}_ROLE`) !== null,
  );
}

/**
 * Plans (and with `send`, executes) the hand-over. `admin` must differ from the deployer.
 * Returns the actions taken (or that would be taken) in order.
 */
export async function handOverRoles(
  hre: HardhatRuntimeEnvironment,
  admin: string,
  options: { send: boolean; log?: (line: string) => void } = { send: true },
): Promise<HandoverAction[]> {
  const log = options.log ?? ((l: string) => hre.deployments.log(l));
  const { deployer } = await hre.getNamedAccounts();
  if (admin.toLowerCase() === deployer.toLowerCase()) {
    throw new Error(
      "ADMIN_ADDRESS is the deployer: the hand-over would leave the deployer in control; use a separate (multisig) address.",
    );
  }
  const signer = await hre.ethers.getSigner(deployer);
  const all = await suiteDeployments(hre);
  const actions: HandoverAction[] = [];
  for (const name of Object.keys(all).sort()) {
    if (SKIP.has(name)) continue;
    const roles = rolesDefined(all[name].abi as any[]);
    if (roles.length === 0) continue;
    const c = new Contract(all[name].address, all[name].abi, signer);
    // 0. factories that stamp roles into contracts they create (GreenBondFactory: bondAdmin / bondAgent):
    //    future bonds must get the admin, not the deployer (needs DEFAULT_ADMIN_ROLE, so before renouncing)
    if (c.interface.getFunction("setBondRoles") && c.interface.getFunction("bondAdmin")) {
      const [bondAdmin, bondAgent] = [await c.bondAdmin(), await c.bondAgent()];
      const isDeployer = (a: string) => a.toLowerCase() === deployer.toLowerCase();
      if (isDeployer(bondAdmin) || isDeployer(bondAgent)) {
        const next = [isDeployer(bondAdmin) ? admin : bondAdmin, isDeployer(bondAgent) ? admin : bondAgent];
        actions.push({ contract: name, action: "setBondRoles", role: "DEFAULT_ADMIN", account: admin });
        if (options.send) {
          await (await c.setBondRoles(next[0], next[1])).wait();
          log(`  hand-over: ${name} now gives new bonds admin ${next[0]} and agent ${next[1]}`);
        }
      }
    }
    // 1. give the admin what it must hold (while the deployer can still grant)
    for (const role of ADMIN_ROLES) {
      if (!roles.includes(role)) continue;
      if (await c.hasRole(ROLES[role], admin)) continue;
      actions.push({ contract: name, action: "grant", role, account: admin });
      if (options.send) {
        await (await c.grantRole(ROLES[role], admin)).wait();
        log(`  hand-over: granted ${role} on ${name} to ${admin}`);
      }
    }
    // 2. the deployer gives up everything it holds, admin role last
    for (const role of ALL_ROLES) {
      if (!roles.includes(role)) continue;
      if (!(await c.hasRole(ROLES[role], deployer))) continue;
      actions.push({ contract: name, action: "renounce", role, account: deployer });
      if (options.send) {
        await (await c.renounceRole(ROLES[role], deployer)).wait();
        log(`  hand-over: deployer renounced ${role} on ${name}`);
      }
    }
  }
  return actions;
}
