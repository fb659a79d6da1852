import { adapterConformance, descriptorLayer } from "@adsync/conformance";
import type { VehicleAdInput } from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN, startBlocketFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer } from "effect";
import { blocketMarketplace } from "../src/index.ts";

const car = (id: string, variant = 0): VehicleAdInput => ({
  id,
  category: "car",
  description: "Conformance car: well maintained, full service history.",
  price: { list: { amount: 19_990_000 - variant * 100_000, currency: "SEK" } },
  images: ["https://images.example.com/conformance/front.jpg"],
  location: { postalCode: "12133" },
  vehicle: {
    make: "Volvo",
    model: "V60",
    modelYear: 2020,
    bodyType: "wagon",
    mileage: { value: 6100, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
  },
});

/** Blocket through its descriptor, from the section a config file holds. */
adapterConformance({
  marketplace: blocketMarketplace.id,
  capabilities: blocketMarketplace.capabilities,
  setup: async () => {
    const fake = await startBlocketFake({ processingDelayMs: 10 });
    return {
      fake,
      layer: descriptorLayer(blocketMarketplace, {
        baseUrl: fake.url,
        token: BLOCKET_SANDBOX_TOKEN,
        tokenScope: "dealer_group",
        dealerCode: "DEALER1",
      }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
      sampleAd: car,
      // A price in euros: Blocket takes SEK only.
      invalidAd: (id) => ({ ...car(id), price: { list: { amount: 100, currency: "EUR" } } }),
      listingCount: () => fake.adCount(),
      createRequest: { method: "POST", path: /\/v4\/ad$/ },
      patchUpdate: {
        request: { method: "PATCH", path: /\/v4\/ad\/[^/]+$/ },
        // Only the price changed (variant 1): the one key sent, in Blocket's price list.
        body: () => ({ price: [{ amount: 19_890_000, currency: "SEK", type: "list" }] }),
      },
      close: () => fake.close(),
    };
  },
});
