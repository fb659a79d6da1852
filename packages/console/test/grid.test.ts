import type { ListingRecord, ListingState } from "@adsync/core";
import { describe, expect, it } from "vitest";
import { buildGrid, listingUrl, titleOf, titleOfAd, valueAt } from "../src/index.ts";

const state = (
  presence: ListingState["presence"],
  status?: "pending" | "succeeded" | "failed" | "succeeded_with_warnings",
  issues = 0,
): ListingState => ({
  presence,
  notes: [],
  ...(status === undefined
    ? {}
    : {
        operation: {
          id: "op",
          kind: "create",
          status,
          startedAt: 1,
          issues: Array.from({ length: issues }, () => ({
            path: "vehicle.make",
            code: "required" as const,
            message: "make is required",
          })),
          warnings: [],
          presenceBefore: "absent",
        },
      }),
});

const record = (
  adId: string,
  marketplace: string,
  listingState: ListingState,
  remoteId?: string,
): ListingRecord => ({
  adId,
  marketplace,
  state: listingState,
  updatedAt: 1,
  payload: { title: `${adId} title` },
  ...(remoteId === undefined ? {} : { ref: { remoteId, ids: { shop: "s1" }, meta: {} } }),
});

const records = [
  record("car-1", "blocket", state("live", "succeeded"), "b-1"),
  record("car-1", "allegro", state("absent", "failed", 2)),
  record("car-2", "blocket", state("pending", "pending"), "b-2"),
  record("van-3", "tradera", state("removed", "succeeded"), "t-3"),
];

const shown = (grid: ReturnType<typeof buildGrid>) =>
  grid.rows.flatMap((row) => row.cells.map((cell) => `${cell.adId}@${cell.marketplace}`));

describe("the listings grid", () => {
  it("shows every listing, rows by ad, with the marketplaces as columns and counts", () => {
    const grid = buildGrid(records, { marketplaces: ["marktplaats"] });
    expect(grid.marketplaces).toEqual(["allegro", "blocket", "marktplaats", "tradera"]);
    expect(grid.rows.map((row) => row.adId)).toEqual(["car-1", "car-2", "van-3"]);
    expect(shown(grid)).toEqual([
      "car-1@allegro",
      "car-1@blocket",
      "car-2@blocket",
      "van-3@tradera",
    ]);
    expect(grid.counts).toEqual({
      listings: 4,
      presence: { live: 1, absent: 1, pending: 1, removed: 1 },
      operation: { succeeded: 2, failed: 1, pending: 1 },
      withIssues: 1,
    });
    expect(grid.rows[0]?.cells[0]).toMatchObject({ issues: 2, presence: "absent" });
  });

  it("filters by marketplace, by presence or operation status, by issues and by text", () => {
    expect(shown(buildGrid(records, { filters: { marketplace: "blocket" } }))).toEqual([
      "car-1@blocket",
      "car-2@blocket",
    ]);
    expect(shown(buildGrid(records, { filters: { state: "removed" } }))).toEqual(["van-3@tradera"]);
    expect(shown(buildGrid(records, { filters: { state: "failed" } }))).toEqual(["car-1@allegro"]);
    expect(shown(buildGrid(records, { filters: { hasIssues: true } }))).toEqual(["car-1@allegro"]);
    expect(shown(buildGrid(records, { filters: { text: "T-3" } }))).toEqual(["van-3@tradera"]);
    expect(shown(buildGrid(records, { filters: { text: "car-2 TITLE" } }))).toEqual([
      "car-2@blocket",
    ]);
    // Counts stay those of the whole store.
    expect(buildGrid(records, { filters: { state: "removed" } }).counts.listings).toBe(4);
  });

  it("links a listing only where the operator configured a pattern and the id is known", () => {
    const ref = { remoteId: "77 1", ids: { shop: "s1" }, meta: {} };
    expect(listingUrl("https://example.test/offer/{remoteId}", ref)).toBe(
      "https://example.test/offer/77%201",
    );
    expect(listingUrl("https://example.test/{ids.shop}/{remoteId}", ref)).toBe(
      "https://example.test/s1/77%201",
    );
    expect(listingUrl("https://example.test/{ids.missing}", ref)).toBeUndefined();
    expect(listingUrl(undefined, ref)).toBeUndefined();
    const grid = buildGrid(records, { urls: { tradera: "https://example.test/{remoteId}" } });
    expect(grid.rows[2]?.cells[0]?.url).toBe("https://example.test/t-3");
    expect(grid.rows[0]?.cells[1]?.url).toBeUndefined();
  });

  it("reads titles and values at canonical paths", () => {
    expect(titleOf({ name: "Volvo" })).toBe("Volvo");
    expect(titleOf({ title: "", subject: "Saab" })).toBe("Saab");
    expect(titleOf("text")).toBeUndefined();
    expect(titleOfAd({ title: "Own title", vehicle: { make: "Volvo" } })).toBe("Own title");
    expect(titleOfAd({ vehicle: { make: "Yamaha", model: "Aerox", modelYear: 2021 } })).toBe(
      "Yamaha Aerox 2021",
    );
    expect(titleOfAd({ vehicle: {} })).toBeUndefined();
    const ad = { vehicle: { make: "Volvo" }, images: ["a.jpg", "b.jpg"], fields: [{ value: 3 }] };
    expect(valueAt(ad, "vehicle.make")).toBe("Volvo");
    expect(valueAt(ad, "images.1")).toBe("b.jpg");
    expect(valueAt(ad, "fields[0].value")).toBe(3);
    expect(valueAt(ad, "")).toBe(ad);
    expect(valueAt(ad, "vehicle.model")).toBeUndefined();
    expect(valueAt(ad, "images.1.length")).toBeUndefined();
  });
});
