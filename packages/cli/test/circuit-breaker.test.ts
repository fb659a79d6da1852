/**
 * Circuit breaker (#16): Blocket's sandbox answers 503 to everything. Blocket's breaker opens
 * after the configured failures, the other three marketplaces publish as usual, requests to
 * Blocket stop (the next publish sends it nothing and fails fast with reason `CircuitOpen`,
 * retryable), and once Blocket recovers and the open time has passed, publishing again
 * completes both ads on Blocket: one create each, nothing lost or duplicated.
 */
import { CircuitBreakers, circuitBreakersLayer, Publisher, Store, uncheckedAd } from "@adsync/core";
import { Effect, ManagedRuntime } from "effect";
import { describe, expect, it } from "vitest";
import { loadStock } from "../src/commands/demo.ts";
import { sandboxPublisherLayer, useManualSandbox } from "./sandbox-runtime.ts";

const failureThreshold = 3;
const openForMillis = 60_000;
/** The breakers' manual clock: time passes only when the test says so. */
let now = 0;
const sandboxes = useManualSandbox();

const car = loadStock()[0]?.ad;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
if (!isRecord(car)) throw new Error("docs/examples/demo-stock.json lists no car");
const secondCar = { ...car, id: `${String(car.id)}-2` };

const runtimeWithBreakers = () =>
  ManagedRuntime.make(
    sandboxPublisherLayer(
      sandboxes.current(),
      circuitBreakersLayer({
        failureThreshold,
        openFor: `${openForMillis} millis`,
        now: Effect.sync(() => now),
      }),
    ),
  );

const outcomeOn = (
  result: { readonly outcomes: ReadonlyArray<{ readonly marketplace: string }> },
  marketplace: string,
) => {
  const found = result.outcomes.find((outcome) => outcome.marketplace === marketplace);
  if (found === undefined) throw new Error(`no outcome on ${marketplace}`);
  return found as (typeof result.outcomes)[number] & {
    readonly result: string;
    readonly reason?: string;
    readonly retryable?: boolean;
  };
};

describe("circuit breaker per marketplace", () => {
  it("opens on repeated 503s, fails fast while open without touching other marketplaces, and resumes with nothing lost or duplicated", async () => {
    const runtime = runtimeWithBreakers();
    const sandbox = sandboxes.current();
    try {
      const publish = (ad: unknown) =>
        runtime.runPromise(
          Effect.flatMap(Publisher, (publisher) => publisher.publish(uncheckedAd(ad))),
        );
      sandbox.blocket.injectFault({ times: 1_000, fault: { type: "status", status: 503 } });
      sandbox.blocket.clearRequests();

      const first = await publish(car);
      expect(outcomeOn(first, "blocket").result).toBe("failed");
      expect(outcomeOn(first, "blocket").retryable).toBe(true);
      for (const other of ["tradera", "marktplaats", "allegro"])
        expect(outcomeOn(first, other).result, other).toBe("accepted");
      const breakers = await runtime.runPromise(
        Effect.flatMap(CircuitBreakers, (service) => service.snapshot),
      );
      expect(breakers.find((breaker) => breaker.key === "blocket")?.status).toBe("open");
      // The breaker cut the retries short: at most the threshold's requests (plus any already
      // in flight when it opened), never the 1 + 4 retries of every request.
      const sentWhileFailing = sandbox.blocket.requests.length;
      expect(sentWhileFailing).toBeGreaterThanOrEqual(failureThreshold);
      expect(sentWhileFailing).toBeLessThan(failureThreshold + 2);

      // While open: Blocket gets nothing, fails fast with a typed reason; the others go on.
      const second = await publish(secondCar);
      expect(sandbox.blocket.requests.length).toBe(sentWhileFailing);
      expect(outcomeOn(second, "blocket").reason).toBe("CircuitOpen");
      expect(outcomeOn(second, "blocket").retryable).toBe(true);
      for (const other of ["tradera", "marktplaats", "allegro"])
        expect(outcomeOn(second, other).result, other).toBe("accepted");

      // Recovery: the marketplace answers again and the open time passes.
      sandbox.blocket.clearFaults();
      sandbox.blocket.clearRequests();
      now += openForMillis;
      const again = [await publish(car), await publish(secondCar)];
      for (const result of again) expect(outcomeOn(result, "blocket").result).toBe("accepted");
      const creates = sandbox.blocket.requests.filter(
        (request) => request.method === "POST" && /\/ad$/.test(request.path),
      );
      expect(
        creates.map((request) => (request.body as { source_id?: string }).source_id).sort(),
      ).toEqual([String(car.id), String(secondCar.id)].sort());
      const after = await runtime.runPromise(
        Effect.flatMap(CircuitBreakers, (service) => service.snapshot),
      );
      expect(after.find((breaker) => breaker.key === "blocket")?.status).toBe("closed");

      // Nothing lost or duplicated: one listing per ad and marketplace, each with a remote id.
      const records = await runtime.runPromise(Effect.flatMap(Store, (store) => store.list()));
      expect(records).toHaveLength(8);
      for (const record of records)
        expect(record.ref?.remoteId, `${record.adId}@${record.marketplace}`).toBeDefined();
      // The other marketplaces were never touched by a second create.
      for (const result of again)
        for (const other of ["tradera", "marktplaats", "allegro"])
          expect(outcomeOn(result, other).result, other).toBe("unchanged");
    } finally {
      await runtime.dispose();
    }
  }, 120_000);
});
