import type { FakeResponse } from "../http/fake-request.ts";
import {
  type BodyRefusals,
  type JsonObjectBody,
  jsonObjectBody,
} from "../pro-import/request-input.ts";
import type { TraderaAdRecord } from "./ad-record.ts";
import type { TraderaCall } from "./context.ts";
import { dealerForbidden, fieldErrors, message } from "./responses.ts";
import { identityErrors } from "./validation/ad-content.ts";

// The guide documents no answer to a body that is not a JSON object; these are the fake's.
const BODY_REFUSALS: BodyRefusals = {
  unsupportedMediaType: (contentType) =>
    message(415, `Unsupported content type '${contentType}'; send application/json.`),
  notJson: (parseError) => message(400, `The request body is not valid JSON: ${parseError}`),
  notObject: () => message(400, "The request body must be a JSON object."),
};

export function readBody(call: TraderaCall): JsonObjectBody {
  return jsonObjectBody(call.request, BODY_REFUSALS);
}

/**
 * The ad with this source_id among the token's dealers' (404 for any other: "If the ad doesn't
 * exist or you don't have access to it").
 */
export function findAd(call: TraderaCall, sourceId: string): TraderaAdRecord | undefined {
  return call.context.store.find(sourceId, call.dealerCodes, call.request.query.dealer_code);
}

/** A write's source_id and dealer_code, once they are present and the token may use the dealer. */
export type Identity =
  | { readonly ok: true; readonly sourceId: string; readonly dealerCode: string }
  | { readonly ok: false; readonly response: FakeResponse };

/** Field errors first, then dealer access: "Still requires valid dealer_code access" (403). */
export function checkIdentity(
  call: TraderaCall,
  input: Readonly<Record<string, unknown>>,
): Identity {
  const { source_id: sourceId, dealer_code: dealerCode } = input;
  const errors = identityErrors(input);
  if (errors !== undefined || typeof sourceId !== "string" || typeof dealerCode !== "string") {
    return { ok: false, response: fieldErrors(errors ?? {}) };
  }
  if (!call.dealerCodes.has(dealerCode)) {
    return { ok: false, response: dealerForbidden(dealerCode, call.dealerCodes) };
  }
  return { ok: true, sourceId, dealerCode };
}
