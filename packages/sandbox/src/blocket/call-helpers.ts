import type { FakeResponse } from "../http/fake-request.ts";
import type { AdRecord } from "./ad-record.ts";
import type { BlocketCall } from "./context.ts";
import { detail } from "./responses.ts";
import { messages } from "./validation/errors.ts";
import { isRecord } from "./validation/fields.ts";

export type JsonObjectBody =
  | { readonly ok: true; readonly input: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly response: FakeResponse };

/** The request's JSON object body, as DRF's JSONParser and serializers accept it. */
export function jsonObjectBody(call: BlocketCall): JsonObjectBody {
  const request = call.request;
  if (request.bodyText.trim() === "") return { ok: true, input: {} };
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) {
    return {
      ok: false,
      response: detail(415, `Unsupported media type "${contentType}" in request.`),
    };
  }
  if (request.bodyParseError !== undefined) {
    return { ok: false, response: detail(400, `JSON parse error - ${request.bodyParseError}`) };
  }
  if (!isRecord(request.body)) {
    return {
      ok: false,
      response: { status: 400, body: { non_field_errors: [messages.notObjectData(request.body)] } },
    };
  }
  return { ok: true, input: request.body };
}

/** The ad with this source_id that the token may see ("Not found." for any other). */
export function findAd(call: BlocketCall, sourceId: string): AdRecord | undefined {
  return call.context.store.find(sourceId, call.grant.dealerCodes, call.request.query.dealer_code);
}

/** Live on the marketplaces: what bump and pole position need. */
export function isLive(record: AdRecord): boolean {
  return record.state === "created" && record.published;
}
