import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import fc from "fast-check";
import { compareIds, type ListingRecord, makeMemoryStore } from "../src/index.ts";

/**
 * The memory store's indexes (listings and events by ad id, each marketplace's sorted keys,
 * rebuilt after a new listing) answer exactly what a scan of everything recorded answers, with
 * queries interleaved between the writes so a stale index would show.
 */
const adIds = ["a", "b", "c", "d", "e"];
const marketplaces = ["blocket", "tradera"];

const step = fc.oneof(
  fc.record({
    kind: fc.constant("record" as const),
    adId: fc.constantFrom(...adIds),
    marketplace: fc.constantFrom(...marketplaces),
  }),
  fc.record({ kind: fc.constant("query" as const), adId: fc.constantFrom(...adIds) }),
);

describe("the memory store's indexes", () => {
  it("answer list, events and keys as a scan of every write would, between writes", () =>
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const store = makeMemoryStore();
        const written: Array<ListingRecord> = [];
        for (const [at, each] of steps.entries()) {
          if (each.kind === "record") {
            const listing: ListingRecord = {
              adId: each.adId,
              marketplace: each.marketplace,
              state: { presence: "live", notes: [`write ${at}`] },
              updatedAt: at,
            };
            Effect.runSync(
              store.record(listing, {
                adId: each.adId,
                marketplace: each.marketplace,
                observation: { _tag: "Seen", presence: "live", at },
                state: listing.state,
              }),
            );
            written.push(listing);
            continue;
          }
          // The last record per listing, in the order each listing was first recorded.
          const last = new Map<string, ListingRecord>();
          for (const listing of written)
            last.set(`${listing.marketplace}/${listing.adId}`, listing);
          const listingsOfAd = [...last.values()].filter((listing) => listing.adId === each.adId);
          expect(Effect.runSync(store.list(each.adId))).toEqual(listingsOfAd);
          expect(
            Effect.runSync(store.events(each.adId)).map((event) => event.observation.at),
          ).toEqual(
            written.flatMap((listing) => (listing.adId === each.adId ? [listing.updatedAt] : [])),
          );
          for (const marketplace of marketplaces) {
            const expected = [...last.values()]
              .filter((listing) => listing.marketplace === marketplace)
              .map((listing) => listing.adId)
              .sort(compareIds);
            // Paged by two, after the query's own ad id: the binary search and the slices.
            const pages: Array<string> = [];
            let after: string | undefined;
            for (;;) {
              const page = Effect.runSync(store.keys({ marketplace, after, limit: 2 }));
              if (page.length === 0) break;
              pages.push(...page);
              after = page[page.length - 1];
            }
            expect(pages).toEqual(expected);
            expect(
              Effect.runSync(store.keys({ marketplace, after: each.adId, limit: 10 })),
            ).toEqual(expected.filter((adId) => adId > each.adId));
          }
        }
      }),
    ));
});
