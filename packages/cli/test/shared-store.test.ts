/**
 * Two processes on one SQLite file, as a DMS with two workers runs adsync: each has its own
 * publisher, adapters and connection to the file (so no lock in memory is shared), and both
 * publish the same ads at once with different content. Marktplaats and Allegro have no
 * server-side guard against a second create, so only the claim in the store keeps one listing
 * per ad. Runs against the sandbox on 127.0.0.1.
 */
import { join } from "node:path";
import { makeAllegroAdapter } from "@adsync/allegro";
import {
  Adapters,
  adaptersLayer,
  type ListingOutcome,
  makePublisher,
  type PublisherService,
  Store,
  type StoreService,
  type VehicleAdInput,
} from "@adsync/core";
import { makeMarktplaatsAdapter } from "@adsync/marktplaats";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  MARKTPLAATS_SANDBOX_CLIENT,
  type Sandbox,
  startSandbox,
} from "@adsync/sandbox";
import { makeSqliteStore } from "@adsync/store-sqlite";
import { NodeHttpClient } from "@effect/platform-node";
import { Context, Effect, Layer, Option, Redacted, type Scope } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTemporaryDirectories, temporaryDirectory } from "./cli-support.ts";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ allegro: { taskDelayMs: 10 } });
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

/** One "process": its own store connection to the file, its own adapters and publisher. */
const processOn = (
  path: string,
): Effect.Effect<{ publisher: PublisherService; store: StoreService }, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* makeSqliteStore({ path });
    const adapters = yield* Layer.build(
      adaptersLayer(
        makeMarktplaatsAdapter({
          baseUrl: sandbox.marktplaats.url,
          tokenUrl: sandbox.marktplaats.tokenUrl,
          auth: {
            clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
            clientSecret: Redacted.make(MARKTPLAATS_SANDBOX_CLIENT.clientSecret),
            refreshToken: Redacted.make(MARKTPLAATS_SANDBOX_CLIENT.refreshToken),
          },
        }),
        makeAllegroAdapter({
          baseUrls: {
            api: sandbox.allegro.url,
            upload: sandbox.allegro.url,
            auth: sandbox.allegro.url,
          },
          clientId: ALLEGRO_SANDBOX_CLIENT_ID,
          clientSecret: Redacted.make(ALLEGRO_SANDBOX_CLIENT_SECRET),
          refreshToken: Redacted.make(ALLEGRO_SANDBOX_REFRESH_TOKEN),
        }),
      ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    );
    const publisher = yield* makePublisher.pipe(
      Effect.provideService(Adapters, Context.get(adapters, Adapters)),
      Effect.provideService(Store, store),
    );
    return { publisher, store };
  });

/** A car both marketplaces take; `price` tells the two processes' content apart. */
const car = (id: string, price: number): VehicleAdInput => ({
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

const isConflict = (outcome: ListingOutcome | undefined) => outcome?.reason === "Conflict";

describe("two processes publishing the same ads on one SQLite file", () => {
  it("leave exactly one listing per ad on Marktplaats and Allegro, holding what the store says", async () => {
    const path = join(temporaryDirectory(), "adsync.db");
    const ids = ["shared-1001", "shared-1002", "shared-1003", "shared-1004"];
    const before = {
      marktplaats: sandbox.marktplaats.adCount(),
      allegro: sandbox.allegro.offerCount(),
    };
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const first = yield* processOn(path);
          const second = yield* processOn(path);
          const prices = { first: 1_000_000, second: 2_000_000 };
          // Both at once, every ad: each loads the listing absent, then warms up over HTTP.
          const results = yield* Effect.all(
            ids.flatMap((id) => [
              first.publisher.publish(car(id, prices.first)),
              second.publisher.publish(car(id, prices.second)),
            ]),
            { concurrency: "unbounded" },
          );
          const outcomes = results.flatMap((result) => result.outcomes);
          // A process that lost the claim was told so, and retryably.
          for (const outcome of outcomes.filter(isConflict)) expect(outcome.retryable).toBe(true);
          expect(outcomes.filter((outcome) => outcome.result === "invalid")).toEqual([]);

          // Each process settles and publishes its content again until nothing is refused.
          for (const [process, price] of [
            [first, prices.first],
            [second, prices.second],
          ] as const) {
            for (const id of ids) {
              for (let round = 0; round < 40; round += 1) {
                yield* process.publisher.awaitSettled(id, {
                  interval: "50 millis",
                  timeout: "10 seconds",
                });
                const again = yield* process.publisher.publish(car(id, price));
                if (!again.outcomes.some(isConflict)) break;
              }
            }
          }
          for (const id of ids) yield* second.publisher.awaitSettled(id, { interval: "50 millis" });

          // One advertisement and one offer per ad, whatever the interleaving was.
          expect(sandbox.marktplaats.adCount() - before.marktplaats).toBe(ids.length);
          expect(sandbox.allegro.offerCount() - before.allegro).toBe(ids.length);
          for (const id of ids) {
            const marktplaats = Option.getOrUndefined(yield* first.store.get(id, "marktplaats"));
            const allegro = Option.getOrUndefined(yield* first.store.get(id, "allegro"));
            const advertisement = sandbox.marktplaats.advertisement(
              marktplaats?.ref?.remoteId ?? "",
            );
            const offer = sandbox.allegro.offer(allegro?.ref?.remoteId ?? "");
            // The second process published last: its price is in the store and on both sites.
            expect(priceIn(advertisement)).toBeDefined();
            expect(priceIn(offer)).toBeDefined();
            expect(priceIn(advertisement)).toBe(priceIn(marktplaats?.payload));
            expect(priceIn(offer)).toBe(priceIn(allegro?.payload));
            expect(marktplaats?.lease).toBeUndefined();
          }
        }),
      ),
    );
  }, 120_000);
});

/** The asking price wherever the wire format keeps it (Marktplaats' priceModel, Allegro's sellingMode). */
const priceIn = (value: unknown): string | undefined => {
  const found = JSON.stringify(value ?? null).match(/"(?:askingPrice|amount)":"?([0-9.]+)"?/);
  return found?.[1];
};
