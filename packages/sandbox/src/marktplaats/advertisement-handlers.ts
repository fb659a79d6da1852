import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { embeddedImages, imageJson } from "./advertisement-images.ts";
import { applyPatch } from "./json-patch.ts";
import { advertisementNotFound, errorResponse, validationFailure } from "./responses.ts";
import { type AdvertisementStore, deriveLocation, type StoredAdvertisement } from "./store.ts";
import {
  documentedFields,
  serverFields,
  updateRefusals,
  type ValidationSettings,
  validateAdvertisement,
} from "./validation.ts";

export interface AdvertisementCall {
  readonly request: FakeRequest;
  readonly sellerId: number;
  readonly store: AdvertisementStore;
  readonly settings: ValidationSettings;
  readonly pageSize: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** "At the moment we only support application/json" (PATCH also takes json-patch+json). */
function bodyProblem(request: FakeRequest, patch: boolean): FakeResponse | undefined {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  const accepted = patch
    ? ["application/json", "application/json-patch+json"]
    : ["application/json"];
  if (type === undefined || !accepted.includes(type)) {
    return errorResponse(
      400,
      "incorrect-content-type",
      `Content-Type ${type ?? "(none)"} is not supported`,
    );
  }
  if (request.bodyParseError !== undefined || request.body === undefined) {
    return errorResponse(400, "invalid-json", "The provided json is invalid");
  }
  return undefined;
}

/** The writable part of a body: what the server writes itself is ignored. */
function writable(body: Record<string, unknown>, sellerId: number): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!serverFields.includes(key)) document[key] = value;
  }
  if (isObject(document.seller)) document.seller = { ...document.seller, sellerId };
  if (isObject(document.location)) document.location = deriveLocation(document.location);
  return document;
}

export function toJson(stored: StoredAdvertisement): Record<string, unknown> {
  return {
    _links: { self: { href: `/v1/advertisements/${stored.itemId}` } },
    ...stored.document,
    ...embeddedImages(stored),
  };
}

/** A POST or PUT body as a valid document, or the error to answer. */
function readAdvertisement(
  call: AdvertisementCall,
  updateOf?: StoredAdvertisement,
): Record<string, unknown> | FakeResponse {
  const problem = bodyProblem(call.request, false);
  if (problem !== undefined) return problem;
  if (!isObject(call.request.body)) {
    return errorResponse(400, "invalid-json", "An advertisement is an object");
  }
  const document = writable(call.request.body, call.sellerId);
  const errors = [
    ...(updateOf === undefined ? [] : refusalsOf(call, updateOf, document)),
    ...validateAdvertisement(document, call.settings),
  ];
  return errors.length > 0 ? validationFailure(errors) : document;
}

/** What an update of `stored` to `document` may not change (see `updateRefusals`). */
const refusalsOf = (
  call: AdvertisementCall,
  stored: StoredAdvertisement,
  document: Record<string, unknown>,
) =>
  updateRefusals(stored.document, document, {
    settings: call.settings,
    categoryChanged: stored.categoryChanged,
    now: call.store.now(),
  });

export function createAdvertisement(call: AdvertisementCall): FakeResponse {
  const document = readAdvertisement(call);
  if (isResponse(document)) return document;
  const now = new Date(call.store.now());
  const stored = call.store.insert(call.sellerId, {
    ...document,
    status: "online",
    startDate: now.toISOString(),
    closeDate: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    renewPossible: false,
  });
  call.store.scheduleEnrichment(stored);
  return { status: 201, body: toJson(stored) };
}

export function listAdvertisements(call: AdvertisementCall): FakeResponse {
  const all = call.store.ofSeller(call.sellerId);
  const offset = Math.max(0, Number(call.request.query.offset ?? 0) || 0);
  const limit = Math.min(
    call.pageSize,
    Math.max(1, Number(call.request.query.limit ?? call.pageSize) || call.pageSize),
  );
  const page = all.slice(offset, offset + limit);
  const next =
    offset + limit < all.length
      ? `/v1/advertisements?offset=${offset + limit}&limit=${limit}`
      : undefined;
  return {
    status: 200,
    body: {
      _links: {
        self: { href: `/v1/advertisements?offset=${offset}&limit=${limit}` },
        ...(next === undefined ? {} : { next: { href: next } }),
      },
      totalCount: all.length,
      _embedded: { "mp:advertisement": page.map(toJson) },
    },
  };
}

/** The caller's live advertisement, or the answer to give instead. */
export function owned(call: AdvertisementCall, itemId: string): StoredAdvertisement | FakeResponse {
  // "The item id provided does not match [a-z][0-9]*".
  if (!/^[a-z][0-9]*$/.test(itemId))
    return errorResponse(400, "invalid-item-id", `${itemId} is not an item id`);
  const stored = call.store.get(itemId);
  if (stored === undefined || stored.deleted || stored.sellerId !== call.sellerId)
    return advertisementNotFound(itemId);
  return stored;
}

/** Documents never carry a numeric `status` (it is a server field, a string): answers do. */
export const isResponse = (value: object): value is FakeResponse =>
  "status" in value && typeof value.status === "number";

