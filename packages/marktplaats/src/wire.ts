import { Schema } from "effect";
import type { MarktplaatsPayload } from "./mapping/to-marktplaats.ts";

/**
 * What Marktplaats answers, read leniently (unknown keys are kept out of the way, not refused).
 * The advertisement itself is kept as a plain JSON object: its attributes are per category.
 */

/** The fields Marktplaats fills in from the licence plate ("Automotive advertisements"). */
export const enrichmentFields = [
  "makeDescription",
  "modelDescription",
  "trim",
  "apkExpirationDate",
  "apkOnDelivery",
  "energyLabel",
  "fuelConsumption",
] as const;
type EnrichmentField = (typeof enrichmentFields)[number];
export const isEnrichmentField = (key: string): key is EnrichmentField =>
  enrichmentFields.some((field) => field === key);

/** Fields an advertisement answer carries that we never send ("writable: false"). */
export const readOnlyFields = [
  "itemId",
  "startDate",
  "closeDate",
  "status",
  "renewPossible",
  "_links",
  "_embedded",
] as const;

export const WireAdvertisement = Schema.Struct(
  {
    itemId: Schema.String,
    categoryId: Schema.optional(Schema.Number),
    status: Schema.optional(Schema.String),
    licensePlate: Schema.optional(Schema.String),
    startDate: Schema.optional(Schema.String),
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown }),
);
export type WireAdvertisement = typeof WireAdvertisement.Type;

/** A HAL category: `{categoryId, name, _embedded: {"mp:category": [...]}}` (place-advertisement.rst). */
export interface WireCategory {
  readonly categoryId?: number | undefined;
  readonly name?: string | undefined;
  readonly _embedded?:
    | { readonly "mp:category"?: ReadonlyArray<WireCategory> | undefined }
    | undefined;
}
export const WireCategory: Schema.Schema<WireCategory> = Schema.Struct({
  categoryId: Schema.optional(Schema.Number),
  name: Schema.optional(Schema.String),
  _embedded: Schema.optional(
    Schema.Struct({
      "mp:category": Schema.optional(
        Schema.Array(Schema.suspend((): Schema.Schema<WireCategory> => WireCategory)),
      ),
    }),
  ),
});

/** One category attribute: "key, label, type, values, mandatory, searchable, writable, updateable". */
export const WireAttribute = Schema.Struct({
  key: Schema.String,
  label: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  values: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  mandatory: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  writable: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  updateable: Schema.optionalWith(Schema.Boolean, { default: () => true }),
});
export type WireAttribute = typeof WireAttribute.Type;

/** The attributes answer: the PHP example reads `$attributes->fields`. */
export const WireAttributes = Schema.Struct({
  fields: Schema.optionalWith(Schema.Array(WireAttribute), { default: () => [] }),
});

/**
 * The seller's ads. The shared doc says "get a list of your ads" without naming the endpoint;
 * we read `GET /v1/advertisements` (the collection the POST goes to) as HAL, with the
 * advertisements under `_embedded["mp:advertisement"]` and the next page in `_links.next`.
 */
export const WireAdvertisementList = Schema.Struct({
  _embedded: Schema.optional(
    Schema.Struct({
      "mp:advertisement": Schema.optionalWith(Schema.Array(WireAdvertisement), {
        default: () => [],
      }),
    }),
  ),
  _links: Schema.optional(
    Schema.Struct({ next: Schema.optional(Schema.Struct({ href: Schema.String })) }),
  ),
});

/** One field error of a `validation-failure` answer (the doc's "Field errors"). */
export const WireFieldError = Schema.Struct({
  field: Schema.optional(Schema.String),
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  value: Schema.optional(Schema.Unknown),
});
export type WireFieldError = typeof WireFieldError.Type;

/**
 * The "common error document which contains both machine readable as well as human readable
 * error messages" (place-advertisement.rst). Its member names are not in our sources: we read
 * `code`, `message` and a list of field errors `{field, code, message, value}` under
 * `fieldErrors` (or `errors`), leniently, and fall back to the HTTP status.
 */
export const WireError = Schema.Struct({
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  fieldErrors: Schema.optional(Schema.Array(WireFieldError)),
  errors: Schema.optional(Schema.Array(WireFieldError)),
});

/** The token endpoint's answer (authentication.rst). */
export const WireTokens = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.optional(Schema.String),
  expires_in: Schema.optional(Schema.Number),
  refresh_token: Schema.optional(Schema.String),
  scope: Schema.optional(Schema.String),
});

/**
 * The payload as the store keeps it (`payloadSchema`): the advertisement last sent, as JSON,
 * and its image URLs. Payloads stored before the image URLs were kept decode with none.
 */
export const marktplaatsPayloadSchema = Schema.Struct({
  advertisement: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  imageUrls: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
});

/** What the store holds: `imageUrls` may be absent. */
export type StoredMarktplaatsPayload = typeof marktplaatsPayloadSchema.Encoded;

// The schema decodes to exactly the payload `prepare` makes.
marktplaatsPayloadSchema satisfies Schema.Schema<MarktplaatsPayload, StoredMarktplaatsPayload>;
