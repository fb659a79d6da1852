import { describe, expect, it } from "@effect/vitest";
import { Effect, Option } from "effect";
import {
  AdsyncError,
  type ListingRecord,
  makeMemoryStore,
  Publisher,
  type VehicleAdInput,
} from "../src/index.ts";
import { fakeAdapter, publisherOver } from "./fake-adapter.ts";

const ad: VehicleAdInput = {
  id: "started-1",
  category: "car",
  description: "A car whose create is never answered.",
  price: { list: { amount: 10_000_000, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "V70", modelYear: 2012 },
};

/**
 * #14: a create's `Started` record, written before its request, carries the payload it sends
 * (`pendingPayload`, with its input fingerprint): if the answer never comes, the next run's
 * `find` is handed what was sent (`sentPayload`) instead of nothing.
 */
describe("a create's Started record", () => {
  it.effect("holds the payload sent and its fingerprint while the request is in flight", () =>
    Effect.gen(function* () {
      const store = makeMemoryStore();
      let seen: ListingRecord | undefined;
      const fake = fakeAdapter("blocket", {
        mappingVersion: "1",
        create: (created) =>
          Effect.flatMap(store.get(created.id, "blocket"), (record) => {
            seen = Option.getOrUndefined(record);
            return Effect.fail(
              new AdsyncError({
                reason: "Timeout",
                marketplace: "blocket",
                operation: "create",
                message: "no answer",
              }),
            );
          }),
      });
      const outcome = yield* Effect.flatMap(Publisher, (publisher) => publisher.publish(ad)).pipe(
        Effect.provide(publisherOver([fake], store)),
      );
      expect(outcome.outcomes.map((entry) => entry.result)).toEqual(["failed"]);
      const sent = fake.callsOf("create")[0]?.prepared?.payload;
      expect(sent).toMatchObject({ source_id: "started-1" });
      expect(seen?.state.operation).toMatchObject({ kind: "create", status: "pending" });
      expect(seen?.pendingPayload).toEqual(sent);
      expect(seen?.pendingFingerprint).toEqual(expect.any(String));
    }),
  );
});
