import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import { makeMemoryStore, type Progress, Publisher } from "../src/index.ts";
import { fakeAdapter, publisherOver } from "./fake-adapter.ts";
import { sampleAd as ad } from "./support/sample-ad.ts";

describe("refresh with includeSettled", () => {
  it.live("reads a settled listing and logs what changed on the marketplace's side", () => {
    // The dealer deactivated the listing on the marketplace's own site.
    const deactivated: Progress = { status: "succeeded", presence: "hidden", raw: "deactivated" };
    const alpha = fakeAdapter("alpha", {
      observe: (_, count) =>
        // Later reads word the same state differently: that is no news.
        Effect.succeed(
          count === 1 ? deactivated : { ...deactivated, raw: "inactive (read again)" },
        ),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad);
      const logged = () =>
        store
          .events("ad-1")
          .pipe(Effect.map((events) => events.map((event) => event.observation._tag)));

      // By default a settled listing costs no request.
      const [unchanged] = yield* publisher.refresh("ad-1");
      expect(alpha.callsOf("observe")).toHaveLength(0);
      expect(unchanged?.state.presence).toBe("live");

      const [reread] = yield* publisher.refresh("ad-1", { includeSettled: true });
      expect(alpha.callsOf("observe")).toHaveLength(1);
      expect(reread?.state.presence).toBe("hidden");
      expect(reread?.state.raw).toBe("deactivated");
      expect(reread?.state.operation?.status).toBe("succeeded");
      expect(yield* logged()).toEqual(["Started", "Accepted", "Seen"]);

      // A read that learns nothing new (only the raw words differ) is not logged.
      yield* publisher.refresh("ad-1", { includeSettled: true });
      expect(alpha.callsOf("observe")).toHaveLength(2);
      expect(yield* logged()).toEqual(["Started", "Accepted", "Seen"]);
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });
});
