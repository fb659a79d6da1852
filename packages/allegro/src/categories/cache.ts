import { Clock, Duration, Effect } from "effect";

/**
 * A keyed cache with a time to live, readable synchronously (`peek`) so that `prepare`, which
 * is pure, can use whatever is already loaded. Concurrent loads of one key share one request.
 */
export const makeTtlCache = <A, E>(ttl: Duration.DurationInput) => {
  const lifetime = Duration.toMillis(Duration.decode(ttl));
  const entries = new Map<string, { readonly value: A; readonly expiresAt: number }>();
  const inFlight = new Map<string, Effect.Effect<A, E>>();
  return {
    peek: (key: string): A | undefined => {
      const entry = entries.get(key);
      return entry !== undefined && entry.expiresAt > Date.now() ? entry.value : undefined;
    },
    get: (key: string, load: Effect.Effect<A, E>): Effect.Effect<A, E> =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis;
        const entry = entries.get(key);
        if (entry !== undefined && entry.expiresAt > now) return entry.value;
        const running = inFlight.get(key);
        if (running !== undefined) return yield* running;
        const shared = yield* Effect.cached(
          load.pipe(
            Effect.tap((value) =>
              Effect.sync(() => entries.set(key, { value, expiresAt: now + lifetime })),
            ),
            Effect.ensuring(Effect.sync(() => inFlight.delete(key))),
          ),
        );
        inFlight.set(key, shared);
        return yield* shared;
      }),
    set: (key: string, value: A, expiresAt: number) => {
      entries.set(key, { value, expiresAt });
    },
    delete: (key: string) => {
      entries.delete(key);
    },
  };
};
