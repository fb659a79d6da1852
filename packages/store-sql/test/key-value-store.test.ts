import { type AdsyncError, keyValueDealerCredentials } from "@adsync/core";
import { KeyValueStore } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Context, Effect, Layer, Option, Redacted } from "effect";
import { openDealerCredentials } from "../src/facade.ts";
import { sqlKeyValueStore } from "../src/key-value-store.ts";
import { pgKeyValueStore, sqliteKeyValueStore } from "../src/layers.ts";
import { postgresDatabase, sqliteDatabase, type TestDatabase } from "./support/databases.ts";

/** A key-value store on a connection of its own (another process, say). */
const open = (database: TestDatabase) =>
  Effect.map(Layer.build(sqlKeyValueStore.pipe(Layer.provide(database.client()))), (context) =>
    Context.get(context, KeyValueStore.KeyValueStore),
  );

const keyValueTests = (
  name: string,
  database: TestDatabase,
  layerOf: (location: string) => Layer.Layer<KeyValueStore.KeyValueStore, AdsyncError>,
) =>
  describe(`sqlKeyValueStore on ${name}`, () => {
    it.scoped("keeps strings and bytes, replaces, removes, counts and clears", () =>
      Effect.gen(function* () {
        yield* database.empty;
        const store = yield* open(database);
        expect(yield* store.get("a")).toStrictEqual(Option.none());
        yield* store.set("a", "first");
        yield* store.set("a", "second");
        yield* store.set("b", new Uint8Array([0, 1, 255]));
        expect(yield* store.get("a")).toStrictEqual(Option.some("second"));
        expect(yield* store.getUint8Array("a")).toStrictEqual(
          Option.some(new TextEncoder().encode("second")),
        );
        expect(yield* store.getUint8Array("b")).toStrictEqual(
          Option.some(new Uint8Array([0, 1, 255])),
        );
        expect(yield* store.size).toBe(2);
        yield* store.remove("a");
        expect(yield* store.has("a")).toBe(false);
        yield* store.clear;
        expect(yield* store.size).toBe(0);
      }),
    );

    it.scoped(
      "a dealer's rotated grant saved on one connection is read at once by another: set is committed when it returns",
      () =>
        Effect.gen(function* () {
          yield* database.empty;
          const worker = keyValueDealerCredentials(yield* open(database));
          const other = keyValueDealerCredentials(yield* open(database));
          yield* worker.putSection("d-17", "allegro", { clientId: "c", refreshToken: "r-0" });
          expect(yield* other.sectionOf("d-17", "allegro")).toStrictEqual(
            Option.some({ clientId: "c", refreshToken: "r-0" }),
          );
          const configured = {
            tokenUrl: "http://127.0.0.1:9/token",
            clientId: "c",
            refreshToken: Redacted.make("r-0"),
          };
          yield* worker.grantStore("d-17", "allegro", configured).save({
            accessToken: Redacted.make("a-1"),
            refreshToken: Redacted.make("r-1"),
            expiresAt: 1000,
          });
          const loaded = yield* other.grantStore("d-17", "allegro", configured).load;
          expect(Option.map(loaded, (grant) => Redacted.value(grant.refreshToken))).toStrictEqual(
            Option.some("r-1"),
          );
          // Another dealer's grant is its own.
          expect(yield* other.grantStore("d-18", "allegro", configured).load).toStrictEqual(
            Option.none(),
          );
        }),
    );

    it("writes dealers' sections behind Promises", async () => {
      await Effect.runPromise(database.empty);
      const credentials = await openDealerCredentials(layerOf(database.location()));
      try {
        await credentials.putSection("d-1", "blocket", { token: "t-1", dealerCode: "x" });
        expect(await credentials.sectionOf("d-1", "blocket")).toStrictEqual({
          token: "t-1",
          dealerCode: "x",
        });
        await credentials.removeSection("d-1", "blocket");
        expect(await credentials.sectionOf("d-1", "blocket")).toBeUndefined();
      } finally {
        await credentials.close();
      }
    });
  });

keyValueTests("SQLite", sqliteDatabase(), (filename) => sqliteKeyValueStore({ filename }));
keyValueTests("PostgreSQL", postgresDatabase(), (url) => pgKeyValueStore({ url }));
