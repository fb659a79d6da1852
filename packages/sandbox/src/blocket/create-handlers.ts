import type { FakeResponse } from "../http/fake-request.ts";
import { contentFieldsToWire } from "../pro-import/ad-json.ts";
import type { AdContent, AdRecord } from "../pro-import/ad-record.ts";
import { created, ok } from "../pro-import/responses.ts";
import { errorTree, mergeErrorTrees, messages } from "../pro-import/validation/errors.ts";
import { checkField, checkString } from "../pro-import/validation/fields.ts";
import { adToWire, CONTENT_FIELD_ORDER } from "./ad-json.ts";
import type { ApiVersion, BlocketAdRecord } from "./ad-record.ts";
import { resolveDealer } from "./auth.ts";
import { jsonObjectBody } from "./call-helpers.ts";
import type { BlocketCall } from "./context.ts";
import { badRequest, forbidden } from "./responses.ts";
import { validateAdContent } from "./validation/ad-content.ts";
import { startCreate } from "./workflows.ts";

/** A new ad's Blocket fields: no marketplace ids until it is published. */
export function newBlocketRecord(base: AdRecord, version: ApiVersion): BlocketAdRecord {
  return { ...base, version, blocketStoreId: null, bytbilAdId: null, poleUntil: undefined };
}

type NewAd =
  | {
      readonly ok: true;
      readonly sourceId: string;
      readonly dealerCode: string;
      readonly content: AdContent;
    }
  | { readonly ok: false; readonly response: FakeResponse };

/** POST /vN/ad: 201 with the ad and its create log entries as processing. */
export function createAd(call: BlocketCall): FakeResponse {
  const body = jsonObjectBody(call);
  if (!body.ok) return body.response;
  const newAd = parseNewAd(call, body.input, { rejectDuplicate: true });
  if (!newAd.ok) return newAd.response;
  const record = call.context.store.insert(
    {
      sourceId: newAd.sourceId,
      dealerCode: newAd.dealerCode,
      content: newAd.content,
      now: call.context.now(),
    },
    (base) => newBlocketRecord(base, call.version),
  );
  startCreate(call.context, record);
  return created(adToWire(record, { includeLog: true }));
}

/**
 * POST /v3/ad/validate: "validate the input data, without saving anything". Answers the ad as
 * it would be stored; a source_id already in use is not an error here, nothing being created.
 */
export function validateAdOnly(call: BlocketCall): FakeResponse {
  const body = jsonObjectBody(call);
  if (!body.ok) return body.response;
  const newAd = parseNewAd(call, body.input, { rejectDuplicate: false });
  if (!newAd.ok) return newAd.response;
  return ok({
    source_id: newAd.sourceId,
    dealer_code: newAd.dealerCode,
    category_id: newAd.content.categoryId,
    visible: newAd.content.visible,
    ...contentFieldsToWire(newAd.content, CONTENT_FIELD_ORDER, "omit"),
  });
}

function parseNewAd(
  call: BlocketCall,
  input: Readonly<Record<string, unknown>>,
  options: { readonly rejectDuplicate: boolean },
): NewAd {
  const dealer = resolveDealer(call.grant, input.dealer_code);
  if (dealer.kind === "forbidden") return { ok: false, response: forbidden() };
  const sourceId =
    typeof input.source_id === "string" && input.source_id.trim() !== ""
      ? input.source_id
      : undefined;
  if (options.rejectDuplicate && dealer.kind === "dealer" && sourceId !== undefined) {
    // A deleted ad's source_id may be used again: the migration chapter suggests "DELETE the V3
    // ad and POST a new V4 ad with the same source_id".
    const existing = call.context.store.get(dealer.dealerCode, sourceId);
    if (existing?.state === "created") {
      // V4 guide, "409 Conflict - Duplicate source_id"; V3 is given the same answer.
      return {
        ok: false,
        response: { status: 409, body: { source_id: ["Ad with this source_id already exists."] } },
      };
    }
  }
  const validation = validateAdContent(input, call.version);
  if (dealer.kind === "dealer" && sourceId !== undefined && validation.ok) {
    return { ok: true, sourceId, dealerCode: dealer.dealerCode, content: validation.content };
  }
  const errors = mergeErrorTrees(
    errorTree([["source_id", checkField(input.source_id, true, checkString)]]),
    dealer.kind === "invalid" ? dealer.errors : undefined,
    validation.ok ? undefined : validation.errors,
  );
  return { ok: false, response: badRequest(errors ?? { non_field_errors: [messages.required] }) };
}
