import { createAdsync } from "@adsync/core";
import { startAllegroFake } from "@adsync/sandbox";
import { expect, it } from "vitest";
import { car, layerFor } from "./support.ts";

const isCategoryList = (path: string) => path === "/sale/categories";
const isParameterList = (path: string) => /^\/sale\/categories\/[^/]+\/parameters$/.test(path);

it.each([
  { fault: "503", rule: { type: "status", status: 503 } },
  { fault: "429", rule: { type: "status", status: 429, retryAfter: "0" } },
  { fault: "dropped connection", rule: { type: "drop" } },
] as const)(
  "reads the categories and parameters again after a $fault at the first publish (a failure is not cached)",
  async ({ rule }) => {
    const fake = await startAllegroFake({ taskDelayMs: 10 });
    // The client tries three times (maxRetries 2): each fault outlasts them.
    fake.injectFault({ method: "GET", path: "/sale/categories", times: 3, fault: rule });
    const client = createAdsync(
      layerFor(fake, { http: { retry: { baseDelay: "10 millis", maxRetries: 2 } } }),
    );
    const reads = (matches: (path: string) => boolean) =>
      fake.requests.filter((request) => request.method === "GET" && matches(request.path)).length;
    try {
      const first = await client.publish(car("warm-up-1"), { to: ["allegro"] });
      expect(first.outcomes.map((outcome) => [outcome.result, outcome.retryable])).toEqual([
        ["failed", true],
      ]);
      const failedReads = reads(isCategoryList);
      expect(failedReads).toBeGreaterThanOrEqual(3);

      // The category resolves; then its parameters fail once past the retries.
      fake.injectFault({
        method: "GET",
        path: /^\/sale\/categories\/[^/]+\/parameters$/,
        times: 3,
        fault: rule,
      });
      const second = await client.publish(car("warm-up-2"), { to: ["allegro"] });
      expect(second.outcomes.map((outcome) => [outcome.result, outcome.retryable])).toEqual([
        ["failed", true],
      ]);
      expect(reads(isCategoryList)).toBeGreaterThan(failedReads);
      expect(reads(isParameterList)).toBe(3);

      const third = await client.publish(car("warm-up-3"), { to: ["allegro"] });
      expect(third.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
        ["accepted", []],
      ]);
      expect(reads(isParameterList)).toBe(4);
    } finally {
      await client.close();
      await fake.close();
    }
  },
);
