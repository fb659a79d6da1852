import { adaptersLayer, createAdsync, memoryStoreLayer, type VehicleAdInput } from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN, startBlocketFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer, Redacted } from "effect";
import { expect, it } from "vitest";
import { makeBlocketAdapter } from "../src/adapter.ts";

const carAd = (id: string): VehicleAdInput => ({
  id,
  category: "car",
  description: "Välvårdad Volvo XC90 med full servicehistorik.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/xc90/1.jpg"],
  location: { postalCode: "111 22" },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2019,
    bodyType: "wagon",
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
  },
});

it.each([
  { fault: "503", rule: { type: "status", status: 503 } },
  { fault: "429", rule: { type: "status", status: 429, retryAfter: "0" } },
  { fault: "dropped connection", rule: { type: "drop" } },
] as const)(
  "reads the reference lists again after a $fault at the first publish (a failure is not cached)",
  async ({ rule }) => {
    const fake = await startBlocketFake({ processingDelayMs: 10 });
    const bodyTypesPath = /\/v3\/vehicle\/body_types$/;
    // The client tries three times (maxRetries 2): the fault outlasts them.
    fake.injectFault({ method: "GET", path: bodyTypesPath, times: 3, fault: rule });
    const client = createAdsync(
      Layer.mergeAll(
        adaptersLayer(
          makeBlocketAdapter({
            baseUrl: fake.url,
            token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
            tokenScope: "dealer_group",
            dealerCode: "DEALER1",
            http: { retry: { baseDelay: "10 millis", maxRetries: 2 } },
          }),
        ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
        memoryStoreLayer,
      ),
    );
    const bodyTypeReads = () =>
      fake.requests.filter((request) => bodyTypesPath.test(request.path)).length;
    try {
      const first = await client.publish(carAd("warm-up-1"), { to: ["blocket"] });
      expect(first.outcomes.map((outcome) => [outcome.result, outcome.retryable])).toEqual([
        ["failed", true],
      ]);
      expect(bodyTypeReads()).toBe(3);

      const second = await client.publish(carAd("warm-up-2"), { to: ["blocket"] });
      expect(second.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
        ["accepted", []],
      ]);
      expect(bodyTypeReads()).toBe(4);
      const created = fake.requests.find((request) => request.method === "POST");
      expect(created?.body).toMatchObject({ category_fields: { body_type: "wagon" } });
    } finally {
      await client.close();
      await fake.close();
    }
  },
);
