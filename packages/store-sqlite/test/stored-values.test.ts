import type { LifecycleEvent, ListingRecord, ListingRef, Observation } from "@adsync/core";
import { describe, expectTypeOf, it } from "vitest";
import type {
  StoredListingRecord,
  StoredListingRef,
  StoredObservation,
} from "../src/stored-values.ts";

// Core declares these as TypeScript types only; the store decodes with its own schemas. These
// checks fail the type check (not the test run) when core's types and the schemas drift apart,
// e.g. a new Observation variant the store would refuse to read back.
describe("schemas of stored values", () => {
  it("match core's ListingRef, ListingRecord and Observation exactly", () => {
    expectTypeOf<typeof StoredListingRef.Type>().toEqualTypeOf<ListingRef>();
    expectTypeOf<typeof StoredListingRecord.Type>().toEqualTypeOf<ListingRecord>();
    expectTypeOf<typeof StoredObservation.Type>().toEqualTypeOf<Observation>();
    expectTypeOf<LifecycleEvent["observation"]>().toEqualTypeOf<Observation>();
  });
});
