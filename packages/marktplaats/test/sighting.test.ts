import type { InspectedListing } from "@adsync/core";
import { describe, expect, it } from "vitest";
import type { MarktplaatsPayload } from "../src/mapping/to-marktplaats.ts";
import { presenceOfStatus, sightingOf } from "../src/operations/inspect.ts";

/** The reduction of one listed advertisement, without a server: readings the fake never writes. */

const NOW = Date.parse("2026-06-01T12:00:00Z");
const listing: InspectedListing<MarktplaatsPayload> = {
  adId: "ad-1",
  ref: { remoteId: "m1", ids: {}, meta: {} },
  payload: {
    advertisement: {
      title: "Golf",
      description: "<p>Nette auto</p>",
      priceModel: { modelType: "fixed", askingPrice: 100 },
    },
    imageUrls: [],
  },
};
const listed = (extra: Record<string, unknown>) => ({
  _tag: "Found" as const,
  advertisement: {
    itemId: "m1",
    title: "Golf",
    description: "<p>Nette auto</p>",
    priceModel: { modelType: "fixed", askingPrice: 100, extra: "server" },
    ...extra,
  },
});

describe("Marktplaats sighting", () => {
  it("reads a reached close date as closed, whatever the status still says", () => {
    const sighting = sightingOf(
      "marktplaats",
      {},
      listing,
      listed({ status: "online", closeDate: "2026-05-31T00:00:00Z", renewPossible: true }),
      NOW,
    );
    expect(sighting).toMatchObject({ status: "succeeded", presence: "removed", drift: false });
    expect(sighting.notes).toEqual(
      expect.arrayContaining([
        "closed on 2026-05-31T00:00:00Z (close date reached)",
        "renewal possible",
      ]),
    );
  });

  it("keeps a close date still ahead as a note", () => {
    const sighting = sightingOf(
      "marktplaats",
      {},
      listing,
      listed({ status: "online", closeDate: "2026-07-01T00:00:00Z" }),
      NOW,
    );
    expect(sighting.presence).toBe("live");
    expect(sighting.notes).toContain("closes on 2026-07-01T00:00:00Z");
  });

  it("takes the doc's two statuses and other words for what they say", () => {
    expect(presenceOfStatus("online")).toBe("live");
    expect(presenceOfStatus(undefined)).toBe("live");
    expect(presenceOfStatus("deactivated")).toBe("hidden");
    expect(presenceOfStatus("PAUSED")).toBe("hidden");
    expect(presenceOfStatus("closed")).toBe("removed");
    expect(presenceOfStatus("expired")).toBe("removed");
    expect(presenceOfStatus("deleted")).toBe("removed");
    expect(presenceOfStatus("mystery")).toBeUndefined();
    const unknown = sightingOf("marktplaats", {}, listing, listed({ status: "mystery" }), NOW);
    expect(unknown.presence).toBe("live");
    expect(unknown.notes).toContain('unknown status "mystery", read as live');
  });

  it("reads images embedded as one object with its own list", () => {
    const sighting = sightingOf(
      "2dehands",
      {},
      listing,
      listed({
        _embedded: {
          "mp:advertisement-images": {
            _embedded: {
              "mp:advertisement-image": [
                { imageId: 7, status: "available" },
                { imageId: 8, status: "error" },
              ],
            },
          },
        },
      }),
      NOW,
    );
    expect(sighting.warnings?.map((warning) => [warning.path, warning.marketplace])).toEqual([
      ["images.1", "2dehands"],
    ]);
  });

  it("sees drift in the text and the price only, on the members adsync sent", () => {
    const same = sightingOf("marktplaats", {}, listing, listed({ mileage: 5 }), NOW);
    expect(same.drift).toBe(false);
    const description = sightingOf(
      "marktplaats",
      {},
      listing,
      listed({ description: "<p>Andere tekst</p>" }),
      NOW,
    );
    expect(description.drift).toBe(true);
  });
});
