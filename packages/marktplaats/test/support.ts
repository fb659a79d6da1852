import { contractHarness, writesOn } from "@adsync/conformance";
import {
  type AdsyncClient,
  adaptersLayer,
  createAdsync,
  memoryStoreLayer,
  type VehicleAdInput,
} from "@adsync/core";
import {
  MARKTPLAATS_SANDBOX_CLIENT,
  type MarktplaatsFake,
  type MarktplaatsFakeOptions,
  startMarktplaatsFake,
} from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer, Redacted, type Scope } from "effect";
import { beforeAll, expect } from "vitest";
import {
  type MarktplaatsService,
  makeMarktplaats,
  makeMarktplaatsAdapter,
} from "../src/adapter.ts";
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

/** A publisher over the Marktplaats adapter (undici) and a memory store. */
export const clientFor = (config: MarktplaatsConfig) =>
  createAdsync(
    Layer.mergeAll(
      adaptersLayer(makeMarktplaatsAdapter(config)).pipe(Layer.provide(NodeHttpClient.layerUndici)),
      memoryStoreLayer,
    ),
  );

/** The advertisement the fake holds, as a plain record ({} when it has none). */
export const storedOn = (fake: MarktplaatsFake, itemId: string): Record<string, unknown> => {
  const value = fake.advertisement(itemId);
  return typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value))
    : {};
};

/**
 * One fake and one publisher over it for a whole test file: started before all tests (handed
 * to `use`), faults and recorded requests cleared after each, both closed after all.
 */
export const useSharedFake = (
  options: MarktplaatsFakeOptions,
  use: (fake: MarktplaatsFake, client: AdsyncClient) => void,
): void => {
  const harness = contractHarness({
    start: async () => {
      const fake = await startMarktplaatsFake(options);
      return { fake, client: clientFor(configFor(fake)) };
    },
    recorded: ({ fake }) => fake,
    close: async ({ fake, client }) => {
      await client.close();
      await fake.close();
    },
  });
  beforeAll(() => use(harness.started.fake, harness.started.client));
};

/** The remote id adsync holds for an ad on its one marketplace ("" when none). */
export const itemIdOn = async (client: AdsyncClient, adId: string) =>
  (await client.status(adId))[0]?.ref?.remoteId ?? "";

/** Publishes to Marktplaats and expects it accepted (or unchanged) without issues. */
export const publishOn = async (client: AdsyncClient, ad: VehicleAdInput) => {
  const result = await client.publish(ad, { to: ["marktplaats"] });
  const outcome = result.outcomes[0];
  expect([outcome?.result, outcome?.issues]).toEqual([
    expect.stringMatching(/accepted|unchanged/),
    [],
  ]);
  return outcome;
};

/**
 * A test file's shared fake and publisher (`useSharedFake`) with the helpers every such file
 * names the same: fresh ad ids, the writes and the stored advertisement on the fake, the item
 * id adsync holds, and a publish expected to pass. Each takes another fake or client.
 */
export const sharedFakeFile = (
  prefix: string,
  options: MarktplaatsFakeOptions,
  use: (fake: MarktplaatsFake, client: AdsyncClient) => void,
) => {
  let shared: { fake: MarktplaatsFake; client: AdsyncClient } | undefined;
  useSharedFake(options, (fake, client) => {
    shared = { fake, client };
    use(fake, client);
  });
  const fakeOf = (target?: MarktplaatsFake) => {
    const fake = target ?? shared?.fake;
    if (fake === undefined) throw new Error("the shared fake has not started");
    return fake;
  };
  const clientOf = (on?: AdsyncClient) => {
    const client = on ?? shared?.client;
    if (client === undefined) throw new Error("the shared publisher has not started");
    return client;
  };
  let sequence = 0;
  return {
    nextId: () => `${prefix}-${++sequence}`,
    writes: (target?: MarktplaatsFake) => writesOn(fakeOf(target)),
    stored: (itemId: string, target?: MarktplaatsFake) => storedOn(fakeOf(target), itemId),
    itemIdOf: (adId: string, on?: AdsyncClient) => itemIdOn(clientOf(on), adId),
    publish: (ad: VehicleAdInput, on?: AdsyncClient) => publishOn(clientOf(on), ad),
  };
};
