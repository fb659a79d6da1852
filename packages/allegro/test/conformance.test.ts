import { adapterConformance } from "@adsync/conformance";
import { startAllegroFake } from "@adsync/sandbox";
import { allegroCapabilities, type OfferApi } from "../src/index.ts";
import { car, layerFor } from "./support.ts";

/** Both offer APIs through the shared suite: product-offers (default) and the guide's /sale/offers. */
const createPaths: Record<OfferApi, RegExp> = {
  "product-offers": /^\/sale\/product-offers$/,
  "sale-offers": /^\/sale\/offers$/,
};

for (const offerApi of ["product-offers", "sale-offers"] as const)
  adapterConformance({
    marketplace: "allegro",
    setup: async () => {
      const fake = await startAllegroFake({ taskDelayMs: 10 });
      return {
        fake,
        layer: layerFor(fake, { offerApi }),
        capabilities: allegroCapabilities,
        sampleAd: car,
        // A price in euros: Allegro takes PLN only.
        invalidAd: (id) => ({ ...car(id), price: { list: { amount: 100, currency: "EUR" } } }),
        listingCount: () => fake.offerCount(),
        createRequest: { method: "POST", path: createPaths[offerApi] },
        close: () => fake.close(),
      };
    },
  });
