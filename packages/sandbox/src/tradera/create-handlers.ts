import { randomUUID } from "node:crypto";
import type { FakeResponse } from "../http/fake-request.ts";
import type { NewAd } from "../pro-import/ad-store.ts";
import { created, ok } from "../pro-import/responses.ts";
import { mergeErrorTrees } from "../pro-import/validation/errors.ts";
import { createSteps, startRequest } from "../pro-import/workflows.ts";
import { adToWire } from "./ad-json.ts";
import { ZERO_ID } from "./ad-record.ts";
import { checkIdentity, readBody } from "./call-helpers.ts";
import type { TraderaCall } from "./context.ts";
import { fieldErrors, message } from "./responses.ts";
import { identityErrors, validateContent } from "./validation/ad-content.ts";

/** "ImageUrls are required" (Business Logic Errors): create needs at least one image URL. */
export const IMAGE_URLS_REQUIRED = "ImageUrls are required";

type ParsedAd =
  | { readonly ok: true; readonly ad: NewAd }
  | { readonly ok: false; readonly response: FakeResponse };

/**
 * POST /pro-import-api/v3/ad: 201 with the ad and its create actions as processing. The
 * business errors come after the field errors and dealer access, as plain strings.
 */
export function createAd(call: TraderaCall): FakeResponse {
  const parsed = parseAd(call);
  if (!parsed.ok) return parsed.response;
  const { ad } = parsed;
  const store = call.context.store;
  if (ad.content.imageUrls.length === 0) return message(400, IMAGE_URLS_REQUIRED);
  // "The source_id must be unique - you'll get a 400 error if it already exists"; a deleted ad
  // is still there ("After deletion, the ad is still retrievable").
  if (store.get(ad.dealerCode, ad.sourceId) !== undefined) {
    return message(400, `A PublicAd with SourceId '${ad.sourceId}' already exists.`);
  }
  const record = store.insert(ad, (base) => ({ ...base, id: randomUUID(), imageRefs: [] }));
  startRequest(call.context, record, createSteps(call.context, record));
  return created(adToWire(record));
}

/**
 * POST /pro-import-api/v3/ad/validate: "No ad is actually created"; answers the ad "with
 * system-generated fields (id, created, updated, etc.) set to defaults", an empty log. Image
 * URLs are not required here: the guide's own example sends none and gets 200.
 */
export function validateAdOnly(call: TraderaCall): FakeResponse {
  const parsed = parseAd(call);
  if (!parsed.ok) return parsed.response;
  const draft = call.context.store.draft(parsed.ad, (base) => ({
    ...base,
    id: ZERO_ID,
    imageRefs: [],
  }));
  return ok(adToWire(draft));
}

function parseAd(call: TraderaCall): ParsedAd {
  const body = readBody(call);
  if (!body.ok) return body;
  const content = validateContent(body.input);
  if (!content.ok) {
    const errors = mergeErrorTrees(identityErrors(body.input), content.errors);
    return { ok: false, response: fieldErrors(errors ?? content.errors) };
  }
  const identity = checkIdentity(call, body.input);
  if (!identity.ok) return identity;
  const { sourceId, dealerCode } = identity;
  return {
    ok: true,
    ad: { sourceId, dealerCode, content: content.content, now: call.context.now() },
  };
}
