/** Event decoding for the whole suite: per-kind ABIs, address → kind routing, typed results. */
import { Interface, type EventFragment, type InterfaceAbi, type Log, type ParamType, type Result } from "ethers";
import { CONTRACT_KINDS_LIST, abiOfKind, type ContractKind } from "./abi";
import { compileFastDecoder, type FastDecoder } from "./fastdecode";
import { EVENT_FRAGMENTS, type TreelionEventMap } from "./generated";
import { formatCall, type AbiParamLike, type FormatOptions } from "./names";

/** Typed arguments of every suite event, generated from the artifacts (see sdk/generated/events.ts). */
export type { TreelionEventMap } from "./generated";

export type TreelionEventName = keyof TreelionEventMap;

interface EventBase {
  /** kind of the emitting contract */
  kind: ContractKind;
  /** deployment name (or kind when unknown) */
  contract: string;
  address: string;
  signature: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
}

/** A decoded suite event; narrow on `name` to get typed `args`. Events outside the map have `args: Record<string, unknown>`. */
export type ParsedEvent =
  | { [K in TreelionEventName]: EventBase & { name: K; args: TreelionEventMap[K] } }[TreelionEventName]
  | (EventBase & { name: string; args: Record<string, unknown> });

/** The typed event of one name. */
export type EventOf<K extends TreelionEventName> = EventBase & { name: K; args: TreelionEventMap[K] };

/** Type guard: `if (isEvent(e, "Retired")) e.args.certificateId` is a bigint. */
export function isEvent<K extends TreelionEventName>(e: ParsedEvent, name: K): e is EventOf<K> {
  return e.name === name;
}

/** Typed events of one name from a decoded list. */
export function eventsNamed<K extends TreelionEventName>(events: ParsedEvent[], name: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.name === name);
}

export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber?: number | string;
  blockHash?: string;
  transactionHash?: string;
  logIndex?: number | string;
  index?: number;
}

/** Converts an ethers Result into a plain object keyed by parameter names (nested tuples too). */
export function resultToObject(params: readonly ParamType[], r: Result): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  params.forEach((p, i) => {
    out[p.name || `arg${i}`] = convert(p, r[i]);
  });
  return out;
}

function convert(p: ParamType, v: unknown): unknown {
  if (p.isTuple()) return resultToObject(p.components, v as Result);
  if (p.isArray()) return Array.from(v as Result, (x) => convert(p.arrayChildren, x));
  return v;
}

/** Decodes logs of the suite. Known addresses route to their kind's ABI; unknown ones try every kind. */
export class SuiteEventDecoder {
  readonly interfaces = new Map<ContractKind, Interface>();
  /** topic0 → event fragment per kind (ethers' parseLog recomputes every topic hash per call) */
  private readonly byTopic = new Map<ContractKind, Map<string, EventFragment>>();
  private readonly routes = new Map<string, { kind: ContractKind; name: string }>();

  /**
   * @param abis real ABIs per kind (deployment records); kinds without one use the compiled ABI generated from
   * the artifacts (sdk/generated). Nothing is hand-kept: a deployment's own ABI wins, else the build's.
   */
  constructor(abis: Partial<Record<ContractKind, InterfaceAbi>> = {}) {
    for (const kind of CONTRACT_KINDS_LIST) {
      const iface = new Interface(abis[kind] ?? abiOfKind(kind));
      this.interfaces.set(kind, iface);
      const topics = new Map<string, EventFragment>();
      iface.forEachEvent((e) => {
        if (!e.anonymous) topics.set(e.topicHash, e);
      });
      this.byTopic.set(kind, topics);
    }
  }

  register(address: string, kind: ContractKind, name: string = kind): void {
    this.routes.set(address.toLowerCase(), { kind, name });
  }

  routeOf(address: string): { kind: ContractKind; name: string } | undefined {
    return this.routes.get(address.toLowerCase());
  }

  get addresses(): string[] {
    return [...this.routes.keys()];
  }

  /** topic0 of every event of the given kinds (for an eth_getLogs topic filter). */
  topics(kinds: ContractKind[]): string[] {
    const set = new Set<string>();
    for (const k of kinds) this.interfaces.get(k)?.forEachEvent((e: EventFragment) => set.add(e.topicHash));
    return [...set];
  }

  private readonly fast = new Map<EventFragment, FastDecoder | null>();

