import { adaptersLayer, createAdsync, memoryStoreLayer } from "@adsync/core";
import { startMarktplaatsFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer } from "effect";
import { expect, it } from "vitest";
import { makeMarktplaatsAdapter } from "../src/adapter.ts";
import { carAd, configFor } from "./support.ts";

it.each([
  { fault: "503", rule: { type: "status", status: 503 } },
  { fault: "429", rule: { type: "status", status: 429, retryAfter: "0" } },
  { fault: "dropped connection", rule: { type: "drop" } },
] as const)(
  "loads the categories again after a $fault at the first publish (a failure is not cached)",
  async ({ rule }) => {
    const fake = await startMarktplaatsFake({ enrichmentDelayMs: 20 });
    // The client tries three times (maxRetries 2): the fault outlasts them.
    fake.injectFault({ method: "GET", path: "/v1/categories", times: 3, fault: rule });
    const client = createAdsync(
      Layer.mergeAll(
        adaptersLayer(makeMarktplaatsAdapter(configFor(fake))).pipe(
          Layer.provide(NodeHttpClient.layerUndici),
        ),
        memoryStoreLayer,
      ),
    );
    try {
      const first = await client.publish(carAd("warm-up-1"), { to: ["marktplaats"] });
      expect(first.outcomes.map((outcome) => [outcome.result, outcome.retryable])).toEqual([
        ["failed", true],
      ]);
      const rootReads = () =>
        fake.requests.filter((request) => request.path === "/v1/categories").length;
      expect(rootReads()).toBe(3);

      const second = await client.publish(carAd("warm-up-2"), { to: ["marktplaats"] });
      expect(second.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
        ["accepted", []],
      ]);
      expect(rootReads()).toBe(4);
      expect(fake.adCount()).toBe(1);
    } finally {
      await client.close();
      await fake.close();
    }
  },
);
