/**
 * Governance CLI over the TreelionTimelock: gov:schedule, gov:status, gov:execute, gov:cancel.
 * Every task validates everything first (call against the target's ABI, the timelock's role on the target by a
 * simulation from the timelock, the signer's timelock role, the operation's state and time) and sends nothing
 * when a check fails. `--print-only` prints `{ to, value, data }` for a multisig (Safe) to submit instead.
 */
import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, ZeroAddress, ZeroHash, formatEther, id as keccakId, parseEther, type EventLog } from "ethers";
import type { ConfigurableTaskDefinition } from "hardhat/types";
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

function printTx(to: string, data: string, note: string, value = 0n) {
  console.log(note);
  console.log(JSON.stringify({ to, value: value.toString(), data }, null, 2));
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

/** What names one operation: the call(s), predecessor and salt (each task takes the same options). */
interface OperationArgs {
  contract?: string;
  call?: string;
  batch?: string;
  value?: string;
  predecessor?: string;
  salt?: string;
}

/** One operation read from the options: its calls (validated against their ABIs), predecessor, salt and id. */
interface OperationSpec {
  calls: TimelockCall[];
  /** `CreditMarketplace.setFee(250, 0x…)` per call. */
  labels: string[];
  /** scheduleBatch / executeBatch (`--batch`, even of one call) rather than schedule / execute. */
  batch: boolean;
  predecessor: string;
  salt: string;
  id: string;
}

/** The options every gov task takes to name an operation by its content (the id is computed from them). */
function operationParams<T extends ConfigurableTaskDefinition>(t: T, verb: string): T {
  return t
    .addOptionalParam("contract", `target of the call${verb}: deployment name (e.g. CreditMarketplace) or address`)
    .addOptionalParam("call", 'the call, e.g. "setFee(250, treasury)", "grantRole(VERIFIER_ROLE, 0x…)", "unpause()"')
    .addOptionalParam(
      "batch",
      'several calls as one operation (scheduleBatch), instead of --contract/--call: "Contract.f(args); Other.g(args)"',
    )
    .addOptionalParam(
      "value",
      "wei (or e.g. 0.5ether) the call sends (payable functions only; with --batch one per call, comma-separated)",
    )
    .addOptionalParam("predecessor", "operation id (0x…, 32 bytes) that must be executed first (default: none)")
    .addOptionalParam("salt", "text or 32-byte hex that tells identical calls apart (default: none)") as T;
}

function parseWei(v: string, where: string): bigint {
  const t = v.trim().replace(/_/g, "");
  if (/^\d+$/.test(t)) return BigInt(t);
  const m = /^(\d+(?:\.\d{1,18})?)\s*(?:ether|eth)$/i.exec(t);
  if (m) return parseEther(m[1]);
  throw new TaskInputError(`${where}: "${v}" is not an amount: write wei (1000) or ether (0.5ether)`);
}

function parseId(v: string, where: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(v.trim())) throw new TaskInputError(`${where}: ${v} is not a 32-byte operation id`);
  return v.trim().toLowerCase();
}

/** Whether the options name an operation by its content (rather than by --id). */
const namesCall = (a: OperationArgs) => a.contract !== undefined || a.call !== undefined || a.batch !== undefined;

/** Reads and validates the operation the options describe (reads only; throws TaskInputError on bad input). */
async function operationSpec(hre: HardhatRuntimeEnvironment, a: OperationArgs): Promise<OperationSpec> {
  const { encodeCallText, saltFrom, operationId, operationBatchId, decodeScheduledCall, parseBatchText } =
    await governance();
  let items: { contract: string; call: string; where: string }[];
  if (a.batch !== undefined) {
    if (a.contract !== undefined || a.call !== undefined)
      throw new TaskInputError("--batch replaces --contract and --call: give one or the other");
    try {
      items = parseBatchText(a.batch).map((c, i) => ({ ...c, where: `--batch call ${i + 1}` }));
    } catch (e) {
      throw new TaskInputError(`--batch: ${(e as Error).message}`);
    }
  } else {
    if (a.contract === undefined || a.call === undefined)
      throw new TaskInputError(
        `${a.contract === undefined ? "--contract" : "--call"} is missing: name the call with --contract and --call (or several with --batch)`,
      );
    items = [{ contract: a.contract, call: a.call, where: "--call" }];
  }
  const values = a.value === undefined ? items.map(() => 0n) : a.value.split(",").map((v) => parseWei(v, "--value"));
  if (values.length !== items.length)
    throw new TaskInputError(`--value: ${values.length} amount(s) for ${items.length} call(s): give one per call`);
  const predecessor = a.predecessor === undefined ? ZeroHash : parseId(a.predecessor, "--predecessor");
  const salt = saltFrom(a.salt);
  const resolve = await nameResolver(hre);
  const calls: TimelockCall[] = [];
  const labels: string[] = [];
  for (const [i, item] of items.entries()) {
    const target = await resolveTarget(hre, item.contract);
    let encoded;
    try {
      encoded = encodeCallText(target.abi, item.call, resolve);
    } catch (e) {
      throw new TaskInputError(`${item.where}: ${(e as Error).message}`);
    }
    if (values[i] > 0n && !encoded.fragment.payable)
      throw new TaskInputError(
        `--value: ${target.name}.${encoded.fragment.format("sighash")} is not payable, so it cannot receive ${formatEther(values[i])} ether`,
      );
    calls.push({ target: target.address, value: values[i], data: encoded.data, predecessor, salt });
    const sent = values[i] > 0n ? ` with ${values[i]} wei` : "";
    labels.push(`${target.name}.${decodeScheduledCall(target.abi, encoded.data)!.text}${sent}`);
  }
  const batch = a.batch !== undefined;
  const id = batch ? operationBatchId(calls, predecessor, salt) : operationId(calls[0]);
  return { calls, labels, batch, predecessor, salt, id };
}

