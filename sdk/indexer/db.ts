/**
 * The ledger's SQL layer: one Kysely query builder, two backends. SQLite (better-sqlite3, the default: a file
 * path or ":memory:") and PostgreSQL (`pg`, a `postgres://` URL). Kysely builds and compiles every statement for
 * the backend's dialect; this module executes them: a statement cache on SQLite, named server-side prepared
 * statements on PostgreSQL, and one write transaction at a time (the single writer of the ledger).
 *
 * Statements of the projections are written once with named parameters (`p("batchId")`), compiled once per
 * database and executed with an object of values (`x.run(stmt, { batchId })`).
 */
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type Compilable } from "kysely";

export type Backend = "sqlite" | "postgres";

/** A named parameter of a statement (replaced by the value of that name at execution). */
export class Param {
  constructor(readonly name: string) {}
}
/** `p("batchId")`: the named parameter `batchId`. */
export const p = (name: string) => new Param(name) as unknown as any;

/** A statement built once with Kysely (named parameters), compiled lazily per database. */
export interface Stmt {
  readonly build: (db: Kysely<any>) => Compilable;
  readonly label: string;
}
let stmtCounter = 0;
export function stmt(label: string, build: (db: Kysely<any>) => Compilable): Stmt {
  return { build, label: `${label}_${++stmtCounter}` };
}

interface Compiled {
  sql: string;
  /** a SELECT or a statement with RETURNING: its rows are needed */
  reads: boolean;
  /** per placeholder: a parameter name, or a constant value */
  slots: (Param | { value: unknown })[];
  name: string;
}

/** One statement to run with its named values (`base` is looked up when `args` lacks a name). */
export class Op {
  constructor(
    readonly stmt: Stmt,
    readonly args: Record<string, unknown>,
    readonly base?: Record<string, unknown>,
  ) {}
}

/**
 * Work on the database written once for both backends: a generator that yields each statement (`Op`) and gets
 * its rows back (`const rows = yield op`). SQLite runs it synchronously to the end; PostgreSQL awaits each
 * statement. (One generator step costs far less than one promise, and the ingest runs ~30 statements per event.)
 */
export type Work<T = void> = Generator<Op, T, any[]>;

/** What runs statements inside a transaction (and, outside one, on the database). */
export interface Executor {
  /** runs a generator of statements to its end (inside this executor's transaction) */
  drive<T>(w: Work<T>): Promise<T>;
  /** rows of a statement (empty for one without RETURNING) */
  all<T = Record<string, any>>(s: Stmt, args?: Record<string, unknown>): Promise<T[]>;
  get<T = Record<string, any>>(s: Stmt, args?: Record<string, unknown>): Promise<T | undefined>;
  run(s: Stmt, args?: Record<string, unknown>): Promise<void>;
  /** raw SQL with `?` placeholders (converted for PostgreSQL) */
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Tells whether the ledger changed (a chunk, a reorg rollback, a meta write): `version()` is a token that
 * differs after every committed write, or undefined while changes cannot be seen (then nothing may be cached).
 */
export interface ChangeWatcher {
  version(): string | undefined;
  close(): Promise<void>;
}

/** PostgreSQL channel every committed ledger write notifies (API processes LISTEN to drop cached answers). */
export const CHANGE_CHANNEL = "treelion_ledger";

export interface OpenOptions {
  /** read-only connection (API processes) */
  readonly?: boolean;
  /** PostgreSQL pool size (default 4) */
  poolSize?: number;
}

/**
 * Several statements in one round trip (PostgreSQL: one simple-protocol query of `;`-separated statements with
 * their values written as literals). `inline` is undefined for a value it cannot write as a literal (the
 * statement then runs on its own).
 */
interface Batcher {
  inline(sql: string, values: unknown[]): string | undefined;
  /** runs the statements in order; the rows of the last one */
  run(statements: string[]): Promise<any[]>;
}
/** most statements waiting for one round trip */
const BATCH_MAX = 500;

/** `postgres://…` / `postgresql://…` → PostgreSQL, anything else is a SQLite file path. */
export function backendOf(spec: string): Backend {
  return /^postgres(ql)?:\/\//i.test(spec) ? "postgres" : "sqlite";
}

/** The spec without a password (for messages). */
export function displayTarget(spec: string): string {
  if (backendOf(spec) === "sqlite") return spec;
  try {
    const u = new URL(spec);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://…";
  }
}

/** `?` → `$1, $2, …` (the ledger's own SQL has no `?` inside string literals). */
const toPg = (sql: string) => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

const bigOrString = (v: string) => (/^-?\d+$/.test(v) ? BigInt(v) : v);

export abstract class LedgerDb implements Executor {
  abstract readonly backend: Backend;
  abstract readonly kysely: Kysely<any>;
  readonly target: string;
  private compiled = new Map<string, Compiled>();
  /** a queue: one write transaction at a time, reads outside it wait for its end */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(spec: string) {
    this.target = displayTarget(spec);
  }

