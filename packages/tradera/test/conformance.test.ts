import { adapterConformance } from "@adsync/conformance";
import { adaptersLayer, memoryStoreLayer, type VehicleAdInput } from "@adsync/core";
import { startTraderaFake, TRADERA_SANDBOX_TOKEN } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer, Redacted } from "effect";
import { makeTraderaAdapter, traderaCapabilities } from "../src/index.ts";

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

adapterConformance({
  marketplace: "tradera",
  setup: async () => {
    const fake = await startTraderaFake({ processingDelayMs: 10 });
    return {
      fake,
      layer: Layer.mergeAll(
        adaptersLayer(
          makeTraderaAdapter({
            baseUrl: fake.url,
            token: Redacted.make(TRADERA_SANDBOX_TOKEN),
            dealerCode: "DEALER1",
            http: { retry: { baseDelay: "10 millis" } },
          }),
        ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
        memoryStoreLayer,
      ),
      capabilities: traderaCapabilities,
      sampleAd: car,
      // A motorcycle: Tradera takes cars (1020) and transport vehicles (1021) only.
      invalidAd: (id) => ({ ...car(id), category: "motorcycle" }),
      listingCount: () => fake.adCount(),
      createRequest: { method: "POST", path: /^\/pro-import-api\/v3\/ad$/ },
      close: () => fake.close(),
    };
  },
});
