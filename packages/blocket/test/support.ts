import { contractHarness } from "@adsync/conformance";
import type { AdsyncClient, VehicleAdInput } from "@adsync/core";
import {
  BLOCKET_SANDBOX_TOKEN,
  type BlocketFakeOptions,
  type Sandbox,
  startSandbox,
} from "@adsync/sandbox";
import { Redacted } from "effect";
import type { BlocketConfig } from "../src/index.ts";

/** A test file's sandbox, its clients (closed after each test) and the adapter config. */
export interface BlocketSuite {
  /** Started before the file's first test. */
  readonly sandbox: Sandbox;
  readonly clients: Array<AdsyncClient>;
  readonly configFor: (overrides?: Partial<BlocketConfig>) => BlocketConfig;
}

/**
 * Starts the sandbox for a test file (with these fake Blocket options), clears its requests
 * and faults before each test and closes the clients after it.
 */
export const blocketSandboxSuite = (options: BlocketFakeOptions): BlocketSuite => {
  const harness = contractHarness({
    start: () => startSandbox({ blocket: options }),
    recorded: (sandbox) => sandbox.blocket,
    close: (sandbox) => sandbox.close(),
  });
  const suite: BlocketSuite = {
    get sandbox() {
      return harness.started;
    },
    clients: harness.clients,
    configFor: (overrides = {}) => ({
      baseUrl: suite.sandbox.urls.blocket,
      token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
      tokenScope: "dealer_group",
      dealerCode: "DEALER1",
      http: { retry: { baseDelay: "20 millis" } },
      ...overrides,
    }),
  };
  return suite;
};

/** A moped ad as the V4 guide's example; with the title and contact its V3 simple ad needs. */
export const mopedAd = (id: string, amount: number): VehicleAdInput => ({
  id,
  category: "moped",
  title: "Yamaha Aerox 2020",
  description: "Excellent condition Yamaha Aerox moped, well maintained",
  price: { list: { amount, currency: "SEK" } },
  location: { postalCode: "75320" },
  contact: { name: "Anna Andersson", phone: "070-000 00 00", email: "anna@dealer.example.com" },
  vehicle: {
    make: "Yamaha",
    model: "Aerox",
    modelYear: 2020,
    bodyType: "moped",
    registrationNumber: "ABC123",
    mileage: { value: 5000, unit: "km" },
    fuels: ["petrol"],
    transmission: "automatic",
  },
});
