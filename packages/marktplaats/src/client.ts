import type { AdsyncError, HttpRequest, HttpResponse, MarketplaceHttp } from "@adsync/core";
import { Effect, Either, Schema } from "effect";
import type { TokenSource } from "./auth.ts";
import { errorFromResponse, invalidResponse } from "./errors.ts";
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
  /** `POST /v1/advertisements`, never retried blindly: the server chooses the `itemId`. */
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
  /** `POST /v1/advertisements/{itemId}/buy-feature` `{feature}`: buys one (never retried). */
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
  /** "itemId … needs to be omitted in a POST action" and there is no idempotency key. */
  create: (advertisement: unknown): HttpRequest => ({
    method: "POST",
    path: "/v1/advertisements",
    body: advertisement,
    retry: false,
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
  /** A purchase is not retried blindly: a lost answer may have bought it. */
  buyFeature: (itemId: string, feature: string): HttpRequest => ({
    method: "POST",
    path: `${advertisementPath(itemId)}/buy-feature`,
    body: { feature },
    retry: false,
  }),
  images: (itemId: string, urls: ReadonlyArray<string>): HttpRequest => ({
    method: "POST",
    path: `${advertisementPath(itemId)}/images`,
    body: { urls, replaceAll: true },
  }),
};

export const makeMarktplaatsClient = (
  http: MarketplaceHttp,
  tokens: TokenSource,
): MarktplaatsClient => {
  const site = http.marketplace;

  /** One request; a 401 refreshes the token once and tries again ("refreshed … on a 401 once"). */
  const send = (request: HttpRequest) =>
    Effect.flatMap(http.request(request), (response) =>
      response.status === 401
        ? Effect.zipRight(tokens.invalidate, http.request(request))
        : Effect.succeed(response),
    );

  const expect = <A, I>(
    schema: Schema.Schema<A, I>,
    request: HttpRequest,
    accepted: (status: number) => boolean,
  ) => {
    const operation = `${request.method} ${request.path}`;
    return Effect.flatMap(send(request), (response) =>
      accepted(response.status)
        ? decode(schema, operation, response)
        : Effect.fail(errorFromResponse(site, operation, response)),
    );
  };

  const decode = <A, I>(schema: Schema.Schema<A, I>, operation: string, response: HttpResponse) => {
    const decoded = Schema.decodeUnknownEither(schema)(response.body);
    return Either.isRight(decoded)
      ? Effect.succeed(decoded.right)
      : Effect.fail(
          invalidResponse(site, operation, `unreadable answer (${decoded.left.message})`),
        );
  };

  const ok = (status: number) => status >= 200 && status < 300;

  const list = Effect.gen(function* () {
    const found: Array<WireAdvertisement> = [];
    let next: HttpRequest | undefined = { method: "GET", path: "/v1/advertisements" };
    const visited = new Set<string>();
    for (let page = 0; next !== undefined && page < maxListPages; page++) {
      const answer: typeof WireAdvertisementList.Type = yield* expect(
        WireAdvertisementList,
        next,
        ok,
      );
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
      expect(WireAdvertisement, marktplaatsRequests.create(advertisement), ok),
    get: (itemId) => {
      const request = marktplaatsRequests.get(itemId);
      return Effect.flatMap(send(request), (response) =>
        response.status === 404
          ? Effect.succeed(undefined)
          : ok(response.status)
            ? decode(WireAdvertisement, `GET ${request.path}`, response)
            : Effect.fail(errorFromResponse(site, `GET ${request.path}`, response)),
      );
    },
    replace: (itemId, advertisement) =>
      expect(WireAdvertisement, marktplaatsRequests.replace(itemId, advertisement), ok),
    patch: (itemId, operations) =>
      expect(WireAdvertisement, marktplaatsRequests.patch(itemId, operations), ok),
    remove: (itemId) => {
      const request = marktplaatsRequests.remove(itemId);
      return Effect.flatMap(send(request), (response) =>
        response.status === 404
          ? Effect.succeed("missing" as const)
          : ok(response.status)
            ? Effect.succeed("found" as const)
            : Effect.fail(errorFromResponse(site, `DELETE ${request.path}`, response)),
      );
    },
    list,
    images: (itemId, urls) =>
      Effect.asVoid(expect(Schema.Unknown, marktplaatsRequests.images(itemId, urls), ok)),
    features: (itemId) =>
      Effect.map(
        expect(WireFeatures, { method: "GET", path: `${advertisementPath(itemId)}/features` }, ok),
        featuresOf,
      ),
    buyFeature: (itemId, feature) =>
      expect(WireFeature, marktplaatsRequests.buyFeature(itemId, feature), ok),
    categories: (l1) =>
      expect(
        WireCategory,
        { method: "GET", path: l1 === undefined ? "/v1/categories" : `/v1/categories/${l1}` },
        ok,
      ),
    attributes: (l1, l2) =>
      Effect.map(
        expect(
          WireAttributes,
          { method: "GET", path: `/v1/categories/${l1}/${l2}/attributes` },
          ok,
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