/** The operation id the options give: --id, or computed from the call(s); undefined when neither is given. */
async function idFromArgs(hre: HardhatRuntimeEnvironment, a: OperationArgs & { id?: string }) {
  if (a.id !== undefined) {
    if (namesCall(a))
      throw new TaskInputError("give --id or the operation's call (--contract/--call or --batch), not both");
    return parseId(a.id, "--id");
  }
  return namesCall(a) ? (await operationSpec(hre, a)).id : undefined;
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

/** The operation the options name (--id, or its call(s)), refused when the timelock never scheduled it. */
async function findOperation(hre: HardhatRuntimeEnvironment, a: OperationArgs & { id?: string }) {
  const id = await idFromArgs(hre, a);
  if (id === undefined)
    throw new TaskInputError("name the operation: --id 0x…, or its --contract/--call (or --batch) with its --salt");
  const { c: tl, fromBlock } = await timelock(hre);
  const op = (await operations(hre, tl, fromBlock)).reverse().find((o) => o.id.toLowerCase() === id); // latest life
  if (!op) throw new HardhatPluginError(PLUGIN, `no operation ${id} on ${TIMELOCK_DEPLOYMENT}: see gov:status`);
  return { tl, op };
}

/** Whether a scheduled operation is a batch (scheduleBatch): its id is not the single-call hash. */
async function isBatch(op: Operation): Promise<boolean> {
  const { operationId } = await governance();
  return op.calls.length > 1 || operationId(op.calls[0]).toLowerCase() !== op.id.toLowerCase();
}

/** A predecessor that is not executed yet, with its state (refusals and notes say which). */
async function pendingPredecessor(tl: Contract, predecessor: string): Promise<string | undefined> {
  if (predecessor === ZeroHash || (await tl.isOperationDone(predecessor))) return undefined;
  if (!(await tl.isOperation(predecessor))) return "not scheduled";
  return (await tl.isOperationReady(predecessor)) ? "ready, not executed" : "pending";
}

const EXAMPLE_CALL = '--contract CreditMarketplace --call "setFee(250, treasury)"';
const EXAMPLE_BATCH =
  '--batch "CreditMarketplace.setFee(300, treasury); CreditMarketplace.setPaymentToken(TestStablecoin, true)" --salt fees-2027';

operationParams(
  task(
    "gov:schedule",
    "Schedules a call (or a batch of calls, as one operation) on Treelion contracts through the TreelionTimelock; it\n" +
      "  runs after the timelock's delay. Validates every call against its target's ABI, the timelock's role (a\n" +
      "  simulation from the timelock), --value (payable functions only) and --predecessor (an operation of the\n" +
      "  timelock) before sending, then prints the operation id, the ready time and the decoded calls.\n" +
      "  --print-only prints { to, value, data } for a multisig. The same options name the operation in\n" +
      "  gov:status / gov:execute / gov:cancel (the id is computed from them), so no id needs copying.\n" +
      `  Example: npx hardhat gov:schedule --network localhost ${EXAMPLE_CALL}\n` +
      `  Example: npx hardhat gov:schedule --network localhost ${EXAMPLE_BATCH}`,
  ),
  "",
)
  .addOptionalParam("delay", "seconds or 2d/36h/90m (default and minimum: the timelock's minDelay)")
  .addOptionalParam("from", "proposer: named account, index or address", "admin")
  .addFlag("printOnly", "print the schedule transaction { to, value, data } instead of sending it")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const { roleNameOf, encodeSchedule, encodeScheduleBatch, batchArgs } = await governance();
      const { c: tl } = await timelock(hre);
      const tlAddress = await tl.getAddress();
      const op = await operationSpec(hre, a);
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
      const waits = await pendingPredecessor(tl, op.predecessor);
      if (waits === "not scheduled")
        throw new HardhatPluginError(
          PLUGIN,
          `--predecessor: ${op.predecessor} is not an operation of ${TIMELOCK_DEPLOYMENT} (never scheduled, or ` +
            `cancelled): this operation could never execute; see gov:status`,
        );
      if (await tl.isOperation(op.id)) {
        const state = (await tl.isOperationDone(op.id))
          ? "done"
          : (await tl.isOperationReady(op.id))
            ? "ready"
            : "pending";
        throw new HardhatPluginError(
          PLUGIN,
          `operation ${op.id} is already scheduled (${state}): pass --salt to schedule the same call again.`,
        );
      }
      // the timelock must be able to make each call: simulate it from the timelock (role checks included). A call
      // that runs after others (later in the batch, or after a predecessor not executed yet) may depend on what
      // they change, so its revert on today's state is reported as a note instead of a refusal.
      const notes: string[] = [];
      for (const [i, call] of op.calls.entries()) {
        try {
          await hre.ethers.provider.call({ from: tlAddress, to: call.target, data: call.data, value: call.value });
        } catch (err) {
          const { decodeError } = await sdk();
          const decoded = decodeError(err, await suiteAbis(hre));
          const target = await resolveTarget(hre, call.target);
          const why =
            decoded?.name === "AccessControlUnauthorizedAccount"
              ? `${TIMELOCK_DEPLOYMENT} does not hold ${roleNameOf(target.abi, String(decoded.args[1])) ?? String(decoded.args[1])} on ${target.name}`
              : await describeError(hre, err, `${op.labels[i]} from the timelock`);
          const after = [i > 0 ? "the earlier calls of the batch" : "", waits ? `its predecessor (${waits})` : ""]
            .filter(Boolean)
            .join(" and ");
          if (after) {
            notes.push(`note: on today's state ${why}; it runs after ${after}, which may change that`);
            continue;
          }
          throw new HardhatPluginError(
            PLUGIN,
            decoded?.name === "AccessControlUnauthorizedAccount"
              ? `${why}, so this call could never execute`
              : `${why} — it would fail when executed`,
          );
        }
      }
      const scheduleData = op.batch
        ? encodeScheduleBatch(op.calls, op.predecessor, op.salt, delay)
        : encodeSchedule(op.calls[0], delay);
      const describe = () => {
        for (const l of op.labels) console.log(`  call      ${l}`);
        if (op.predecessor !== ZeroHash)
          console.log(`  after     ${op.predecessor}${waits ? ` (${waits})` : " (done)"}`);
        for (const n of notes) console.log(`  ${n}`);
      };
      if (a.printOnly) {
        const readyAt = (await now(hre)) + delay;
        console.log(`operation ${op.id}`);
        describe();
        console.log(
          `  delay     ${formatDuration(delay)}: ready ${formatDuration(delay)} after it is mined (≈ ${when(readyAt, await now(hre))})`,
        );
        printTx(tlAddress, scheduleData, `submit from a proposer of ${TIMELOCK_DEPLOYMENT} (nothing was sent):`);
        return;
      }
      const signer = await signerWithRole(hre, tl, a.from, PROPOSER, "schedule");
      const [method, args] = op.batch
        ? ["scheduleBatch", [...batchArgs(op.calls, op.predecessor, op.salt), delay]]
        : ["schedule", [...Object.values(pick(op.calls[0])), delay]];
      const sent = await send(hre, `${method} ${op.labels.join("; ")}`, tl.connect(signer) as Contract, method, args);
      if (isProposal(signer)) return; // printed for the proposer to submit: not scheduled yet
      printTimelockEvents(tl, sent);
      const readyAt: bigint = await tl.getTimestamp(op.id);
      console.log(`operation ${op.id}`);
      describe();
      console.log(`  ready at  ${when(readyAt, await now(hre))}`);
      console.log(`  then: npx hardhat gov:execute --network ${hre.network.name} --id ${op.id}`);
    }),
  );

