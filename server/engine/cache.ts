declare const valueType: unique symbol;

/** A key of runtime.cache or a host's ctx.cache that carries the type of its value; make one with cacheKey. */
export type CacheKey<T> = string & { readonly [valueType]: T };

export const cacheKey = <T>(name: string): CacheKey<T> => name as CacheKey<T>;

/** Facts and shared work within one run (never state: that lives on the hosts). Typed by its keys; the one cast is here. */
export class RunCache {
  readonly #values = new Map<string, unknown>();

  get<T>(key: CacheKey<T>): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  set<T>(key: CacheKey<T>, value: T): void {
    this.#values.set(key, value);
  }

  delete(key: CacheKey<unknown>): boolean {
    return this.#values.delete(key);
  }

  /** The value under `key`, made and stored on first use. */
  ensure<T>(key: CacheKey<T>, make: () => T): T {
    if (this.#values.has(key)) return this.#values.get(key) as T;
    const value = make();
    this.#values.set(key, value);
    return value;
  }
}
