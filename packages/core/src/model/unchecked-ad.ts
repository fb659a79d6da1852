import { Schema } from "effect";
import type { VehicleAdInput } from "./vehicle-ad.ts";

/**
 * Data of unknown shape (a JSON file, a feed line, a queue message) handed to `validate`,
 * `publish` or `sync` as it is: the publisher decodes it against `VehicleAd` and answers an
 * `invalid` outcome with issues on canonical paths, never an exception. TypeScript code that
 * builds the ad itself passes a `VehicleAdInput` instead and gets autocompletion and compile
 * errors; this brand is the explicit opt-out for data the compiler cannot know.
 */
export const UncheckedAd = Schema.Unknown.pipe(Schema.brand("@adsync/core/UncheckedAd"));
export type UncheckedAd = typeof UncheckedAd.Type;

/** Marks data of unknown shape for `validate`/`publish`/`sync`, which check it themselves. */
export const uncheckedAd = (data: unknown): UncheckedAd => UncheckedAd.make(data);

/** What `validate`, `publish` and `sync` take: a typed ad, or data they must check first. */
export type AdInput = VehicleAdInput | UncheckedAd;
