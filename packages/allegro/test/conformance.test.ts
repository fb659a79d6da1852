import { adapterConformance, descriptorLayer } from "@adsync/conformance";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  startAllegroFake,
} from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer } from "effect";
import { allegroMarketplace, type OfferApi } from "../src/index.ts";
import { car, testUserAgent } from "./support.ts";

/** Allegro through its descriptor, from the section a config file holds; both offer APIs through the shared suite: product-offers (default) and the guide's /sale/offers. */
const createPaths: Record<OfferApi, RegExp> = {
  "product-offers": /^\/sale\/product-offers$/,
  "sale-offers": /^\/sale\/offers$/,
};

for (const offerApi of ["product-offers", "sale-offers"] as const)
  adapterConformance({
    marketplace: allegroMarketplace.id,
    capabilities: allegroMarketplace.capabilities,
    oauth: true,
    setup: async () => {
      const fake = await startAllegroFake({ taskDelayMs: 10 });
      return {
        fake,
        layer: descriptorLayer(allegroMarketplace, {
          baseUrl: fake.url,
          clientId: ALLEGRO_SANDBOX_CLIENT_ID,
          clientSecret: ALLEGRO_SANDBOX_CLIENT_SECRET,
          refreshToken: ALLEGRO_SANDBOX_REFRESH_TOKEN,
          userAgent: testUserAgent,
          offerApi,
        }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
        sampleAd: car,
        // A price in euros: Allegro takes PLN only.
        invalidAd: (id) => ({ ...car(id), price: { list: { amount: 100, currency: "EUR" } } }),
        listingCount: () => fake.offerCount(),
        createRequest: { method: "POST", path: createPaths[offerApi] },
        oauth: {
          expireAccessTokens: () => fake.expireAccessTokens(),
          tokenRequest: { method: "POST", path: /^\/auth\/oauth\/token$/ },
        },
        close: () => fake.close(),
      };
    },
  });
