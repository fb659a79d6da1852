import { adaptersLayer, createAdsync, memoryStoreLayer, type VehicleAdInput } from "@adsync/core";
import { startTraderaFake, TRADERA_SANDBOX_TOKEN } from "@adsync/sandbox";
import { Layer, Redacted } from "effect";
import { expect, it } from "vitest";
import { makeTraderaAdapter } from "../src/index.ts";

const carAd = (id: string): VehicleAdInput => ({
  id,
  category: "car",
  title: "Volvo XC90 D5 AWD",
  description: "Välvårdad Volvo XC90 med full servicehistorik. Perfekt familjebil.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/xc90/1.jpg"],
  location: { coordinates: { latitude: 59.3293, longitude: 18.0686 } },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2019,
    bodyType: "suv",
    colour: "black",
    registrationNumber: `WUP ${id.length}${id.at(-1) ?? "0"}${id.length}`,
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
  "loads the reference data again after a $fault at the first publish (a failure is not cached)",
  async ({ rule }) => {
    const fake = await startTraderaFake({ processingDelayMs: 20 });
    // The client tries three times (maxRetries 2): the fault outlasts them.
    fake.injectFault({ method: "GET", path: "/vehicle/fuels", times: 3, fault: rule });
    const client = createAdsync(
      Layer.mergeAll(
        adaptersLayer(
          makeTraderaAdapter({
            baseUrl: fake.url,
            token: Redacted.make(TRADERA_SANDBOX_TOKEN),
            dealerCode: "DEALER1",
            http: { retry: { baseDelay: "10 millis", maxRetries: 2 } },
          }),
        ),
        memoryStoreLayer,
      ),
    );
    const fuelReads = () =>
      fake.requests.filter((request) => request.path === "/vehicle/fuels").length;
    try {
      const first = await client.publish(carAd("warm-up-1"), { to: ["tradera"] });
      expect(first.outcomes.map((outcome) => [outcome.result, outcome.retryable])).toEqual([
        ["failed", true],
      ]);
      expect(fuelReads()).toBe(3);

      const second = await client.publish(carAd("warm-up-2"), { to: ["tradera"] });
      expect(second.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
        ["accepted", []],
      ]);
      expect(fuelReads()).toBe(4);
    } finally {
      await client.close();
      await fake.close();
    }
  },
);
