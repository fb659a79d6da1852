import { Effect, Layer } from "effect";
import type { AdsyncError } from "../errors.ts";
import {
  type BreakerSnapshot,
  type CircuitBreakerPolicy,
  CircuitBreakers,
  makeCircuitBreakers,
} from "../http/circuit-breaker.ts";
import { serviceRunner } from "../publisher/promise-service.ts";
import { Store } from "../store/store.ts";
import { type ListingCounts, recordListingGauges } from "./listing-gauges.ts";
import { withMetrics } from "./metrics.ts";

/** Circuit breakers for code that does not use Effect: one set, shared by a layer and a snapshot. */
export interface CircuitBreakersHandle {
  /** Give it to the adapters' layer (e.g. in `createAdsync`'s layer): their requests are guarded. */
  readonly layer: Layer.Layer<CircuitBreakers>;
  /** Every breaker that has seen a request, with its state (for a status page). */
  readonly snapshot: () => Promise<ReadonlyArray<BreakerSnapshot>>;
}

/**
 * The Promise facade of `circuitBreakersLayer` and `CircuitBreakers.snapshot`: the breakers are
 * made once, so the snapshot reads the very breakers the layer's adapters go through.
 */
export const createCircuitBreakers = (
  policy: Partial<CircuitBreakerPolicy> = {},
): CircuitBreakersHandle => {
  const breakers = Effect.runSync(makeCircuitBreakers(policy));
  return {
    layer: Layer.succeed(CircuitBreakers, breakers),
    snapshot: () => Effect.runPromise(breakers.snapshot),
  };
};

/** The listing gauges for code that does not use Effect. */
export interface ListingGauges {
  /** Reads the store once, sets `adsync.listings` and answers the counts (`recordListingGauges`). */
  readonly record: () => Promise<ListingCounts>;
  /** Releases the store. */
  readonly close: () => Promise<void>;
}

/**
 * The Promise facade of `recordListingGauges` over a store layer (e.g. `sqliteStoreLayer` on the
 * publisher's file). Recording is what it is for, so metrics are on for it whatever the runtime.
 */
export const createListingGauges = (layer: Layer.Layer<Store, AdsyncError>): ListingGauges => {
  const runner = serviceRunner(Store, layer);
  return {
    record: () =>
      runner.use((store) =>
        recordListingGauges.pipe(Effect.provideService(Store, store), withMetrics),
      ),
    close: runner.close,
  };
};
