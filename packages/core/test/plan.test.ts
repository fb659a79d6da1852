import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Stream } from "effect";
import {
  makeMemoryStore,
  type PlannedRequest,
  Publisher,
  payloadChanges,
  type RequestDescriber,
  type VehicleAdInput,
} from "../src/index.ts";
import { fakeAdapter, publisherOver, queued, refOf } from "./fake-adapter.ts";

const ad = (id: string, price = 100_000): VehicleAdInput => ({
  id,
  category: "car",
  description: `Car ${id}.`,
  price: { list: { amount: price, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "V70", modelYear: 2012 },
});

/** A describer that names each operation by the listing or ad it is given. */
const describer: RequestDescriber = {
  create: (created): ReadonlyArray<PlannedRequest> => [
    { method: "POST", path: "/ads", body: { id: created.id } },
  ],
  update: (listing) => [{ method: "PATCH", path: `/ads/${listing.ref.remoteId}` }],
  remove: (listing) => [{ method: "DELETE", path: `/ads/${listing.ref.remoteId}` }],
};

const describing = (id: string, behaviour: Parameters<typeof fakeAdapter>[1] = {}) => {
  const fake = fakeAdapter(id, behaviour);
  return { ...fake, adapter: { ...fake.adapter, describe: describer } };
};

describe("plan", () => {
  it.effect(
    "takes publish's decision per ad and marketplace and calls no adapter operation",
    () => {
      const blocket = describing("blocket");
      const tradera = fakeAdapter("tradera");
      const store = makeMemoryStore();
      return Effect.gen(function* () {
        const publisher = yield* Publisher;
        yield* publisher.sync(Stream.fromIterable([ad("a"), ad("b"), ad("gone")]));
        const requestsBefore = blocket.requests().length + tradera.requests().length;
        const eventsBefore = yield* Effect.forEach(["a", "b", "gone"], store.events);
        const recordsBefore = yield* store.list();

        const result = yield* publisher.plan([ad("a"), ad("b", 90_000), ad("new")], {
          removeMissing: true,
        });
        expect(
          result.listings.map((listing) => [listing.adId, listing.marketplace, listing.action]),
        ).toStrictEqual([
          ["a", "blocket", "unchanged"],
          ["a", "tradera", "unchanged"],
          ["b", "blocket", "update"],
          ["b", "tradera", "update"],
          ["new", "blocket", "create"],
          ["new", "tradera", "create"],
          ["gone", "blocket", "remove"],
          ["gone", "tradera", "remove"],
        ]);
        const find = (adId: string, marketplace: string) =>
          result.listings.find(
            (listing) => listing.adId === adId && listing.marketplace === marketplace,
          );
        expect(find("b", "blocket")?.requests).toStrictEqual([
          { method: "PATCH", path: "/ads/blocket-b" },
        ]);
        expect(find("b", "blocket")?.changes).toStrictEqual([
          { path: "price", before: 100_000, after: 90_000 },
        ]);
        expect(find("new", "blocket")?.requests).toStrictEqual([
          { method: "POST", path: "/ads", body: { id: "new" } },
        ]);
        expect(find("gone", "blocket")?.requests).toStrictEqual([
          { method: "DELETE", path: "/ads/blocket-gone" },
        ]);
        // An adapter without `describe` still gets its action, and says why no request shows.
        expect(find("b", "tradera")?.requests).toStrictEqual([]);
        expect(find("b", "tradera")?.notes).toStrictEqual([
          "tradera's adapter does not describe its requests.",
        ]);

        expect(blocket.requests().length + tradera.requests().length).toBe(requestsBefore);
        expect(yield* Effect.forEach(["a", "b", "gone"], store.events)).toStrictEqual(eventsBefore);
        expect(yield* store.list()).toStrictEqual(recordsBefore);
      }).pipe(Effect.provide(publisherOver([blocket, tradera], store)));
    },
  );

  it.effect("plans an invalid ad with its issues and no request, and takes one ad alone", () => {
    const blocket = describing("blocket", {
      prepare: (input) =>
        input.id === "bad"
          ? Either.left([{ path: "vehicle.make", code: "required", message: "make?" }])
          : Either.right({ payload: { id: input.id }, warnings: [] }),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const invalid = yield* publisher.plan(ad("bad"));
      expect(invalid.listings).toStrictEqual([
        expect.objectContaining({
          adId: "bad",
          action: "invalid",
          requests: [],
          issues: [
            { path: "vehicle.make", code: "required", message: "make?", marketplace: "blocket" },
          ],
        }),
      ]);
      const undecodable = yield* publisher.plan([{ id: "x" }]);
      expect(undecodable.listings[0]?.action).toBe("invalid");
      expect(undecodable.listings[0]?.issues.length).toBeGreaterThan(0);
    }).pipe(Effect.provide(publisherOver([blocket])));
  });

  it.effect("notes a create still processing: publish would read its progress first", () => {
    const blocket = describing("blocket", {
      create: (created) => Effect.succeed(queued(refOf("blocket", created.id), "request-1")),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad("a"));
      const result = yield* publisher.plan([ad("a", 1)]);
      expect(result.listings[0]?.action).toBe("update");
      expect(result.listings[0]?.notes[0]).toMatch(/still processing/);
      expect(blocket.callsOf("observe")).toStrictEqual([]);
    }).pipe(Effect.provide(publisherOver([blocket])));
  });
});

describe("payloadChanges", () => {
  it("walks objects and same-length arrays, and marks added and removed fields", () => {
    expect(
      payloadChanges(
        { a: 1, nested: { b: 2, c: 3 }, list: [1, { d: 2 }], grown: [1], gone: true },
        { a: 1, nested: { b: 2, c: 4 }, list: [1, { d: 3 }], grown: [1, 2], added: "x" },
      ),
    ).toStrictEqual([
      { path: "nested.c", before: 3, after: 4 },
      { path: "list.1.d", before: 2, after: 3 },
      { path: "grown", before: [1], after: [1, 2] },
      { path: "gone", before: true },
      { path: "added", after: "x" },
    ]);
  });
});