export function getAdvertisement(call: AdvertisementCall, itemId: string): FakeResponse {
  const stored = owned(call, itemId);
  return isResponse(stored) ? stored : { status: 200, body: toJson(stored) };
}

export function deleteAdvertisement(call: AdvertisementCall, itemId: string): FakeResponse {
  const stored = owned(call, itemId);
  if (isResponse(stored)) return stored;
  stored.deleted = true;
  return { status: 204 };
}

/** PUT: "You need to provide the full advertisement"; what the server wrote is kept. */
export function replaceAdvertisement(call: AdvertisementCall, itemId: string): FakeResponse {
  const stored = owned(call, itemId);
  if (isResponse(stored)) return stored;
  const document = readAdvertisement(call, stored);
  if (isResponse(document)) return document;
  if (document.categoryId !== stored.document.categoryId) stored.categoryChanged = true;
  stored.document = { ...serverPart(stored.document), ...document };
  call.store.scheduleEnrichment(stored);
  return { status: 200, body: toJson(stored) };
}

const serverPart = (document: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(document).filter(([key]) => serverFields.includes(key)));

/**
 * Top-level fields a PATCH may touch: "We currently support the operations … for the
 * following fields: title, description, priceModel, all optional fields (attributes)", plus
 * `location`, which the doc's own PATCH example changes ("the most reliable way to change the
 * postcode"). Every other documented field (seller, licensePlate, url, categoryId, …) goes
 * through PUT.
 */
const patchable = new Set(["title", "description", "priceModel", "location"]);
const patchableTop = (top: string) => patchable.has(top) || !documentedFields.has(top);

/**
 * PATCH: "We currently support the operations replace, add, copy, move and remove … The test
 * operation will not be supported for the time being"; a patch that cannot be applied is 409
 * `conflicting-state`, and the result must still be a valid advertisement.
 */
export function patchAdvertisement(call: AdvertisementCall, itemId: string): FakeResponse {
  const stored = owned(call, itemId);
  if (isResponse(stored)) return stored;
  const problem = bodyProblem(call.request, true);
  if (problem !== undefined) return problem;
  const operations = call.request.body;
  if (!Array.isArray(operations))
    return errorResponse(400, "invalid-json", "A JSON Patch document is an array");
  for (const operation of operations) {
    if (isObject(operation) && operation.op === "test") {
      return validationFailure([
        { field: "op", code: "input-not-allowed", message: "The test operation is not supported" },
      ]);
    }
    const paths = isObject(operation) ? [operation.path, operation.from] : [];
    for (const path of paths) {
      const top = typeof path === "string" ? path.split("/")[1] : undefined;
      if (top !== undefined && !patchableTop(top)) {
        return validationFailure([
          {
            field: String(path).slice(1).replace(/\//g, "."),
            code: "field-not-editable",
            message: "This field may not be edited",
          },
        ]);
      }
    }
  }
  const applied = applyPatch(stored.document, operations);
  if (!applied.ok) {
    return applied.reason === "conflict"
      ? errorResponse(409, "conflicting-state", `The patch is not possible: ${applied.message}`)
      : errorResponse(400, "invalid-json", `Not a valid JSON Patch: ${applied.message}`);
  }
  if (!isObject(applied.document))
    return errorResponse(409, "conflicting-state", "The advertisement must stay an object");
  const document = { ...applied.document };
  if (isObject(document.location)) document.location = deriveLocation(document.location);
  const content = Object.fromEntries(
    Object.entries(document).filter(([key]) => !serverFields.includes(key)),
  );
  const errors = [
    ...validateAdvertisement(content, call.settings),
    ...refusalsOf(call, stored, document),
  ];
  if (errors.length > 0) return validationFailure(errors);
  const plateBefore = stored.document.licensePlate;
  stored.document = document;
  if (document.licensePlate !== plateBefore) call.store.scheduleEnrichment(stored);
  return { status: 200, body: toJson(stored) };
}

/** `POST /v1/advertisements/{itemId}/images` `{urls, replaceAll}` → 202, images downloading. */
export function postImages(call: AdvertisementCall, itemId: string): FakeResponse {
  const stored = owned(call, itemId);
  if (isResponse(stored)) return stored;
  const problem = bodyProblem(call.request, false);
  if (problem !== undefined) return problem;
  const body = call.request.body;
  const urls = isObject(body) && Array.isArray(body.urls) ? body.urls : undefined;
  if (
    urls === undefined ||
    !urls.every((url) => typeof url === "string" && /^(https?):\/\/\S+$/.test(url))
  ) {
    return validationFailure([
      { field: "urls", code: "input-invalid", message: "urls must be http(s) URLs" },
    ]);
  }
  const strings = urls.filter((url): url is string => typeof url === "string");
  call.store.replaceImages(
    stored,
    isObject(body) && body.replaceAll === false
      ? [...stored.images.map((image) => image.url), ...strings]
      : strings,
  );
  return {
    status: 202,
    body: {
      _embedded: {
        "mp:advertisement-image": stored.images.map(imageJson),
      },
    },
  };
}
