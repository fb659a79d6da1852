import { Schema } from "effect";
import type { MarktplaatsPayload } from "./to-marktplaats.ts";

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
