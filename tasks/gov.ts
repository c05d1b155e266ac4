/**
 * Governance CLI over the TreelionTimelock: gov:schedule, gov:status, gov:execute, gov:cancel.
 * Every task validates everything first (call against the target's ABI, the timelock's role on the target by a
 * simulation from the timelock, the signer's timelock role, the operation's state and time) and sends nothing
 * when a check fails. `--print-only` prints `{ to, value, data }` for a multisig (Safe) to submit instead.
 */
import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, ZeroAddress, ZeroHash, id as keccakId, type EventLog } from "ethers";
import { PLUGIN, action, describeError, resolveSigner, send, suiteAbis } from "./lib/runner";
import { isProposal } from "./lib/signers";
import { TaskInputError } from "./lib/parse";
import { suiteDeployments } from "../config/deploy-utils";
import { TIMELOCK_DEPLOYMENT, formatDuration, parseDuration } from "../config/governance";
import type { OperationStatus, TimelockCall } from "../sdk/governance";

/**
 * The SDK's governance helpers and decoders, loaded on first use: this file loads with hardhat.config.ts, before
 * anything is compiled, and they need the generated contract facts (sdk/generated).
 */
const governance = () => import("../sdk/governance");
const sdk = () => import("../sdk");

const PROPOSER = keccakId("PROPOSER_ROLE");
const EXECUTOR = keccakId("EXECUTOR_ROLE");
const CANCELLER = keccakId("CANCELLER_ROLE");

interface Target {
  name: string;
  address: string;
  abi: any[];
}

async function timelock(hre: HardhatRuntimeEnvironment) {
  const d = await hre.deployments.getOrNull(TIMELOCK_DEPLOYMENT);
  if (!d)
    throw new HardhatPluginError(
      PLUGIN,
      `no ${TIMELOCK_DEPLOYMENT} on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\` first`,
    );
  return { c: new Contract(d.address, d.abi, hre.ethers.provider), fromBlock: d.receipt?.blockNumber ?? 0 };
}

/** Deployment name or address → name, address and ABI (contracts created at run time by their bytecode). */
async function resolveTarget(hre: HardhatRuntimeEnvironment, value: string): Promise<Target> {
  const all = await suiteDeployments(hre);
  const v = value.trim();
  if (!v.startsWith("0x")) {
    const d = all[v];
    if (!d)
      throw new TaskInputError(`--contract: "${v}" is neither an address nor a deployment on ${hre.network.name}`);
    return { name: v, address: d.address, abi: d.abi as any[] };
  }
  if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw new TaskInputError(`--contract: ${v} is not a 20-byte address`);
  const entry = Object.entries(all).find(([, d]) => d.address.toLowerCase() === v.toLowerCase());
  if (entry) return { name: entry[0], address: entry[1].address, abi: entry[1].abi as any[] };
  const code = await hre.ethers.provider.getCode(v);
  if (code === "0x") throw new TaskInputError(`--contract: no contract at ${v} on ${hre.network.name}`);
  for (const fq of await hre.artifacts.getAllFullyQualifiedNames()) {
    if (!fq.startsWith("contracts/") || fq.startsWith("contracts/test/")) continue;
    const a = await hre.artifacts.readArtifact(fq);
    if (a.deployedBytecode === code) return { name: `${a.contractName} ${v}`, address: v, abi: a.abi as any[] };
  }
  throw new TaskInputError(`--contract: the contract at ${v} is not a Treelion contract (no matching artifact)`);
}

/** Names a call may use instead of addresses: deployments and named accounts. */
async function nameResolver(hre: HardhatRuntimeEnvironment) {
  const all = await suiteDeployments(hre);
  const named = await hre.getNamedAccounts();
  return (n: string) => all[n]?.address ?? named[n];
}

async function now(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  return BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
}

