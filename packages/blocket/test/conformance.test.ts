import { blocketCapabilities, makeBlocketAdapter } from "@adsync/blocket";
import { adapterConformance } from "@adsync/conformance";
import { adaptersLayer, memoryStoreLayer, type VehicleAdInput } from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN, startBlocketFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer, Redacted } from "effect";

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

adapterConformance({
  marketplace: "blocket",
  capabilities: blocketCapabilities,
  setup: async () => {
    const fake = await startBlocketFake({ processingDelayMs: 10 });
    return {
      fake,
      layer: Layer.mergeAll(
        adaptersLayer(
          makeBlocketAdapter({
            baseUrl: fake.url,
            token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
            tokenScope: "dealer_group",
            dealerCode: "DEALER1",
            http: { retry: { baseDelay: "10 millis" } },
          }),
        ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
        memoryStoreLayer,
      ),
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