  protected compile(s: Stmt): Compiled {
    let c = this.compiled.get(s.label);
    if (!c) {
      const q = s.build(this.kysely).compile();
      c = {
        sql: q.sql,
        // only a plain insert/update/delete without RETURNING may be queued; anything else (a select, a
        // WITH … query) is sent at once and its rows read
        reads: !/^\s*(insert|update|delete)\b/i.test(q.sql) || /\breturning\b/i.test(q.sql),
        slots: q.parameters.map((v) => (v instanceof Param ? v : { value: v })),
        name: s.label,
      };
      this.compiled.set(s.label, c);
    }
    return c;
  }

  protected values(c: Compiled, args: Record<string, unknown> = {}, base?: Record<string, unknown>): unknown[] {
    const out = new Array(c.slots.length);
    for (let i = 0; i < c.slots.length; i++) {
      const slot = c.slots[i];
      if (!(slot instanceof Param)) {
        out[i] = slot.value;
        continue;
      }
      let v = args[slot.name];
      if (v === undefined && base) v = base[slot.name];
      if (v === undefined) throw new Error(`statement ${c.name}: no value for parameter "${slot.name}"`);
      out[i] = typeof v === "boolean" ? (v ? 1 : 0) : v;
    }
    return out;
  }

  /** Runs fn with the lock held (the ledger has one writer; a read waits for a transaction in progress). */
  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Called with every read query's SQL and values (tests check their plans with EXPLAIN). */
  onQuery?: (sql: string, params: unknown[]) => void;

  /** Runs a compiled Kysely query (from `db.kysely`) and returns its rows. */
  fetch<T = Record<string, any>>(q: Compilable): Promise<T[]> {
    const c = q.compile();
    this.onQuery?.(c.sql, c.parameters as unknown[]);
    return this.exclusive(() => this.rawAll<T>(c.sql, c.parameters as unknown[], undefined));
  }

  all<T = Record<string, any>>(s: Stmt, args?: Record<string, unknown>): Promise<T[]> {
    const c = this.compile(s);
    return this.exclusive(() => this.rawAll<T>(c.sql, this.values(c, args), c.name));
  }
  async get<T = Record<string, any>>(s: Stmt, args?: Record<string, unknown>): Promise<T | undefined> {
    return (await this.all<T>(s, args))[0];
  }
  async run(s: Stmt, args?: Record<string, unknown>): Promise<void> {
    await this.all(s, args);
  }
  query<T = Record<string, any>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const text = this.placeholders(sql);
    this.onQuery?.(text, params);
    return this.exclusive(() => this.rawAll<T>(text, params, undefined));
  }

  protected placeholders(sql: string): string {
    return this.backend === "postgres" ? toPg(sql) : sql;
  }

  /** One transaction (BEGIN … COMMIT, ROLLBACK on any error); statements inside run through `x`. */
  transaction<T>(fn: (x: Executor) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.rawTransaction(fn));
  }

  /** Executes a script of several statements without parameters (the schema). */
  abstract script(sql: string): Promise<void>;
  /** Watches committed changes of the ledger by any process (see ChangeWatcher). */
  abstract watch(): Promise<ChangeWatcher>;
  abstract close(): Promise<void>;
  protected abstract rawAll<T>(sql: string, params: unknown[], name: string | undefined): Promise<T[]>;
  protected abstract rawTransaction<T>(fn: (x: Executor) => Promise<T>): Promise<T>;

  drive<T>(w: Work<T>): Promise<T> {
    return this.transaction((x) => x.drive(w));
  }

  /**
   * An executor over a raw runner (used inside transactions). `sync`: the backend answers synchronously
   * (SQLite), so generators run without a single await.
   */
  protected executor(
    raw: (sql: string, params: unknown[], name: string | undefined) => Promise<any[]>,
    sync?: (sql: string, params: unknown[]) => any[],
    batch?: Batcher,
  ): Executor {
    // statements a generator yields whose rows nobody needs wait in `queued` and go to the server together with
    // the next one that reads (one round trip); every other entry point sends them first
    const queued: string[] = [];
    const flush = async () => {
      if (queued.length) await batch!.run(queued.splice(0));
    };
    const all = async (s: Stmt, args?: Record<string, unknown>) => {
      await flush();
      const c = this.compile(s);
      return raw(c.sql, this.values(c, args), c.name);
    };
    const drive = sync
      ? async <T>(w: Work<T>): Promise<T> => {
          let r = w.next();
          while (!r.done) {
            const op = r.value;
            const c = this.compile(op.stmt);
            r = w.next(sync(c.sql, this.values(c, op.args, op.base)));
          }
          return r.value;
        }
      : async <T>(w: Work<T>): Promise<T> => {
          let r = w.next();
          while (!r.done) {
            const op = r.value;
            const c = this.compile(op.stmt);
            const values = this.values(c, op.args, op.base);
            const text = batch?.inline(c.sql, values);
            if (text === undefined || (c.reads && queued.length === 0)) {
              // alone: as a prepared statement
              await flush();
              r = w.next(await raw(c.sql, values, c.name));
            } else if (!c.reads && queued.length < BATCH_MAX) {
              queued.push(text);
              r = w.next([]);
            } else {
              queued.push(text);
              r = w.next(await batch!.run(queued.splice(0)));
            }
          }
          await flush();
          return r.value;
        };
    return {
      drive,
      all: all as Executor["all"],
      get: (async (s: Stmt, args?: Record<string, unknown>) => (await all(s, args))[0]) as Executor["get"],
      run: async (s, args) => {
        await all(s, args);
      },
      query: (async (sql: string, params: unknown[] = []) => {
        await flush();
        return raw(this.placeholders(sql), params, undefined);
      }) as Executor["query"],
    };
  }
}

