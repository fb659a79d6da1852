import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import { makeMemoryStore, Publisher } from "../src/index.ts";
import { fakeAdapter, publisherOver, queued, refOf } from "./fake-adapter.ts";
import { sampleAd as ad } from "./support/sample-ad.ts";

describe("refresh of one ad reads through inspect", () => {
  it.live("a listing deleted on the marketplace reads removed, though observe says live", () => {
    // Tradera keeps a deleted ad's state "created": a plain read (`observe`) calls it live;
    // the inspection, which reads the whole log, sees the deletion.
    const alpha = fakeAdapter("alpha", {
      inspect: (request) =>
        Effect.succeed({
          sightings: new Map(
            request.listings.map((listing) => [
              listing.adId,
              { status: "succeeded", presence: "removed" } as const,
            ]),
          ),
        }),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad);
      const [status] = yield* publisher.refresh(ad.id, { includeSettled: true });
      expect(status?.state.presence).toBe("removed");
      expect(alpha.callsOf("observe")).toHaveLength(0);
      const [call] = alpha.callsOf("inspect");
      expect(call?.inspected).toMatchObject({
        mode: "full",
        listings: [{ adId: ad.id, ref: refOf("alpha", ad.id), requestId: undefined }],
      });
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });

  it.live("a pending operation is still read by its handle through observe", () => {
    const alpha = fakeAdapter("alpha", {
      create: (created) => Effect.succeed(queued(refOf("alpha", created.id), "req-1")),
      inspect: () => Effect.succeed({ sightings: new Map() }),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad);
      const [status] = yield* publisher.refresh(ad.id);
      expect(status?.state).toMatchObject({
        presence: "live",
        operation: { kind: "create", status: "succeeded" },
      });
      expect(alpha.callsOf("inspect")).toHaveLength(0);
      expect(alpha.callsOf("observe")[0]?.listing).toMatchObject({ requestId: "req-1" });
    }).pipe(Effect.provide(publisherOver([alpha])));
  });
});
