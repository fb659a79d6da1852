import { AdsyncError } from "@adsync/core";
import type Database from "better-sqlite3";
import { Effect } from "effect";
import { tryStore } from "./store-error.ts";

/**
 * The schema, one step per version: `migrations[n]` takes a database from `user_version` n to
 * n + 1. A shipped step is never edited, only followed by a new one, so a file written by any
 * earlier release can still be opened.
 */
const migrations: ReadonlyArray<string> = [
  `
  CREATE TABLE listings (
    marketplace TEXT NOT NULL,
    ad_id TEXT NOT NULL,
    record TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (marketplace, ad_id)
  );
  CREATE INDEX listings_by_ad ON listings (ad_id);
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ad_id TEXT NOT NULL,
    marketplace TEXT NOT NULL,
    observation TEXT NOT NULL,
    state TEXT NOT NULL
  );
  CREATE INDEX events_by_ad ON events (ad_id, seq);
  `,
  // Per-marketplace cursors of bulk observation (an adapter's Inspection.cursor).
  `
  CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];

/** The schema version this release writes. */
export const schemaVersion = migrations.length;

const schemaError = (message: string) =>
  new AdsyncError({ reason: "Store", operation: "migrate", message });

/**
 * Applies the steps the file lacks and answers the version it found. The version is read inside
 * the same write transaction, so two processes opening a new file at once cannot both run a step.
 */
const applyPendingSteps = (database: Database.Database): unknown =>
  database
    .transaction(() => {
      const found = database.pragma("user_version", { simple: true });
      if (typeof found !== "number" || found >= schemaVersion) return found;
      for (const step of migrations.slice(found)) database.exec(step);
      database.pragma(`user_version = ${schemaVersion}`);
      return found;
    })
    .immediate();

/**
 * Brings the database to `schemaVersion`, all pending steps in one transaction so a crash
 * mid-migration leaves the previous version intact. A file written by a newer release is refused
 * rather than written with a schema this release does not know.
 */
export const migrate = (database: Database.Database): Effect.Effect<void, AdsyncError> =>
  tryStore("migrate", () => applyPendingSteps(database)).pipe(
    Effect.flatMap((found) => {
      if (typeof found !== "number") {
        return Effect.fail(schemaError(`PRAGMA user_version answered ${String(found)}`));
      }
      if (found > schemaVersion) {
        return Effect.fail(
          schemaError(
            `${database.name} has schema version ${found}; this release reads up to ${schemaVersion}`,
          ),
        );
      }
      return Effect.void;
    }),
  );