function when(ts: bigint, current: bigint): string {
  const iso = new Date(Number(ts) * 1000).toISOString().replace(".000Z", "Z");
  if (ts > current) return `${iso} (in ${humanSpan(ts - current)})`;
  return `${iso} (${humanSpan(current - ts)} ago)`;
}

function humanSpan(seconds: bigint): string {
  let s = Number(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)} ${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s} s`);
  return parts.slice(0, 2).join(" ");
}

/** The timelock's own events of a receipt (the suite decoder covers the Treelion contracts it called). */
function printTimelockEvents(tl: Contract, sent: { receipt?: { logs: readonly any[] } }) {
  const address = String(tl.target).toLowerCase();
  for (const log of sent.receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== address) continue;
    const ev = tl.interface.parseLog(log);
    if (!ev) continue;
    const args = ev.fragment.inputs.map((p, i) => `${p.name}=${String(ev.args[i])}`).join(", ");
    console.log(`  event ${TIMELOCK_DEPLOYMENT}.${ev.name}(${args})`);
  }
}

function printTx(to: string, data: string, note: string) {
  console.log(note);
  console.log(JSON.stringify({ to, value: "0", data }, null, 2));
}

/** The signer, refused (nothing sent) unless it holds `role` on the timelock (or the role is open). */
async function signerWithRole(
  hre: HardhatRuntimeEnvironment,
  tl: Contract,
  from: string | undefined,
  role: string,
  what: string,
) {
  const { roleNameOf } = await governance();
  const signer = await resolveSigner(hre, from ?? "admin");
  const address = await signer.getAddress();
  if (!(await tl.hasRole(role, address)) && !(await tl.hasRole(role, ZeroAddress)))
    throw new HardhatPluginError(
      PLUGIN,
      `${address} does not hold ${roleNameOf(tl.interface, role)} on ${TIMELOCK_DEPLOYMENT}, so it cannot ${what}. ` +
        `Run again with --print-only and submit the printed { to, value, data } from the multisig.`,
    );
  return signer;
}

interface Operation {
  id: string;
  calls: (TimelockCall & { index: bigint })[];
  delay: bigint;
  scheduledAt: bigint;
  readyAt: bigint;
  executed: boolean;
  cancelled: boolean;
  status: OperationStatus;
}

/** Every operation of the timelock from its CallScheduled / CallExecuted / Cancelled events, oldest first. */
async function operations(hre: HardhatRuntimeEnvironment, tl: Contract, fromBlock: number): Promise<Operation[]> {
  const { operationStatus } = await governance();
  const [scheduled, executed, cancelled, salts] = await Promise.all(
    [tl.filters.CallScheduled(), tl.filters.CallExecuted(), tl.filters.Cancelled(), tl.filters.CallSalt()].map(
      (f) => tl.queryFilter(f, fromBlock) as Promise<EventLog[]>,
    ),
  );
  const current = await now(hre);
  // in chain order: a cancelled id may be scheduled again, which starts a new life of the operation
  const events = [
    ...scheduled.map((e) => ({ e, kind: "scheduled" })),
    ...executed.map((e) => ({ e, kind: "executed" })),
    ...cancelled.map((e) => ({ e, kind: "cancelled" })),
    ...salts.map((e) => ({ e, kind: "salt" })),
  ].sort((x, y) => x.e.blockNumber - y.e.blockNumber || x.e.index - y.e.index);
  const byId = new Map<string, Operation>();
  const lives: Operation[] = [];
  for (const { e, kind } of events) {
    const id: string = e.args[0];
    let op = byId.get(id);
    if (kind === "scheduled") {
      const [, index, target, value, data, predecessor, delay] = e.args;
      if (!op || op.cancelled) {
        const at = BigInt((await hre.ethers.provider.getBlock(e.blockNumber))!.timestamp);
        op = {
          id,
          calls: [],
          delay,
          scheduledAt: at,
          readyAt: at + delay,
          executed: false,
          cancelled: false,
          status: "pending",
        };
        byId.set(id, op);
        lives.push(op);
      }
      op.calls.push({ target, value, data, predecessor, salt: ZeroHash, index });
    } else if (op && kind === "executed") op.executed = true;
    else if (op && kind === "cancelled") op.cancelled = true;
    else if (op && kind === "salt") for (const c of op.calls) c.salt = e.args[1]; // CallSalt: only when non-zero
  }
  const out = lives;
  for (const op of out) {
    op.calls.sort((a, b) => Number(a.index - b.index));
    op.status = operationStatus(op, current);
  }
  return out;
}

async function describeCall(hre: HardhatRuntimeEnvironment, call: TimelockCall): Promise<string> {
  const { decodeScheduledCall } = await governance();
  const all = await suiteDeployments(hre);
  const entry = Object.entries(all).find(([, d]) => d.address.toLowerCase() === call.target.toLowerCase());
  let abi = entry?.[1].abi as any[] | undefined;
  let name = entry?.[0];
  if (!abi) {
    try {
      const t = await resolveTarget(hre, call.target);
      [abi, name] = [t.abi, t.name];
    } catch {
      /* not a Treelion contract */
    }
  }
  const decoded = abi ? decodeScheduledCall(abi, call.data) : undefined;
  const value = call.value > 0n ? ` with ${call.value} wei` : "";
  return `${name ?? call.target}.${decoded ? decoded.text : `<${call.data.slice(0, 10)}…>`}${value}`;
}

async function findOperation(hre: HardhatRuntimeEnvironment, id: string) {
  if (!/^0x[0-9a-fA-F]{64}$/.test(id.trim())) throw new TaskInputError(`--id: ${id} is not a 32-byte operation id`);
  const { c: tl, fromBlock } = await timelock(hre);
  const op = (await operations(hre, tl, fromBlock))
    .reverse()
    .find((o) => o.id.toLowerCase() === id.trim().toLowerCase()); // the latest life of the id
  if (!op) throw new HardhatPluginError(PLUGIN, `no operation ${id} on ${TIMELOCK_DEPLOYMENT}: see gov:status`);
  return { tl, op };
}

task(
  "gov:schedule",
  "Schedules a call on a Treelion contract through the TreelionTimelock (it runs after the timelock's delay).\n" +
    "  Validates the call against the target's ABI and that the timelock holds the role it needs, then prints the\n" +
    "  operation id, the ready time and the decoded call. --print-only prints { to, value, data } for a multisig.\n" +
    '  Example: npx hardhat gov:schedule --network localhost --contract CreditMarketplace --call "setFee(250, treasury)"',
)
  .addParam("contract", "target: deployment name (e.g. CreditMarketplace) or address")
  .addParam("call", 'the call, e.g. "setFee(250, 0x…)", "grantRole(VERIFIER_ROLE, 0x…)", "unpause()"')
  .addOptionalParam("salt", "text or 32-byte hex that tells identical calls apart (default: none)")
  .addOptionalParam("delay", "seconds or 2d/36h/90m (default and minimum: the timelock's minDelay)")
  .addOptionalParam("from", "proposer: named account, index or address", "admin")
  .addFlag("printOnly", "print the schedule transaction { to, value, data } instead of sending it")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const { encodeCallText, saltFrom, operationId, roleNameOf, decodeScheduledCall, encodeSchedule } =
        await governance();
      const { c: tl } = await timelock(hre);
      const tlAddress = await tl.getAddress();
      const target = await resolveTarget(hre, a.contract);
      let encoded;
      try {
        encoded = encodeCallText(target.abi, a.call, await nameResolver(hre));
      } catch (e) {
        throw new TaskInputError(`--call: ${(e as Error).message}`);
      }
      const minDelay: bigint = await tl.getMinDelay();
      let delay = minDelay;
      if (a.delay !== undefined) {
        try {
          delay = BigInt(parseDuration(a.delay));
        } catch (e) {
          throw new TaskInputError(`--delay: ${(e as Error).message}`);
        }
        if (delay < minDelay)
          throw new TaskInputError(
            `--delay: ${formatDuration(delay)} is below the timelock's minDelay of ${formatDuration(minDelay)}`,
          );
      }
      const call: TimelockCall = {
        target: target.address,
        value: 0n,
        data: encoded.data,
        predecessor: ZeroHash,
        salt: saltFrom(a.salt),
      };
      const id = operationId(call);
      if (await tl.isOperation(id)) {
        const state = (await tl.isOperationDone(id)) ? "done" : (await tl.isOperationReady(id)) ? "ready" : "pending";
        throw new HardhatPluginError(
          PLUGIN,
          `operation ${id} is already scheduled (${state}): pass --salt to schedule the same call again.`,
        );
      }
      // the timelock must be able to make this call: simulate it from the timelock (role checks included)
      try {
        await hre.ethers.provider.call({ from: tlAddress, to: target.address, data: encoded.data });
      } catch (err) {
        const { decodeError } = await sdk();
        const decoded = decodeError(err, await suiteAbis(hre));
        if (decoded?.name === "AccessControlUnauthorizedAccount") {
          const role = String(decoded.args[1]);
          throw new HardhatPluginError(
            PLUGIN,
            `${TIMELOCK_DEPLOYMENT} does not hold ${roleNameOf(target.abi, role) ?? role} on ${target.name}, so this call ` +
              `could never execute`,
          );
        }
        throw new HardhatPluginError(
          PLUGIN,
          `${await describeError(hre, err, `${target.name}.${encoded.fragment.name} from the timelock`)} — ` +
            `it would fail when executed`,
        );
      }
      const text = decodeScheduledCall(target.abi, encoded.data)!.text;
      const scheduleData = encodeSchedule(call, delay);
      if (a.printOnly) {
        const readyAt = (await now(hre)) + delay;
        console.log(`operation ${id}`);
        console.log(`  call      ${target.name}.${text}`);
        console.log(
          `  delay     ${formatDuration(delay)}: ready ${formatDuration(delay)} after it is mined (≈ ${when(readyAt, await now(hre))})`,
        );
        printTx(tlAddress, scheduleData, `submit from a proposer of ${TIMELOCK_DEPLOYMENT} (nothing was sent):`);
        return;
      }
      const signer = await signerWithRole(hre, tl, a.from, PROPOSER, "schedule");
      const sent = await send(hre, `schedule ${target.name}.${text}`, tl.connect(signer) as Contract, "schedule", [
        call.target,
        call.value,
        call.data,
        call.predecessor,
        call.salt,
        delay,
      ]);
      if (isProposal(signer)) return; // printed for the proposer to submit: not scheduled yet
      printTimelockEvents(tl, sent);
      const readyAt: bigint = await tl.getTimestamp(id);
      console.log(`operation ${id}`);
      console.log(`  call      ${target.name}.${text}`);
      console.log(`  ready at  ${when(readyAt, await now(hre))}`);
      console.log(`  then: npx hardhat gov:execute --network ${hre.network.name} --id ${id}`);
    }),
  );

