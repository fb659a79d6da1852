import { adapterConformance } from "@adsync/conformance";
import { adaptersLayer, memoryStoreLayer } from "@adsync/core";
import { startMarktplaatsFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer } from "effect";
import { makeMarktplaatsAdapter, marktplaatsCapabilities } from "../src/adapter.ts";
import { carAd, configFor } from "./support.ts";

adapterConformance({
  marketplace: "marktplaats",
  setup: async () => {
    const fake = await startMarktplaatsFake({ enrichmentDelayMs: 20 });
    return {
      fake,
      layer: Layer.mergeAll(
        adaptersLayer(makeMarktplaatsAdapter(configFor(fake))).pipe(
          Layer.provide(NodeHttpClient.layerUndici),
        ),
        memoryStoreLayer,
      ),
      capabilities: marktplaatsCapabilities,
      sampleAd: carAd,
      // A price in Swedish kronor: Marktplaats takes euros only.
      invalidAd: (id) => ({ ...carAd(id), price: { list: { amount: 100, currency: "SEK" } } }),
      listingCount: () => fake.adCount(),
      createRequest: { method: "POST", path: /^\/v1\/advertisements$/ },
      close: () => fake.close(),
    };
  },
});
