import { Effect, Metric } from "effect";
import type { AdsyncError } from "../errors.ts";
import { Presence } from "../lifecycle/state.ts";
import { Store } from "../store/store.ts";
import { storedListings, whenMetrics, withTags } from "./metrics.ts";

/** Listings per marketplace: how many have each presence, and how many operations are pending. */
export interface ListingCounts {
  readonly [marketplace: string]: {
    readonly presence: Readonly<Record<Presence, number>>;
    readonly pending: number;
  };
}

const zeroPresences = (): Record<Presence, number> => ({
  absent: 0,
  draft: 0,
  pending: 0,
  live: 0,
  hidden: 0,
  removed: 0,
});

/**
 * Reads the store once and sets the `adsync.listings` gauge: one series per marketplace and
 * presence (`adsync.presence`), and one per marketplace for pending operations
 * (`adsync.presence` = `pending_operation`). On demand: a DMS runs it on a schedule
 * (e.g. `Effect.repeat(recordListingGauges, Schedule.spaced("1 minute"))`) or before a scrape;
 * it costs one `store.list()`. The counts are returned whether metrics are on or not; the gauge
 * is set only when they are on (`metricsLayer`).
 */
export const recordListingGauges: Effect.Effect<ListingCounts, AdsyncError, Store> = Effect.gen(
  function* () {
    const store = yield* Store;
    const records = yield* store.list();
    const counts: Record<string, { presence: Record<Presence, number>; pending: number }> = {};
    for (const record of records) {
      const entry = counts[record.marketplace] ?? {
        presence: zeroPresences(),
        pending: 0,
      };
      counts[record.marketplace] = entry;
      entry.presence[record.state.presence] += 1;
      if (record.state.operation?.status === "pending") entry.pending += 1;
    }
    yield* whenMetrics(() =>
      Effect.forEach(Object.entries(counts), ([marketplace, entry]) =>
        Effect.zipRight(
          Effect.forEach(Presence.literals, (presence) =>
            Metric.set(
              withTags(storedListings, {
                "adsync.marketplace": marketplace,
                "adsync.presence": presence,
              }),
              entry.presence[presence],
            ),
          ),
          Metric.set(
            withTags(storedListings, {
              "adsync.marketplace": marketplace,
              "adsync.presence": "pending_operation",
            }),
            entry.pending,
          ),
        ),
      ),
    );
    return counts;
  },
);
