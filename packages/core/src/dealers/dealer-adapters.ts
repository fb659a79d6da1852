import type { HttpClient } from "@effect/platform";
import {
  Context,
  Data,
  Duration,
  Effect,
  Layer,
  Option,
  ParseResult,
  RateLimiter,
  Schema,
  type Scope,
} from "effect";
import { type Adapters, adaptersLayer, type MarketplaceAdapter } from "../adapter/adapter.ts";
import type { MarketplaceDescriptor, MarketplaceServices } from "../adapter/descriptor.ts";
import { AdsyncError } from "../errors.ts";
import { HttpTenant } from "../http/marketplace-http.ts";
import { serviceRunner } from "../publisher/promise-service.ts";
import { DealerCredentials } from "./credentials.ts";
import { makeGenerations } from "./generations.ts";

/** At most `limit` requests per `interval`. */
export interface RateLimit {
  readonly limit: number;
  readonly interval: Duration.DurationInput;
}

/**
 * The limits marketplaces document per application (one client id, every dealer together):
 * Allegro's 9,000 requests a minute per client id: "for our whole app … even if we
 * would have hundreds of clients?" "Yes, indeed." (allegro-api #8258; also #13034, and #12700
 * as issue #13 cites it). Blocket, Tradera and
 * Marktplaats document none; their per-dealer limits stay each adapter's own `rateLimit`.
 */
export const documentedApplicationLimits: Readonly<Record<string, RateLimit>> = {
  allegro: { limit: 9000, interval: "1 minute" },
};

export interface DealerAdaptersOptions {
  /** The marketplaces offered (the CLI's registry's descriptors). */
  readonly marketplaces: ReadonlyArray<MarketplaceDescriptor>;
  /** How long an adapter nobody uses stays built before its scope is closed. Default 5 minutes. */
  readonly idleTimeToLive?: Duration.DurationInput | undefined;
  /**
   * The application's limit per marketplace, shared by every dealer's requests to it (after
   * each dealer's own). Default `documentedApplicationLimits`; `{}` for none.
   */
  readonly applicationLimits?: Readonly<Record<string, RateLimit>> | undefined;
  /** `App/version (+url)`, for marketplaces that require a descriptive User-Agent. */
  readonly userAgent?: string | undefined;
  /**
   * Where the limiters live, when not in this process's memory: called once per marketplace
   * for the application's limit (`{ application: marketplace }`) and, for each client a
   * dealer's adapter builds with a `rateLimit` (the adapter's documented per-dealer limit or the
   * section's `http.rateLimit`), with `{ dealer, marketplace }`. Give one shared by every
   * process on one client id (store-sql's `sqlRateLimiters`: a table in the database every
   * worker shares) and the limits hold across them. Absent: in-memory token buckets (one per
   * client for the dealer's limit, one per marketplace for the application's), as before.
   */
  readonly limiters?: Limiters | undefined;
}

/** Whose limit a limiter holds: one dealer's on a marketplace, or the application's on it. */
export type LimiterKey =
  | { readonly dealer: string; readonly marketplace: string }
  | { readonly application: string };

/** Makes the limiter of `key` for `limit` (in the scope of whoever uses it). */
export type Limiters = (
  key: LimiterKey,
  limit: RateLimit,
) => Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope>;

/** Which dealer's adapter of which marketplace: the cache key. */
export interface DealerMarketplace {
  readonly dealer: string;
  readonly marketplace: string;
}

/**
 * Adapters built per dealer from the marketplace descriptors, with that dealer's credentials
 * (`DealerCredentials`), kept while used and closed once idle.
 */
export interface DealerAdaptersService {
  /**
   * The dealer's adapter, held until the caller's scope closes; built on first use, then
   * shared by every holder. Once no scope holds it, it is closed after the idle time unless
   * used again. Fails `Configuration` when the dealer has no (or an undecodable) section.
   */
  readonly adapterFor: (
    dealer: string,
    marketplace: string,
  ) => Effect.Effect<MarketplaceAdapter, AdsyncError, Scope.Scope>;
  /** Runs `use` with the dealer's adapter held. */
  readonly withAdapter: <A, E, R>(
    dealer: string,
    marketplace: string,
    use: (adapter: MarketplaceAdapter) => Effect.Effect<A, E, R>,
  ) => Effect.Effect<A, E | AdsyncError, Exclude<R, Scope.Scope>>;
  /**
   * Drops the dealer's adapter: its next use is built from the credentials as they are then
   * (after a dealer reconnected). An adapter in use is not closed under its holders: it closes
   * when the last of them lets go (`generations.ts`).
   */
  readonly invalidate: (dealer: string, marketplace: string) => Effect.Effect<void>;
  /** The (dealer, marketplace) pairs with an adapter built now. */
  readonly built: Effect.Effect<ReadonlyArray<DealerMarketplace>>;
}

