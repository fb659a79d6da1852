import type { AdsyncError } from "@adsync/core";
import { Effect } from "effect";

/**
 * Where publication command ids are written before the command is sent: "In commandId provide
 * the value in the UUID format" — the client chooses it, so a retry after a lost answer or a
 * crash must reuse it (Allegro answers "409 Command id was already used" instead of running it
 * twice). Keyed by the action and the offers it names. `put` must be durable before it
 * succeeds; a DMS backs it with its database next to the listing store.
 */
export interface CommandJournal {
  readonly get: (key: string) => Effect.Effect<string | undefined, AdsyncError>;
  readonly put: (key: string, commandId: string) => Effect.Effect<void, AdsyncError>;
  readonly delete: (key: string) => Effect.Effect<void, AdsyncError>;
}

export const memoryCommandJournal = (): CommandJournal => {
  const entries = new Map<string, string>();
  return {
    get: (key) => Effect.sync(() => entries.get(key)),
    put: (key, commandId) => Effect.sync(() => void entries.set(key, commandId)),
    delete: (key) => Effect.sync(() => void entries.delete(key)),
  };
};

export const journalKey = (action: "ACTIVATE" | "END", offerIds: ReadonlyArray<string>) =>
  `${action}:${[...offerIds].sort().join(",")}`;
