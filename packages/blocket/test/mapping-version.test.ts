import { BLOCKET_SANDBOX_TOKEN, startBlocketFake } from "@adsync/sandbox";
import { Redacted } from "effect";
import { expect, it } from "vitest";
import { runMappingVersionCase } from "../../core/test/support/mapping-version.ts";
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
    const run = await runMappingVersionCase({
      adapter: makeBlocketAdapter,
      config,
      reshaped: { ...config, priceUnit: { v4: "major" } },
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
    expect(run.first.outcomes).toEqual({ blocket: { accepted: 6 } });
    expect(run.unchanged.outcomes).toEqual({ blocket: { unchanged: 6 } });
    expect([run.unchanged.prepares, run.unchanged.requests]).toEqual([0, 0]);
    expect(run.versions[0]).toBeDefined();
    expect(run.versions[1]).not.toEqual(run.versions[0]);
    expect(run.reshaped.prepares).toBe(6);
  } finally {
    await fake.close();
  }
});
