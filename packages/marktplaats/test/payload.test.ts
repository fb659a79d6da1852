import { VehicleAd } from "@adsync/core";
import { startMarktplaatsFake } from "@adsync/sandbox";
import { Effect, Either, Schema } from "effect";
import { expect, it } from "vitest";
import { carAd, configFor, withService } from "./support.ts";

/**
 * The adapter's typed payload (#10): its `payloadSchema` (`wire.ts`) is how the publisher stores the
 * payload and hands it back decoded, so the adapter neither decodes `prepared.payload` itself
 * nor answers a payload it did not make with an error of its own.
 */
it("stores the prepared payload as it is and reads an older one without image URLs", async () => {
  const fake = await startMarktplaatsFake();
  try {
    await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        yield* service.adapter.warmUp ?? Effect.void;
        const prepared = service.adapter.prepare(
          Schema.decodeUnknownSync(VehicleAd)(carAd("payload-1")),
        );
        if (Either.isLeft(prepared)) throw new Error("the ad does not map");
        const schema = service.adapter.payloadSchema;
        if (schema === undefined) throw new Error("no payloadSchema");
        const stored = Schema.encodeSync(schema)(prepared.right.payload);
        expect(stored).toEqual(prepared.right.payload);
        expect(Schema.decodeUnknownSync(schema)(JSON.parse(JSON.stringify(stored)))).toEqual(
          prepared.right.payload,
        );
        const { imageUrls: _dropped, ...older } = stored as { readonly imageUrls: unknown };
        expect(Schema.decodeUnknownSync(schema)(older)).toEqual({ ...older, imageUrls: [] });
        expect(Either.isLeft(Schema.decodeUnknownEither(schema)({ itemId: "m1" }))).toBe(true);
      }),
    );
  } finally {
    await fake.close();
  }
});
