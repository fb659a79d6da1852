import { randomUUID } from "node:crypto";
import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { newDraft, offerJson } from "./offers.ts";
import { errors, json, notFound } from "./responses.ts";
import { type AllegroState, type FakeOffer, isRecord, nowIso } from "./state.ts";
import { titleErrors, validateOffer } from "./validation.ts";

/**
 * The offer API Allegro serves since 2024-01-01 (allegro-api #5729, #7288, #8085:
 * "/sale/product-offers will be the only resources that let you create, read and edit an
 * offer"): `POST /sale/product-offers`, `PATCH` and `GET /sale/product-offers/{offerId}`, and
 * `GET …/operations/{operationId}` for a `202` answer. The OpenAPI `SaleProductOffer` lists
 * `images` as an array of URLs; the fake keeps the offer in one shape (`[{url}]`, as
 * `/sale/offers` has it) and converts at the edge, so both APIs see the same offer.
 */

const readOnly = new Set(["id", "publication", "validation", "createdAt", "updatedAt"]);

/** Product-offer shape → the stored shape (`images: ["url"]` → `[{url}]`). */
const stored = (fields: Record<string, unknown>): Record<string, unknown> => {
  const result = Object.fromEntries(Object.entries(fields).filter(([key]) => !readOnly.has(key)));
  if (Array.isArray(result.images))
    result.images = result.images.map((url) => (typeof url === "string" ? { url } : url));
  return result;
};

/** The offer as `GET /sale/product-offers/{offerId}` answers it. */
export function productOfferJson(state: AllegroState, offer: FakeOffer) {
  const whole = offerJson(state, offer);
  return {
    ...whole,
    images: Array.isArray(whole.images)
      ? whole.images.map((image: unknown) => (isRecord(image) ? String(image.url) : image))
      : [],
  };
}

const badRequest = (): FakeResponse =>
  errors(400, [{ code: "BadRequest", message: "Syntactically incorrect request" }]);

/**
 * A change answered `202` is applied when its operation completes (`taskDelayMs`): until then
 * `GET …/operations/{id}` answers 202 and the offer still shows the old content.
 */
const later = (
  state: AllegroState,
  offer: FakeOffer,
  status: 200 | 201,
  apply: () => void,
): FakeResponse => {
  if (state.options.asyncProductOffers !== true) {
    apply();
    return json(status, productOfferJson(state, offer));
  }
  const operationId = randomUUID();
  state.operations.set(operationId, { offerId: offer.id, done: false, startedAt: nowIso() });
  state.timers.after(state.options.taskDelayMs ?? 50, () => {
    apply();
    const operation = state.operations.get(operationId);
    if (operation !== undefined) operation.done = true;
  });
  return {
    status: 202,
    body: productOfferJson(state, offer),
    headers: {
      location: `/sale/product-offers/${offer.id}/operations/${operationId}`,
      "retry-after": "1",
    },
  };
};

/** `POST /sale/product-offers`: the whole offer in one request; `201 Offer created`. */
export function createProductOffer(state: AllegroState, request: FakeRequest): FakeResponse {
  if (!isRecord(request.body)) return badRequest();
  const fields = stored(request.body);
  const created = newDraft(state, fields);
  if ("refused" in created) return created.refused;
  const offer = created.offer;
  // Until a 202's operation completes, the draft holds only what identifies it.
  if (state.options.asyncProductOffers === true)
    offer.fields = { name: fields.name, category: fields.category, external: fields.external };
  state.events.emit("OFFER_CHANGED", offer);
  return later(state, offer, 201, () => {
    offer.fields = fields;
  });
}

export function getProductOffer(state: AllegroState, offerId: string): FakeResponse {
  const offer = state.offers.get(offerId);
  return offer === undefined
    ? notFound(`Offer ${offerId}`)
    : json(200, productOfferJson(state, offer));
}

/**
 * `PATCH /sale/product-offers/{offerId}`: each top-level field the body carries replaces the
 * offer's; `null` removes it; fields left out stay as they are. A live offer keeps its content
 * when the edit would make it invalid, and the answer's `validation` says why.
 */
export function patchProductOffer(
  state: AllegroState,
  offerId: string,
  request: FakeRequest,
): FakeResponse {
  const offer = state.offers.get(offerId);
  if (offer === undefined) return notFound(`Offer ${offerId}`);
  if (!isRecord(request.body)) return badRequest();
  const changes = stored(request.body);
  if ("name" in changes) {
    const problems = titleErrors(changes.name);
    if (problems.length > 0) return errors(422, problems);
  }
  const next: Record<string, unknown> = { ...offer.fields };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const problems = validateOffer(state, next);
  if (offer.status === "ENDED" || offer.status === "INACTIVE" || problems.length === 0)
    return later(state, offer, 200, () => {
      offer.fields = next;
      offer.updatedAt = nowIso();
      state.events.emit("OFFER_CHANGED", offer);
    });
  return json(200, {
    ...productOfferJson(state, offer),
    validation: {
      errors: problems.map((problem) => ({
        code: problem.code,
        message: problem.message,
        details: null,
        path: problem.path ?? null,
        userMessage: problem.message,
      })),
      validatedAt: nowIso(),
    },
  });
}

/**
 * `GET /sale/product-offers/{offerId}/operations/{operationId}`: `202` with
 * `SaleProductOfferStatusResponse` while processing; `303` with the offer's `Location` when done.
 */
export function productOfferOperation(
  state: AllegroState,
  offerId: string,
  operationId: string,
): FakeResponse {
  const operation = state.operations.get(operationId);
  if (operation === undefined || operation.offerId !== offerId)
    return notFound(`Operation ${operationId}`);
  if (operation.done)
    return { status: 303, headers: { location: `/sale/product-offers/${offerId}` } };
  return {
    status: 202,
    headers: { "retry-after": "1" },
    body: {
      offer: { id: offerId },
      operation: { id: operationId, status: "IN_PROGRESS", startedAt: operation.startedAt },
    },
  };
}
