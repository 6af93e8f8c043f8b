/**
 * Query shapes built and compiled once. kysely builds an operation tree and compiles it to SQL on
 * every call; for the statements a TEEP exchange runs (about thirty per install) that was ~14% of
 * the TAM's CPU under load (BENCHMARKS.md), more than SQLite itself spent running several of them.
 *
 * `prepared(build)` runs `build` once per dialect with a marker in place of every argument, keeps
 * the compiled SQL, and records which parameter position holds which argument. A call then only
 * puts the call's values into those positions. The builder code stays ordinary kysely code; its
 * arguments must reach the SQL as plain values (not be transformed inside `build`), which the first
 * compilation checks: every argument must appear as a parameter, else ERR_STORE_INTERNAL.
 * The compiled SQL depends on nothing but the dialect (the store uses no kysely plugins, and a
 * PostgreSQL schema is chosen by `search_path`, not named in the SQL), so one shape serves every
 * store of that dialect. Inside a transaction on SQLite the statement runs on the connection
 * directly (context.ts `direct`).
 */
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { StoreInternal } from '../errors.js';
import type { RepoContext } from './context.js';
import type { Schema } from './schema.js';

/** Stands for one named argument while the shape is compiled. */
class Arg {
  constructor(readonly name: string) {}
}

interface Shape {
  readonly compiled: CompiledQuery;
  /** Per parameter position: the argument's name, or undefined for a constant of the shape. */
  readonly slots: readonly (string | undefined)[];
}

export class PreparedQuery<A extends Record<string, unknown>, R> {
  readonly #shapes = new Map<string, Shape>();

  constructor(private readonly build: (db: Kysely<Schema>, args: A) => Compilable<R>) {}

  /** Runs the statement with these argument values on the context's database or transaction. */
  execute(ctx: RepoContext, args: A): Promise<QueryResult<R>> {
    const shape = this.#shapes.get(ctx.dialect.name) ?? this.#compile(ctx);
    const params = shape.compiled.parameters;
    const values: unknown[] = new Array(params.length);
    for (let i = 0; i < params.length; i++) {
      const name = shape.slots[i];
      values[i] = name === undefined ? params[i] : args[name];
    }
    if (ctx.direct !== undefined && ctx.db.isTransaction) {
      try {
        return Promise.resolve(ctx.direct(shape.compiled.sql, values) as QueryResult<R>);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return ctx.db.executeQuery<R>({ ...shape.compiled, parameters: values, queryId: createQueryId() } as CompiledQuery<R>);
  }

  /** The rows of a reading statement (or of RETURNING). */
  async rows(ctx: RepoContext, args: A): Promise<R[]> {
    return (await this.execute(ctx, args)).rows;
  }

  async first(ctx: RepoContext, args: A): Promise<R | undefined> {
    return (await this.execute(ctx, args)).rows[0];
  }

  /** How many rows a writing statement changed. */
  async affected(ctx: RepoContext, args: A): Promise<bigint> {
    return (await this.execute(ctx, args)).numAffectedRows ?? 0n;
  }

  #compile(ctx: RepoContext): Shape {
    const names = new Map<string, Arg>();
    const markers = new Proxy({} as A, {
      get: (_, key) => {
        if (typeof key !== 'string') return undefined;
        let m = names.get(key);
        if (m === undefined) names.set(key, (m = new Arg(key)));
        return m;
      },
    });
    const compiled = this.build(ctx.db, markers).compile() as CompiledQuery;
    const slots = compiled.parameters.map((p) => (p instanceof Arg ? p.name : undefined));
    for (const name of names.keys()) {
      if (!slots.includes(name)) throw new StoreInternal(`prepared query: argument ${name} does not reach the SQL as a value (${compiled.sql})`);
    }
    const shape = { compiled, slots };
    this.#shapes.set(ctx.dialect.name, shape);
    return shape;
  }
}

/** A statement compiled once per dialect; `args` names its arguments (see the module comment). */
export function prepared<A extends Record<string, unknown>, R>(build: (db: Kysely<Schema>, args: A) => Compilable<R>): PreparedQuery<A, R> {
  return new PreparedQuery(build);
}
