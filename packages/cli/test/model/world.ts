/**
 * The world of the model-based test, its script (scripts/model-runs.ts) and the observation
 * benchmark (bench/observe.ts): the four fake marketplaces on a manual clock, and a publisher
 * "process" over all four adapters and a SQLite file. HTTP timeouts and retry delays are short,
 * so a fault costs milliseconds; the fakes' processing only moves when the world advances it.
 */
import { makeAllegroAdapter, memoryTokenStore, type TokenStore } from "@adsync/allegro";
import { makeBlocketAdapter } from "@adsync/blocket";
import {
  Adapters,
  adaptersLayer,
  type MarketplaceAdapter,
  type MarketplaceHttpOptions,
  makePublisherWith,
  type PublisherService,
  Store,
  type StoreService,
  type VehicleAdInput,
} from "@adsync/core";
import { makeMarktplaatsAdapter } from "@adsync/marktplaats";
import {
  BLOCKET_SANDBOX_DEALER_CODES,
  BLOCKET_SANDBOX_TOKEN,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
  TRADERA_SANDBOX_DEALER_CODES,
  TRADERA_SANDBOX_TOKEN,
} from "@adsync/sandbox";
import { makeSqliteStore } from "@adsync/store-sqlite";
import { makeTraderaAdapter } from "@adsync/tradera";
import { NodeHttpClient } from "@effect/platform-node";
import { Context, Effect, Layer, Redacted, type Scope } from "effect";
import { allegroSandboxConfig, marktplaatsSandboxConfig } from "../sandbox-configs.ts";

/** The four marketplaces, in the order every report lists them. */
export const marketplaces = ["blocket", "tradera", "marktplaats", "allegro"] as const;
export type MarketplaceId = (typeof marketplaces)[number];

/**
 * The client timeout of every request. A fake holds a `slow` answer on its manual clock, so a
 * slow answer always outlasts it; a normal answer on loopback takes a few milliseconds, so even
 * a loaded machine stays far below it (and a timeout there is an unknown outcome the model
 * tolerates, as it tolerates every injected fault).
 */
export const clientTimeoutMs = 1_000;

/** Short, bounded retries: a 429's Retry-After ("1" second) is capped to a few milliseconds. */
export const testHttp: Pick<MarketplaceHttpOptions, "timeout" | "retry"> = {
  timeout: `${clientTimeoutMs} millis`,
  retry: {
    maxRetries: 2,
    baseDelay: "2 millis",
    maxDelay: "10 millis",
    maxRetryAfter: "5 millis",
  },
};

/** The sandbox every world runs on: manual clocks, so nothing moves unless advanced. */
export const startWorld = (options: SandboxOptions = {}): Promise<Sandbox> =>
  startSandbox({ clock: "manual", ...options });

/**
 * The seller's Allegro grant, one per sandbox: Allegro rotates the refresh token on every use,
 * so every process on a sandbox must find the latest one (the CLI keeps it in its store file).
 */
const allegroGrants = new WeakMap<Sandbox, TokenStore>();
const allegroGrantOf = (sandbox: Sandbox): TokenStore => {
  const known = allegroGrants.get(sandbox);
  if (known !== undefined) return known;
  const store = memoryTokenStore();
  allegroGrants.set(sandbox, store);
  return store;
};

/** The four adapters against the sandbox, each with `http` (default: the test's settings). */
export const sandboxAdapters = (
  sandbox: Sandbox,
  http: Pick<MarketplaceHttpOptions, "timeout" | "retry" | "rateLimit"> = testHttp,
) =>
  adaptersLayer(
    makeBlocketAdapter({
      baseUrl: sandbox.urls.blocket,
      token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
      tokenScope: "dealer_group",
      dealerCode: BLOCKET_SANDBOX_DEALER_CODES[0] ?? "DEALER1",
      apiVersion: "v4",
      http,
    }),
    makeTraderaAdapter({
      baseUrl: sandbox.urls.tradera,
      token: Redacted.make(TRADERA_SANDBOX_TOKEN),
      dealerCode: TRADERA_SANDBOX_DEALER_CODES[0] ?? "DEALER1",
      http,
    }),
    makeMarktplaatsAdapter({ ...marktplaatsSandboxConfig(sandbox), http }),
    makeAllegroAdapter({
      ...allegroSandboxConfig(sandbox),
      tokenStore: allegroGrantOf(sandbox),
      http,
    }),
  ).pipe(Layer.provide(NodeHttpClient.layerUndici));

