import { Clock, Duration, Effect, Option, Ref } from "effect";

/**
 * `load` memoized for `timeToLive`, keeping successes only: a failed load (a timeout, a 429 on
 * the reference endpoint) is answered to the caller and the next caller loads again. Effect's
 * `cachedWithTTL` keeps the failure for the whole time to live, so one fault at the first
 * publish would fail every later publish of that client for a day. Concurrent callers of an
 * empty or expired cache share one load. The clock is Effect's, so tests drive it.
 */
export const cachedSuccessWithTTL = <A, E, R>(
  load: Effect.Effect<A, E, R>,
  timeToLive: Duration.DurationInput,
): Effect.Effect<Effect.Effect<A, E, R>> =>
  Effect.gen(function* () {
    const lifetime = Duration.toMillis(Duration.decode(timeToLive));
    const entry = yield* Ref.make(Option.none<{ readonly value: A; readonly expiresAt: number }>());
    const loading = yield* Effect.makeSemaphore(1);
    const fresh = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.map(
        Ref.get(entry),
        Option.filter((cached) => cached.expiresAt > now),
      ),
    );
    const loadAndKeep = Effect.flatMap(load, (value) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.as(Ref.set(entry, Option.some({ value, expiresAt: now + lifetime })), value),
      ),
    );
    return Effect.flatMap(fresh, (cached) =>
      Option.isSome(cached)
        ? Effect.succeed(cached.value.value)
        : // Checked again under the permit: a caller that waited on another's load reuses it.
          loading.withPermits(1)(
            Effect.flatMap(fresh, (again) =>
              Option.isSome(again) ? Effect.succeed(again.value.value) : loadAndKeep,
            ),
          ),
    );
  });
