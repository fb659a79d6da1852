import { randomBytes, randomUUID } from "node:crypto";
import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { errorEntry, errors, json, notFound } from "./responses.ts";
import { type AllegroState, type FakeOffer, isRecord, nowIso } from "./state.ts";
import { titleErrors, validateOffer } from "./validation.ts";

/** Fields GET answers that a client cannot set. */
const readOnly = new Set(["id", "publication", "validation", "createdAt", "updatedAt"]);

/** Section 7's sample answer: the whole structure, nulls where nothing was set. */
const emptyFields = {
  name: null,
  category: null,
  parameters: [],
  ean: null,
  description: null,
  compatibilityList: null,
  images: [],
  sellingMode: null,
  stock: null,
  delivery: null,
  payments: null,
  afterSalesServices: null,
  additionalServices: null,
  sizeTable: null,
  fundraisingCampaign: null,
  promotion: null,
  location: null,
  external: null,
  attachments: [],
  contact: null,
};

export function offerJson(state: AllegroState, offer: FakeOffer) {
  return {
    id: offer.id,
    ...emptyFields,
    ...offer.fields,
    publication: {
      duration: null,
      status: offer.status,
      startingAt: offer.startingAt,
      endingAt: null,
      endedBy: offer.endedBy,
    },
    validation: {
      errors: validateOffer(state, offer.fields).map(errorEntry),
      validatedAt: nowIso(),
    },
    createdAt: offer.createdAt,
    updatedAt: offer.updatedAt,
  };
}

const writable = (body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body).filter(([key]) => !readOnly.has(key)));

/**
 * A new draft from the fields of either offer API: "You can transfer partial data (at least
 * title and ad category)". Answers the 422 when they are missing, else the stored draft.
 */
export function newDraft(
  state: AllegroState,
  fields: Record<string, unknown>,
): { readonly refused: FakeResponse } | { readonly offer: FakeOffer } {
  const problems = titleErrors(fields.name);
  if (problems.length > 0 || !isRecord(fields.category))
    return {
      refused: errors(422, [
        ...problems,
        ...(isRecord(fields.category)
          ? []
          : [{ code: "VALIDATION_ERROR", message: "Category is required.", path: "category" }]),
      ]),
    };
  const id = String(state.nextOfferId++);
  const at = nowIso();
  const offer: FakeOffer = {
    id,
    fields,
    status: "INACTIVE",
    endedBy: null,
    startingAt: null,
    createdAt: at,
    updatedAt: at,
    packages: undefined,
  };
  state.offers.set(id, offer);
  return { offer };
}

export function createOffer(state: AllegroState, request: FakeRequest): FakeResponse {
  if (!isRecord(request.body))
    return errors(400, [{ code: "BadRequest", message: "Syntactically incorrect request" }]);
  const created = newDraft(state, writable(request.body));
  if ("refused" in created) return created.refused;
  // OpenAPI createOfferUsingPOST: "200 Offer created successfully".
  return json(200, offerJson(state, created.offer));
}

export function getOffer(state: AllegroState, offerId: string): FakeResponse {
  const offer = state.offers.get(offerId);
  return offer === undefined ? notFound(`Offer ${offerId}`) : json(200, offerJson(state, offer));
}

/**
 * "Even if you update only one field, you have to send the complete structure": the PUT body
 * replaces the stored fields, so a field left out is gone.
 */
export function replaceOffer(
  state: AllegroState,
  offerId: string,
  request: FakeRequest,
): FakeResponse {
  const offer = state.offers.get(offerId);
  if (offer === undefined) return notFound(`Offer ${offerId}`);
  if (!isRecord(request.body))
    return errors(400, [{ code: "BadRequest", message: "Syntactically incorrect request" }]);
  const problems = titleErrors(request.body.name);
  if (problems.length > 0) return errors(422, problems);
  if (
    offer.status === "ENDED" ||
    offer.status === "INACTIVE" ||
    validateOffer(state, writable(request.body)).length === 0
  ) {
    offer.fields = writable(request.body);
    offer.updatedAt = nowIso();
    return json(200, offerJson(state, offer));
  }
  // A live offer keeps its content when the edit is invalid; the answer shows why.
  return json(200, {
    ...offerJson(state, offer),
    validation: {
      errors: validateOffer(state, writable(request.body)).map(errorEntry),
      validatedAt: nowIso(),
    },
  });
}

/** "Delete a draft offer": 204; an offer that was ever published cannot be deleted. */
export function deleteOffer(state: AllegroState, offerId: string): FakeResponse {
  const offer = state.offers.get(offerId);
  if (offer === undefined) return notFound(`Offer ${offerId}`);
  if (offer.status !== "INACTIVE")
    return errors(422, [{ code: "OfferNotDraft", message: "Only draft offers can be deleted." }]);
  state.offers.delete(offerId);
  return { status: 204 };
}