/** A call's schedule/execute arguments in the timelock's order. */
function pick(c: TimelockCall) {
  return { target: c.target, value: c.value, data: c.data, predecessor: c.predecessor, salt: c.salt };
}

operationParams(
  task(
    "gov:status",
    "Lists the TreelionTimelock's operations (pending, ready, done, cancelled) with their decoded calls; --id or\n" +
      "  the operation's options (as given to gov:schedule) show one.\n" +
      "  Example: npx hardhat gov:status --network localhost\n" +
      `  Example: npx hardhat gov:status --network localhost ${EXAMPLE_CALL}`,
  ),
  " (with --call: show only that operation)",
)
  .addOptionalParam("id", "only this operation id (0x…)")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const { c: tl, fromBlock } = await timelock(hre);
      const loose = (["salt", "predecessor", "value"] as const).filter((k) => a[k] !== undefined);
      if (loose.length && !namesCall(a))
        throw new TaskInputError(
          `${loose.map((k) => `--${k}`).join(", ")} only describe an operation together with --contract/--call or --batch`,
        );
      let ops = await operations(hre, tl, fromBlock);
      if (a.id !== undefined || namesCall(a)) ops = [(await findOperation(hre, a)).op];
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
        const predecessor = op.calls[0].predecessor;
        if (predecessor !== ZeroHash && op.status !== "done" && op.status !== "cancelled") {
          const waits = await pendingPredecessor(tl, predecessor);
          console.log(`  after ${predecessor}${waits ? ` (${waits})` : " (done)"}`);
        }
      }
    }),
  );

