import { type Listing, type MarketplaceAdapter, VehicleAd } from "@adsync/core";
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import { Effect, Either, Redacted, Schema } from "effect";
import { describe, expect, it } from "vitest";
import { makeBlocketAdapter } from "../src/index.ts";

/** `describe` (for `plan`) takes the route `update` takes: PATCH, PUT or migration. */

const car = Schema.decodeUnknownSync(VehicleAd)({
  id: "describe-1",
  category: "car",
  description: "Välvårdad bil.",
  price: { list: { amount: 10_000_000, currency: "SEK" } },
  vehicle: {
    make: "Volvo",
    model: "V70",
    modelYear: 2012,
    bodyType: "wagon",
    mileage: { value: 18000, unit: "mil" },
    fuels: ["diesel"],
    transmission: "manual",
  },
});

// Nothing is sent: the adapter is built only to call its pure `prepare` and `describe`.
const adapter: MarketplaceAdapter = await Effect.runPromise(
  Effect.scoped(
    makeBlocketAdapter({
      token: Redacted.make("unused"),
      tokenScope: "dealer_group",
      baseUrl: "http://127.0.0.1:9",
      dealerCode: "DEALER1",
    }),
  ).pipe(Effect.provide(NodeHttpClient.layerUndici)),
);

const prepared = Either.getOrThrow(adapter.prepare(car));
const content = (): Record<string, unknown> =>
  typeof prepared.payload === "object" && prepared.payload !== null
    ? Object.fromEntries(Object.entries(prepared.payload))
    : {};

const listing = (payload: unknown, meta: Record<string, string> = {}): Listing => ({
  ref: { remoteId: "describe-1", ids: {}, meta: { apiVersion: "v4", categoryId: "1020", ...meta } },
  payload,
});

const updateOf = (target: Listing) => adapter.describe?.update(target, car, prepared);

describe("Blocket describe", () => {
  it("plans a PATCH of the changed fields only", () => {
    expect(updateOf(listing({ ...content(), body: "Old description." }))).toStrictEqual([
      { method: "PATCH", path: "/v4/ad/describe-1", body: { body: content().body } },
    ]);
  });

  it("plans a full PUT when a field disappeared, keeping a hidden ad hidden", () => {
    expect(
      updateOf(listing({ ...content(), video_url: "https://example.com/v" }, { visible: "false" })),
    ).toStrictEqual([
      { method: "PUT", path: "/v4/ad/describe-1", body: { ...content(), visible: false } },
    ]);
  });

  it("plans the migration of a V3 ad in a V4-only category", () => {
    expect(updateOf(listing(content(), { apiVersion: "v3", categoryId: "1101" }))).toStrictEqual([
      {
        method: "POST",
        path: "/v4/ad/describe-1/migrate",
        body: { source_id: "describe-1", ...content() },
      },
    ]);
  });

  it("plans the create's POST with the body create sends and the DELETE of a removal", () => {
    expect(adapter.describe?.create(car, prepared)).toStrictEqual([
      expect.objectContaining({
        method: "POST",
        path: "/v4/ad",
        body: { source_id: "describe-1", ...content() },
      }),
    ]);
    expect(adapter.describe?.remove(listing(content()))).toStrictEqual([
      { method: "DELETE", path: "/v4/ad/describe-1" },
    ]);
  });
});
