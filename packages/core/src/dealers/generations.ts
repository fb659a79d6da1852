import { Data, type Duration, Effect, MutableHashMap, Option, RcMap, type Scope } from "effect";

/**
 * A cache of resources built per key (each dealer's adapters, each dealer's publisher), on an
 * `RcMap`: built on first use, shared by every holder, closed once idle. Dropping a key
 * (`invalidate`) never closes a resource somebody holds: the one in use stays open until its last
 * holder lets go, then closes at once, while the next `get` builds a new one.
 *
 * Each key is cached under a generation that `invalidate` moves on. `RcMap.invalidate` (Effect
 * 3.22, `internal/rcMap.ts`) removes an entry in use from the map and leaves it to its holders;
 * when the last of them lets go and a newer entry of the same key is in the map by then, the old
 * entry is not closed but given the idle timer, and that timer, when it fires, removes the key —
 * the newer entry — from the map. A newer resource still in use would be dropped and a third
 * built beside it (two publishers of one dealer, two OAuth refreshers of one grant). Keyed by
 * generation, an old entry and its successor never share a key.
 */
export interface Generations<K, A, E> {
  /** The key's resource, held until the caller's scope closes, with the generation it is of. */
  readonly get: (key: K) => Effect.Effect<Generation<A>, E, Scope.Scope>;
  /** Drops the key's resource: closed once nobody holds it; the next `get` builds a new one. */
  readonly invalidate: (key: K) => Effect.Effect<void>;
  /**
   * Drops the key's resource of `generation` if it is still the current one (else somebody
   * rebuilt it already): callers that found the same resource stale rebuild it once together.
   */
  readonly rebuild: (key: K, generation: number) => Effect.Effect<void>;
  /** The keys with a current resource built (or being built). */
  readonly keys: Effect.Effect<ReadonlyArray<K>>;
}

export interface Generation<A> {
  readonly value: A;
  readonly generation: number;
}

class Versioned<K> extends Data.Class<{ readonly key: K; readonly generation: number }> {}

export const makeGenerations = <K, A, E, R>(options: {
  /** Builds the key's resource of a generation. */
  readonly lookup: (key: K, generation: number) => Effect.Effect<A, E, R>;
  readonly idleTimeToLive: Duration.DurationInput;
}): Effect.Effect<Generations<K, A, E>, never, Scope.Scope | R> =>
  Effect.gen(function* () {
    // The current generation of every key ever dropped (the others are at 0).
    const current = MutableHashMap.empty<K, number>();
    const generationOf = (key: K) => Option.getOrElse(MutableHashMap.get(current, key), () => 0);
    const entries = yield* RcMap.make({
      lookup: (versioned: Versioned<K>) => options.lookup(versioned.key, versioned.generation),
      idleTimeToLive: options.idleTimeToLive,
    });

    const rebuild = (key: K, generation: number) =>
      Effect.suspend(() => {
        if (generationOf(key) !== generation) return Effect.void;
        MutableHashMap.set(current, key, generation + 1);
        return RcMap.invalidate(entries, new Versioned({ key, generation }));
      });

    const get = (key: K) =>
      Effect.suspend(() => {
        const generation = generationOf(key);
        return RcMap.get(entries, new Versioned({ key, generation })).pipe(
          Effect.map((value) => ({ value, generation })),
          // A failed build is not kept: the next use tries again (the dealer may have fixed it).
          Effect.tapError(() => rebuild(key, generation)),
        );
      });

    return {
      get,
      invalidate: (key) => Effect.suspend(() => rebuild(key, generationOf(key))),
      rebuild,
      keys: Effect.map(RcMap.keys(entries), (keys) =>
        keys.filter((each) => each.generation === generationOf(each.key)).map((each) => each.key),
      ),
    } satisfies Generations<K, A, E>;
  });
