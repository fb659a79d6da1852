import { Clock, Context, Deferred, Effect, Exit, FiberId, Layer } from "effect";

/*
 * A worker's capacity (`WorkerOptions.maxOperations`): at most N operations' marketplace work in
 * flight, the others waiting their turn with nothing sent and no lease taken.
 *
 * In which order the waiters get a permit (`OperationOrder`):
 *
 * - `"arrival"`: first come, first served. A pair's operations go one at a time, so under a
 *   backlog each pair gets one turn per round of the queue. A round takes as long for every
 *   pair, but an Allegro operation holds its permit 6 s and a Blocket one 0.5 s (10 requests
 *   against 2 at the dealer's limit), so an Allegro pair's chain advances slower than a Blocket
 *   pair's and a backlog ends with Allegro pairs alone, few permits busy: the slow tail
 *   docs/scaling.md measured.
 * - `"paced"` (the default): a waiter ranks by its arrival less how long operations on its
 *   marketplace held a permit lately (an exponentially weighted mean of this worker's own
 *   measurements, nothing configured), earliest rank first. A pair's turn then comes round as
 *   fast whatever its marketplace (its wait plus its work being the same), so pairs advance at
 *   one pace and a backlog ends with every marketplace together. Fairness stays bounded: a
 *   waiter is passed only by ones that arrived after it by less than the difference of their
 *   marketplaces' means (seconds), never starved. A marketplace not measured yet ranks by
 *   arrival alone.
 */

/** How waiting operations are ordered for a permit; see above. */
export type OperationOrder = "paced" | "arrival";

export interface OperationPermitsService {
  /**
   * Runs `self` holding one permit, taken for an operation on `marketplace` (its rank); the wait
   * is interruptible and takes nothing with it, the permit is given back however `self` ends.
   */
  readonly withPermit: (
    marketplace: string,
  ) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>;
}

export class OperationPermits extends Context.Tag("@adsync/worker/OperationPermits")<
  OperationPermits,
  OperationPermitsService
>() {}

/** The weight of the newest hold in a marketplace's mean (the older ones share the rest). */
const newestWeight = 0.2;

interface Waiter {
  readonly rank: number;
  readonly seq: number;
  readonly granted: Deferred.Deferred<void>;
  /** Set when a permit was handed to this waiter (it owns it from then on). */
  handed: boolean;
}

/**
 * `permits` permits handed out in `order`. The state is read and changed only inside
 * synchronous blocks (`Effect.sync`, `Effect.suspend`), which no other fiber interleaves with;
 * the look at `free` and the queueing of a waiter are one such block.
 */
export const makeOperationPermits = (
  permits: number,
  order: OperationOrder = "paced",
): Effect.Effect<OperationPermitsService> =>
  Effect.sync(() => {
    let free = permits;
    let seq = 0;
    // Sorted by (rank, seq): the head is served next.
    const waiters: Array<Waiter> = [];
    const means = new Map<string, number>();

    const rankOf = (marketplace: string, now: number) =>
      order === "paced" ? now - (means.get(marketplace) ?? 0) : now;

    const enqueue = (waiter: Waiter) => {
      let low = 0;
      let high = waiters.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        const other = waiters[middle] as Waiter;
        if (other.rank < waiter.rank || (other.rank === waiter.rank && other.seq < waiter.seq))
          low = middle + 1;
        else high = middle;
      }
      waiters.splice(low, 0, waiter);
    };

    /** One permit back: to the head waiter, or to the free ones. */
    const release = Effect.suspend(() => {
      const next = waiters.shift();
      if (next === undefined) {
        free += 1;
        return Effect.void;
      }
      next.handed = true;
      Deferred.unsafeDone(next.granted, Exit.void);
      return Effect.void;
    });

    /** A permit taken, the marketplace's mean updated with how long it was held. */
    const learn = (marketplace: string, since: number) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          const held = now - since;
          const mean = means.get(marketplace);
          means.set(marketplace, mean === undefined ? held : mean + newestWeight * (held - mean));
        }),
      );

    const acquire = (marketplace: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.suspend(() => {
          if (free > 0 && waiters.length === 0) {
            free -= 1;
            return Effect.void;
          }
          // Made and queued in this same block: no release can come between the look at
          // `free` and the queueing.
          const waiter: Waiter = {
            rank: rankOf(marketplace, now),
            seq: seq++,
            granted: Deferred.unsafeMake<void>(FiberId.none),
            handed: false,
          };
          enqueue(waiter);
          return Effect.onInterrupt(Deferred.await(waiter.granted), () =>
            Effect.suspend(() => {
              // Handed a permit just as it was interrupted: pass it on.
              if (waiter.handed) return release;
              const index = waiters.indexOf(waiter);
              if (index >= 0) waiters.splice(index, 1);
              return Effect.void;
            }),
          );
        }),
      );

    return {
      withPermit:
        (marketplace) =>
        <A, E, R>(self: Effect.Effect<A, E, R>) =>
          Effect.uninterruptibleMask((restore) =>
            Effect.zipRight(
              restore(acquire(marketplace)),
              Effect.flatMap(Clock.currentTimeMillis, (since) =>
                restore(self).pipe(
                  Effect.ensuring(Effect.zipRight(learn(marketplace, since), release)),
                ),
              ),
            ),
          ),
    };
  });

/** `OperationPermits` with `permits` permits handed out in `order`, one set per layer build. */
export const operationPermitsLayer = (
  permits: number,
  order: OperationOrder = "paced",
): Layer.Layer<OperationPermits> =>
  Layer.effect(OperationPermits, makeOperationPermits(permits, order));
