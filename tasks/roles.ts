import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { Contract } from "ethers";
import { PLUGIN, action, deployed, resolveAddress, resolveSigner, send } from "./lib/runner";
import { ROLE_NAMES, parseAddress, parseRole, type RoleArg } from "./lib/parse";
import { ROLES, suiteDeployments } from "../config/deploy-utils";
import { refuseIfTimelockGoverned } from "./lib/governed";
import { bondAt, factoryBonds } from "./bonds";

const roleId = (r: RoleArg) => ROLES[r];

/** The roles a contract's ABI defines (DEFAULT_ADMIN for every AccessControl contract). */
function definedRoles(c: Contract): RoleArg[] {
  if (!c.interface.getFunction("hasRole")) return [];
  return ROLE_NAMES.filter((r) => r === "DEFAULT_ADMIN" || c.interface.getFunction(`${r}_ROLE`) !== null);
}

/** Every role-based deployment, then every bond the GreenBondFactory created (named by their symbol). */
async function accessControlled(hre: any): Promise<{ name: string; c: Contract; fromBlock: number }[]> {
  const all = await suiteDeployments(hre);
  const out = [];
  for (const name of Object.keys(all).sort()) {
    const c = new Contract(all[name].address, all[name].abi, hre.ethers.provider);
    if (definedRoles(c).length > 0) out.push({ name, c, fromBlock: all[name].receipt?.blockNumber ?? 0 });
  }
  const factory = all.GreenBondFactory;
  if (factory) {
    const f = new Contract(factory.address, factory.abi, hre.ethers.provider);
    const abi = (await hre.artifacts.readArtifact("GreenBond")).abi;
    for (const b of (await factoryBonds(hre, f)).reverse())
      out.push({
        name: `GreenBond ${b.symbol}`,
        c: new Contract(b.address, abi, hre.ethers.provider),
        fromBlock: factory.receipt?.blockNumber ?? 0,
      });
  }
  return out;
}

task(
  "roles:list",
  "Lists who holds each role on every Treelion contract (replays RoleGranted/RoleRevoked, checks hasRole).\n" +
    "  Example: npx hardhat roles:list --network localhost --contract CarbonCredit",
)
  .addOptionalParam(
    "contract",
    'only this deployment, e.g. GreenProjectRegistry, or a factory-created bond by "GreenBond <symbol>" or its symbol',
  )
  .addOptionalParam("account", "only show the roles of this address (0x…)")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const account = a.account === undefined ? undefined : parseAddress("account", a.account);
      let targets = await accessControlled(hre);
      if (a.contract) {
        const want = a.contract.trim().toLowerCase();
        targets = targets.filter((t) => t.name.toLowerCase() === want || t.name.toLowerCase() === `greenbond ${want}`);
        if (targets.length === 0)
          throw new HardhatPluginError(
            PLUGIN,
            `--contract: no role-based deployment "${a.contract}" on ${hre.network.name}`,
          );
      }
      for (const t of targets) {
        console.log(`${t.name} (${await t.c.getAddress()})`);
        for (const role of definedRoles(t.c)) {
          let candidates: string[];
          if (account) candidates = [account];
          else {
            const logs = await t.c.queryFilter(t.c.filters.RoleGranted(roleId(role)), t.fromBlock);
            candidates = Array.from(new Set(logs.map((l: any) => l.args.account as string)));
          }
          const holders: string[] = [];
          for (const x of candidates) if (await t.c.hasRole(roleId(role), x)) holders.push(x);
          if (holders.length > 0 || !account)
            console.log(`  ${role.padEnd(13)} ${holders.length ? holders.join(", ") : "(nobody)"}`);
        }
      }
    }),
  );

