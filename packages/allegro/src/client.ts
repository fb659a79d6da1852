import {
  AdsyncError,
  type Answered,
  type HttpRequest,
  type MarketplaceApi,
  type MarketplaceHttp,
  makeMarketplaceApi,
  operationOf,
  pollingSchedule,
  pollUntil,
} from "@adsync/core";
import { Effect, Option, type Schedule, Schema } from "effect";
import {
  ALLEGRO,
  allegroMediaType,
  descriptiveUserAgent,
  externalIdsPerLookup,
  type OfferApi,
} from "./config.ts";
import { allegroErrorBody, invalidResponse, type ParameterPaths } from "./errors.ts";
import {
  AssignedPackages,
  CategoryList,
  CategoryNode,
  CategoryParameterList,
  Contact,
  ContactList,
  FeePreview,
  ImageUpload,
  OfferAnswer,
  OfferEvents,
  OfferList,
  PackageConfigs,
  TaskReport,
  type WireClassifiedPackages,
  type WireContactRequest,
  type WirePublicationCommand,
} from "./wire.ts";

/** An offer as Allegro answered it: the decoded fields we read, and the whole structure. */
export interface OfferDocument {
  readonly offer: OfferAnswer;
  /** Everything Allegro sent: "transfer the whole structure" on every PUT (Editing ad data). */
  readonly raw: Readonly<Record<string, unknown>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Every body goes with Allegro's media type ("Content-Type: application/vnd.allegro.public.v1+json"). */
export const withMediaType = (request: HttpRequest): HttpRequest =>
  request.body === undefined ? request : { ...request, contentType: allegroMediaType };

/**
 * The requests that change something on Allegro (and the reads around them), pure: the client
 * sends them and the adapter's `describe` shows them (`plan`), so what is planned is what is sent.
 */
export const allegroRequests = {
  /** Repeated query keys: core's query record holds one value per key. */
  findByExternalIds: (ids: ReadonlyArray<string>): HttpRequest => ({
    method: "GET",
    path: `/sale/offers?${ids.map((id) => `external.id=${encodeURIComponent(id)}`).join("&")}`,
    query: { limit: 1000 },
  }),
  getOffer: (offerId: string): HttpRequest => ({ method: "GET", path: `/sale/offers/${offerId}` }),
  /** Only a 429 is sent again: a draft POST has no idempotency key; the caller reconciles by external.id. */
  createDraft: (body: unknown): HttpRequest => ({
    method: "POST",
    path: "/sale/offers",
    body,
    retry: "unapplied",
  }),
  /**
   * `POST /sale/product-offers`: the whole offer in one request (allegro-api #5729, #8085).
   * `retry: "unapplied"`: no idempotency key; the caller reconciles by external.id.
   */
  createProductOffer: (body: unknown): HttpRequest => ({
    method: "POST",
    path: "/sale/product-offers",
    body,
    retry: "unapplied",
  }),
  getProductOffer: (offerId: string): HttpRequest => ({
    method: "GET",
    path: `/sale/product-offers/${offerId}`,
  }),
  /** "PATCH changes only the fields it carries; null removes one" (allegro-api #7288). */
  patchProductOffer: (offerId: string, body: unknown): HttpRequest => ({
    method: "PATCH",
    path: `/sale/product-offers/${offerId}`,
    body,
  }),
  putOffer: (offerId: string, body: unknown): HttpRequest => ({
    method: "PUT",
    path: `/sale/offers/${offerId}`,
    body,
  }),
  deleteOffer: (offerId: string): HttpRequest => ({
    method: "DELETE",
    path: `/sale/offers/${offerId}`,
  }),
  createContact: (body: WireContactRequest): HttpRequest => ({
    method: "POST",
    path: "/sale/offer-contacts",
    body,
    retry: "unapplied",
  }),
  updateContact: (contactId: string, body: WireContactRequest): HttpRequest => ({
    method: "PUT",
    path: `/sale/offer-contacts/${contactId}`,
    body,
  }),
  uploadImage: (url: string): HttpRequest => ({
    method: "POST",
    path: "/sale/images",
    body: { url },
  }),
  assignPackages: (offerId: string, body: WireClassifiedPackages): HttpRequest => ({
    method: "PUT",
    path: `/sale/offer-classifieds-packages/${offerId}`,
    body,
  }),
  feePreview: (body: unknown): HttpRequest => ({
    method: "POST",
    path: "/pricing/offer-fee-preview",
    body,
  }),
  putCommand: (commandId: string, body: WirePublicationCommand): HttpRequest => ({
    method: "PUT",
    path: `/sale/offer-publication-commands/${commandId}`,
    body,
  }),
};

/**
 * How `GET …/operations/{operationId}` is polled after a `202`: quickly at first, then every
 * 5 s at most, 40 reads in all (OpenAPI: "An estimate time in seconds of when you should poll").
 */
export const defaultOperationPolling: Schedule.Schedule<unknown, unknown> = pollingSchedule({
  first: "100 millis",
  atMost: "5 seconds",
  reads: 40,
});

/** Where an error's issues point: the category's parameters, and a path for body-less errors. */
interface ErrorContext {
  readonly parameterPaths?: ParameterPaths | undefined;
  readonly fallbackPath?: string | undefined;
}

/**
 * Allegro's endpoints over core's `MarketplaceApi`: one API for the API host and one for the
 * upload host. Every body goes with `Content-Type: application/vnd.allegro.public.v1+json`
 * (the `Accept` header is the client's `accept` option). A 401 refreshes the token once and
 * repeats the request (core's refreshing bearer, below this client).
 */
export const makeAllegroClient = (hosts: {
  readonly api: MarketplaceHttp;
  readonly upload: MarketplaceHttp;
  /** Checked before every request: Allegro refuses non-descriptive User-Agents. */
  readonly userAgent: string;
  /** Which offer API creates, reads and edits offers (default "product-offers"). */
  readonly offerApi?: OfferApi | undefined;
  readonly operationPolling?: Schedule.Schedule<unknown, unknown> | undefined;
}) => {
  const offerApi = hosts.offerApi ?? "product-offers";
  const apiOf = (http: MarketplaceHttp) =>
    makeMarketplaceApi<ErrorContext>(http, {
      errorBody: (response, context) =>
        allegroErrorBody(response, context?.parameterPaths, context?.fallbackPath),
      prepare: (request) =>
        descriptiveUserAgent.test(hosts.userAgent)
          ? Effect.succeed(withMediaType(request))
          : Effect.fail(
              new AdsyncError({
                reason: "Configuration",
                marketplace: ALLEGRO,
                operation: operationOf(request),
                message: `userAgent "${hosts.userAgent}" is not descriptive: Allegro requires "App/version (+url)", e.g. "MyDms/2.1 (+https://dms.example.com)" (allegro-api #13260).`,
              }),
            ),
      emptyBody: {},
    });
  const api = apiOf(hosts.api);
  const upload = apiOf(hosts.upload);

  /** Sends, fails on a non-2xx answer, decodes the 2xx body leniently. */
  const call = <A, I>(
    on: MarketplaceApi<ErrorContext>,
    request: HttpRequest,
    schema: Schema.Schema<A, I>,
    parameterPaths?: ParameterPaths,
    fallbackPath?: string,
  ): Effect.Effect<Answered<A>, AdsyncError> =>
    on.exchange(request, { success: schema, context: { parameterPaths, fallbackPath } });

  const toDocument = ({ value, response }: Answered<OfferAnswer>) => ({
    offer: value,
    raw: isRecord(response.body) ? response.body : {},
  });

  /**
   * Polls the `Location` of a `202` until the operation is done: `202` still processing, `303`
   * (or the offer itself when a client follows the redirect) done.
   */
  const awaitOperation = (location: string) => {
    const request: HttpRequest = { method: "GET", path: location.replace(/^https?:\/\/[^/]+/, "") };
    const read = Effect.map(
      api.exchange(request, { success: Schema.Unknown, otherwise: { 303: undefined } }),
      ({ response }) => (response.status === 202 ? Option.none() : Option.some(response.status)),
    );
    return Effect.flatMap(
      pollUntil(read, hosts.operationPolling ?? defaultOperationPolling),
      Option.match({
        onNone: () =>
          Effect.fail(invalidResponse(operationOf(request), "the operation did not complete")),
        onSome: () => Effect.void,
      }),
    );
  };

  /**
   * An offer request answered with the offer. A product-offer `202` ("accepted for processing,
   * but the processing has not been completed") is polled through its `Location` and the offer
   * read once it completed, so the caller always gets the offer as it now is.
   */
  const document = (
    request: HttpRequest,
    parameterPaths?: ParameterPaths,
  ): Effect.Effect<OfferDocument, AdsyncError> =>
    Effect.gen(function* () {
      const answer = yield* call(api, request, OfferAnswer, parameterPaths);
      const location = answer.response.headers.location;
      if (answer.response.status !== 202 || location === undefined) return toDocument(answer);
      yield* awaitOperation(location);
      return toDocument(
        yield* call(api, allegroRequests.getProductOffer(answer.value.id), OfferAnswer),
      );
    });

  const Empty = Schema.Unknown;

  return {
    /**
     * `GET /sale/offers?external.id=…`: "Passing more than one value will search for offers
     * with any of the given IDs", at most 100 per call.
     */
    findByExternalIds: (ids: ReadonlyArray<string>) =>
      Effect.map(
        Effect.forEach(
          chunk(ids, externalIdsPerLookup),
          (part) => call(api, allegroRequests.findByExternalIds(part), OfferList),
          { concurrency: 1 },
        ),
        (pages) => pages.flatMap((page) => page.value.offers),
      ),
    offerApi,
    getOffer: (offerId: string) =>
      document(
        offerApi === "product-offers"
          ? allegroRequests.getProductOffer(offerId)
          : allegroRequests.getOffer(offerId),
      ),
    /** The draft POST of the configured offer API (a complete offer for product-offers). */
    createDraft: (body: unknown) =>
      document(
        offerApi === "product-offers"
          ? allegroRequests.createProductOffer(body)
          : allegroRequests.createDraft(body),
      ),
    patchOffer: (offerId: string, body: unknown, parameterPaths: ParameterPaths) =>
      document(allegroRequests.patchProductOffer(offerId, body), parameterPaths),
    putOffer: (offerId: string, body: unknown, parameterPaths: ParameterPaths) =>
      document(allegroRequests.putOffer(offerId, body), parameterPaths),
    deleteOffer: (offerId: string) => call(api, allegroRequests.deleteOffer(offerId), Empty),
    contacts: Effect.map(
      call(api, { method: "GET", path: "/sale/offer-contacts" }, ContactList),
      ({ value }) => value.contacts,
    ),
    createContact: (body: WireContactRequest) =>
      Effect.map(
        call(api, allegroRequests.createContact(body), Contact, undefined, "contact"),
        ({ value }) => value,
      ),
    /** `PUT /sale/offer-contacts/{id}`: the contact replaced by the body (idempotent). */
    updateContact: (contactId: string, body: WireContactRequest) =>
      Effect.map(
        call(api, allegroRequests.updateContact(contactId, body), Contact, undefined, "contact"),
        ({ value }) => value,
      ),
    uploadImage: (url: string, index: number) =>
      Effect.map(
        call(upload, allegroRequests.uploadImage(url), ImageUpload, undefined, `images.${index}`),
        ({ value }) => value,
      ),
    /** `GET /sale/categories`: the main categories with no parent ("" here), else the children. */
    categories: (parentId: string) =>
      Effect.map(
        call(
          api,
          {
            method: "GET",
            path: "/sale/categories",
            ...(parentId === "" ? {} : { query: { "parent.id": parentId } }),
          },
          CategoryList,
        ),
        ({ value }) => value.categories,
      ),
    /** `GET /sale/categories/{categoryId}`: one category with its options. */
    category: (categoryId: string) =>
      Effect.map(
        call(api, { method: "GET", path: `/sale/categories/${categoryId}` }, CategoryNode),
        ({ value }) => value,
      ),
    categoryParameters: (categoryId: string) =>
      Effect.map(
        call(
          api,
          { method: "GET", path: `/sale/categories/${categoryId}/parameters` },
          CategoryParameterList,
        ),
        ({ value }) => value.parameters,
      ),
    packageConfigs: (categoryId: string) =>
      Effect.map(
        call(
          api,
          {
            method: "GET",
            path: "/sale/classifieds-packages",
            query: { "category.id": categoryId },
          },
          PackageConfigs,
        ),
        ({ value }) => value.packages,
      ),
    assignedPackages: (offerId: string) =>
      Effect.map(
        call(
          api,
          { method: "GET", path: `/sale/offer-classifieds-packages/${offerId}` },
          AssignedPackages,
        ),
        ({ value }) => value,
      ),
    assignPackages: (offerId: string, body: WireClassifiedPackages) =>
      call(
        api,
        allegroRequests.assignPackages(offerId, body),
        Empty,
        undefined,
        "marketplaces.allegro.basePackageId",
      ),
    feePreview: (body: unknown) =>
      Effect.map(call(api, allegroRequests.feePreview(body), FeePreview), ({ value }) => value),
    /**
     * `PUT /sale/offer-publication-commands/{commandId}`: idempotent by the client's UUID, so
     * core's retries are safe; "409 Command id was already used" means an earlier try landed.
     */
    putCommand: (commandId: string, body: WirePublicationCommand) =>
      Effect.map(
        api.exchange(allegroRequests.putCommand(commandId, body), {
          success: Schema.Unknown,
          otherwise: { 409: undefined },
        }),
        ({ response }) =>
          response.status === 409 ? ("already-registered" as const) : ("registered" as const),
      ),
    /** `GET /sale/offer-events?from=…`: the seller's offer events after `from`, oldest first. */
    offerEvents: (from: string | undefined, limit: number) =>
      Effect.map(
        call(
          api,
          {
            method: "GET",
            path: "/sale/offer-events",
            query: from === undefined ? { limit } : { from, limit },
          },
          OfferEvents,
        ),
        ({ value }) => value.offerEvents,
      ),
    commandTasks: (commandId: string, offset: number) =>
      Effect.map(
        call(
          api,
          {
            method: "GET",
            path: `/sale/offer-publication-commands/${commandId}/tasks`,
            query: { limit: 1000, offset },
          },
          TaskReport,
        ),
        ({ value }) => value.tasks,
      ),
  };
};

export type AllegroClient = ReturnType<typeof makeAllegroClient>;

const chunk = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const parts: Array<ReadonlyArray<A>> = [];
  for (let start = 0; start < items.length; start += size)
    parts.push(items.slice(start, start + size));
  return parts;
};
