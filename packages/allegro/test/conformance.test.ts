import { adapterConformance, type ConformanceCase, descriptorLayer } from "@adsync/conformance";
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

/**
 * Cases that apply to Allegro but fail on an adapter bug, reported to the lead (#10); remove an
 * entry to run its case. `retry-after`: the offer create (`POST /sale/product-offers`, `POST
 * /sale/offers`) answered 429 with `Retry-After: 7` is sent again after 200 ms, the hand-written
 * backoff of `createDraft` in `src/flow/offer-flow.ts` (200 · 2^attempt ms), not after 7 s.
 */
export const allegroKnownFailing: ReadonlyArray<ConformanceCase> = ["retry-after"];

for (const offerApi of ["product-offers", "sale-offers"] as const)
  adapterConformance({
    marketplace: allegroMarketplace.id,
    capabilities: allegroMarketplace.capabilities,
    oauth: true,
    knownFailing: allegroKnownFailing,
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