  /**
   * Decodes one log into JSON-safe args (integers as decimal strings, addresses lower-case) — the indexer's
   * representation. Uses the fast elementary-type decoder when the layout allows, else ethers.
   */
  decodeJson(
    log: RawLog,
  ): { kind: ContractKind; contract: string; name: string; args: Record<string, unknown> } | undefined {
    const route = this.routes.get(log.address.toLowerCase());
    const kinds: ContractKind[] = route ? [route.kind] : [...this.interfaces.keys()];
    for (const kind of kinds) {
      const fragment = this.byTopic.get(kind)!.get(log.topics[0]);
      if (!fragment) continue;
      let fd = this.fast.get(fragment);
      if (fd === undefined) {
        fd = compileFastDecoder(fragment) ?? null;
        this.fast.set(fragment, fd);
      }
      let args: Record<string, unknown>;
      try {
        args = fd
          ? fd(log.topics, log.data)
          : (lowerAddresses(
              jsonSafe(
                resultToObject(
                  fragment.inputs,
                  this.interfaces.get(kind)!.decodeEventLog(fragment, log.data, log.topics as string[]),
                ),
              ),
            ) as Record<string, unknown>);
      } catch {
        continue;
      }
      return { kind, contract: route?.name ?? kind, name: fragment.name, args };
    }
    return undefined;
  }

  /** Decodes one log; `undefined` for logs that match no event of the emitter's kind. */
  decode(log: RawLog): ParsedEvent | undefined {
    const route = this.routes.get(log.address.toLowerCase());
    const kinds: ContractKind[] = route ? [route.kind] : [...this.interfaces.keys()];
    for (const kind of kinds) {
      const fragment = this.byTopic.get(kind)!.get(log.topics[0]);
      if (!fragment) continue;
      let args: Result;
      try {
        args = this.interfaces.get(kind)!.decodeEventLog(fragment, log.data, log.topics as string[]);
      } catch {
        continue; // same topic, different indexed layout (e.g. ERC-721 Transfer)
      }
      return {
        kind,
        contract: route?.name ?? kind,
        address: log.address,
        name: fragment.name,
        signature: fragment.format("sighash"),
        args: resultToObject(fragment.inputs, args) as any,
        blockNumber: Number(log.blockNumber ?? 0),
        blockHash: log.blockHash ?? "",
        transactionHash: log.transactionHash ?? "",
        logIndex: Number(log.logIndex ?? log.index ?? 0),
      };
    }
    return undefined;
  }

  /**
   * Decodes every suite log of a receipt (or log list), in log order. Bonds announced by a BondCreated in the
   * logs are registered (as `GreenBond@<address>`) and their logs decoded as bond events — including the ones
   * the bond emitted before the factory's BondCreated (its constructor's).
   */
  decodeAll(logs: readonly (RawLog | Log)[]): ParsedEvent[] {
    const once = () => {
      const out: ParsedEvent[] = [];
      for (const l of logs) {
        const e = this.decode(l as RawLog);
        if (e) out.push(e);
      }
      return out;
    };
    const events = once();
    let fresh = false;
    for (const e of events) {
      const bond =
        e.name === "BondCreated" && e.kind === "bondFactory" ? (e.args as { bond?: unknown }).bond : undefined;
      if (typeof bond === "string" && !this.routeOf(bond)) {
        this.register(bond, "bond", `GreenBond@${bond}`);
        fresh = true;
      }
    }
    return fresh ? once() : events;
  }
}

/** JSON ABI inputs (with internalType: enum names) of each generated event, by signature. */
let eventInputs: Map<string, (readonly AbiParamLike[])[]> | undefined;

/**
 * One line for an event with enum, role and country names: `ProjectStatusChanged(projectId=1, from=Pending,
 * to=Active)`. Works on any decoded event (`ParsedEvent`, or `{ name, args }` with args by parameter name).
 */
export function formatEvent(e: { name: string; args: Record<string, unknown> }, opts: FormatOptions = {}): string {
  const inputs = eventInputsOf(e);
  return formatCall(
    e.name,
    inputs,
    inputs.map((p, i) => e.args[p.name || `arg${i}`]),
    { ...opts, named: true },
  );
}

/** The ABI inputs of a decoded event (by its name and argument names), in order. */
export function eventInputsOf(e: { name: string; args: Record<string, unknown> }): readonly AbiParamLike[] {
  if (!eventInputs) {
    eventInputs = new Map();
    for (const f of EVENT_FRAGMENTS as readonly { name: string; inputs: readonly AbiParamLike[] }[]) {
      const sig = `${f.name}/${f.inputs.map((i) => i.name).join(",")}`;
      const list = eventInputs.get(sig) ?? [];
      list.push(f.inputs);
      eventInputs.set(sig, list);
    }
  }
  const keys = Object.keys(e.args);
  return eventInputs.get(`${e.name}/${keys.join(",")}`)?.[0] ?? keys.map((name) => ({ name }));
}

/** bigint → decimal string, recursively (JSON-safe, replayable). */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

function lowerAddresses(v: unknown): unknown {
  if (typeof v === "string") return /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map(lowerAddresses);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lowerAddresses(x)]));
  return v;
}