class SqliteLedgerDb extends LedgerDb {
  readonly backend = "sqlite" as const;
  readonly kysely: Kysely<any>;
  readonly raw: Database.Database;
  private statements = new Map<string, Database.Statement>();

  constructor(file: string, o: OpenOptions) {
    super(file);
    this.raw = new Database(file, o.readonly ? { readonly: true, fileMustExist: true } : {});
    if (!o.readonly) {
      this.raw.pragma("journal_mode = WAL");
      this.raw.pragma("synchronous = NORMAL");
    }
    this.raw.pragma("busy_timeout = 5000");
    this.raw.defaultSafeIntegers(true);
    this.kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: this.raw }) });
  }

  private prepared(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.raw.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private sync(sql: string, params: unknown[]): any[] {
    const st = this.prepared(sql);
    if (st.reader) return st.all(...params);
    st.run(...params);
    return [];
  }

  protected async rawAll<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.sync(sql, params) as T[];
  }

  protected async rawTransaction<T>(fn: (x: Executor) => Promise<T>): Promise<T> {
    this.raw.exec("BEGIN IMMEDIATE");
    try {
      const sync = (sql: string, params: unknown[]) => this.sync(sql, params);
      const out = await fn(this.executor(async (sql, params) => sync(sql, params), sync));
      this.raw.exec("COMMIT");
      return out;
    } catch (err) {
      if (this.raw.inTransaction) this.raw.exec("ROLLBACK");
      throw err;
    }
  }

  async script(sql: string): Promise<void> {
    await this.exclusive(async () => this.raw.exec(sql));
  }

  async watch(): Promise<ChangeWatcher> {
    // data_version changes when another connection commits; total_changes counts this connection's own writes
    const st = this.raw.prepare("SELECT total_changes() AS n").pluck();
    return {
      version: () => (this.raw.open ? `${this.raw.pragma("data_version", { simple: true })}:${st.get()}` : undefined),
      close: async () => undefined,
    };
  }

  async close(): Promise<void> {
    await this.exclusive(async () => this.raw.close());
  }
}

/** A lock id of the ledger's writer (pg_advisory_xact_lock): two indexers never commit interleaved. */
const WRITER_LOCK = 0x7472_6565; // "tree"
/** distinct read statements prepared per API process (the API builds a few dozen texts) */
const READ_NAMES = 1_000;
/** statements that only read (no NOTIFY after them) */
const READ_SQL = /^\s*(select|explain|show)\b/i;

class PostgresLedgerDb extends LedgerDb {
  readonly backend = "postgres" as const;
  readonly kysely: Kysely<any>;
  readonly pool: import("pg").Pool;
  private readonly url: string;
  private readonly readonly: boolean;

