import { describe, expect, it } from "@effect/vitest";
import { Effect, Schema } from "effect";
import {
  AdsyncError,
  issue,
  type MarketplaceAdapter,
  Publisher,
  uncheckedAd,
  VehicleAd,
} from "../src/index.ts";
import { down, type Fake, fakeAdapter, payloadOf, publisherOver } from "./fake-adapter.ts";
import { sampleAd as ad } from "./support/sample-ad.ts";

/**
 * The publisher's `validateRemotely`: local validation first, then each target's own
 * validation of the ad as prepared for it, with what each target did in `remote`.
 */
/** A fake whose adapter validates remotely as `answer` says, recording what it was given. */
const validating = (
  id: string,
  answer: MarketplaceAdapter["validateRemotely"],
): Fake & { readonly seen: Array<unknown> } => {
  const fake = fakeAdapter(id, { capabilities: { remoteValidation: true } });
  const seen: Array<unknown> = [];
  const adapter: MarketplaceAdapter = {
    ...fake.adapter,
    validateRemotely: (validated, prepared) => {
      seen.push(prepared.payload);
      return answer?.(validated, prepared) ?? Effect.succeed([]);
    },
  };
  return { ...fake, adapter, seen };
};

describe("validateRemotely", () => {
  it.effect("sends each target the payload its prepare made, and reports what each did", () => {
    const refusal = issue("vehicle.modelYear", "out_of_range", "too new");
    const accepting = validating("accepting", () => Effect.succeed([]));
    const refusing = validating("refusing", () => Effect.succeed([refusal]));
    const unsupported = validating("unsupported", () =>
      Effect.fail(
        new AdsyncError({ reason: "Unsupported", marketplace: "unsupported", message: "no" }),
      ),
    );
    const failing = validating("failing", () => Effect.fail(down("failing")));
    const plain = fakeAdapter("plain");
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const result = yield* publisher.validateRemotely(ad);
      expect(result.valid).toBe(false);
      expect(result.remote).toEqual({
        accepting: "validated",
        refusing: "validated",
        unsupported: "unavailable",
        failing: "failed",
        plain: "unavailable",
      });
      expect(result.issues.accepting).toEqual([]);
      expect(result.issues.refusing).toEqual([{ ...refusal, marketplace: "refusing" }]);
      expect(result.issues.plain).toEqual([]);
      expect(result.issues.failing).toEqual([
        expect.objectContaining({ path: "", marketplace: "failing" }),
      ]);
      expect(accepting.seen).toEqual([payloadOf(Schema.decodeUnknownSync(VehicleAd)(ad))]);
    }).pipe(Effect.provide(publisherOver([accepting, refusing, unsupported, failing, plain])));
  });

  it.effect("an ad that fails local validation is sent nowhere: not_sent", () => {
    const accepting = validating("accepting", () => Effect.succeed([]));
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const result = yield* publisher.validateRemotely(uncheckedAd({ ...ad, description: "" }));
      expect(result.valid).toBe(false);
      expect(result.remote).toEqual({ accepting: "not_sent" });
      expect(accepting.seen).toEqual([]);
    }).pipe(Effect.provide(publisherOver([accepting])));
  });
});