/** `GET /sale/offers`: filters `external.id` (repeated), `publication.status`, `limit`, `offset`. */
export function listOffers(state: AllegroState, request: FakeRequest): FakeResponse {
  const externalIds = request.url.searchParams.getAll("external.id");
  if (externalIds.length > 100)
    return errors(400, [{ code: "BadRequest", message: "At most 100 external.id values." }]);
  const statuses = request.url.searchParams.getAll("publication.status");
  const matching = [...state.offers.values()].filter((offer) => {
    const external = isRecord(offer.fields.external) ? String(offer.fields.external.id) : undefined;
    return (
      (externalIds.length === 0 || (external !== undefined && externalIds.includes(external))) &&
      (statuses.length === 0 || statuses.includes(offer.status))
    );
  });
  const limit = Math.min(Number(request.query.limit ?? 20) || 20, 1000);
  const offset = Number(request.query.offset ?? 0) || 0;
  const page = matching.slice(offset, offset + limit);
  return json(200, {
    offers: page.map((offer) => ({
      id: offer.id,
      name: offer.fields.name ?? null,
      category: offer.fields.category ?? null,
      publication: { status: offer.status, startingAt: offer.startingAt, endedBy: offer.endedBy },
      sellingMode: offer.fields.sellingMode ?? null,
      external: offer.fields.external ?? null,
    })),
    count: page.length,
    totalCount: matching.length,
  });
}

/** "+48 55 555 57 77": the guide's answers show Polish numbers normalized. */
export const normalizePhone = (number: string): string => {
  const digits = number.replace(/\D/g, "");
  const local = digits.length === 11 && digits.startsWith("48") ? digits.slice(2) : digits;
  if (local.length !== 9) return number;
  return `+48 ${local.slice(0, 2)} ${local.slice(2, 5)} ${local.slice(5, 7)} ${local.slice(7)}`;
};

/** "You cannot have more than 50 contacts … up to 1 email address, 2 phone numbers". */
export function createContact(state: AllegroState, request: FakeRequest): FakeResponse {
  const body = request.body;
  if (!isRecord(body))
    return errors(400, [{ code: "BadRequest", message: "Syntactically incorrect request" }]);
  const emails = Array.isArray(body.emails) ? body.emails.filter(isRecord) : [];
  const phones = Array.isArray(body.phones) ? body.phones.filter(isRecord) : [];
  const problems = [
    ...(typeof body.name !== "string" || body.name === "" || body.name.length > 250
      ? [
          {
            code: "VALIDATION_ERROR",
            message: "Contact name is required, at most 250 characters.",
            path: "name",
          },
        ]
      : []),
    ...(emails.length > 1
      ? [
          {
            code: "VALIDATION_ERROR",
            message: "A contact can have one email address.",
            path: "emails",
          },
        ]
      : []),
    ...(phones.length > 2
      ? [
          {
            code: "VALIDATION_ERROR",
            message: "A contact can have up to two phone numbers.",
            path: "phones",
          },
        ]
      : []),
    ...(state.contacts.length >= 50
      ? [
          {
            code: "ContactsLimitExceeded",
            message: "You cannot have more than 50 contacts.",
            path: "",
          },
        ]
      : []),
  ];
  if (problems.length > 0) return errors(422, problems);
  const contact = {
    id: randomUUID(),
    name: String(body.name),
    emails: emails.map((entry) => ({ address: String(entry.address) })),
    phones: phones.map((entry) => ({ number: normalizePhone(String(entry.number)) })),
  };
  state.contacts.push(contact);
  return json(201, contact);
}

/** `POST /sale/images` by link: 201 with `location` and `expiresAt`; 413, 415 and 422 otherwise. */
export function uploadImage(state: AllegroState, request: FakeRequest): FakeResponse {
  const url =
    isRecord(request.body) && typeof request.body.url === "string" ? request.body.url : undefined;
  if (url === undefined || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    return errors(422, [
      { code: "InvalidImageUrl", message: "The image URL must be http or https.", path: "url" },
    ]);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(new URL(url).hostname))
    return errors(422, [
      {
        code: "InvalidImageUrl",
        message: "It has to contain domain name, not an IP address.",
        path: "url",
      },
    ]);
  if (url.includes("too-big"))
    return errors(413, [{ code: "ImageTooBig", message: "image is too big" }]);
  if (/\.(gif|bmp|svg)$/i.test(url))
    return errors(415, [{ code: "UnsupportedMediaType", message: "incorrect image type" }]);
  const location = `https://a.allegroimg.allegrosandbox.pl/original/${randomBytes(3).toString("hex")}/${randomBytes(14).toString("hex")}`;
  const expiresAt = state.timers.now() + (state.options.imageTtlMs ?? 24 * 3600 * 1000);
  state.images.set(location, expiresAt);
  return json(201, { location, expiresAt: new Date(expiresAt).toISOString() });
}

/** `PUT /sale/offer-contacts/{id}`: the contact replaced by the body (same limits as POST). */
export function updateContact(
  state: AllegroState,
  contactId: string,
  request: FakeRequest,
): FakeResponse {
  const index = state.contacts.findIndex((entry) => entry.id === contactId);
  if (index < 0) return notFound(`Contact ${contactId}`);
  const body = request.body;
  if (!isRecord(body) || typeof body.name !== "string" || body.name === "")
    return errors(422, [
      { code: "VALIDATION_ERROR", message: "Contact name is required.", path: "name" },
    ]);
  const emails = Array.isArray(body.emails) ? body.emails.filter(isRecord) : [];
  const phones = Array.isArray(body.phones) ? body.phones.filter(isRecord) : [];
  if (emails.length > 1 || phones.length > 2)
    return errors(422, [
      { code: "VALIDATION_ERROR", message: "1 email address, 2 phone numbers at most.", path: "" },
    ]);
  const contact = {
    id: contactId,
    name: body.name,
    emails: emails.map((entry) => ({ address: String(entry.address) })),
    phones: phones.map((entry) => ({ number: normalizePhone(String(entry.number)) })),
  };
  state.contacts[index] = contact;
  return json(200, contact);
}
