import { ListingState, Observation } from "@adsync/core";
import { Schema } from "effect";

/*
 * Schemas of the JSON this store writes, used to decode what it reads back. Core declares
 * `ListingRef` and `ListingRecord` as TypeScript types only, so they are mirrored here (its
 * `Observation` is a Schema, used as it is); test/stored-values.test.ts checks at compile time that they stay equal to core's types.
 * Decoding preserves unknown keys (lenient), but a value of the wrong shape is refused instead
 * of being handed to the publisher as if it were a record.
 */

const isStringRecord = Schema.is(Schema.Record({ key: Schema.String, value: Schema.String }));

/**
 * A JSON object of strings, handed on as JSON.parse built it. `Schema.Record` decodes into a new
 * object by assignment, which drops an own "__proto__" key (a listing id a marketplace may well
 * use like every other string) and would set the prototype were its value an object: the stored
 * object is checked instead and kept, so every own key survives the round trip.
 */
const StringRecord = Schema.declare(
  (value: unknown): value is { readonly [key: string]: string } => isStringRecord(value),
  { identifier: "StringRecord", description: "a JSON object of strings" },
);

export const StoredListingRef = Schema.Struct({
  remoteId: Schema.String,
  ids: StringRecord,
  meta: StringRecord,
});

export const StoredListingRecord = Schema.Struct({
  adId: Schema.String,
  marketplace: Schema.String,
  ref: Schema.optional(StoredListingRef),
  payload: Schema.optional(Schema.Unknown),
  pendingPayload: Schema.optional(Schema.Unknown),
  fingerprint: Schema.optional(Schema.String),
  pendingFingerprint: Schema.optional(Schema.String),
  unconfirmedSince: Schema.optional(Schema.Number),
  driftSince: Schema.optional(Schema.Number),
  lease: Schema.optional(
    Schema.Struct({ holder: Schema.String, owner: Schema.String, expiresAt: Schema.Number }),
  ),
  state: ListingState,
  updatedAt: Schema.Number,
});

/** An observation as this store writes it: core's `Observation` Schema itself. */
export const StoredObservation = Observation;

/** A row of `listings` as SQLite returns it: the record is a JSON text. */
export const ListingRow = Schema.Struct({
  record: Schema.parseJson(StoredListingRecord),
});

/** A row of `events` as SQLite returns it: observation and state are JSON texts. */
export const EventRow = Schema.Struct({
  seq: Schema.Number,
  ad_id: Schema.String,
  marketplace: Schema.String,
  observation: Schema.parseJson(StoredObservation),
  state: Schema.parseJson(ListingState),
});

/** `SELECT max(seq)` of `events`. */
export const SeqRow = Schema.Struct({ seq: Schema.Number });

/** A row of the keys page of `listings`. */
export const KeyRow = Schema.Struct({ ad_id: Schema.String });

/** A row of `cursors`. */
export const CursorRow = Schema.Struct({ value: Schema.String });

/*
 * The cheap read path. The JSON texts of a row are what this store wrote, so each is parsed once
 * and checked in place (`Schema.is`: no copy, unknown keys kept as they are) instead of being
 * decoded into a new object; a row that fails the check answers `undefined`, and the caller
 * decodes it with the schemas above for a precise error message.
 */

const isListingRecord = Schema.is(StoredListingRecord);
const isObservation = Schema.is(StoredObservation);
const isListingState = Schema.is(ListingState);

const parseJson = (text: unknown): unknown => {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null;

/** The listing of a `listings` row, or `undefined` when the row needs the full decode. */
export const parseListing = (row: unknown): typeof StoredListingRecord.Type | undefined => {
  if (!isObject(row)) return undefined;
  const record = parseJson(row.record);
  return isListingRecord(record) ? record : undefined;
};

/** An `events` row, or `undefined` when the row needs the full decode. */
export const parseEvent = (row: unknown): typeof EventRow.Type | undefined => {
  if (!isObject(row)) return undefined;
  const { seq, ad_id, marketplace } = row;
  if (typeof seq !== "number" || typeof ad_id !== "string" || typeof marketplace !== "string")
    return undefined;
  const observation = parseJson(row.observation);
  const state = parseJson(row.state);
  return isObservation(observation) && isListingState(state)
    ? { seq, ad_id, marketplace, observation, state }
    : undefined;
};
