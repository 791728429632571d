// PostgreSQL's parser (libpg-query, WASM), loaded on first need: importing the package
// compiles its WASM at once, which a command that reads no SQL should not pay for.
import type * as LibPgQuery from "libpg-query";

let loaded: typeof LibPgQuery | undefined;
let loading: Promise<void> | undefined;

/** Loads the WASM parser once per process; `pg()` needs it loaded. */
export function loadSqlParser(): Promise<void> {
  // A failed load is not remembered, so a later call can try again.
  loading ??= import("libpg-query")
    .then(async (module) => {
      await module.loadModule();
      loaded = module;
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/** The loaded parser; a caller that did not await `loadSqlParser()` first is a bug. */
export function pg(): typeof LibPgQuery {
  if (!loaded) throw new Error("the SQL parser is used before loadSqlParser() finished");
  return loaded;
}
