import {
  type AdsyncError,
  type HttpRequest,
  type MarketplaceHttp,
  makeMarketplaceApi,
} from "@adsync/core";
import { Effect, Schema } from "effect";
import { invalidResponse, issuesFromBody } from "./errors.ts";
import { featuresOf, WireFeature, WireFeatures } from "./operations/features.ts";
import type { JsonPatchOperation } from "./patch/json-patch.ts";
import {
  WireAdvertisement,
  WireAdvertisementList,
  type WireAttribute,
  WireAttributes,
  WireCategory,
} from "./wire.ts";

/** The Marktplaats endpoints adsync uses, over core's one HTTP path. */
export interface MarktplaatsClient {
  readonly site: string;
  /** `POST /v1/advertisements` with `retry: "unapplied"`: the server chooses the `itemId`. */
  readonly create: (advertisement: unknown) => Effect.Effect<WireAdvertisement, AdsyncError>;
  /** `GET /v1/advertisements/{itemId}`; undefined on 404 `advertisement-not-found`. */
  readonly get: (itemId: string) => Effect.Effect<WireAdvertisement | undefined, AdsyncError>;
  /** `PUT /v1/advertisements/{itemId}`: "the body is the same as for the POST call". */
  readonly replace: (
    itemId: string,
    advertisement: unknown,
  ) => Effect.Effect<WireAdvertisement, AdsyncError>;
  /** `PATCH /v1/advertisements/{itemId}` with a JSON Patch document. */
  readonly patch: (
    itemId: string,
    operations: ReadonlyArray<JsonPatchOperation>,
  ) => Effect.Effect<WireAdvertisement, AdsyncError>;
  /** `DELETE /v1/advertisements/{itemId}`: "found" or, on 404, "missing". */
  readonly remove: (itemId: string) => Effect.Effect<"found" | "missing", AdsyncError>;
  /** Every page of the seller's ads (see `WireAdvertisementList` for the reading). */
  readonly list: Effect.Effect<ReadonlyArray<WireAdvertisement>, AdsyncError>;
  /** `POST /v1/advertisements/{itemId}/images` `{urls, replaceAll: true}` (answered 202). */
  readonly images: (
    itemId: string,
    urls: ReadonlyArray<string>,
  ) => Effect.Effect<void, AdsyncError>;
  /** `GET /v1/advertisements/{itemId}/features`: the paid features and whether each is active. */
  readonly features: (itemId: string) => Effect.Effect<ReadonlyArray<WireFeature>, AdsyncError>;
  /** `POST /v1/advertisements/{itemId}/buy-feature` `{feature}`: buys one (only a 429 retried). */
  readonly buyFeature: (itemId: string, feature: string) => Effect.Effect<WireFeature, AdsyncError>;
  /** `GET /v1/categories` (the L1 list) and `GET /v1/categories/{l1}` (its L2 list). */
  readonly categories: (l1?: number) => Effect.Effect<WireCategory, AdsyncError>;
  /** `GET /v1/categories/{l1}/{l2}/attributes`. */
  readonly attributes: (
    l1: number,
    l2: number,
  ) => Effect.Effect<ReadonlyArray<WireAttribute>, AdsyncError>;
}

/** The most pages one read of the seller's ads follows (a `next` link that loops ends here). */
const maxListPages = 10_000;

const advertisementPath = (itemId: string) => `/v1/advertisements/${encodeURIComponent(itemId)}`;

/**
 * The write requests, pure: the client sends them and the adapter's `describe` shows them
 * (`plan`), so what is planned is what is sent.
 */
