import type { VehicleAdInput } from "@adsync/core";
import { startTraderaFake, TRADERA_SANDBOX_TOKEN } from "@adsync/sandbox";
import { Redacted } from "effect";
import { it } from "vitest";
import {
  expectMappingVersionHolds,
  flushThenSettle,
} from "../../core/test/support/mapping-version.ts";
import { makeTraderaAdapter, type TraderaConfig } from "../src/index.ts";

const volvo = (index: number): VehicleAdInput => ({
  id: `mv-${index}`,
  category: "car",
  title: "Volvo XC90 D5 AWD",
  description: "Volvo XC90 med dragkrok och vinterhjul. Perfekt familjebil.",
  price: { list: { amount: 9_500_000 + index * 100, currency: "SEK" } },
  images: [`https://cdn.example.com/xc90/${index}.jpg`],
  location: { coordinates: { latitude: 57.7089, longitude: 11.9746 } },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2018,
    bodyType: "suv",
    colour: "black",
    registrationNumber: `MVT ${100 + index}`,
    mileage: { value: 9100, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
  },
});

/**
 * #14: Tradera declares a `mappingVersion` (its mapping's revision and the shared Pro Import
 * pieces', the settings `prepare` reads, the vehicle reference data it normalizes to): an
 * unchanged re-sync prepares nothing and sends nothing; a setting that shapes the payload
 * prepares every ad again.
 */
it("an unchanged re-sync prepares nothing and sends nothing; a price unit change prepares every ad again", async () => {
  const fake = await startTraderaFake({ clock: "manual", processingDelayMs: 10 });
  const config: TraderaConfig = {
    baseUrl: fake.url,
    token: Redacted.make(TRADERA_SANDBOX_TOKEN),
    dealerCode: "DEALER1",
    http: { retry: { baseDelay: "10 millis" } },
  };
  const ads = Array.from({ length: 5 }, (_, index) => volvo(index));
  try {
    await expectMappingVersionHolds("tradera", {
      adapter: makeTraderaAdapter,
      config,
      reshaped: { ...config, priceUnit: "minor" },
      ads,
      requests: () => fake.requests.length,
      settle: flushThenSettle(fake, ads),
    });
  } finally {
    await fake.close();
  }
});