task(
  "gov:status",
  "Lists the TreelionTimelock's operations (pending, ready, done, cancelled) with their decoded calls.\n" +
    "  Example: npx hardhat gov:status --network localhost",
)
  .addOptionalParam("id", "only this operation id (0x…)")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const { c: tl, fromBlock } = await timelock(hre);
      let ops = await operations(hre, tl, fromBlock);
      if (a.id !== undefined) ops = [(await findOperation(hre, a.id)).op];
      const current = await now(hre);
      console.log(
        `${TIMELOCK_DEPLOYMENT} ${await tl.getAddress()}: minDelay ${formatDuration(await tl.getMinDelay())}, ${ops.length} operation(s)`,
      );
      for (const op of ops) {
        const time =
          op.status === "pending"
            ? `ready ${when(op.readyAt, current)}`
            : op.status === "ready"
              ? `ready since ${when(op.readyAt, current)}`
              : "";
        console.log(`${op.id}  ${op.status.toUpperCase()}${time ? `  ${time}` : ""}`);
        for (const c of op.calls) console.log(`  ${await describeCall(hre, c)}`);
      }
    }),
  );

task(
  "gov:execute",
  "Executes a ready TreelionTimelock operation (refused before its ready time, with the time left).\n" +
    "  Example: npx hardhat gov:execute --network localhost --id 0x…",
)
  .addParam("id", "operation id (from gov:schedule or gov:status)")
  .addOptionalParam("from", "executor: named account, index or address", "admin")
  .addFlag("printOnly", "print the execute transaction { to, value, data } instead of sending it")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const { encodeExecute } = await governance();
      const { tl, op } = await findOperation(hre, a.id);
      const current = await now(hre);
      if (op.status === "done") throw new HardhatPluginError(PLUGIN, `operation ${op.id} is already executed`);
      if (op.status === "cancelled") throw new HardhatPluginError(PLUGIN, `operation ${op.id} was cancelled`);
      if (op.status === "pending")
        throw new HardhatPluginError(
          PLUGIN,
          `operation ${op.id} is not ready: ${humanSpan(op.readyAt - current)} left (ready at ${when(op.readyAt, current)})`,
        );
      const tlAddress = await tl.getAddress();
      const calls = op.calls;
      const batch = calls.length > 1;
      const method = batch ? "executeBatch" : "execute";
      const args = batch
        ? [
            calls.map((c) => c.target),
            calls.map((c) => c.value),
            calls.map((c) => c.data),
            calls[0].predecessor,
            calls[0].salt,
          ]
        : [calls[0].target, calls[0].value, calls[0].data, calls[0].predecessor, calls[0].salt];
      const label = (await Promise.all(calls.map((c) => describeCall(hre, c)))).join("; ");
      if (a.printOnly) {
        const data = batch ? tl.interface.encodeFunctionData(method, args) : encodeExecute(calls[0]);
        console.log(`operation ${op.id}: ${label}`);
        printTx(tlAddress, data, `submit from an executor of ${TIMELOCK_DEPLOYMENT} (nothing was sent):`);
        return;
      }
      const signer = await signerWithRole(hre, tl, a.from, EXECUTOR, "execute");
      printTimelockEvents(tl, await send(hre, `execute ${label}`, tl.connect(signer) as Contract, method, args));
    }),
  );

