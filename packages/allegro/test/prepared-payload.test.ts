import { type Prepared, VehicleAd } from "@adsync/core";
import { type AllegroFake, startAllegroFake } from "@adsync/sandbox";
import { Effect, Either, Schema } from "effect";
import { afterEach, expect, it } from "vitest";
import type { AllegroPayload } from "../src/mapping/to-allegro.ts";
import { car, withService } from "./support.ts";

/**
 * `prepare` makes what create and update send (#10): the adapter takes `prepared.payload` as it
 * is and does not map the ad again. Shown with a payload whose title differs from the one the
 * ad would map to: that title is the one Allegro receives.
 */

const started: Array<AllegroFake> = [];
afterEach(async () => {
  for (const fake of started.splice(0)) await fake.close();
});

const ad = Schema.decodeUnknownSync(VehicleAd)(car("prepared-1"));

/** The names of the offer bodies the adapter sent (draft, PUT or PATCH). */
const sentNames = (fake: AllegroFake) =>
  fake.requests.flatMap((request) => {
    const body = request.body;
    return typeof body === "object" && body !== null && "name" in body ? [body.name] : [];
  });

it("creates and updates with the prepared payload, without mapping the ad again", async () => {
  const fake = await startAllegroFake({ taskDelayMs: 10 });
  started.push(fake);
  await withService(fake, (service) =>
    Effect.gen(function* () {
      yield* service.adapter.warmUp ?? Effect.void;
      const mapped = service.adapter.prepare(ad);
      if (Either.isLeft(mapped)) throw new Error("the ad does not map");
      const prepared = mapped.right as Prepared<AllegroPayload>;
      expect(prepared.payload.name).not.toBe("Prepared title");
      const renamed = { ...prepared, payload: { ...prepared.payload, name: "Prepared title" } };
      const created = yield* service.adapter.create(ad, renamed);
      expect(sentNames(fake)).toContain("Prepared title");
      expect(sentNames(fake)).not.toContain(prepared.payload.name);

      fake.clearRequests();
      const listing = { ref: created.ref, payload: renamed.payload };
      const again = { ...prepared, payload: { ...prepared.payload, name: "Prepared again" } };
      yield* service.adapter.update(listing, ad, again);
      expect(sentNames(fake)).toEqual(["Prepared again"]);
    }),
  );
});