task(
  "roles:grant",
  "Grants (or with --revoke, revokes) a role on a contract. The signer needs the role's admin (DEFAULT_ADMIN_ROLE).\n" +
    "  Example: npx hardhat roles:grant --network localhost --contract CarbonCredit --role PAUSER --account 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
)
  .addParam("contract", "deployment name, e.g. CarbonCredit, GreenProjectRegistry, MilestoneEscrow")
  .addParam("role", `one of ${ROLE_NAMES.join(", ")} (case-insensitive, _ROLE suffix optional)`)
  .addParam("account", "the address receiving or losing the role (0x…)")
  .addFlag("revoke", "revoke instead of grant")
  .addOptionalParam("from", "signer (admin of the role): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const role = parseRole("role", a.role);
      const account = parseAddress("account", a.account);
      const signer = await resolveSigner(hre, a.from);
      const c = await deployed(hre, a.contract, signer);
      if (!definedRoles(c).includes(role)) {
        throw new HardhatPluginError(
          PLUGIN,
          `--role: ${a.contract} has no ${role} role (it has ${definedRoles(c).join(", ") || "no roles"})`,
        );
      }
      const has: boolean = await c.hasRole(roleId(role), account);
      if (a.revoke ? !has : has) {
        console.log(`${account} ${has ? "already holds" : "does not hold"} ${role} on ${a.contract}: nothing to do`);
        return;
      }
      const verb = a.revoke ? "revoke" : "grant";
      const call = `${verb}Role(${role}_ROLE, ${account})`;
      const admin: string = await c.getRoleAdmin(roleId(role));
      await refuseIfTimelockGoverned(hre, c, a.contract, await signer.getAddress(), admin, call);
      await send(
        hre,
        `${verb} ${role} on ${a.contract} ${a.revoke ? "from" : "to"} ${account}`,
        c,
        a.revoke ? "revokeRole" : "grantRole",
        [roleId(role), account],
      );
    }),
  );

for (const [name, fn] of [
  ["pause", "pause"],
  ["unpause", "unpause"],
] as const) {
  task(
    name,
    `${fn === "pause" ? "Pauses a Pausable contract. Needs PAUSER_ROLE (the guardian)" : "Unpauses a Pausable contract. Needs DEFAULT_ADMIN_ROLE (the timelock on public networks: use gov:schedule)"}.\n` +
      `  Example: npx hardhat ${name} --network localhost --contract CarbonCredit${fn === "pause" ? " --from guardian" : ""}`,
  )
    .addParam(
      "contract",
      "deployment name or address of a Pausable contract, or a bond's symbol, e.g. CarbonCredit, MilestoneEscrow, KGB33",
    )
    .addOptionalParam("from", "signer: named account (e.g. guardian), index or address", "deployer")
    .setAction(
      action(async (a: Record<string, string>, hre) => {
        const signer = await resolveSigner(hre, a.from);
        const all = await suiteDeployments(hre);
        const v = String(a.contract ?? "").trim();
        // a deployment, an address, or a factory-created bond by its symbol (as roles:list and --bond take it)
        const bond = v.startsWith("0x") || all[v] ? undefined : await bondAt(hre, v).catch(() => undefined);
        const address = bond ? await bond.getAddress() : await resolveAddress(hre, "contract", v);
        const entry = Object.entries(all).find(([, d]) => d.address.toLowerCase() === address.toLowerCase());
        const abi = entry
          ? entry[1].abi
          : ["function pause()", "function unpause()", "function paused() view returns (bool)"];
        const c = new Contract(address, abi, signer);
        if (!c.interface.getFunction(fn) || !c.interface.getFunction("paused")) {
          throw new HardhatPluginError(PLUGIN, `--contract: ${a.contract} is not pausable`);
        }
        const paused: boolean = await c.paused();
        if (paused === (fn === "pause")) {
          console.log(`${a.contract} is already ${paused ? "paused" : "unpaused"}: nothing to do`);
          return;
        }
        const needs = roleId(fn === "pause" ? "PAUSER" : "DEFAULT_ADMIN"); // stop fast (guardian), resume slowly
        await refuseIfTimelockGoverned(hre, c, a.contract, await signer.getAddress(), needs, `${fn}()`);
        await send(hre, `${fn} ${a.contract}`, c, fn, []);
      }),
    );
}
