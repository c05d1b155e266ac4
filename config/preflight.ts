/**
 * On-chain half of "refuse early": before a public-network deploy sends its first transaction, read what is
 * already deployed and list every change the deployer could no longer make (after the hand-over only the timelock
 * administers the contracts). A repeated deploy whose configuration matches the chain passes and then sends nothing.
 * Called once per run from `deployOptions`, which every deploy script awaits before its first transaction.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, id, ZeroAddress } from "ethers";
import { isLocalNetwork, parseAddressList } from "./networks";
import { ROLES, suiteDeployments, verifierAddresses, type RoleName } from "./deploy-utils";
import { formatDuration, timelockSettings, TIMELOCK_DEPLOYMENT } from "./governance";

const checked = new WeakMap<HardhatRuntimeEnvironment, Promise<void>>();

/** Runs the checks once per Hardhat run (every later call awaits the same result). */
export function preflight(hre: HardhatRuntimeEnvironment): Promise<void> {
  let p = checked.get(hre);
  if (!p) {
    p = isLocalNetwork(hre.network.name) ? Promise.resolve() : runPreflight(hre);
    checked.set(hre, p);
  }
  return p;
}

/** The gov:schedule command that makes a change the deployer can no longer make. */
export function scheduleHint(network: string, contract: string, call: string): string {
  return `npx hardhat gov:schedule --network ${network} --contract ${contract} --call "${call}"`;
}

/** Every problem found, in deploy order (empty: the deploy may proceed). */
export async function preflightProblems(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  const net = hre.network.name;
  const { deployer, guardian } = await hre.getNamedAccounts();
  const provider = hre.ethers.provider;
  const all = await suiteDeployments(hre);
  const problems: string[] = [];
  const live: Record<string, Contract> = {};
  for (const [name, d] of Object.entries(all)) {
    if ((await provider.getCode(d.address)) !== "0x") live[name] = new Contract(d.address, d.abi, provider);
  }

  // 1. the timelock in place must be the one configured (its delay changes only through itself)
  const timelock = live[TIMELOCK_DEPLOYMENT];
  if (timelock) {
    const want = await timelockSettings(hre);
    const delay = Number(await timelock.getMinDelay());
    if (delay !== want.minDelay)
      problems.push(
        `${TIMELOCK_DEPLOYMENT} has minDelay ${formatDuration(delay)}, TIMELOCK_MIN_DELAY asks for ${formatDuration(want.minDelay)}: ` +
          `the delay changes only through the timelock: ${scheduleHint(net, TIMELOCK_DEPLOYMENT, `updateDelay(${want.minDelay})`)}`,
      );
    for (const p of want.proposers)
      if (!(await timelock.hasRole(id("PROPOSER_ROLE"), p)))
        problems.push(`${TIMELOCK_DEPLOYMENT}: ADMIN_ADDRESS ${p} is not a proposer of the deployed timelock`);
    for (const e of want.executors)
      if (!(await timelock.hasRole(id("EXECUTOR_ROLE"), e)))
        problems.push(
          `${TIMELOCK_DEPLOYMENT}: ${e === ZeroAddress ? "open execution (TIMELOCK_OPEN_EXECUTOR=true)" : `executor ${e}`} is not set on the deployed timelock`,
        );
  }

  // 2. contracts the deployer no longer administers: what the deploy scripts would change must already be so
  const handedOver = async (name: string) =>
    live[name] !== undefined && !(await live[name].hasRole(ROLES.DEFAULT_ADMIN, deployer));
  const needRole = async (name: string, role: RoleName, account: string) => {
    if ((await handedOver(name)) && !(await live[name].hasRole(ROLES[role], account)))
      problems.push(
        `${name}: ${account} lacks ${role}_ROLE and only governance can grant it now: ` +
          scheduleHint(net, name, `grantRole(${role}_ROLE, ${account})`),
      );
  };
  for (const v of await verifierAddresses(hre)) {
    await needRole("GreenProjectRegistry", "VERIFIER", v);
    await needRole("CarbonCredit", "ISSUER", v);
  }
  for (const [name, c] of Object.entries(live)) {
    if (name === TIMELOCK_DEPLOYMENT || !c.interface.getFunction("PAUSER_ROLE")) continue;
    await needRole(name, "PAUSER", guardian);
  }
  // bonds the factory creates from now on must be pausable by the guardian too
  const factory = live.GreenBondFactory;
  if (factory?.interface.getFunction("bondPauser") && (await handedOver("GreenBondFactory"))) {
    const pauser = String(await factory.bondPauser());
    if (pauser.toLowerCase() !== guardian.toLowerCase())
      problems.push(
        `GreenBondFactory: new bonds get the pauser ${pauser}, not GUARDIAN_ADDRESS ${guardian}, and only governance can ` +
          `change it now: ${scheduleHint(net, "GreenBondFactory", `setBondPauser(${guardian})`)}`,
      );
  }
  const { treasury } = await hre.getNamedAccounts();
  // loaded here, not at module level: this module loads with hardhat.config.ts, before sdk/generated exists
  const { POOLS, categoryMask } = await import("../deploy/10_pools");
  for (const pool of POOLS) {
    if (!(await handedOver(pool.deployment))) continue;
    const c = live[pool.deployment];
    const criteria = await c.criteria();
    const standards = pool.standards.map((s) => id(s));
    const same =
      Number(criteria.minVintage) === pool.minVintage &&
      BigInt(criteria.categoryMask) === categoryMask(pool.categories) &&
      criteria.standards.length === standards.length &&
      standards.every((h, i) => criteria.standards[i] === h);
    if (!same)
      problems.push(
        `${pool.deployment}: the configured criteria differ from the pool's and only governance can change them: ` +
          scheduleHint(net, pool.deployment, "setCriteria(…)"),
      );
    const [redeem, retire, poolTreasury] = [await c.redeemFeeBps(), await c.retireFeeBps(), await c.treasury()];
    if (
      Number(redeem) !== pool.redeemFeeBps ||
      Number(retire) !== pool.retireFeeBps ||
      String(poolTreasury).toLowerCase() !== treasury.toLowerCase()
    )
      problems.push(
        `${pool.deployment}: the configured fees or treasury differ from the pool's and only governance can change them: ` +
          scheduleHint(net, pool.deployment, `setFees(${pool.redeemFeeBps}, ${pool.retireFeeBps}, ${treasury})`),
      );
  }
  if (await handedOver("CreditMarketplace")) {
    for (const token of parseAddressList(process.env.MARKET_PAYMENT_TOKENS))
      if (!(await live.CreditMarketplace.paymentTokenAllowed(token)))
        problems.push(
          `CreditMarketplace: payment token ${token} is not allow-listed and only governance can add it now: ` +
            scheduleHint(net, "CreditMarketplace", `setPaymentToken(${token}, true)`),
        );
  }
  return problems;
}

async function runPreflight(hre: HardhatRuntimeEnvironment): Promise<void> {
  const problems = await preflightProblems(hre);
  if (problems.length > 0)
    throw new Error(
      `Deploy to "${hre.network.name}" stopped before sending any transaction:\n  - ${problems.join("\n  - ")}`,
    );
}
