import { makeAllegroAdapter } from "@adsync/allegro";
import { makeBlocketAdapter } from "@adsync/blocket";
import {
  type Adapters,
  type AdsyncError,
  adaptersLayer,
  memoryStoreLayer,
  type Store,
} from "@adsync/core";
import { makeMarktplaatsAdapter } from "@adsync/marktplaats";
import { sqliteStoreLayer } from "@adsync/store-sqlite";
import { makeTraderaAdapter } from "@adsync/tradera";
import type { HttpClient } from "@effect/platform";
import { Either, Layer } from "effect";
import { type LoadedConfig, resolveSecret, storePath } from "./config.ts";

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

/** The layer of adapters and store the config describes, or why it cannot be built. */
export const layerFromConfig = (
  loaded: LoadedConfig,
  environment: NodeJS.ProcessEnv,
): Either.Either<Layer.Layer<Adapters | Store, AdsyncError, HttpClient.HttpClient>, string> => {
  const adapters = [];
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
    const common = {
      auth: { clientId: section.clientId, ...secrets.right },
      priceUnit: section.priceUnit,
      seller: section.seller,
    };
    if (site === "marktplaats") {
      adapters.push(
        makeMarktplaatsAdapter({
          ...common,
          site,
          baseUrl: section.baseUrl,
          tokenUrl: section.tokenUrl,
        }),
      );
    } else if (section.baseUrl === undefined || section.tokenUrl === undefined) {
      return Either.left(
        "marketplaces.2dehands needs baseUrl and tokenUrl: 2dehands' hosts are not documented.",
      );
    } else {
      adapters.push(
        makeMarktplaatsAdapter({
          ...common,
          site,
          baseUrl: section.baseUrl,
          tokenUrl: section.tokenUrl,
          locale: section.locale,
        }),
      );
    }
  }
  const allegro = loaded.config.marketplaces.allegro;
  if (allegro !== undefined) {
    const secrets = oauthSecrets(allegro, environment);
    if (Either.isLeft(secrets)) return Either.left(secrets.left);
    adapters.push(
      makeAllegroAdapter({
        environment: allegro.environment,
        baseUrls:
          allegro.baseUrl === undefined
            ? undefined
            : { api: allegro.baseUrl, upload: allegro.baseUrl, auth: allegro.baseUrl },
        clientId: allegro.clientId,
        ...secrets.right,
        invoice: allegro.invoice,
        defaultLocation: allegro.defaultLocation,
        maxFee: allegro.maxFee,
      }),
    );
  }
  // Without a config file nothing is published, so nothing is worth a database on disk.
  const store =
    loaded.file === undefined || loaded.config.store.type === "memory"
      ? memoryStoreLayer
      : sqliteStoreLayer({ path: storePath(loaded, loaded.config.store.path) });
  return Either.right(Layer.mergeAll(adaptersLayer(...adapters), store));
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
