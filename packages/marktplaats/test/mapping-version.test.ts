import { startMarktplaatsFake } from "@adsync/sandbox";
import { expect, it } from "vitest";
import { runMappingVersionCase } from "../../core/test/support/mapping-version.ts";
import { makeMarktplaatsAdapter } from "../src/index.ts";
import { carAd, configFor } from "./support.ts";

/**
 * #14: Marktplaats declares a `mappingVersion` (its mapping's revision, the settings `prepare`
 * reads, the category snapshot it places ads with): an unchanged re-sync prepares nothing and
 * sends nothing; a setting that shapes the payload prepares every ad again.
 */
it("an unchanged re-sync prepares nothing and sends nothing; a price unit change prepares every ad again", async () => {
  const fake = await startMarktplaatsFake({ clock: "manual" });
  const config = configFor(fake);
  const ads = Array.from({ length: 5 }, (_, index) => carAd(`mv-${index}`, index));
  try {
    const run = await runMappingVersionCase({
      adapter: makeMarktplaatsAdapter,
      config,
      reshaped: { ...config, priceUnit: "euros" },
      ads,
      requests: () => fake.requests.length,
      // Marktplaats answers a create with the advertisement itself: settled already.
      settle: async () => {},
    });
    expect(run.first.outcomes).toEqual({ marktplaats: { accepted: 5 } });
    expect(run.unchanged.outcomes).toEqual({ marktplaats: { unchanged: 5 } });
    expect([run.unchanged.prepares, run.unchanged.requests]).toEqual([0, 0]);
    expect(run.versions[0]).toBeDefined();
    expect(run.versions[1]).not.toEqual(run.versions[0]);
    expect(run.reshaped.prepares).toBe(5);
  } finally {
    await fake.close();
  }
});
