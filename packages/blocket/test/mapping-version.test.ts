import { BLOCKET_SANDBOX_TOKEN, startBlocketFake } from "@adsync/sandbox";
import { Redacted } from "effect";
import { it } from "vitest";
import {
  expectMappingVersionHolds,
  flushThenSettle,
} from "../../core/test/support/mapping-version.ts";
import { type BlocketConfig, makeBlocketAdapter } from "../src/index.ts";
import { mopedAd } from "./support.ts";

/**
 * #14: Blocket declares a `mappingVersion` (its mapping's revision, the settings `prepare`
 * reads, the body type and fuel lists it spells with), so the publisher's input fingerprint
 * answers an unchanged re-sync without preparing an ad or sending a request, and a setting
 * that shapes the payload prepares every ad again.
 */
it("an unchanged re-sync prepares nothing and sends nothing; a price unit change prepares every ad again", async () => {
  const fake = await startBlocketFake({ clock: "manual", processingDelayMs: 10 });
  const config: BlocketConfig = {
    baseUrl: fake.url,
    token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
    tokenScope: "dealer_group",
    dealerCode: "DEALER1",
    http: { retry: { baseDelay: "10 millis" } },
  };
  const ads = Array.from({ length: 6 }, (_, index) => mopedAd(`mv-${index}`, 15_000 + index));
  try {
    await expectMappingVersionHolds("blocket", {
      adapter: makeBlocketAdapter,
      config,
      reshaped: { ...config, priceUnit: { v4: "major" } },
      ads,
      requests: () => fake.requests.length,
      settle: flushThenSettle(fake, ads),
    });
  } finally {
    await fake.close();
  }
});