export class DealerAdapters extends Context.Tag("@adsync/core/DealerAdapters")<
  DealerAdapters,
  DealerAdaptersService
>() {}

class Key extends Data.Class<DealerMarketplace> {}

const configurationError = (key: DealerMarketplace, message: string) =>
  new AdsyncError({
    reason: "Configuration",
    marketplace: key.marketplace,
    operation: "build adapter",
    message: `dealer ${key.dealer}, ${key.marketplace}: ${message}`,
  });

/** Every string in a section, longest first: what a decode message must not repeat. */
const stringsOf = (value: unknown, found: Array<string> = []): Array<string> => {
  if (typeof value === "string") found.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, found);
  else if (typeof value === "object" && value !== null)
    for (const item of Object.values(value)) stringsOf(item, found);
  return found.sort((a, b) => b.length - a.length);
};

/**
 * Why a section does not decode, by path, with the section's strings replaced by `<redacted>`:
 * the section's secrets never reach an error message or a log. A value is replaced where the
 * formatter quotes it (`actual "…"`), and also bare when it is long enough to be a secret;
 * `env:NAME` references are not secrets and stay.
 */
const decodeFailure = (section: unknown, error: ParseResult.ParseError): string => {
  const strings = stringsOf(section).filter((text) => text.length > 0 && !text.startsWith("env:"));
  const redact = (text: string, secret: string) => {
    const quoted = text.split(JSON.stringify(secret)).join("<redacted>");
    return secret.length >= 8 ? quoted.split(secret).join("<redacted>") : quoted;
  };
  return ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => {
      const message = strings.reduce(redact, issue.message);
      return `${issue.path.length === 0 ? "section" : issue.path.join(".")}: ${message}`;
    })
    .join("; ");
};

/**
 * The dealer adapters service. Adapters are cached in an `RcMap` keyed by (dealer,
 * marketplace); each is built by its descriptor with the dealer's decoded section, the dealer's
 * grant stores, and an `HttpTenant` naming the dealer (so circuit breakers are per dealer) and
 * holding the marketplace's application limiter, shared by every dealer. What the adapters need
 * beyond (an `HttpTransport`, `CircuitBreakers`, a `SecretEnvironment` for `env:` secrets) is
 * taken from the context this is built in.
 */
