import type { AdsyncError } from "@adsync/core";
import { type Effect, Option, type Redacted, Ref } from "effect";

/** One OAuth grant: Allegro rotates the refresh token on every refresh. */
export interface TokenPair {
  readonly accessToken: Redacted.Redacted<string>;
  readonly refreshToken: Redacted.Redacted<string>;
  /** Epoch milliseconds after which the access token is no longer accepted. */
  readonly expiresAt: number;
}

/**
 * Where the seller's tokens live between requests and restarts. `save` must be atomic and
 * durable before it succeeds: the refresh token it replaces is no longer valid, so a pair that
 * was used but not saved would lock the integration out until the seller authorizes again.
 * A DMS backs this with its own database; `memoryTokenStore` is for tests and short runs.
 */
export interface TokenStore {
  readonly load: Effect.Effect<Option.Option<TokenPair>, AdsyncError>;
  readonly save: (pair: TokenPair) => Effect.Effect<void, AdsyncError>;
}

/** A token store held in memory: one atomic reference. */
export const memoryTokenStore = (initial?: TokenPair): TokenStore => {
  const reference = Ref.unsafeMake<Option.Option<TokenPair>>(Option.fromNullable(initial));
  return {
    load: Ref.get(reference),
    save: (pair) => Ref.set(reference, Option.some(pair)),
  };
};