/** One publisher "process": its own SQLite connection to `path`, adapters and publisher. */
export interface PublisherProcess {
  readonly publisher: PublisherService;
  readonly store: StoreService;
  readonly adapters: ReadonlyMap<string, MarketplaceAdapter>;
}

/**
 * Opens a process on the store file. Closing its scope is the crash: the next process opens
 * the same file with fresh adapters (no in-memory journal, cache or token survives).
 */
export const openProcess = (
  sandbox: Sandbox,
  path: string,
  owner: string,
): Effect.Effect<PublisherProcess, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* makeSqliteStore({ path });
    const context = yield* Layer.build(sandboxAdapters(sandbox));
    const adapters = Context.get(context, Adapters);
    const publisher = yield* makePublisherWith({ owner }).pipe(
      Effect.provideService(Adapters, adapters),
      Effect.provideService(Store, store),
    );
    return { publisher, store, adapters };
  });

/** The content of one version of an ad: what the model expects every marketplace to show. */
export interface Content {
  readonly title: string;
  /** Whole units of the marketplace's currency (SEK, EUR, PLN alike, for simplicity). */
  readonly price: number;
}

/** The content of version `version` of ad number `index`. */
export const contentOf = (index: number, version: number): Content => ({
  title: `Volvo XC90 D5 nr ${index} utgava ${version}`,
  price: 100_000 + index * 1_000 + version * 10,
});

/**
 * A licence plate per ad of a run (Marktplaats recognises a lost create by its plate, so no
 * two ads on one sandbox share one), six characters as a Dutch plate without dashes: "M",
 * the run in four digits, the ad's number.
 */
export const plateOf = (run: number, index: number): string =>
  `M${String(run % 10_000).padStart(4, "0")}${index % 10}`;

const imagesOf = (index: number) => [`https://images.example.com/model/${index}/front.jpg`];
const brokenImageOf = (index: number) => `https://images.example.com/model/${index}/broken.jpg`;

/** The ad id of ad number `index` of a run (`run` keeps runs on one sandbox apart). */
export const adIdOf = (run: number, index: number): string => `model-${run}-${index}`;

/**
 * A car every one of the four marketplaces takes, with `content` in every currency. With
 * `brokenImage`, Blocket and Tradera get a second image that fails to download: their
 * asynchronous `handle_media` step ends in an error, after the create was accepted.
 */
export const carAd = (
  run: number,
  index: number,
  content: Content,
  brokenImage = false,
): VehicleAdInput => ({
  id: adIdOf(run, index),
  category: "car",
  title: content.title,
  description:
    "Well maintained Volvo XC90 with full service history.\n\n- Heated seats\n- Navigation",
  price: { list: { amount: content.price * 100, currency: "SEK" } },
  images: imagesOf(index),
  location: { postalCode: "121 33", city: "Stockholm", country: "SE" },
  contact: {
    name: "Nordic Cars AB",
    phone: "+46 8 123 456 78",
    email: "sales@nordic-cars.example.com",
  },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    variant: "D5 AWD",
    modelYear: 2019,
    bodyType: "suv",
    colour: "black",
    registrationNumber: plateOf(run, index),
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
    power: { value: 235, unit: "hp" },
    equipment: ["navigation", "heated_seats", "tow_bar"],
    engineSizeCc: 1969,
    doors: 5,
    seats: 7,
  },
  marketplaces: {
    ...(brokenImage
      ? {
          blocket: { overrides: { images: [...imagesOf(index), brokenImageOf(index)] } },
          tradera: { overrides: { images: [...imagesOf(index), brokenImageOf(index)] } },
        }
      : {}),
    marktplaats: {
      overrides: {
        price: { list: { amount: content.price * 100, currency: "EUR" } },
        location: { postalCode: "1097DN", city: "Amsterdam", country: "NL" },
      },
    },
    allegro: {
      province: "MAZOWIECKIE",
      overrides: {
        price: { list: { amount: content.price * 100, currency: "PLN" } },
        location: {
          postalCode: "00-950",
          city: "Warszawa",
          country: "PL",
          regionCodes: { province: "MAZOWIECKIE" },
        },
      },
    },
  },
});