export const makeDealerAdapters = (
  options: DealerAdaptersOptions,
): Effect.Effect<
  DealerAdaptersService,
  never,
  DealerCredentials | HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function* () {
    const credentials = yield* DealerCredentials;
    const descriptors = new Map(options.marketplaces.map((entry) => [entry.id, entry]));
    const limits = options.applicationLimits ?? documentedApplicationLimits;
    const limiters = options.limiters;
    const applicationLimiters = new Map<string, RateLimiter.RateLimiter>();
    for (const [marketplace, limit] of Object.entries(limits))
      if (descriptors.has(marketplace))
        applicationLimiters.set(
          marketplace,
          yield* options.limiters === undefined
            ? RateLimiter.make({ limit: limit.limit, interval: limit.interval })
            : options.limiters({ application: marketplace }, limit),
        );

    const build = (key: Key) =>
      Effect.gen(function* () {
        const descriptor = descriptors.get(key.marketplace);
        if (descriptor === undefined)
          return yield* configurationError(key, "no such marketplace is offered");
        const section = yield* credentials.sectionOf(key.dealer, key.marketplace);
        if (Option.isNone(section))
          return yield* configurationError(
            key,
            `the dealer has no ${descriptor.label} credentials (no ${key.marketplace} section)`,
          );
        const config = yield* Schema.decodeUnknown(descriptor.configSchema, {
          errors: "all",
          onExcessProperty: "error",
        })(section.value).pipe(
          Effect.mapError((error) =>
            configurationError(
              key,
              `the ${descriptor.label} section is invalid: ${decodeFailure(section.value, error)}`,
            ),
          ),
        );
        const services: MarketplaceServices = {
          grants: (marketplace, configured) =>
            credentials.grantStore(key.dealer, marketplace, configured),
          userAgent: options.userAgent,
        };
        return yield* descriptor.make(config, services).pipe(
          Effect.provideService(HttpTenant, {
            dealer: key.dealer,
            sharedLimit: applicationLimiters.get(key.marketplace),
            ownLimiter:
              limiters === undefined
                ? undefined
                : (limit) => limiters({ dealer: key.dealer, marketplace: key.marketplace }, limit),
          }),
        );
      });

    const adapters = yield* makeGenerations({
      lookup: (key: Key) =>
        build(key).pipe(Effect.annotateLogs({ dealer: key.dealer, marketplace: key.marketplace })),
      idleTimeToLive: options.idleTimeToLive ?? Duration.minutes(5),
    });

    // A failed build is not kept: the next use tries again (the dealer may have connected).
    const adapterFor = (dealer: string, marketplace: string) =>
      Effect.map(adapters.get(new Key({ dealer, marketplace })), (held) => held.value);

    return {
      adapterFor,
      withAdapter: (dealer, marketplace, use) =>
        Effect.scoped(Effect.flatMap(adapterFor(dealer, marketplace), use)),
      invalidate: (dealer, marketplace) => adapters.invalidate(new Key({ dealer, marketplace })),
      built: Effect.map(adapters.keys, (keys) =>
        keys.map(({ dealer, marketplace }) => ({ dealer, marketplace })),
      ),
    } satisfies DealerAdaptersService;
  });

/** The service as a layer, over the credentials port and an HTTP client. */
export const dealerAdaptersLayer = (
  options: DealerAdaptersOptions,
): Layer.Layer<DealerAdapters, never, DealerCredentials | HttpClient.HttpClient> =>
  Layer.scoped(DealerAdapters, makeDealerAdapters(options));

/**
 * One dealer's adapters as core's `Adapters` (what the publisher takes today): each held for
 * as long as the layer lives, then left to close when idle. For a publisher per dealer until
 * the publisher takes a dealer itself (docs/dealers.md, "What comes next").
 */
export const dealerAdaptersLayerFor = (
  dealer: string,
  marketplaces: ReadonlyArray<string>,
): Layer.Layer<Adapters, AdsyncError, DealerAdapters> =>
  adaptersLayer(
    ...marketplaces.map((marketplace) =>
      Effect.flatMap(DealerAdapters, (dealers) => dealers.adapterFor(dealer, marketplace)),
    ),
  );

/** The dealer adapters as Promises, for DMS code that does not use Effect. */
export interface DealerAdaptersClient {
  /** Runs `use` with the dealer's adapter held (its Effects run by the caller, e.g. a test). */
  readonly withAdapter: <A>(
    dealer: string,
    marketplace: string,
    use: (adapter: MarketplaceAdapter) => Effect.Effect<A, AdsyncError>,
  ) => Promise<A>;
  readonly invalidate: (dealer: string, marketplace: string) => Promise<void>;
  readonly built: () => Promise<ReadonlyArray<DealerMarketplace>>;
  /** Closes every adapter built. */
  readonly close: () => Promise<void>;
}

/**
 * The Promise facade: `layer` provides the credentials port (and anything the adapters read,
 * e.g. an `HttpTransport`); the HTTP client is the platform's `fetch` unless it brings one.
 */
export const createDealerAdapters = (
  options: DealerAdaptersOptions,
  layer: Layer.Layer<DealerCredentials, AdsyncError, HttpClient.HttpClient>,
): DealerAdaptersClient => {
  const runner = serviceRunner(
    DealerAdapters,
    dealerAdaptersLayer(options).pipe(Layer.provideMerge(layer)),
  );
  return {
    withAdapter: (dealer, marketplace, use) =>
      runner.use((service) => service.withAdapter(dealer, marketplace, use)),
    invalidate: (dealer, marketplace) =>
      runner.use((service) => service.invalidate(dealer, marketplace)),
    built: () => runner.use((service) => service.built),
    close: runner.close,
  };
};