operationParams(
  task(
    "gov:execute",
    "Executes a ready TreelionTimelock operation, named by --id or by the options it was scheduled with\n" +
      "  (refused before its ready time, with the time left, and before its predecessor is executed).\n" +
      `  Example (after the gov:schedule example and the delay): npx hardhat gov:execute --network localhost ${EXAMPLE_CALL}`,
  ),
  " (instead of --id)",
)
  .addOptionalParam("id", "operation id (from gov:schedule or gov:status)")
  .addOptionalParam("from", "executor: named account, index or address", "admin")
  .addFlag("printOnly", "print the execute transaction { to, value, data } instead of sending it")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const { encodeExecute, encodeExecuteBatch, batchArgs } = await governance();
      const { tl, op } = await findOperation(hre, a);
      const current = await now(hre);
      if (op.status === "done") throw new HardhatPluginError(PLUGIN, `operation ${op.id} is already executed`);
      if (op.status === "cancelled") throw new HardhatPluginError(PLUGIN, `operation ${op.id} was cancelled`);
      if (op.status === "pending")
        throw new HardhatPluginError(
          PLUGIN,
          `operation ${op.id} is not ready: ${humanSpan(op.readyAt - current)} left (ready at ${when(op.readyAt, current)})`,
        );
      const calls = op.calls;
      const predecessor = calls[0].predecessor;
      const waits = await pendingPredecessor(tl, predecessor);
      if (waits)
        throw new HardhatPluginError(
          PLUGIN,
          `operation ${op.id} runs after ${predecessor}, which is ${waits}: execute that one first`,
        );
      const tlAddress = await tl.getAddress();
      // the calls' value comes from the timelock's balance; what it lacks goes with the execute transaction
      const total = calls.reduce((sum, c) => sum + c.value, 0n);
      const balance = await hre.ethers.provider.getBalance(tlAddress);
      const missing = total > balance ? total - balance : 0n;
      const batch = await isBatch(op);
      const method = batch ? "executeBatch" : "execute";
      const args = batch ? [...batchArgs(calls, predecessor, calls[0].salt)] : [...Object.values(pick(calls[0]))];
      const label = (await Promise.all(calls.map((c) => describeCall(hre, c)))).join("; ");
      if (a.printOnly) {
        const data = batch ? encodeExecuteBatch(calls, predecessor, calls[0].salt) : encodeExecute(calls[0]);
        console.log(`operation ${op.id}: ${label}`);
        printTx(tlAddress, data, `submit from an executor of ${TIMELOCK_DEPLOYMENT} (nothing was sent):`, missing);
        return;
      }
      if (missing > 0n)
        throw new HardhatPluginError(
          PLUGIN,
          `the calls send ${formatEther(total)} ether and ${TIMELOCK_DEPLOYMENT} holds ${formatEther(balance)}: fund ` +
            `the timelock first, or run with --print-only and send the missing value with the printed transaction`,
        );
      const signer = await signerWithRole(hre, tl, a.from, EXECUTOR, "execute");
      printTimelockEvents(tl, await send(hre, `${method} ${label}`, tl.connect(signer) as Contract, method, args));
    }),
  );

operationParams(
  task(
    "gov:cancel",
    "Cancels a pending or ready TreelionTimelock operation (it can then never execute), named by --id or by the\n" +
      "  options it was scheduled with.\n" +
      `  Example (after the gov:schedule batch example): npx hardhat gov:cancel --network localhost ${EXAMPLE_BATCH}`,
  ),
  " (instead of --id)",
)
  .addOptionalParam("id", "operation id (from gov:schedule or gov:status)")
  .addOptionalParam("from", "canceller: named account, index or address", "admin")
  .addFlag("printOnly", "print the cancel transaction { to, value, data } instead of sending it")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const { encodeCancel } = await governance();
      const { tl, op } = await findOperation(hre, a);
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
