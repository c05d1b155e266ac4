/**
 * Role hand-over at the end of a deploy. Public networks: the deployer grants governance (DEFAULT_ADMIN_ROLE) and
 * the operator roles to the TreelionTimelock (whose proposer is the multisig ADMIN_ADDRESS), PAUSER_ROLE to the
 * guardian, points the bond factory at the timelock (admin, agent) and the guardian (pauser), then renounces every role it holds on every Treelion
 * contract. Local networks (`keepDeployer`): the timelock gets DEFAULT_ADMIN_ROLE and the guardian PAUSER_ROLE
 * beside the deployer, so the governance flow can be exercised. Idempotent: reads state first and sends only what
 * is missing.
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

/** Deployments that are never handed over (local test support; the timelock administers itself). */
const SKIP = new Set(["TestStablecoin", "TreelionTimelock"]);

/** Who receives what at the hand-over. */
export interface HandoverTargets {
  /** DEFAULT_ADMIN_ROLE and the operator roles (the timelock; any address in unit tests). */
  admin: string;
  /** PAUSER_ROLE wherever a contract defines it (GUARDIAN_ADDRESS / named `guardian`). */
  guardian: string;
}

export interface HandoverAction {
  contract: string;
  action: "grant" | "renounce" | "setBondRoles" | "setBondPauser";
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
 * Plans (and with `send`, executes) the hand-over. `admin` and `guardian` must differ from the deployer.
 * With `keepDeployer` only DEFAULT_ADMIN_ROLE goes to `admin` and PAUSER_ROLE to `guardian`, and the deployer keeps
 * its roles (local networks). Returns the actions taken (or that would be taken) in order.
 */
export async function handOverRoles(
  hre: HardhatRuntimeEnvironment,
  to: HandoverTargets,
  options: { send: boolean; keepDeployer?: boolean; log?: (line: string) => void } = { send: true },
): Promise<HandoverAction[]> {
  const log = options.log ?? ((l: string) => hre.deployments.log(l));
  const { deployer } = await hre.getNamedAccounts();
  const isDeployer = (a: string) => a.toLowerCase() === deployer.toLowerCase();
  const { admin, guardian } = to;
  if (isDeployer(admin)) {
    throw new Error(
      "ADMIN_ADDRESS is the deployer: the hand-over would leave the deployer in control; use a separate (multisig) address.",
    );
  }
  if (isDeployer(guardian))
    throw new Error("GUARDIAN_ADDRESS is the deployer: the guardian must be an account of its own.");
  const keep = options.keepDeployer === true;
  const signer = await hre.ethers.getSigner(deployer);
  const all = await suiteDeployments(hre);
  const actions: HandoverAction[] = [];
  const grant = async (c: Contract, name: string, role: RoleName, account: string) => {
    if (await c.hasRole(ROLES[role], account)) return;
    actions.push({ contract: name, action: "grant", role, account });
    if (options.send) {
      await (await c.grantRole(ROLES[role], account)).wait();
      log(`  hand-over: granted ${role} on ${name} to ${account}`);
    }
  };
  for (const name of Object.keys(all).sort()) {
    if (SKIP.has(name)) continue;
    const roles = rolesDefined(all[name].abi as any[]);
    if (roles.length === 0) continue;
    const c = new Contract(all[name].address, all[name].abi, signer);
    // 0. factories that stamp roles into contracts they create (GreenBondFactory: bondAdmin / bondAgent):
    //    future bonds must get the admin, not the deployer (needs DEFAULT_ADMIN_ROLE, so before renouncing)
    if (!keep && c.interface.getFunction("setBondRoles") && c.interface.getFunction("bondAdmin")) {
      const [bondAdmin, bondAgent] = [await c.bondAdmin(), await c.bondAgent()];
      if (isDeployer(bondAdmin) || isDeployer(bondAgent)) {
        const next = [isDeployer(bondAdmin) ? admin : bondAdmin, isDeployer(bondAgent) ? admin : bondAgent];
        actions.push({ contract: name, action: "setBondRoles", role: "DEFAULT_ADMIN", account: admin });
        if (options.send) {
          await (await c.setBondRoles(next[0], next[1])).wait();
          log(`  hand-over: ${name} now gives new bonds admin ${next[0]} and agent ${next[1]}`);
        }
      }
    }
    //    and future bonds must also be pausable by the guardian (bondPauser, set at construction from the guardian)
    if (c.interface.getFunction("setBondPauser") && (await c.hasRole(ROLES.DEFAULT_ADMIN, deployer))) {
      if ((await c.bondPauser()).toLowerCase() !== guardian.toLowerCase()) {
        actions.push({ contract: name, action: "setBondPauser", role: "PAUSER", account: guardian });
        if (options.send) {
          await (await c.setBondPauser(guardian)).wait();
          log(`  hand-over: ${name} now gives new bonds the guardian ${guardian} as pauser`);
        }
      }
    }
    // 1. give the admin and the guardian what they must hold (while the deployer can still grant)
    for (const role of keep ? (["DEFAULT_ADMIN"] as RoleName[]) : ADMIN_ROLES)
      if (roles.includes(role)) await grant(c, name, role, admin);
    if (roles.includes("PAUSER")) await grant(c, name, "PAUSER", guardian);
    if (keep) continue;
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
