import {
  type Adapters,
  AdsyncError,
  adaptersLayer,
  CircuitBreakers,
  circuitBreakersLayer,
  HttpTransport,
  type MarketplaceAdapter,
  type MarketplaceServices,
  memoryStoreLayer,
  type ReferenceCacheOptions,
  referenceCacheLayer,
  referencePathsOf,
  SecretEnvironment,
  type Store,
  undiciTransport,
} from "@adsync/core";
import { sqliteKeyValueStoreLayer, sqliteStoreLayer } from "@adsync/store-sqlite";
import { type HttpClient, KeyValueStore } from "@effect/platform";
import { NodeHttpClient } from "@effect/platform-node";
import { Duration, Effect, Either, Layer, Option, ParseResult, Schema, type Scope } from "effect";
import { type BreakersSection, type LoadedConfig, storePath } from "./config.ts";
import { grantStore } from "./durable-tokens.ts";
import { defaultRegistry, marketplaceIds, type Registry } from "./registry.ts";

/** The marketplaces the config enables, in the registry's order. */
export const configuredMarketplaces = (
  loaded: LoadedConfig,
  registry: Registry = defaultRegistry,
): ReadonlyArray<string> =>
  marketplaceIds(registry).filter((id) => loaded.config.marketplaces[id] !== undefined);

/** The User-Agent the CLI's requests name, where a marketplace requires a descriptive one. */
export const cliUserAgent = "adsync-cli/0.1 (+https://github.com/adsync/adsync)";

/**
 * The circuit breakers of the config's `breakers` section (docs/cli.md), unless the caller
 * already provides its own (a test on a manual clock, a DMS sharing breakers between layers).
 * The one place the CLI switches breakers on.
 */
export const breakersLayer = (section: BreakersSection): Layer.Layer<CircuitBreakers> =>
  Layer.unwrapEffect(
    Effect.map(Effect.serviceOption(CircuitBreakers), (given) =>
      Option.isSome(given)
        ? Layer.succeed(CircuitBreakers, given.value)
        : circuitBreakersLayer({
            ...(section.failureThreshold === undefined
              ? {}
              : { failureThreshold: section.failureThreshold }),
            ...(section.authFailureThreshold === undefined
              ? {}
              : { authFailureThreshold: section.authFailureThreshold }),
            ...(section.openForSeconds === undefined
              ? {}
              : { openFor: Duration.seconds(section.openForSeconds) }),
            ...(section.maxOpenForSeconds === undefined
              ? {}
              : { maxOpenFor: Duration.seconds(section.maxOpenForSeconds) }),
          }),
    ),
  );

/** One marketplace's section decoded by its descriptor, secrets read from `environment`. */
const decodeSection = (
  schema: Schema.Schema.AnyNoContext,
  id: string,
  section: unknown,
  environment: NodeJS.ProcessEnv,
): Either.Either<unknown, string> => {
  const decoded = Schema.decodeUnknown(schema)(section).pipe(
    Effect.provideService(SecretEnvironment, environment),
    Effect.either,
    Effect.runSync,
  );
  return Either.mapLeft(decoded, (error) => {
    const messages = ParseResult.ArrayFormatter.formatErrorSync(error).map(
      (issue) => `marketplaces.${[id, ...issue.path].join(".")}: ${issue.message}`,
    );
    return messages.join("\n");
  });
};

/**
 * The layer of adapters and store the config describes, or why it cannot be built. Each
 * configured marketplace's adapter is built by its descriptor in `registry`; beside the
 * listings, the store file keeps (in a key-value table) the rotated OAuth tokens and the
 * reference data the adapters read, so the next run starts where this one ended. The circuit
 * breakers of the config's `breakers` section guard every adapter's requests.
 */
export const layerFromConfig = (
  loaded: LoadedConfig,
  environment: NodeJS.ProcessEnv,
  options: Omit<ReferenceCacheOptions, "paths"> = {},
  registry: Registry = defaultRegistry,
): Either.Either<Layer.Layer<Adapters | Store, AdsyncError, HttpClient.HttpClient>, string> => {
  const adapters: Array<
    Effect.Effect<
      MarketplaceAdapter,
      AdsyncError,
      HttpClient.HttpClient | KeyValueStore.KeyValueStore | Scope.Scope
    >
  > = [];
  for (const { descriptor } of registry) {
    const section = loaded.config.marketplaces[descriptor.id];
    if (section === undefined) continue;
    const config = decodeSection(descriptor.configSchema, descriptor.id, section, environment);
    if (Either.isLeft(config)) return Either.left(config.left);
    adapters.push(
      Effect.flatMap(KeyValueStore.KeyValueStore, (keyValues) => {
        const services: MarketplaceServices = {
          grants: (marketplace, grant) => grantStore(keyValues, marketplace, grant),
          userAgent: cliUserAgent,
        };
        return descriptor.make(config.right, services);
      }),
    );
  }
  // Without a config file nothing is published, so nothing is worth a database on disk.
  const path =
    loaded.file === undefined || loaded.config.store.type === "memory"
      ? undefined
      : storePath(loaded, loaded.config.store.path);
  const store = path === undefined ? memoryStoreLayer : sqliteStoreLayer({ path });
  const keyValues =
    path === undefined
      ? KeyValueStore.layerMemory
      : sqliteKeyValueStoreLayer({ path }).pipe(
          Layer.mapError(
            (error) =>
              new AdsyncError({ reason: "Store", operation: "open", message: error.message }),
          ),
        );
  // One key-value store for the tokens and the reference cache the adapters' HTTP reads first.
  const support = Layer.unwrapEffect(
    Effect.map(KeyValueStore.KeyValueStore, (cache) =>
      referenceCacheLayer(cache, {
        ...options,
        paths: referencePathsOf(registry.map((entry) => entry.descriptor)),
      }),
    ),
  ).pipe(Layer.provideMerge(keyValues));
  // Requests go straight to an undici dispatcher of their own (core's `HttpTransport`: one
  // Promise under one AbortSignal per attempt), the cheap path of docs/operations.md ("HTTP overhead").
  const transport = Layer.scoped(
    HttpTransport,
    Effect.map(NodeHttpClient.makeDispatcher, undiciTransport),
  );
  const layer = Layer.mergeAll(adaptersLayer(...adapters), store).pipe(
    Layer.provide(Layer.merge(support, transport)),
  );
  return Either.right(
    loaded.config.breakers.enabled
      ? layer.pipe(Layer.provide(breakersLayer(loaded.config.breakers)))
      : layer,
  );
};

/** `--to a,b`: each must be a marketplace of the registry, and configured. */
export const parseTargets = (
  value: string | undefined,
  configured: ReadonlyArray<string>,
  known: ReadonlyArray<string> = marketplaceIds(defaultRegistry),
): Either.Either<ReadonlyArray<string> | undefined, string> => {
  if (value === undefined) return Either.right(undefined);
  const targets = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const unknown = targets.filter((target) => !known.includes(target));
  if (unknown.length > 0)
    return Either.left(`Unknown marketplace: ${unknown.join(", ")}. Known: ${known.join(", ")}.`);
  const unconfigured = targets.filter((target) => !configured.includes(target));
  return unconfigured.length > 0
    ? Either.left(
        `Not configured: ${unconfigured.join(", ")}. Configured: ${configured.length > 0 ? configured.join(", ") : "none"}.`,
      )
    : Either.right(targets);
};
