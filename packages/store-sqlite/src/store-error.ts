import { AdsyncError } from "@adsync/core";
import { Effect } from "effect";

const describe = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

/** The one way a SQLite failure becomes an error: reason "Store", naming the store operation. */
export const storeError = (operation: string, cause: unknown): AdsyncError =>
  new AdsyncError({
    reason: "Store",
    operation,
    message: `SQLite store ${operation} failed: ${describe(cause)}`,
  });

/** Runs a synchronous better-sqlite3 call; whatever it throws comes back as a Store error. */
export const tryStore = <A>(operation: string, body: () => A): Effect.Effect<A, AdsyncError> =>
  Effect.try({ try: body, catch: (cause) => storeError(operation, cause) });
