import { adapterConformance, descriptorLayer } from "@adsync/conformance";
import { MARKTPLAATS_SANDBOX_CLIENT, startMarktplaatsFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer } from "effect";
import { marktplaatsMarketplace } from "../src/index.ts";
import { carAd } from "./support.ts";

/** Marktplaats through its descriptor, from the section a config file holds. */
adapterConformance({
  marketplace: marktplaatsMarketplace.id,
  capabilities: marktplaatsMarketplace.capabilities,
  oauth: true,
  setup: async () => {
    const fake = await startMarktplaatsFake({ enrichmentDelayMs: 20 });
    return {
      fake,
      layer: descriptorLayer(marktplaatsMarketplace, {
        baseUrl: fake.url,
        tokenUrl: fake.tokenUrl,
        clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
        clientSecret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
        refreshToken: MARKTPLAATS_SANDBOX_CLIENT.refreshToken,
      }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
      sampleAd: carAd,
      // A price in Swedish kronor: Marktplaats takes euros only.
      invalidAd: (id) => ({ ...carAd(id), price: { list: { amount: 100, currency: "SEK" } } }),
      listingCount: () => fake.adCount(),
      createRequest: { method: "POST", path: /^\/v1\/advertisements$/ },
      patchUpdate: {
        request: { method: "PATCH", path: /^\/v1\/advertisements\/[^/]+$/ },
        // Only the price changed (variant 1): one JSON Patch operation, in cents.
        body: () => [{ op: "replace", path: "/priceModel/askingPrice", value: 1_889_500 }],
      },
      oauth: {
        expireAccessTokens: () => fake.expireAccessTokens(),
        tokenRequest: { method: "POST", path: /^\/accounts\/oauth\/token$/ },
      },
      close: () => fake.close(),
    };
  },
});
