import { adaptersLayer, memoryStoreLayer, type VehicleAdInput } from "@adsync/core";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  type AllegroFake,
} from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer, type ManagedRuntime, Redacted } from "effect";
import {
  type AllegroConfig,
  type AllegroService,
  makeAllegro,
  makeAllegroAdapter,
} from "../src/index.ts";

export const testUserAgent = "adsync-allegro-tests/1.0 (+https://github.com/adsync/adsync)";

/** The adapter's configuration against a running fake (all three hosts on its origin). */
export const configFor = (
  fake: AllegroFake,
  extra: Partial<AllegroConfig> = {},
): AllegroConfig => ({
  baseUrls: { api: fake.url, upload: fake.url, auth: fake.url },
  clientId: ALLEGRO_SANDBOX_CLIENT_ID,
  clientSecret: Redacted.make(ALLEGRO_SANDBOX_CLIENT_SECRET),
  refreshToken: Redacted.make(ALLEGRO_SANDBOX_REFRESH_TOKEN),
  http: { retry: { baseDelay: "10 millis" } },
  userAgent: testUserAgent,
  ...extra,
});

export const layerFor = (fake: AllegroFake, extra: Partial<AllegroConfig> = {}) =>
  Layer.mergeAll(
    adaptersLayer(makeAllegroAdapter(configFor(fake, extra))).pipe(
      Layer.provide(NodeHttpClient.layerUndici),
    ),
    memoryStoreLayer,
  );

/** A car the fake's BMW X5 E53 leaf takes, as the guide's sample ("BMW X5 e53"). */
export const car = (id: string, variant = 0): VehicleAdInput => ({
  id,
  category: "car",
  description: "Zadbany samochód.\n\n- Pełna historia serwisowa\n- Drugi właściciel",
  price: { list: { amount: 3_300_000 - variant * 10_000, currency: "PLN" } },
  images: ["https://images.example.com/x5/front.jpg", "https://images.example.com/x5/back.jpg"],
  location: {
    city: "Poznań",
    postalCode: "60-166",
    country: "PL",
    regionCodes: { province: "WIELKOPOLSKIE" },
  },
  contact: { name: "Auta terenowe", email: "test@test.pl", phone: "555-555-666" },
  vehicle: {
    make: "BMW",
    model: "X5",
    modelYear: 2005,
    colour: "grey",
    mileage: { value: 150_000, unit: "km" },
    engineSizeCc: 3000,
    power: { value: 231, unit: "hp" },
    fuels: ["diesel"],
    doors: 5,
    transmission: "automatic",
    condition: "used",
  },
});

/** Runs the Allegro service against the fake in a scope of its own. */
export const withService = <A>(
  fake: AllegroFake,
  use: (service: AllegroService) => Effect.Effect<A, unknown>,
  extra: Partial<AllegroConfig> = {},
): Promise<A> =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeAllegro(configFor(fake, extra)), use)).pipe(
      Effect.provide(NodeHttpClient.layerUndici),
    ),
  );

export type Runtime = ManagedRuntime.ManagedRuntime<never, never>;