task(
  "gov:cancel",
  "Cancels a pending or ready TreelionTimelock operation (it can then never execute).\n" +
    "  Example: npx hardhat gov:cancel --network localhost --id 0x…",
)
  .addParam("id", "operation id (from gov:schedule or gov:status)")
  .addOptionalParam("from", "canceller: named account, index or address", "admin")
  .addFlag("printOnly", "print the cancel transaction { to, value, data } instead of sending it")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const { encodeCancel } = await governance();
      const { tl, op } = await findOperation(hre, a.id);
      if (op.status === "done" || op.status === "cancelled")
        throw new HardhatPluginError(
          PLUGIN,
          `operation ${op.id} is ${op.status === "done" ? "already executed" : "already cancelled"}`,
        );
      const label = (await Promise.all(op.calls.map((c) => describeCall(hre, c)))).join("; ");
      if (a.printOnly) {
        console.log(`operation ${op.id}: ${label}`);
        printTx(
          await tl.getAddress(),
          encodeCancel(op.id),
          `submit from a canceller of ${TIMELOCK_DEPLOYMENT} (nothing was sent):`,
        );
        return;
      }
      const signer = await signerWithRole(hre, tl, a.from, CANCELLER, "cancel");
      printTimelockEvents(tl, await send(hre, `cancel ${label}`, tl.connect(signer) as Contract, "cancel", [op.id]));
    }),
  );
