// The informer's cache: objects by key (`namespace/name`, or `name` when cluster-scoped, as
// client-go's MetaNamespaceKeyFunc), with a namespace index and any number of custom indexes
// (pods by node name, pods by owner uid, ...). Reconcilers read it; only the informer writes it.
//
// Objects are shared, not copied: treat what you read as immutable.

/** What every cached object has. */
export interface ObjectWithMeta {
  metadata?: {
    name?: string | undefined;
    namespace?: string | undefined;
    resourceVersion?: string | undefined;
  };
}

/** Index function: the index values an object is filed under (none = not indexed). */
export type IndexFunc<T> = (obj: T) => readonly string[];

export const NAMESPACE_INDEX = "namespace";

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The cache key of an object, or undefined when it has no name. */
export function keyOf(obj: ObjectWithMeta): string | undefined {
  const name = obj.metadata?.name;
  return name ? objectKey(obj.metadata?.namespace, name) : undefined;
}

/** Splits a key back into namespace (empty for cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0
    ? { namespace: "", name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Read access to a cache, as handed to reconcilers. */
export interface ReadonlyStore<T> {
  get(key: string): T | undefined;
  getByName(namespace: string | undefined, name: string): T | undefined;
  has(key: string): boolean;
  keys(): string[];
  list(): T[];
  listByNamespace(namespace: string): T[];
  /** Objects filed under `value` in the index `indexName` (e.g. byIndex("nodeName", "node-1")). */
  byIndex(indexName: string, value: string): T[];
  /** Keys filed under `value` in the index `indexName`. */
  keysByIndex(indexName: string, value: string): string[];
  readonly size: number;
}

export class Store<T extends ObjectWithMeta> implements ReadonlyStore<T> {
  private readonly items = new Map<string, T>();
  /** indexName → index value → keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly indexers: Map<string, IndexFunc<T>>;

  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    const all: Record<string, IndexFunc<T>> = {
      [NAMESPACE_INDEX]: (o) => [o.metadata?.namespace ?? ""],
      ...indexers,
    };
    this.indexers = new Map(Object.entries(all));
    for (const name of this.indexers.keys()) this.indices.set(name, new Map());
  }

  /** Adds an index and files every cached object under it (reconcilers add theirs before start). */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`index ${name} already exists`);
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.items) file(index, fn, key, obj);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(objectKey(namespace, name));
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listByNamespace(namespace: string): T[] {
    return this.byIndex(NAMESPACE_INDEX, namespace);
  }

  keysByIndex(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no index named ${indexName}`);
    return [...(index.get(value) ?? [])];
  }

  byIndex(indexName: string, value: string): T[] {
    const out: T[] = [];
    for (const k of this.keysByIndex(indexName, value)) {
      const o = this.items.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(key: string, obj: T): T | undefined {
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes; returns what was there. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (old) {
      this.unindex(key, old);
      this.items.delete(key);
    }
    return old;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) file(this.indices.get(name)!, fn, key, obj);
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of safeIndexValues(fn, obj)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}

/** Files `key` under every value `fn` gives for `obj`. */
function file<T>(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
  for (const value of safeIndexValues(fn, obj)) {
    const keys = index.get(value);
    if (keys) keys.add(key);
    else index.set(value, new Set([key]));
  }
}

// An index function that throws must not corrupt the cache (it runs inside the watch handler):
// the object is simply not filed under that index.
function safeIndexValues<T>(fn: IndexFunc<T>, obj: T): readonly string[] {
  try {
    return fn(obj);
  } catch {
    return [];
  }
}
