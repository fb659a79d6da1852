import { startMarktplaatsFake } from "@adsync/sandbox";
import { it } from "vitest";
import { expectMappingVersionHolds } from "../../core/test/support/mapping-version.ts";
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
    await expectMappingVersionHolds("marktplaats", {
      adapter: makeMarktplaatsAdapter,
      config,
      reshaped: { ...config, priceUnit: "euros" },
      ads,
      requests: () => fake.requests.length,
      // Marktplaats answers a create with the advertisement itself: settled already.
      settle: async () => {},
    });
  } finally {
    await fake.close();
  }
});
