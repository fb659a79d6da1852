import { startAllegroFake } from "@adsync/sandbox";
import { expect, it } from "vitest";
import { runMappingVersionCase } from "../../core/test/support/mapping-version.ts";
import { makeAllegroAdapter } from "../src/index.ts";
import { car, configFor } from "./support.ts";

/**
 * #14: Allegro declares a `mappingVersion` (its mapping's revision and the settings `prepare`
 * reads; its payload reads no reference data): an unchanged re-sync prepares nothing and sends
 * nothing — not even a token refresh —; a setting that shapes the payload prepares every ad
 * again.
 */
it("an unchanged re-sync prepares nothing and sends nothing; an invoice change prepares every ad again", async () => {
  const fake = await startAllegroFake({ clock: "manual" });
  const config = configFor(fake);
  const ads = Array.from({ length: 5 }, (_, index) => car(`mv-${index}`));
  try {
    const run = await runMappingVersionCase({
      adapter: makeAllegroAdapter,
      config,
      reshaped: { ...config, invoice: "VAT" },
      ads,
      requests: () => fake.requests.length,
      settle: async (client) => {
        fake.processing.flush();
        await client.settle({
          adIds: ads.map((ad) => ad.id),
          interval: "1 millis",
          timeout: "30 seconds",
        });
      },
    });
    expect(run.first.outcomes).toEqual({ allegro: { accepted: 5 } });
    expect(run.unchanged.outcomes).toEqual({ allegro: { unchanged: 5 } });
    expect([run.unchanged.prepares, run.unchanged.requests]).toEqual([0, 0]);
    expect(run.versions[0]).toBeDefined();
    expect(run.versions[1]).not.toEqual(run.versions[0]);
    expect(run.reshaped.prepares).toBe(5);
  } finally {
    await fake.close();
  }
});
