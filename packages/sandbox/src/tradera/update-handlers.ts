import type { FakeResponse } from "../http/fake-request.ts";
import { mergePatch } from "../pro-import/request-input.ts";
import { ok } from "../pro-import/responses.ts";
import { createSteps, DONE, startRequest, updateSteps } from "../pro-import/workflows.ts";
import { adToWire } from "./ad-json.ts";
import type { TraderaAdRecord } from "./ad-record.ts";
import { checkIdentity, findAd, readBody } from "./call-helpers.ts";
import type { TraderaCall } from "./context.ts";
import { IMAGE_URLS_REQUIRED } from "./create-handlers.ts";
import { createFailed } from "./publishing.ts";
import { fieldErrors, message, notFound } from "./responses.ts";
import { validateContent } from "./validation/ad-content.ts";

type UpdateKind = "replace" | "patch";

/** PUT /pro-import-api/v3/ad/{source_id}: "Replaces all fields of an existing ad". */
export function replaceAd(call: TraderaCall, sourceId: string): FakeResponse {
  return updateAd(call, sourceId, "replace");
}

/**
 * PATCH /pro-import-api/v3/ad/{source_id}: "Updates only the fields you specify"; the guide's
 * example sends only condition.mileage inside category_fields, so category_fields merges at
 * every depth (an object replaces nothing but the keys it sends; a list replaces the list).
 */
export function patchAd(call: TraderaCall, sourceId: string): FakeResponse {
  return updateAd(call, sourceId, "patch");
}

/**
 * DELETE /pro-import-api/v3/ad/{source_id}. "The ad state remains "created" - check logs for
 * actual deletion status": the delete action goes processing → done, and the ad counts as
 * deleted at once, so that a second DELETE, an update or a bump is refused from then on.
 */
export function deleteAd(call: TraderaCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  if (record.state === "deleted") {
    return message(400, "Cannot delete ad that has already been deleted.");
  }
  record.state = "deleted";
  record.updatedAt = call.context.now();
  startRequest(call.context, record, [
    {
      action: "delete",
      complete: () => {
        record.published = false;
        return DONE;
      },
    },
  ]);
  return ok(adToWire(record));
}

/**
 * The checks in the order the guide lists them (identity, path, dealer, deleted, published),
 * then the merged content; PUT on an ad whose creation failed runs the creation again.
 */
function updateAd(call: TraderaCall, sourceId: string, kind: UpdateKind): FakeResponse {
  const body = readBody(call);
  if (!body.ok) return body.response;
  // PATCH: "Must include both source_id and dealer_code even though they can't change".
  const identity = checkIdentity(call, body.input);
  if (!identity.ok) return identity.response;
  // The body's dealer picks among dealers sharing a source_id; another one is then refused.
  const record = call.context.store.get(identity.dealerCode, sourceId) ?? findAd(call, sourceId);
  if (record === undefined) return notFound();
  const retryCreate = kind === "replace" && createFailed(record);
  const refusal = refuseUpdate(record, identity, retryCreate);
  if (refusal !== undefined) return message(400, refusal);
  const input =
    kind === "replace" ? body.input : mergePatch(record.content.fields, body.input, Infinity);
  const content = validateContent(input);
  if (!content.ok) return fieldErrors(content.errors);
  if (retryCreate && content.content.imageUrls.length === 0) {
    return message(400, IMAGE_URLS_REQUIRED);
  }
  const previousImageUrls = record.content.imageUrls;
  record.content = content.content;
  record.updatedAt = call.context.now();
  const steps = retryCreate
    ? createSteps(call.context, record)
    : updateSteps(call.context, record, previousImageUrls);
  startRequest(call.context, record, steps);
  return ok(adToWire(record));
}

/** The business error refusing this update, if any ("Error Responses" of PUT and PATCH). */
function refuseUpdate(
  record: TraderaAdRecord,
  identity: { readonly sourceId: string; readonly dealerCode: string },
  retryCreate: boolean,
): string | undefined {
  if (identity.sourceId !== record.sourceId) return "SourceId in path must match SourceId in body.";
  if (identity.dealerCode !== record.dealerCode) return "Dealer code cannot be changed.";
  if (record.state === "deleted") return "Cannot update ad that has been deleted.";
  if (!record.published && !retryCreate) return "Cannot update ad that has not been published yet.";
  return undefined;
}
