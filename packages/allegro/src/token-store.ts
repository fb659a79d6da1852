import { type GrantStore, memoryGrantStore, type OAuthGrant } from "@adsync/core";

/** One OAuth grant (core's `OAuthGrant`): Allegro rotates the refresh token on every refresh. */
export type TokenPair = OAuthGrant;

/**
 * Where the seller's tokens live between requests and restarts: core's credentials port
 * (`GrantStore`). `save` must be atomic and durable before it succeeds: the refresh token it
 * replaces is no longer valid, so a pair that was used but not saved would lock the
 * integration out until the seller authorizes again. A DMS backs this with its own database;
 * `memoryTokenStore` (core's `memoryGrantStore`) is for tests and short runs.
 */
export type TokenStore = GrantStore;

/** A token store held in memory: one atomic reference. */
export const memoryTokenStore: (initial?: TokenPair) => TokenStore = memoryGrantStore;
