import { join } from "node:path";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Option, Schema } from "effect";
import { makeSqliteKeyValueStore, makeSqliteStore } from "../src/index.ts";
import { temporaryDirectory } from "./temporary-directory.ts";

describe("SQLite KeyValueStore", () => {
  it.scoped("keeps what was set after the file is closed and opened again", () =>
    Effect.gen(function* () {
      const path = join(yield* temporaryDirectory, "kv", "adsync.db");
      yield* Effect.scoped(
        Effect.gen(function* () {
          const store = yield* makeSqliteKeyValueStore({ path });
          yield* store.set("token", "first");
          yield* store.set("token", "second");
          yield* store.set("bytes", new Uint8Array([1, 2, 3]));
          yield* store.set("gone", "x");
          yield* store.remove("gone");
        }),
      );
      const reopened = yield* makeSqliteKeyValueStore({ path });
      expect(yield* reopened.get("token")).toEqual(Option.some("second"));
      expect(yield* reopened.getUint8Array("bytes")).toEqual(
        Option.some(new Uint8Array([1, 2, 3])),
      );
      expect(yield* reopened.get("gone")).toEqual(Option.none());
      expect(yield* reopened.size).toBe(2);
      const typed = reopened.forSchema(Schema.parseJson(Schema.Struct({ n: Schema.Number })));
      yield* typed.set("typed", { n: 7 });
      expect(yield* typed.get("typed")).toEqual(Option.some({ n: 7 }));
      yield* reopened.clear;
      expect(yield* reopened.isEmpty).toBe(true);
    }),
  );

  it.scoped("shares one file with the listings store", () =>
    Effect.gen(function* () {
      const path = join(yield* temporaryDirectory, "adsync.db");
      const listings = yield* makeSqliteStore({ path });
      const store = yield* makeSqliteKeyValueStore({ path });
      yield* store.set("k", "v");
      expect(yield* listings.list()).toEqual([]);
      expect(yield* store.get("k")).toEqual(Option.some("v"));
    }),
  );
});
