/**
 * The `mappingVersion` check every shipped adapter runs against its sandbox fake (issue #14):
 * an unchanged re-sync through the real adapter is answered by the input fingerprint (no
 * `prepare`, no request), and a configuration change that shapes the payload makes every ad
 * prepared again. Adapter tests import it relatively
 * (`../../core/test/support/mapping-version.ts`); it reads no file.
 */
import type { HttpClient } from "@effect/platform";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer, type Scope } from "effect";
import { expect } from "vitest";
import {
  type AdsyncClient,
  adaptersLayer,
  createAdsync,
  type MarketplaceAdapter,
  makeMemoryStore,
  Store,
  type SyncSummary,
  type VehicleAdInput,
} from "../../src/index.ts";

export interface MappingVersionCase<C> {
  /** The adapter for a configuration (undici is its HTTP client). */
  readonly adapter: (
    config: C,
  ) => Effect.Effect<MarketplaceAdapter, never, HttpClient.HttpClient | Scope.Scope>;
  readonly config: C;
  /** The same configuration with one setting changed that shapes the payload. */
  readonly reshaped: C;
  readonly ads: ReadonlyArray<VehicleAdInput>;
  /** How many requests the fake has answered so far. */
  readonly requests: () => number;
  /** Brings every listing to settled and confirmed (an asynchronous fake finishes its work). */
  readonly settle: (client: AdsyncClient) => Promise<void>;
}

export interface MappingVersionRun {
  readonly first: SyncSummary;
  /** The same stock again, same configuration, same client. */
  readonly unchanged: SyncSummary & { readonly prepares: number; readonly requests: number };
  /** The same stock through a client whose configuration shapes the payload differently. */
  readonly reshaped: SyncSummary & { readonly prepares: number };
  /** The mapping versions of the two configurations, as the adapters declared them. */
  readonly versions: readonly [string | undefined, string | undefined];
}

/** Runs the case: one memory store shared by every client (a later run of the same dealer). */
export const runMappingVersionCase = async <C>(
  scenario: MappingVersionCase<C>,
): Promise<MappingVersionRun> => {
  const store = makeMemoryStore();
  let prepares = 0;
  const declared: Array<MarketplaceAdapter> = [];
  const counting = (adapter: MarketplaceAdapter): MarketplaceAdapter => {
    declared.push(adapter);
    return {
      ...adapter,
      // Read through: the adapter may answer it from a getter (reference data loaded later).
      get mappingVersion() {
        return adapter.mappingVersion;
      },
      prepare: (ad) => {
        prepares += 1;
        return adapter.prepare(ad);
      },
    };
  };
  const clientFor = (config: C) =>
    createAdsync(
      Layer.mergeAll(
        adaptersLayer(Effect.map(scenario.adapter(config), counting)).pipe(
          Layer.provide(NodeHttpClient.layerUndici),
        ),
        Layer.succeed(Store, store),
      ),
    );
  const client = clientFor(scenario.config);
  const reshapedClient = clientFor(scenario.reshaped);
  try {
    const first = await client.sync(scenario.ads);
    await scenario.settle(client);
    prepares = 0;
    const before = scenario.requests();
    const unchanged = await client.sync(scenario.ads);
    const unchangedRun = { ...unchanged, prepares, requests: scenario.requests() - before };
    prepares = 0;
    const reshaped = await reshapedClient.sync(scenario.ads);
    return {
      first,
      unchanged: unchangedRun,
      reshaped: { ...reshaped, prepares },
      versions: [declared[0]?.mappingVersion, declared[1]?.mappingVersion],
    };
  } finally {
    await client.close();
    await reshapedClient.close();
  }
};

/** `settle` for a fake that processes asynchronously: finish its work, then settle every ad. */
export const flushThenSettle =
  (
    fake: { readonly processing: { readonly flush: () => void } },
    ads: ReadonlyArray<VehicleAdInput>,
  ) =>
  async (client: AdsyncClient) => {
    fake.processing.flush();
    await client.settle({
      adIds: ads.map((ad) => ad.id),
      interval: "1 millis",
      timeout: "30 seconds",
    });
  };

/**
 * Runs the case and checks what #14 asks of `mappingVersion`: every ad created; the re-sync
 * `unchanged` with 0 `prepare` calls and 0 requests; the reshaped config a different version
 * that prepares every ad again.
 */
export const expectMappingVersionHolds = async <C>(
  marketplace: string,
  scenario: MappingVersionCase<C>,
): Promise<void> => {
  const run = await runMappingVersionCase(scenario);
  const count = scenario.ads.length;
  expect(run.first.outcomes).toEqual({ [marketplace]: { accepted: count } });
  expect(run.unchanged.outcomes).toEqual({ [marketplace]: { unchanged: count } });
  expect([run.unchanged.prepares, run.unchanged.requests]).toEqual([0, 0]);
  expect(run.versions[0]).toBeDefined();
  expect(run.versions[1]).not.toEqual(run.versions[0]);
  expect(run.reshaped.prepares).toBe(count);
};
