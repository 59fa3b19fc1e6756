// Dev reloads and Next.js's separate bundles each evaluate a module anew; a value kept on globalThis is one per process.
const store = globalThis as unknown as Record<symbol, unknown>;

/** The process's one value under `key`, made by `create` the first time it is asked for. */
export function processSingleton<T>(key: string, create: () => T): T {
  const symbol = Symbol.for(key);
  if (!(symbol in store)) store[symbol] = create();
  return store[symbol] as T;
}
