import { HttpAnswerCache } from "@adsync/core";
import { HttpClientRequest, KeyValueStore } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Layer, Option, TestClock } from "effect";
import { referenceCacheLayer } from "../src/http/reference-cache.ts";

const answer = { status: 200, headers: { "content-type": "application/json" }, text: "[1]" };

const withCache = (reads: Array<string>) =>
  Layer.unwrapEffect(
    Effect.map(KeyValueStore.KeyValueStore, (store) =>
      referenceCacheLayer(store, {
        ttl: "1 hour",
        // Each marketplace's own paths (its descriptor's `referencePaths`).
        paths: { allegro: [/\/sale\/categories$/], tradera: [/\/vehicle\/brands$/] },
        onRead: (url) => reads.push(url),
      }),
    ),
  ).pipe(Layer.provide(KeyValueStore.layerMemory));

describe("the reference-data cache", () => {
  it.effect(
    "keeps reference GETs for the TTL, reports each miss, and never keeps other requests",
    () => {
      const reads: Array<string> = [];
      return Effect.gen(function* () {
        const cache = yield* HttpAnswerCache;
        const categories = HttpClientRequest.get("http://127.0.0.1:1/sale/categories").pipe(
          HttpClientRequest.setUrlParam("parent.id", "4029"),
        );
        const offer = HttpClientRequest.get("http://127.0.0.1:1/sale/offers/7");
        const brands = HttpClientRequest.get("http://127.0.0.1:1/pro-import-api/vehicle/brands");

        expect(yield* cache.get("allegro", categories)).toEqual(Option.none());
        yield* cache.set("allegro", categories, answer);
        yield* cache.set("allegro", offer, answer);
        expect(yield* cache.get("allegro", categories)).toEqual(Option.some(answer));
        expect(yield* cache.get("allegro", offer)).toEqual(Option.none());
        // Another parent is another answer; another marketplace neither shares entries nor
        // keeps what is not one of its own reference paths.
        expect(
          yield* cache.get(
            "allegro",
            HttpClientRequest.setUrlParam(categories, "parent.id", "4030"),
          ),
        ).toEqual(Option.none());
        expect(yield* cache.get("tradera", categories)).toEqual(Option.none());
        expect(yield* cache.get("tradera", brands)).toEqual(Option.none());

        yield* TestClock.adjust("61 minutes");
        expect(yield* cache.get("allegro", categories)).toEqual(Option.none());
        expect(reads).toEqual([
          "http://127.0.0.1:1/sale/categories?parent.id=4029",
          "http://127.0.0.1:1/sale/categories?parent.id=4030",
          "http://127.0.0.1:1/pro-import-api/vehicle/brands",
          "http://127.0.0.1:1/sale/categories?parent.id=4029",
        ]);
      }).pipe(Effect.provide(withCache(reads)));
    },
  );
});