  constructor(url: string, o: OpenOptions) {
    super(url);
    this.url = url;
    this.readonly = !!o.readonly;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pg = require("pg") as typeof import("pg");
    const INT8 = 20;
    const NUMERIC = 1700;
    this.pool = new pg.Pool({
      connectionString: url,
      max: o.poolSize ?? 4,
      options: o.readonly ? "-c default_transaction_read_only=on" : undefined,
      // integers come back as bigint, as from better-sqlite3 with safe integers
      types: {
        getTypeParser: ((oid: number, format?: any) => {
          if (oid === INT8 || oid === NUMERIC) return (v: string) => bigOrString(v);
          return pg.types.getTypeParser(oid, format);
        }) as any,
      },
    });
    this.pool.on("error", () => undefined); // an idle client lost its server: the next query reports it
    this.kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  /** the pool serves reads in parallel; each transaction has its own client */
  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** SQL text → the name of its server-side prepared statement (reads outside transactions: the API's queries) */
  private readNames = new Map<string, string>();

  /**
   * Reads outside a transaction run as named prepared statements too (parsed and planned once per connection),
   * up to READ_NAMES distinct texts. A statement whose cached plan no longer fits the table (a column added
   * by a newer indexer: 0A000) is run again unnamed, and its text is not prepared any more.
   */
  private readName(sql: string): string | undefined {
    let n = this.readNames.get(sql);
    if (n === undefined && this.readNames.size < READ_NAMES)
      this.readNames.set(sql, (n = `read_${this.readNames.size}`));
    return n || undefined;
  }

  protected async rawAll<T>(sql: string, params: unknown[], name: string | undefined): Promise<T[]> {
    name ??= this.readName(sql);
    try {
      const r = await this.pool.query(name ? { name, text: sql, values: params } : { text: sql, values: params });
      // a write outside a transaction (a meta value) tells the API processes too
      if (!this.readonly && !READ_SQL.test(sql)) await this.pool.query(`NOTIFY ${CHANGE_CHANNEL}`);
      return r.rows as T[];
    } catch (err) {
      if ((err as { code?: string }).code !== "0A000" || !name) throw err;
      this.readNames.set(sql, "");
      return (await this.pool.query({ text: sql, values: params })).rows as T[];
    }
  }

  protected async rawTransaction<T>(fn: (x: Executor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [WRITER_LOCK]);
      const out = await fn(
        this.executor(
          async (sql, params, name) =>
            (await client.query(name ? { name, text: sql, values: params } : { text: sql, values: params })).rows,
          undefined,
          this.batcher(client),
        ),
      );
      // delivered at COMMIT, to every API process listening (their cached answers are dropped)
      if (!this.readonly) await client.query(`NOTIFY ${CHANGE_CHANNEL}`);
      await client.query("COMMIT");
      return out;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Values as literals: a quoted literal is typed by its context exactly as an untyped parameter is (`'12'` into
   * an INTEGER column, `retired_kg + '1000'`), so a statement means the same inlined as prepared.
   */
  private batcher(client: import("pg").PoolClient): Batcher {
    const literal = (v: unknown): string | undefined => {
      if (v === null) return "NULL";
      if (typeof v === "bigint" || (typeof v === "number" && Number.isFinite(v))) return `'${v}'`;
      if (typeof v === "string") return client.escapeLiteral(v);
      return undefined;
    };
    return {
      inline: (sql, values) => {
        const lits = values.map(literal);
        if (lits.includes(undefined)) return undefined;
        return sql.replace(/\$(\d+)/g, (_, n: string) => lits[Number(n) - 1]!);
      },
      run: async (statements) => {
        const r = (await client.query(statements.join(";\n"))) as unknown as
          import("pg").QueryResult | import("pg").QueryResult[];
        return Array.isArray(r) ? r[r.length - 1].rows : r.rows;
      },
    };
  }

  async script(sql: string): Promise<void> {
    // under the writer lock: two processes creating the schema at once do not collide
    await this.transaction(async (x) => {
      await x.query(sql);
    });
  }

  /**
   * LISTENs on its own connection. The version is a counter bumped by every notification; while the listening
   * connection is down (until it reconnects, every second) it is undefined, and a reconnect bumps it too
   * (notifications may have been missed meanwhile).
   */
  async watch(): Promise<ChangeWatcher> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pg = require("pg") as typeof import("pg");
    let n = 0;
    let up = false;
    let closed = false;
    let client: import("pg").Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    const down = () => {
      up = false;
      n++;
      client?.removeAllListeners();
      client?.on("error", () => undefined);
      client?.end().catch(() => undefined);
      client = undefined;
      if (!closed && !retry) retry = setTimeout(connect, 1_000).unref();
    };
    const connect = async () => {
      retry = undefined;
      const c = (client = new pg.Client({ connectionString: this.url }));
      c.on("notification", () => n++);
      c.on("error", down);
      c.on("end", () => client === c && down());
      try {
        await c.connect();
        await c.query(`LISTEN ${CHANGE_CHANNEL}`);
        if (closed) return void (await c.end());
        n++;
        up = true;
      } catch {
        if (client === c) down();
      }
    };
    await connect();
    return {
      version: () => (up ? String(n) : undefined),
      close: async () => {
        closed = true;
        if (retry) clearTimeout(retry);
        const c = client;
        client = undefined;
        up = false;
        await c?.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens a ledger database: a SQLite file path (or ":memory:") or a `postgres://` URL. */
export function openDatabase(spec: string, o: OpenOptions = {}): LedgerDb {
  return backendOf(spec) === "postgres" ? new PostgresLedgerDb(spec, o) : new SqliteLedgerDb(spec, o);
}
