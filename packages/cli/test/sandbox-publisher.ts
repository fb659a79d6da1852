/**
 * A publisher "process" for tests against the sandbox: its own SQLite connection, adapters and
 * publisher, as each process of a DMS has (Marktplaats and Allegro).
 */
import { makeAllegroAdapter } from "@adsync/allegro";
import {
  Adapters,
  adaptersLayer,
  makePublisher,
  type PublisherService,
  Store,
  type StoreService,
  type VehicleAdInput,
} from "@adsync/core";
import { type MarktplaatsConfig, makeMarktplaatsAdapter } from "@adsync/marktplaats";
import type { Sandbox } from "@adsync/sandbox";
import { makeSqliteStore } from "@adsync/store-sqlite";
import { NodeHttpClient } from "@effect/platform-node";
import { Context, Effect, Layer, type Scope } from "effect";
import { allegroSandboxConfig, marktplaatsSandboxConfig } from "./sandbox-configs.ts";

/** One "process": its own store connection to the file, its own adapters and publisher. */
export const processOn = (
  sandbox: Sandbox,
  path: string,
  marktplaatsHttp?: MarktplaatsConfig["http"],
): Effect.Effect<{ publisher: PublisherService; store: StoreService }, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* makeSqliteStore({ path });
    const adapters = yield* Layer.build(
      adaptersLayer(
        makeMarktplaatsAdapter({
          ...marktplaatsSandboxConfig(sandbox),
          ...(marktplaatsHttp === undefined ? {} : { http: marktplaatsHttp }),
        }),
        makeAllegroAdapter(allegroSandboxConfig(sandbox)),
      ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    );
    const publisher = yield* makePublisher.pipe(
      Effect.provideService(Adapters, Context.get(adapters, Adapters)),
      Effect.provideService(Store, store),
    );
    return { publisher, store };
  });

/** A car both marketplaces take; `price` tells the two processes' content apart. */
export const car = (id: string, price: number): VehicleAdInput => ({
  id,
  category: "car",
  description: "Zadbany samochód.\n\n- Pełna historia serwisowa",
  price: { list: { amount: price, currency: "PLN" } },
  images: ["https://images.example.com/x5/front.jpg"],
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
    registrationNumber: `XX${id.slice(-4).padStart(4, "0")}`,
    mileage: { value: 150_000, unit: "km" },
    engineSizeCc: 3000,
    power: { value: 231, unit: "hp" },
    fuels: ["diesel"],
    doors: 5,
    transmission: "automatic",
    condition: "used",
  },
  marketplaces: {
    marktplaats: {
      overrides: {
        price: { list: { amount: price, currency: "EUR" } },
        location: { postalCode: "1097 DN", country: "NL" },
      },
    },
  },
});

/** The asking price wherever the wire keeps it (Marktplaats' priceModel, Allegro's sellingMode). */
export const priceIn = (value: unknown): string | undefined => {
  const found = JSON.stringify(value ?? null).match(/"(?:askingPrice|amount)":"?([0-9.]+)"?/);
  return found?.[1];
};