export const marktplaatsRequests = {
  /**
   * "itemId … needs to be omitted in a POST action" and there is no idempotency key: only what
   * certainly did not land (429) is sent again here; the adapter reconciles the rest.
   */
  create: (advertisement: unknown): HttpRequest => ({
    method: "POST",
    path: "/v1/advertisements",
    body: advertisement,
    retry: "unapplied",
  }),
  replace: (itemId: string, advertisement: unknown): HttpRequest => ({
    method: "PUT",
    path: advertisementPath(itemId),
    body: advertisement,
  }),
  patch: (itemId: string, operations: ReadonlyArray<JsonPatchOperation>): HttpRequest => ({
    method: "PATCH",
    path: advertisementPath(itemId),
    body: operations,
    // "Officially, the content-type for a PATCH call … should be application/json-patch+json".
    contentType: "application/json-patch+json",
  }),
  remove: (itemId: string): HttpRequest => ({ method: "DELETE", path: advertisementPath(itemId) }),
  get: (itemId: string): HttpRequest => ({ method: "GET", path: advertisementPath(itemId) }),
  /** A purchase is not retried blindly (a lost answer may have bought it): only a 429. */
  buyFeature: (itemId: string, feature: string): HttpRequest => ({
    method: "POST",
    path: `${advertisementPath(itemId)}/buy-feature`,
    body: { feature },
    retry: "unapplied",
  }),
  images: (itemId: string, urls: ReadonlyArray<string>): HttpRequest => ({
    method: "POST",
    path: `${advertisementPath(itemId)}/images`,
    body: { urls, replaceAll: true },
  }),
};

export const makeMarktplaatsClient = (http: MarketplaceHttp): MarktplaatsClient => {
  const site = http.marketplace;
  const api = makeMarketplaceApi(http, {
    errorBody: (response) => ({ issues: issuesFromBody(site, response.status, response.body) }),
  });

  const list = Effect.gen(function* () {
    const found: Array<WireAdvertisement> = [];
    let next: HttpRequest | undefined = { method: "GET", path: "/v1/advertisements" };
    const visited = new Set<string>();
    for (let page = 0; next !== undefined && page < maxListPages; page++) {
      const answer: typeof WireAdvertisementList.Type = yield* api.call(next, {
        success: WireAdvertisementList,
      });
      found.push(...(answer._embedded?.["mp:advertisement"] ?? []));
      const href = answer._links?.next?.href;
      if (href !== undefined && visited.has(href)) {
        return yield* Effect.fail(
          invalidResponse(site, "GET /v1/advertisements", `the next link ${href} loops`),
        );
      }
      if (href !== undefined) visited.add(href);
      next = requestOfLink(href);
    }
    // A cut-off list would make every ad past the cut look deleted (or a lost create absent).
    if (next !== undefined) {
      return yield* Effect.fail(
        invalidResponse(site, "GET /v1/advertisements", `more than ${maxListPages} pages`),
      );
    }
    return found;
  });

  return {
    site,
    create: (advertisement) =>
      api.call(marktplaatsRequests.create(advertisement), { success: WireAdvertisement }),
    get: (itemId) =>
      api.call(marktplaatsRequests.get(itemId), {
        success: WireAdvertisement,
        otherwise: { 404: undefined },
      }),
    replace: (itemId, advertisement) =>
      api.call(marktplaatsRequests.replace(itemId, advertisement), { success: WireAdvertisement }),
    patch: (itemId, operations) =>
      api.call(marktplaatsRequests.patch(itemId, operations), { success: WireAdvertisement }),
    remove: (itemId) =>
      Effect.map(
        api.exchange(marktplaatsRequests.remove(itemId), {
          success: Schema.Unknown,
          otherwise: { 404: undefined },
        }),
        ({ response }) => (response.status === 404 ? "missing" : "found"),
      ),
    list,
    images: (itemId, urls) =>
      Effect.asVoid(
        api.call(marktplaatsRequests.images(itemId, urls), { success: Schema.Unknown }),
      ),
    features: (itemId) =>
      Effect.map(
        api.call(
          { method: "GET", path: `${advertisementPath(itemId)}/features` },
          { success: WireFeatures },
        ),
        featuresOf,
      ),
    buyFeature: (itemId, feature) =>
      api.call(marktplaatsRequests.buyFeature(itemId, feature), { success: WireFeature }),
    categories: (l1) =>
      api.call(
        { method: "GET", path: l1 === undefined ? "/v1/categories" : `/v1/categories/${l1}` },
        { success: WireCategory },
      ),
    attributes: (l1, l2) =>
      Effect.map(
        api.call(
          { method: "GET", path: `/v1/categories/${l1}/${l2}/attributes` },
          { success: WireAttributes },
        ),
        (answer) => answer.fields,
      ),
  } satisfies MarktplaatsClient;
};

/** A HAL link ("/v1/advertisements?offset=50") as a request relative to the base URL. */
const requestOfLink = (href: string | undefined): HttpRequest | undefined => {
  if (href === undefined || href === "") return undefined;
  const url = new URL(href, "http://base.invalid");
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  return { method: "GET", path: url.pathname, query };
};
