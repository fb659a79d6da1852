import { KeyValueStore, Error as PlatformError } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Option, Redacted } from "effect";
import { grantStore, tokenKey } from "../src/durable-tokens.ts";

const grant = (refreshToken: string) => ({
  tokenUrl: "http://127.0.0.1:1234",
  clientId: "client",
  refreshToken: Redacted.make(refreshToken),
});

describe("durable OAuth tokens", () => {
  it.effect(
    "a saved pair reads back, secrets and expiry intact, under a key without the secret",
    () =>
      Effect.gen(function* () {
        const store = yield* KeyValueStore.KeyValueStore;
        const key = tokenKey("allegro", grant("configured-refresh"));
        const tokens = grantStore(store, "allegro", grant("configured-refresh"));
        expect(yield* tokens.load).toEqual(Option.none());

        yield* tokens.save({
          accessToken: Redacted.make("access-2"),
          refreshToken: Redacted.make("refresh-2"),
          expiresAt: 1_700_000_000_000,
        });

        const loaded = Option.getOrThrow(yield* tokens.load);
        expect(Redacted.value(loaded.accessToken)).toBe("access-2");
        expect(Redacted.value(loaded.refreshToken)).toBe("refresh-2");
        expect(loaded.expiresAt).toBe(1_700_000_000_000);
        expect(key).not.toContain("configured-refresh");
        // Another marketplace with the same grant keeps its own.
        expect(yield* grantStore(store, "marktplaats", grant("configured-refresh")).load).toEqual(
          Option.none(),
        );
      }).pipe(Effect.provide(KeyValueStore.layerMemory)),
  );

  it("a new refresh token in the config (the dealer authorized again) is a new key", () => {
    expect(tokenKey("allegro", grant("first"))).not.toBe(tokenKey("allegro", grant("second")));
    expect(tokenKey("allegro", grant("first"))).toBe(tokenKey("allegro", grant("first")));
    expect(tokenKey("allegro", grant("first"))).not.toBe(tokenKey("marktplaats", grant("first")));
  });

  it.effect("a save that cannot be written fails with a Store error naming the marketplace", () =>
    Effect.gen(function* () {
      const unwritable = KeyValueStore.makeStringOnly({
        get: () => Effect.succeedNone,
        set: () =>
          Effect.fail(
            new PlatformError.SystemError({
              reason: "PermissionDenied",
              module: "KeyValueStore",
              method: "set",
            }),
          ),
        remove: () => Effect.void,
        clear: Effect.void,
        size: Effect.succeed(0),
      });
      const error = yield* Effect.flip(
        grantStore(unwritable, "allegro", grant("r")).save({
          accessToken: Redacted.make("a"),
          refreshToken: Redacted.make("r"),
          expiresAt: 0,
        }),
      );
      expect(error.reason).toBe("Store");
      expect(error.message).toContain("allegro: cannot save the OAuth tokens");
    }),
  );
});
