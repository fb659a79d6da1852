import { makeAllegroAdapter } from "@adsync/allegro";
import { makeBlocketAdapter } from "@adsync/blocket";
import {
  type Adapters,
  AdsyncError,
  adaptersLayer,
  type MarketplaceAdapter,
  memoryStoreLayer,
  type Store,
} from "@adsync/core";
import { type MarktplaatsConfig, makeMarktplaatsAdapter } from "@adsync/marktplaats";
import { sqliteKeyValueStoreLayer, sqliteStoreLayer } from "@adsync/store-sqlite";
import { makeTraderaAdapter } from "@adsync/tradera";
import { type HttpClient, KeyValueStore } from "@effect/platform";
import { Effect, Either, Layer, Option, type Scope } from "effect";
import { type LoadedConfig, resolveSecret, storePath } from "./config.ts";
import { allegroTokenStore, marktplaatsTokens, tokenKey } from "./durable-tokens.ts";
import { type ReferenceCacheOptions, referenceCacheLayer } from "./reference-cache.ts";

/** Every marketplace the CLI knows, in the order they are listed. */
export const knownMarketplaces = [
  "blocket",
  "tradera",
  "marktplaats",
  "2dehands",
  "allegro",
] as const;

/** The marketplaces the config enables. */
export const configuredMarketplaces = (loaded: LoadedConfig): ReadonlyArray<string> =>
  knownMarketplaces.filter((id) => loaded.config.marketplaces[id] !== undefined);

/** An OAuth client's secret and refresh token, each possibly `env:NAME`. */
const oauthSecrets = (
  section: { readonly clientSecret: string; readonly refreshToken: string },
  environment: NodeJS.ProcessEnv,
) =>
  Either.all({
    clientSecret: resolveSecret(section.clientSecret, environment),
    refreshToken: resolveSecret(section.refreshToken, environment),
  });

/**
 * The layer of adapters and store the config describes, or why it cannot be built. Beside the
 * listings, the store file keeps (in a key-value table) the rotated OAuth tokens and the
 * reference data the adapters read, so the next run starts where this one ended.
 */
export const layerFromConfig = (
  loaded: LoadedConfig,
  environment: NodeJS.ProcessEnv,
  options: ReferenceCacheOptions = {},
): Either.Either<Layer.Layer<Adapters | Store, AdsyncError, HttpClient.HttpClient>, string> => {
  const adapters: Array<
    Effect.Effect<
      MarketplaceAdapter,
      AdsyncError,
      HttpClient.HttpClient | KeyValueStore.KeyValueStore | Scope.Scope
    >
  > = [];
  const blocket = loaded.config.marketplaces.blocket;
  if (blocket !== undefined) {
    const token = resolveSecret(blocket.token, environment);
    if (Either.isLeft(token)) return Either.left(token.left);
    adapters.push(
      makeBlocketAdapter({
        baseUrl: blocket.baseUrl,
        token: token.right,
        tokenScope: blocket.tokenScope,
        dealerCode: blocket.dealerCode,
        apiVersion: blocket.apiVersion,
        priceUnit: blocket.priceUnit,
      }),
    );
  }
  const tradera = loaded.config.marketplaces.tradera;
  if (tradera !== undefined) {
    const token = resolveSecret(tradera.token, environment);
    if (Either.isLeft(token)) return Either.left(token.left);
    adapters.push(
      makeTraderaAdapter({
        environment: tradera.environment,
        baseUrl: tradera.baseUrl,
        token: token.right,
        dealerCode: tradera.dealerCode,
      }),
    );
  }
  for (const site of ["marktplaats", "2dehands"] as const) {
    const section = loaded.config.marketplaces[site];
    if (section === undefined) continue;
    const secrets = oauthSecrets(section, environment);
    if (Either.isLeft(secrets)) return Either.left(secrets.left);
    type Auth = MarktplaatsConfig["auth"];
    const common = { priceUnit: section.priceUnit, seller: section.seller };
    let build: (auth: Auth) => ReturnType<typeof makeMarktplaatsAdapter>;
    if (site === "marktplaats") {
      const { baseUrl, tokenUrl } = section;
      build = (auth) => makeMarktplaatsAdapter({ ...common, auth, site, baseUrl, tokenUrl });
    } else if (section.baseUrl === undefined || section.tokenUrl === undefined) {
      return Either.left(
        "marketplaces.2dehands needs baseUrl and tokenUrl: 2dehands' hosts are not documented.",
      );
    } else {
      const { baseUrl, tokenUrl, locale } = section;
      build = (auth) =>
        makeMarktplaatsAdapter({ ...common, auth, site, baseUrl, tokenUrl, locale });
    }
    const key = tokenKey(site, {
      tokenUrl: section.tokenUrl ?? section.baseUrl ?? site,
      clientId: section.clientId,
      refreshToken: secrets.right.refreshToken,
    });
    adapters.push(
      Effect.gen(function* () {
        const tokens = yield* marktplaatsTokens(yield* KeyValueStore.KeyValueStore, site, key);
        const saved = Option.getOrUndefined(tokens.saved);
        return yield* build({
          clientId: section.clientId,
          clientSecret: secrets.right.clientSecret,
          // The last rotated grant wins over the one written in the config.
          refreshToken: saved?.refreshToken ?? secrets.right.refreshToken,
          accessToken: saved?.accessToken,
          accessTokenExpiresAt: saved?.expiresAt,
          onTokens: tokens.onTokens,
        });
      }),
    );
  }
  const allegro = loaded.config.marketplaces.allegro;
  if (allegro !== undefined) {
    const secrets = oauthSecrets(allegro, environment);
    if (Either.isLeft(secrets)) return Either.left(secrets.left);
    const key = tokenKey("allegro", {
      tokenUrl: allegro.baseUrl ?? allegro.environment ?? "production",
      clientId: allegro.clientId,
      refreshToken: secrets.right.refreshToken,
    });
    adapters.push(
      Effect.flatMap(KeyValueStore.KeyValueStore, (keyValues) =>
        makeAllegroAdapter({
          environment: allegro.environment,
          baseUrls:
            allegro.baseUrl === undefined
              ? undefined
              : { api: allegro.baseUrl, upload: allegro.baseUrl, auth: allegro.baseUrl },
          clientId: allegro.clientId,
          ...secrets.right,
          tokenStore: allegroTokenStore(keyValues, key),
          invoice: allegro.invoice,
          defaultLocation: allegro.defaultLocation,
          maxFee: allegro.maxFee,
          userAgent: allegro.userAgent ?? "adsync-cli/0.1 (+https://github.com/adsync/adsync)",
          offerApi: allegro.offerApi,
          rootCategories: allegro.rootCategories,
        }),
      ),
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
    Effect.map(KeyValueStore.KeyValueStore, (cache) => referenceCacheLayer(cache, options)),
  ).pipe(Layer.provideMerge(keyValues));
  return Either.right(
    Layer.mergeAll(adaptersLayer(...adapters), store).pipe(Layer.provide(support)),
  );
};

/** `--to a,b` checked against the configured marketplaces. */
export const parseTargets = (
  value: string | undefined,
  configured: ReadonlyArray<string>,
): Either.Either<ReadonlyArray<string> | undefined, string> => {
  if (value === undefined) return Either.right(undefined);
  const targets = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const unknown = targets.filter((target) => !configured.includes(target));
  return unknown.length > 0
    ? Either.left(
        `Not configured: ${unknown.join(", ")}. Configured: ${configured.length > 0 ? configured.join(", ") : "none"}.`,
      )
    : Either.right(targets);
};
