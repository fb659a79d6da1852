import {
  type JsonObjectBody,
  jsonObjectBody as readJsonObjectBody,
} from "../pro-import/request-input.ts";
import { messages } from "../pro-import/validation/errors.ts";
import type { BlocketAdRecord } from "./ad-record.ts";
import type { BlocketCall } from "./context.ts";
import { detail } from "./responses.ts";

/** The request's JSON object body, as DRF's JSONParser and serializers accept it. */
export function jsonObjectBody(call: BlocketCall): JsonObjectBody {
  return readJsonObjectBody(call.request, {
    unsupportedMediaType: (contentType) =>
      detail(415, `Unsupported media type "${contentType}" in request.`),
    notJson: (parseError) => detail(400, `JSON parse error - ${parseError}`),
    notObject: (body) => ({
      status: 400,
      body: { non_field_errors: [messages.notObjectData(body)] },
    }),
  });
}

/** The ad with this source_id that the token may see ("Not found." for any other). */
export function findAd(call: BlocketCall, sourceId: string): BlocketAdRecord | undefined {
  return call.context.store.find(sourceId, call.grant.dealerCodes, call.request.query.dealer_code);
}

/** Live on the marketplaces: what bump and pole position need. */
export function isLive(record: BlocketAdRecord): boolean {
  return record.state === "created" && record.published;
}
