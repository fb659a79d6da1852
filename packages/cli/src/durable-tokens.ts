import { createHash } from "node:crypto";
import { AdsyncError, type ConfiguredGrant, type GrantStore } from "@adsync/core";
import type { KeyValueStore } from "@effect/platform";
import { Effect, Redacted, Schema } from "effect";

/**
 * An OAuth grant as it is kept between runs (core's `OAuthGrant`: Allegro's `TokenPair` and
 * Marktplaats' `OAuthTokens` have this one shape). The secrets are written in clear to the store the
 * listings live in: that file is the integration's credential store, protect it as such.
 */
const StoredTokens = Schema.parseJson(
  Schema.Struct({
    accessToken: Schema.Redacted(Schema.String),
    refreshToken: Schema.Redacted(Schema.String),
    expiresAt: Schema.Number,
  }),
);
type StoredTokens = typeof StoredTokens.Type;

/**
 * Where one seller's grant is kept. The key names the marketplace and hashes the token host,
 * the client and the refresh token written in the config: a dealer who authorizes again and
 * puts the new refresh token in the config starts from it instead of a stale rotated one, and
 * a sandbox on another port (which knows none of the old tokens) does too.
 */
export const tokenKey = (marketplace: string, grant: ConfiguredGrant): string =>
  `oauth:${marketplace}:${createHash("sha256")
    .update(`${grant.tokenUrl}\n${grant.clientId}\n${Redacted.value(grant.refreshToken)}`)
    .digest("hex")
    .slice(0, 24)}`;

const storeFailure = (marketplace: string, operation: string) => (error: { message: string }) =>
  new AdsyncError({
    reason: "Store",
    marketplace,
    operation,
    message: `${marketplace}: cannot ${operation} the OAuth tokens: ${error.message}`,
  });

const tokensOf = (store: KeyValueStore.KeyValueStore) => store.forSchema(StoredTokens);

const load = (store: KeyValueStore.KeyValueStore, marketplace: string, key: string) =>
  tokensOf(store)
    .get(key)
    .pipe(Effect.mapError(storeFailure(marketplace, "read")));

/**
 * `set` of the SQLite `KeyValueStore` is one synchronous committed write: when `save`
 * succeeds the rotated refresh token is on disk, and only then do the adapters use the new
 * access token (Allegro's token manager and Marktplaats' `onTokens` both save first).
 */
const save = (
  store: KeyValueStore.KeyValueStore,
  marketplace: string,
  key: string,
  tokens: StoredTokens,
) =>
  tokensOf(store)
    .set(key, tokens)
    .pipe(Effect.mapError(storeFailure(marketplace, "save")));

/**
 * The grant store of one seller (`MarketplaceServices.grants`): Allegro's token manager and
 * Marktplaats' `onTokens` both save a rotated grant here before they use its access token.
 */
export const grantStore = (
  store: KeyValueStore.KeyValueStore,
  marketplace: string,
  grant: ConfiguredGrant,
): GrantStore => {
  const key = tokenKey(marketplace, grant);
  return {
    load: load(store, marketplace, key),
    save: (tokens) => save(store, marketplace, key, tokens),
  };
};
