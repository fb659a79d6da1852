import { join } from "node:path";
import {
  type Inspection,
  type InspectRequest,
  Publisher,
  type Sighting,
  type VehicleAdInput,
} from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import { fakeAdapter, publisherOver, queued, refOf } from "../../core/test/fake-adapter.ts";
import { makeSqliteStore } from "../src/index.ts";
import { temporaryDirectory } from "./temporary-directory.ts";

/**
 * A settle or reconcile pass records the sightings of one inspected page together, so the
 * store's group commit puts a page's writes in a few transactions instead of one per sighting
 * (#14: settle's store time was 54–79% of its wall with 1 transaction per write).
 */

const count = 100;

const adNumbered = (index: number) =>
  ({
    id: `ad-${String(index).padStart(4, "0")}`,
    category: "car",
    description: "A well kept family car.",
    price: { list: { amount: 35_000_000 + index, currency: "SEK" } },
    vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
  }) satisfies VehicleAdInput;

/** Creates are queued; `inspect` settles pending ones and shows settled ones as `shown`. */
const marketplace = () => {
  const shown: { presence: Sighting["presence"] } = { presence: "live" };
  const inspect = (request: InspectRequest): Effect.Effect<Inspection> =>
    Effect.succeed({
      sightings: new Map(
        request.listings.map((listing): [string, Sighting] => [
          listing.adId,
          listing.pending === undefined
            ? { status: "succeeded", presence: shown.presence }
            : { status: "succeeded", presence: "live" },
        ]),
      ),
    });
  const fake = fakeAdapter("alpha", {
    create: (created) => Effect.succeed(queued(refOf("alpha", created.id), `req-${created.id}`)),
    inspect,
    inspectBatchSize: count,
  });
  return { fake, shown };
};

describe("settle and reconcile on the SQLite store", () => {
  it.scoped(`record a page of ${count} sightings in a few transactions, not ${count}`, () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory;
      const store = yield* makeSqliteStore({ path: join(directory, "settle.db") });
      const { fake, shown } = marketplace();
      yield* Effect.gen(function* () {
        const publisher = yield* Publisher;
        yield* Effect.forEach(
          Array.from({ length: count }, (_, index) => adNumbered(index)),
          (ad) => publisher.publish(ad),
        );

        // Settle: one page of `count` pending creates, each a Progress write.
        const beforeSettle = store.statistics();
        const settled = yield* publisher.refreshAll();
        const afterSettle = store.statistics();
        expect(settled.marketplaces.alpha).toMatchObject({ read: count, changed: count });
        expect(afterSettle.writes - beforeSettle.writes).toBe(count);
        expect(afterSettle.transactions - beforeSettle.transactions).toBeLessThanOrEqual(3);

        // Reconcile: every listing was removed outside, one Seen write each.
        shown.presence = "removed";
        const beforeReconcile = store.statistics();
        const reconciled = yield* publisher.reconcile();
        const afterReconcile = store.statistics();
        expect(reconciled.marketplaces.alpha).toMatchObject({ read: count, changed: count });
        expect(afterReconcile.writes - beforeReconcile.writes).toBe(count);
        expect(afterReconcile.transactions - beforeReconcile.transactions).toBeLessThanOrEqual(3);

        // Each listing's events are still in order: its publish, then Progress, then Seen.
        const events = yield* store.events("ad-0042");
        expect(events.map((event) => event.observation._tag)).toEqual([
          "Started",
          "Accepted",
          "Progress",
          "Seen",
        ]);
      }).pipe(Effect.provide(publisherOver([fake], store)));
    }),
  );
});
