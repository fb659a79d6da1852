import { startAllegroFake } from "@adsync/sandbox";
import { it } from "vitest";
import {
  expectMappingVersionHolds,
  flushThenSettle,
} from "../../core/test/support/mapping-version.ts";
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
    await expectMappingVersionHolds("allegro", {
      adapter: makeAllegroAdapter,
      config,
      reshaped: { ...config, invoice: "VAT" },
      ads,
      requests: () => fake.requests.length,
      settle: flushThenSettle(fake, ads),
    });
  } finally {
    await fake.close();
  }
});
