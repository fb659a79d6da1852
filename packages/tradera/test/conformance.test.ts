import { adapterConformance, descriptorLayer } from "@adsync/conformance";
import type { VehicleAdInput } from "@adsync/core";
import { startTraderaFake, TRADERA_SANDBOX_TOKEN } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer } from "effect";
import { traderaMarketplace } from "../src/index.ts";

const car = (id: string, variant = 0): VehicleAdInput => ({
  id,
  category: "car",
  description: "Conformance car: well maintained, full service history.",
  price: { list: { amount: 19_990_000 - variant * 100_000, currency: "SEK" } },
  images: ["https://images.example.com/conformance/front.jpg"],
  location: { coordinates: { latitude: 59.3293, longitude: 18.0686 } },
  vehicle: {
    make: "Volvo",
    model: "V60",
    modelYear: 2020,
    bodyType: "wagon",
    colour: "silver",
    mileage: { value: 6100, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
    equipment: ["navigation"],
  },
});

/** Tradera through its descriptor, from the section a config file holds. */
adapterConformance({
  marketplace: traderaMarketplace.id,
  capabilities: traderaMarketplace.capabilities,
  setup: async () => {
    const fake = await startTraderaFake({ processingDelayMs: 10 });
    return {
      fake,
      layer: descriptorLayer(traderaMarketplace, {
        baseUrl: fake.url,
        token: TRADERA_SANDBOX_TOKEN,
        dealerCode: "DEALER1",
      }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
      sampleAd: car,
      // A motorcycle: Tradera takes cars (1020) and transport vehicles (1021) only.
      invalidAd: (id) => ({ ...car(id), category: "motorcycle" }),
      listingCount: () => fake.adCount(),
      createRequest: { method: "POST", path: /^\/pro-import-api\/v3\/ad$/ },
      patchUpdate: {
        request: { method: "PATCH", path: /^\/pro-import-api\/v3\/ad\/[^/]+$/ },
        // Only the price changed (variant 1), in kronor; Tradera's PATCH names the ad by its
        // source_id and dealer_code as well.
        body: (adId: string) => ({
          source_id: adId,
          dealer_code: "DEALER1",
          price: [{ amount: 198_900, currency: "SEK", type: "list" }],
        }),
      },
      close: () => fake.close(),
    };
  },
});
