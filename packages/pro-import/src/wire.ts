import { Schema } from "effect";

/**
 * The Pro Import wire format, shared by Blocket and Tradera. Payloads we send are plain JSON
 * objects built by each dialect's mapping; answers are decoded leniently (unknown keys kept,
 * most fields optional) because the two dialects and the API versions return different sets.
 */

export const LogAction = Schema.Literal(
  "create",
  "update",
  "bump",
  "handle_media",
  "publish",
  "delete",
  "unpublish",
  "retry",
);
export type LogAction = typeof LogAction.Type;

export const LogState = Schema.Literal("processing", "done", "error");
export type LogState = typeof LogState.Type;

/** "All actions start with the state processing and transition into done when completed." */
export const LogEntry = Schema.Struct({
  action: Schema.String,
  state: Schema.String,
  created: Schema.optional(Schema.NullOr(Schema.String)),
  request_id: Schema.optional(Schema.NullOr(Schema.String)),
  external_message: Schema.optional(Schema.NullOr(Schema.String)),
});
export type LogEntry = typeof LogEntry.Type;

const OptionalId = Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Number)));

/** An ad as GET /ad/{source_id} answers it (only what adsync reads is declared). */
export const WireAd = Schema.Struct({
  source_id: Schema.String,
  dealer_code: Schema.optional(Schema.NullOr(Schema.String)),
  state: Schema.optional(Schema.String),
  visible: Schema.optional(Schema.NullOr(Schema.Boolean)),
  category_id: Schema.optional(Schema.Union(Schema.String, Schema.Number)),
  blocket_ad_id: OptionalId,
  blocket_store_id: OptionalId,
  bytbil_ad_id: OptionalId,
  offer_id: OptionalId,
  log: Schema.optionalWith(Schema.Array(LogEntry), { default: () => [] }),
});
export type WireAd = typeof WireAd.Type;

export const Page = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({
    count: Schema.Number,
    next: Schema.optional(Schema.NullOr(Schema.String)),
    previous: Schema.optional(Schema.NullOr(Schema.String)),
    results: Schema.Array(item),
  });

export interface Page<A> {
  readonly count: number;
  readonly next?: string | null | undefined;
  readonly previous?: string | null | undefined;
  readonly results: ReadonlyArray<A>;
}

/**
 * A payload as sent: the JSON object a dialect's mapping builds. It is its own JSON, so it is
 * stored as it is (each dialect's `payloadSchema` is this schema, see its `wire.ts`).
 */
export const WirePayload = Schema.Record({ key: Schema.String, value: Schema.Unknown });
export type WirePayload = typeof WirePayload.Type;

export type ApiVersion = "v3" | "v4";
