import {
  DealerAdapters,
  DealerCredentials,
  dealerAdaptersLayer,
  memoryDealerCredentials,
  referenceCacheLayer,
  referencePathsOf,
  VehicleCategory,
} from "@adsync/core";
import { type SandboxDealerSections, startSandbox } from "@adsync/sandbox";
import { KeyValueStore } from "@effect/platform";
import { NodeHttpClient } from "@effect/platform-node";
import { describe, expect, it } from "@effect/vitest";
import { Context, Effect, Layer } from "effect";
import { defaultRegistry } from "../src/registry.ts";
import { testUserAgent } from "./sandbox-configs.ts";

/*
 * Each adapter's `referencePaths` (its descriptor) against what its `warmUp` really sends on the
 * sandbox, which is reference data only: every request of the first dealer's warm-up is
 * declared (or the token it needed), and with core's reference cache shared by two dealers (as
 * the worker keeps it in PostgreSQL for every dealer) the second dealer's warm-up sends nothing.
 */

const marketplaces = defaultRegistry.map((entry) => entry.descriptor);
const paths = referencePathsOf(marketplaces);
const ids = ["blocket", "tradera", "marktplaats", "allegro"] as const;

describe("the adapters' reference paths", () => {
  it.live("are what a warm-up loads: a second dealer's warm-up reads them from the cache", () =>
    Effect.gen(function* () {
      const sandbox = yield* Effect.acquireRelease(
        Effect.promise(() => startSandbox()),
        (started) => Effect.promise(() => started.close()),
      );
      // Allegro's warm-up loads the makes under the roots a dealer names (all: Osobowe, 4029).
      const withRoot = (sections: SandboxDealerSections) => ({
        ...sections,
        allegro: {
          ...sections.allegro,
          rootCategories: Object.fromEntries(
            VehicleCategory.literals.map((category) => [category, "4029"]),
          ),
        },
      });
      const sections = {
        "dealer-a": withRoot(sandbox.addDealer("dealer-a")),
        "dealer-b": withRoot(sandbox.addDealer("dealer-b")),
      };
      const credentials = yield* memoryDealerCredentials(sections);
      const cache = Layer.unwrapEffect(
        Effect.map(KeyValueStore.KeyValueStore, (store) => referenceCacheLayer(store, { paths })),
      ).pipe(Layer.provide(KeyValueStore.layerMemory));
      const dealers = yield* Layer.build(
        dealerAdaptersLayer({ marketplaces, userAgent: testUserAgent }).pipe(
          Layer.provide(
            Layer.mergeAll(
              Layer.succeed(DealerCredentials, credentials),
              NodeHttpClient.layerUndici,
              cache,
            ),
          ),
        ),
      ).pipe(Effect.map((context) => Context.get(context, DealerAdapters)));
      for (const id of ids) {
        const fake = sandbox[id];
        const sent = () => fake.requests.map((request) => `${request.method} ${request.path}`);
        const warmUp = (dealer: string) =>
          dealers.withAdapter(dealer, id, (adapter) => adapter.warmUp ?? Effect.void);
        const before = sent().length;
        yield* warmUp("dealer-a");
        const first = sent().slice(before);
        yield* warmUp("dealer-b");
        const second = sent().slice(before + first.length);
        const declared = (call: string) =>
          (paths[id] ?? []).some((pattern) =>
            pattern.test(call.replace(/^\S+ /, "").replace(/\?.*$/, "")),
          );
        const token = (call: string) => /^POST \S*\/oauth\/token$/.test(call);
        // The first loads reference data, and only that (a token for it where OAuth): every
        // request it sent is one its descriptor declares.
        expect(first.filter(declared).length, id).toBeGreaterThan(0);
        expect(
          first.filter((call) => !declared(call) && !token(call)),
          id,
        ).toEqual([]);
        // The second reads every bit of it from the cache: nothing sent, not even a token.
        expect(second, id).toEqual([]);
      }
    }).pipe(Effect.scoped),
  );
});
