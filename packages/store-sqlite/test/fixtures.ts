import {
  IssueCode,
  type LifecycleEvent,
  type ListingRecord,
  type ListingState,
  type Observation,
  OperationKind,
  OperationStatus,
  Presence,
} from "@adsync/core";
import fc from "fast-check";

/** A listing with every optional part filled and a payload that exercises JSON's corners. */
export const richListing: ListingRecord = {
  adId: "ad-1",
  marketplace: "blocket",
  ref: {
    remoteId: "1234567",
    ids: { blocket: "1234567", bytbil: "bb-98" },
    meta: { apiVersion: "v4", "nyckel med å": "värde" },
  },
  payload: {
    title: "Volvo V70 2.4 – välvårdad, nybesiktigad ✓ 🚗",
    price: { amount: 129_900, currency: "SEK" },
    images: ["https://example.test/1.jpg", "https://example.test/2.jpg"],
    nested: { deep: [{ empty: {} }, [], null, true, false, 0.1, -3, "\u0000\n\t\"'\\"] },
    日本語のキー: "値",
  },
  state: {
    presence: "live",
    operation: {
      id: "op-7",
      kind: "update",
      status: "succeeded_with_warnings",
      requestId: "req-42",
      startedAt: 1_700_000_000_000,
      settledAt: 1_700_000_005_000,
      issues: [],
      warnings: [
        {
          path: "images.30",
          code: "too_many",
          message: "Högst 30 bilder",
          marketplace: "blocket",
          marketplacePath: "images",
        },
      ],
      presenceBefore: "live",
    },
    raw: { status: "ACTIVE", flags: ["a", "b"] },
    notes: ["enrichment pending"],
  },
  updatedAt: 1_700_000_005_000,
};

export const listing = (
  adId: string,
  marketplace: string,
  state: ListingState,
  updatedAt: number,
): ListingRecord => ({ adId, marketplace, state, updatedAt });

export const event = (
  adId: string,
  marketplace: string,
  observation: Observation,
  state: ListingState,
): LifecycleEvent => ({ adId, marketplace, observation, state });

export const started = (operationId: string, at: number): Observation => ({
  _tag: "Started",
  operationId,
  kind: "create",
  at,
});

export const live: ListingState = { presence: "live", notes: [] };
export const pending: ListingState = { presence: "pending", notes: [] };

// The store port keeps JSON: a value JSON cannot tell apart from another (-0 and 0) is generated
// in the form JSON gives back, so both stores are held to the same contract.
const jsonData = fc
  .jsonValue({ maxDepth: 3 })
  .map((value): unknown => JSON.parse(JSON.stringify(value)));

/**
 * Keys that are ordinary members in JSON but name `Object.prototype`'s members in JavaScript:
 * code that builds records by assignment loses "__proto__" or reads an inherited value.
 */
export const awkwardKeyArbitrary = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"),
  fc.string(),
);

/** A JSON object of strings as JSON.parse gives it back: "__proto__" is an own member. */
const stringRecordArbitrary = (value: fc.Arbitrary<string>) =>
  fc
    .dictionary(awkwardKeyArbitrary, value, { maxKeys: 3 })
    .map((record): Record<string, string> => JSON.parse(JSON.stringify(record)));

const issueArbitrary = fc.record(
  {
    path: fc.string(),
    code: fc.constantFrom(...IssueCode.literals),
    message: fc.string({ unit: "grapheme" }),
    marketplace: fc.string(),
    marketplacePath: fc.string(),
  },
  { requiredKeys: ["path", "code", "message"] },
);

const operationArbitrary = fc.record(
  {
    id: fc.uuid(),
    kind: fc.constantFrom(...OperationKind.literals),
    status: fc.constantFrom(...OperationStatus.literals),
    requestId: fc.string(),
    startedAt: fc.nat(),
    settledAt: fc.nat(),
    issues: fc.array(issueArbitrary, { maxLength: 2 }),
    warnings: fc.array(issueArbitrary, { maxLength: 2 }),
    presenceBefore: fc.constantFrom(...Presence.literals),
  },
  { requiredKeys: ["id", "kind", "status", "startedAt", "issues", "warnings", "presenceBefore"] },
);

const stateArbitrary: fc.Arbitrary<ListingState> = fc.record(
  {
    presence: fc.constantFrom(...Presence.literals),
    operation: operationArbitrary,
    raw: jsonData,
    notes: fc.array(fc.string({ unit: "grapheme" }), { maxLength: 3 }),
    seen: fc.record({
      issues: fc.array(issueArbitrary, { maxLength: 2 }),
      warnings: fc.array(issueArbitrary, { maxLength: 2 }),
    }),
  },
  { requiredKeys: ["presence", "notes"] },
);

const observationArbitrary: fc.Arbitrary<Observation> = fc.oneof(
  fc.record({
    _tag: fc.constant("Started"),
    operationId: fc.uuid(),
    kind: fc.constantFrom(...OperationKind.literals),
    at: fc.nat(),
  }),
  fc.record(
    {
      _tag: fc.constant("Accepted"),
      operationId: fc.uuid(),
      requestId: fc.string(),
      status: fc.constantFrom(...OperationStatus.literals),
      presence: fc.constantFrom(...Presence.literals),
      issues: fc.array(issueArbitrary, { maxLength: 2 }),
      raw: jsonData,
      at: fc.nat(),
    },
    { requiredKeys: ["_tag", "operationId", "status", "at"] },
  ),
  fc.record({
    _tag: fc.constant("Rejected"),
    operationId: fc.uuid(),
    issues: fc.array(issueArbitrary, { minLength: 1, maxLength: 2 }),
    at: fc.nat(),
  }),
  fc.record(
    {
      _tag: fc.constant("Progress"),
      operationId: fc.uuid(),
      status: fc.constantFrom(...OperationStatus.literals),
      warnings: fc.array(issueArbitrary, { maxLength: 2 }),
      notes: fc.array(fc.string(), { maxLength: 2 }),
      at: fc.nat(),
    },
    { requiredKeys: ["_tag", "operationId", "status", "at"] },
  ),
  fc.record(
    {
      _tag: fc.constant("Seen"),
      presence: fc.constantFrom(...Presence.literals),
      issues: fc.array(issueArbitrary, { maxLength: 2 }),
      warnings: fc.array(issueArbitrary, { maxLength: 2 }),
      drift: fc.boolean(),
      raw: jsonData,
      at: fc.nat(),
    },
    { requiredKeys: ["_tag", "presence", "at"] },
  ),
);

/** One `record` call: a listing and its event, on few enough keys that replacements happen. */
export const recordCallArbitrary: fc.Arbitrary<{
  readonly listing: ListingRecord;
  readonly event: LifecycleEvent;
}> = fc
  .record(
    {
      adId: fc.constantFrom("ad-1", "ad-2", "ad-3"),
      marketplace: fc.constantFrom("blocket", "bytbil"),
      ref: fc.record({
        remoteId: fc.string(),
        ids: stringRecordArbitrary(fc.string()),
        meta: stringRecordArbitrary(fc.string({ unit: "grapheme" })),
      }),
      payload: jsonData,
      state: stateArbitrary,
      updatedAt: fc.nat(),
      observation: observationArbitrary,
    },
    { requiredKeys: ["adId", "marketplace", "state", "updatedAt", "observation"] },
  )
  .map(({ observation, ...listing }) => ({
    listing,
    event: event(listing.adId, listing.marketplace, observation, listing.state),
  }));
