import type { AdsyncError } from "@adsync/core";
import { Data, type Effect, type Option, type Redacted } from "effect";
import type { ListingUrlPatterns } from "./grid.ts";

/** Where the console listens and who may use it. */
export interface ConsoleOptions {
  /** Default 4280; 0 picks a free port (the answer says which). */
  readonly port?: number | undefined;
  /**
   * Default 127.0.0.1. Any address that is not loopback needs `token`: the console can remove
   * listings, so it is never open to a network without a credential.
   */
  readonly host?: string | undefined;
  /**
   * The access token. With one, every request must carry it (once, as `?token=` on the page's
   * address, which trades it for a session cookie; or as `Authorization: Bearer`).
   */
  readonly token?: Redacted.Redacted<string> | undefined;
  /** Public listing page patterns per marketplace (see `ListingUrlPatterns`). */
  readonly urls?: ListingUrlPatterns | undefined;
  /**
   * The dealer's ads by id (e.g. from a stock file): lets the console show the ad's value
   * beside an issue and publish a failed create/update again. Without it those stay off.
   */
  readonly ads?: ((adId: string) => Effect.Effect<Option.Option<unknown>>) | undefined;
  /**
   * The dealer's stock, read each time the Plan tab asks (so an edited stock file shows at
   * once): `POST /api/plan` plans it on the publisher. Without it the plan view says so.
   */
  readonly inventory?: Effect.Effect<ReadonlyArray<StockEntry>, AdsyncError> | undefined;
  /** Marketplaces shown as columns even before they have a listing (e.g. the configured ones). */
  readonly marketplaces?: ReadonlyArray<string> | undefined;
}

/** One ad of the dealer's stock, with the marketplaces its entry names (else every configured one). */
export interface StockEntry {
  readonly ad: unknown;
  readonly to?: ReadonlyArray<string> | undefined;
}

export const defaultPort = 4280;
export const defaultHost = "127.0.0.1";

/**
 * Why the console did not start: `UnsafeBinding` (a non-loopback address without a token),
 * `Listen` (the address is taken or not ours), `Assets` (the page could not be built or read).
 */
export class ConsoleError extends Data.TaggedError("ConsoleError")<{
  readonly reason: "UnsafeBinding" | "Listen" | "Assets";
  readonly message: string;
}> {}

/** Loopback addresses: reachable from this machine only. */
export const isLoopback = (host: string): boolean =>
  host === "localhost" ||
  host === "::1" ||
  host === "[::1]" ||
  /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
