import {
  type AdsyncError,
  type DealerAdapters,
  dealerAdaptersLayerFor,
  Publisher,
  type PublisherOptions,
  type PublisherService,
  publisherLayerWith,
} from "@adsync/core";
import { sqlStoreLayer } from "@adsync/store-sql";
import type * as SqlClient from "@effect/sql/SqlClient";
import { Context, Data, type Duration, Effect, Layer, RcMap, type Scope } from "effect";

/*
 * One dealer's publisher for one marketplace, as this worker composes it until the "dealers"
 * work brings `DealerPublishers` (the lead swaps this file for it): core's publisher over the
 * dealer's adapter (`DealerAdapters`, which holds the dealer's own rate limit and the
 * application's in this process) and store-sql's store under that dealer, on the worker's shared
 * `SqlClient`. Built on first use, kept while used, closed when idle.
 */

export interface DealerPublishersService {
  /** Runs `use` with the dealer's publisher for the marketplace held. */
  readonly withPublisher: <A, E, R>(
    dealer: string,
    marketplace: string,
    use: (publisher: PublisherService) => Effect.Effect<A, E, R>,
  ) => Effect.Effect<A, E | AdsyncError, Exclude<R, Scope.Scope>>;
}

export class WorkerPublishers extends Context.Tag("@adsync/worker/WorkerPublishers")<
  WorkerPublishers,
  DealerPublishersService
>() {}

class Pair extends Data.Class<{ readonly dealer: string; readonly marketplace: string }> {}

export interface WorkerPublishersOptions extends PublisherOptions {
  /** How long a publisher nobody uses stays built. Default 5 minutes. */
  readonly idleTimeToLive?: Duration.DurationInput | undefined;
}

/** The publisher of one pair as a layer: what each cached entry is built from. */
export const dealerPublisherLayer = (
  dealer: string,
  marketplace: string,
  options: PublisherOptions,
): Layer.Layer<Publisher, AdsyncError, DealerAdapters | SqlClient.SqlClient> =>
  publisherLayerWith(options).pipe(
    Layer.provide(dealerAdaptersLayerFor(dealer, [marketplace])),
    Layer.provide(sqlStoreLayer({ dealer })),
  );

export const workerPublishersLayer = (
  options: WorkerPublishersOptions,
): Layer.Layer<WorkerPublishers, never, DealerAdapters | SqlClient.SqlClient> =>
  Layer.scoped(
    WorkerPublishers,
    Effect.gen(function* () {
      const context = yield* Effect.context<DealerAdapters | SqlClient.SqlClient>();
      const { idleTimeToLive, ...claim } = options;
      const publishers = yield* RcMap.make({
        lookup: (pair: Pair) =>
          Layer.build(dealerPublisherLayer(pair.dealer, pair.marketplace, claim)).pipe(
            Effect.map((built) => Context.get(built, Publisher)),
            Effect.provide(context),
          ),
        idleTimeToLive: idleTimeToLive ?? "5 minutes",
      });
      return {
        withPublisher: (dealer, marketplace, use) =>
          Effect.scoped(
            Effect.flatMap(RcMap.get(publishers, new Pair({ dealer, marketplace })), use),
          ),
      } satisfies DealerPublishersService;
    }),
  );
