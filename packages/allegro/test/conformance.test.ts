import { startAllegroFake } from "@adsync/sandbox";
import { adapterConformance } from "@adsync/sandbox/conformance";
import { allegroCapabilities } from "../src/index.ts";
import { car, layerFor } from "./support.ts";

adapterConformance({
  marketplace: "allegro",
  setup: async () => {
    const fake = await startAllegroFake({ taskDelayMs: 10 });
    return {
      fake,
      layer: layerFor(fake),
      capabilities: allegroCapabilities,
      sampleAd: car,
      // A price in euros: Allegro takes PLN only.
      invalidAd: (id) => ({ ...car(id), price: { list: { amount: 100, currency: "EUR" } } }),
      listingCount: () => fake.offerCount(),
      createRequest: { method: "POST", path: /^\/sale\/offers$/ },
      close: () => fake.close(),
    };
  },
});
