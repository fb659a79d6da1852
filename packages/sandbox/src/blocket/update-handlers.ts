import type { FakeResponse } from "../http/fake-request.ts";
import type { AdContent } from "../pro-import/ad-record.ts";
import { mergePatch } from "../pro-import/request-input.ts";
import { ok } from "../pro-import/responses.ts";
import { type ErrorTree, errorTree, mergeErrorTrees } from "../pro-import/validation/errors.ts";
import { adToWire } from "./ad-json.ts";
import type { BlocketAdRecord } from "./ad-record.ts";
import { findAd, jsonObjectBody } from "./call-helpers.ts";
import { isRegisteredVehicleAd, requiresV4, V4_ONLY_CATEGORY_LIST } from "./categories.ts";
import type { BlocketCall } from "./context.ts";
import { badRequest, detail, notFound } from "./responses.ts";
import { validateAdContent } from "./validation/ad-content.ts";
import { startDelete, startUpdate } from "./workflows.ts";

/** PUT /vN/ad/{source_id}: a full replacement, validated as a create. */
export function replaceAd(call: BlocketCall, sourceId: string): FakeResponse {
  return updateAd(call, sourceId, (_record, input) => input);
}

/**
 * PATCH /vN/ad/{source_id}, "Update part of an ad": the sent fields are merged into the stored
 * ones at every depth of nested objects (arrays are replaced whole), and the result is
 * validated as a whole. The docs show only a partial top-level example; merging nested objects
 * is the reading under which a PATCH can never remove a nested value (`power` from
 * `powertrain`, an `lkf` when a `zipcode` is sent), so a client must PUT to remove one.
 */
export function patchAd(call: BlocketCall, sourceId: string): FakeResponse {
  return updateAd(call, sourceId, (record, input) =>
    mergePatch(record.content.fields, input, Number.POSITIVE_INFINITY, { everyField: true }),
  );
}

/** DELETE /vN/ad/{source_id}: delete then unpublish; the ad's state turns "deleted" after. */
export function deleteAd(call: BlocketCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  if (record.state === "deleted") return detail(400, "This ad is already deleted.");
  record.updatedAt = call.context.now();
  startDelete(call.context, record);
  return ok(adToWire(record, { includeLog: true }));
}

/**
 * POST /v4/ad/{source_id}/migrate: "convert an existing V3 ad for Moped, Camper, Caravan or
 * Trailer to a V4 ad in-place ... The ad ID, source ID and history are preserved." It
 * "Requires: A complete V4 payload with all required category_fields for the category."
 */
export function migrateAd(call: BlocketCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  if (record.version === "v4")
    return detail(400, "This ad already uses v4; there is nothing to migrate.");
  if (!requiresV4(record.content.categoryId)) {
    return detail(
      400,
      `Only v3 ads in categories ${V4_ONLY_CATEGORY_LIST} can be migrated; PUT or PATCH through /v4/ad converts ads in other categories.`,
    );
  }
  if (record.state === "deleted") {
    return detail(400, "A deleted ad cannot be migrated; create it again with POST /v4/ad.");
  }
  const body = jsonObjectBody(call);
  if (!body.ok) return body.response;
  const validation = validateAdContent(body.input, "v4");
  const categoryChanged =
    validation.ok && validation.content.categoryId !== record.content.categoryId;
  const errors = mergeErrorTrees(
    identityErrors(record, body.input),
    validation.ok ? undefined : validation.errors,
    errorTree([
      [
        "category_id",
        categoryChanged ? [`Must stay ${record.content.categoryId} when migrating.`] : undefined,
      ],
    ]),
  );
  if (errors !== undefined || !validation.ok) return badRequest(errors ?? {});
  return applyUpdate(call, record, validation.content);
}

function updateAd(
  call: BlocketCall,
  sourceId: string,
  toInput: (
    record: BlocketAdRecord,
    input: Readonly<Record<string, unknown>>,
  ) => Record<string, unknown>,
): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  const refusal = refuseUpdate(call, record);
  if (refusal !== undefined) return refusal;
  const body = jsonObjectBody(call);
  if (!body.ok) return body.response;
  const validation = validateAdContent(toInput(record, body.input), call.version);
  const errors = mergeErrorTrees(
    identityErrors(record, body.input),
    validation.ok ? undefined : validation.errors,
  );
  if (errors !== undefined || !validation.ok) return badRequest(errors ?? {});
  return applyUpdate(call, record, validation.content);
}

/** Why this ad may not be updated through this API version, if it may not. */
function refuseUpdate(call: BlocketCall, record: BlocketAdRecord): FakeResponse | undefined {
  const categoryNeedsV4 = requiresV4(record.content.categoryId);
  if (call.version === "v4" && record.version === "v3" && categoryNeedsV4) {
    // The compatibility table says only "❌ Blocked — use /migrate endpoint", without a body;
    // this detail is the fake's choice.
    return detail(
      400,
      "This ad was created with v3 in a category that requires v4. Migrate it with POST /v4/ad/{source_id}/migrate.",
    );
  }
  if (call.version === "v3" && record.version === "v4" && categoryNeedsV4) {
    // Not in the docs: V3 cannot express these ads' category_fields, so it may not touch them.
    return detail(400, "This ad uses v4 in a category that requires v4; update it through /v4/ad.");
  }
  // "You can use the PUT method to revive a deleted ad in unregistered vehicle categories (not
  // e.g. cars & vans)."
  if (
    record.state === "deleted" &&
    isRegisteredVehicleAd(record.content.categoryId, record.version)
  ) {
    return detail(
      400,
      "A deleted ad in a registered vehicle category cannot be revived; create a new ad with POST.",
    );
  }
  return undefined;
}

/** "Same signature as ad creation except for source_id which is provided in the path." */
function identityErrors(
  record: BlocketAdRecord,
  input: Readonly<Record<string, unknown>>,
): ErrorTree | undefined {
  const sourceId = input.source_id;
  const dealerCode = input.dealer_code;
  return errorTree([
    [
      "source_id",
      sourceId !== undefined && sourceId !== record.sourceId
        ? ["Does not match the source_id in the URL."]
        : undefined,
    ],
    [
      "dealer_code",
      dealerCode !== undefined && dealerCode !== record.dealerCode
        ? ["An ad cannot be moved to another dealer."]
        : undefined,
    ],
  ]);
}

/** Stores the new content (the ad now belongs to the version it was written with) and starts processing. */
function applyUpdate(call: BlocketCall, record: BlocketAdRecord, content: AdContent): FakeResponse {
  const previousImageUrls = record.content.imageUrls;
  record.content = content;
  record.version = call.version;
  record.state = "created";
  record.updatedAt = call.context.now();
  startUpdate(call.context, record, previousImageUrls);
  return ok(adToWire(record, { includeLog: true }));
}
