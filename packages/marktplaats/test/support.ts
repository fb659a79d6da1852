import type { VehicleAdInput } from "@adsync/core";
import { MARKTPLAATS_SANDBOX_CLIENT, type MarktplaatsFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Redacted, type Scope } from "effect";
import { type MarktplaatsService, makeMarktplaats } from "../src/adapter.ts";
import type { MarktplaatsConfig } from "../src/config.ts";

/** A plate per ad id (6 characters), so that no two test ads look like the same car. */
export const plateFor = (id: string): string => {
  let hash = 0;
  for (const character of id) hash = (hash * 31 + character.charCodeAt(0)) % 1_000_000;
  return `XX${String(hash % 10_000).padStart(4, "0")}`;
};

export const carAd = (id: string, variant = 0): VehicleAdInput => ({
  id,
  category: "car",
  description:
    "Nette Golf, dealer onderhouden.\n\n- Trekhaak\n- Navigatie\n\nZie https://dealer.example.nl/golf",
  price: { list: { amount: 1_899_500 - variant * 10_000, currency: "EUR" } },
  images: ["https://images.example.nl/golf/1.jpg"],
  location: { postalCode: "1097 DN" },
  contact: { name: "Autobedrijf De Vries", phone: "020-4167248" },
  vehicle: {
    make: "VW",
    model: "Golf",
    modelYear: 2019,
    registrationNumber: plateFor(id),
    mileage: { value: 84_000, unit: "km" },
    fuels: ["petrol"],
    transmission: "manual",
    equipment: ["tow_bar", "navigation"],
  },
});

export const configFor = (
  fake: MarktplaatsFake,
  extra: Partial<MarktplaatsConfig> = {},
): MarktplaatsConfig => ({
  baseUrl: fake.url,
  tokenUrl: fake.tokenUrl,
  auth: {
    clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
    clientSecret: Redacted.make(MARKTPLAATS_SANDBOX_CLIENT.clientSecret),
    refreshToken: Redacted.make(MARKTPLAATS_SANDBOX_CLIENT.refreshToken),
  },
  http: { retry: { baseDelay: "10 millis", maxRetries: 2 } },
  ...extra,
});

/** Runs an effect needing the Marktplaats service against the fake, with the undici client. */
export const withService = <A, E>(
  config: MarktplaatsConfig,
  body: (service: MarktplaatsService) => Effect.Effect<A, E, Scope.Scope>,
): Promise<A> =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeMarktplaats(config), body)).pipe(
      Effect.provide(NodeHttpClient.layerUndici),
    ),
  );
