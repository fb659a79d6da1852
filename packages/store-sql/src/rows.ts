import {
  AdsyncError,
  type LifecycleEvent,
  type ListingRecord,
  ListingState,
  type LoggedEvent,
  type Observation,
} from "@adsync/core";
import { Effect, Option, Schema } from "effect";

/*
 * What this store reads back is the JSON it wrote. Each text is parsed once and checked in place
 * (no copy: every own key of a payload survives, "__proto__" included) against the parts the
 * publisher relies on: the key fields, the state (core's `ListingState` schema) and the tag and
 * time of an observation. A row that fails the check is an error naming the row, never handed on
 * as if it were a record.
 */

const isListingState = Schema.is(ListingState);
const isRecordShape = Schema.is(
  Schema.Struct({ adId: Schema.String, marketplace: Schema.String, updatedAt: Schema.Number }),
);
const isObservationShape = Schema.is(Schema.Struct({ _tag: Schema.String, at: Schema.Number }));

/** PostgreSQL answers BIGINT as a string, SQLite as a number. */
const SqlInteger = Schema.Union(Schema.Number, Schema.NumberFromString);
const decodeInteger = Schema.decodeUnknownOption(SqlInteger);

export const unreadable = (operation: string, what: string) =>
  new AdsyncError({
    reason: "Store",
    operation,
    message: `SQL store ${operation}: ${what} is unreadable`,
  });

const decodeJson = Schema.decodeUnknownOption(Schema.parseJson());
/** The value of a JSON text as `JSON.parse` builds it; `undefined` for anything else. */
const parse = (text: unknown): unknown => Option.getOrUndefined(decodeJson(text));

export const toInteger = (
  operation: string,
  what: string,
  value: unknown,
): Effect.Effect<number, AdsyncError> =>
  decodeInteger(value).pipe(
    Effect.mapError(() => unreadable(operation, `${what} (${String(value)})`)),
  );

export interface ListingRow {
  readonly marketplace: string;
  readonly ad_id: string;
  readonly record: string;
}

export const toListing = (operation: string, row: ListingRow) => {
  const record = parse(row.record);
  return isRecordShape(record) && isListingState((record as { state?: unknown }).state)
    ? Effect.succeed(record as ListingRecord)
    : Effect.fail(unreadable(operation, `listing ${row.marketplace}/${row.ad_id}`));
};

export interface EventRow {
  readonly seq: unknown;
  readonly dealer: string;
  readonly ad_id: string;
  readonly marketplace: string;
  readonly observation: string;
  readonly state: string;
}

export const toEvent = (
  operation: string,
  row: EventRow,
): Effect.Effect<LoggedEvent, AdsyncError> =>
  Effect.flatMap(toInteger(operation, "an event's seq", row.seq), (seq) => {
    const observation = parse(row.observation);
    const state = parse(row.state);
    return isObservationShape(observation) && isListingState(state)
      ? Effect.succeed({
          seq,
          dealer: row.dealer,
          adId: row.ad_id,
          marketplace: row.marketplace,
          observation: observation as Observation,
          state,
        })
      : Effect.fail(unreadable(operation, `event seq=${seq}`));
  });

/** The event without its place in the log, as `events(adId)` answers it. */
export const withoutSeq = ({ seq: _, ...event }: LoggedEvent): LifecycleEvent => event;
