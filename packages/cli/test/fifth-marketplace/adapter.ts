/**
 * The fifth marketplace's adapter and descriptor: all an adapter package would export, in one
 * small file. Built on core's HTTP path (`makeMarketplaceHttp`), so retries, rate limits and
 * the CLI's circuit breakers apply to it as to the four.
 */
import {
  AdsyncError,
  bearerAuth,
  type Capabilities,
  defineMarketplace,
  type HttpResponse,
  type Issue,
  type Listing,
  type MarketplaceAdapter,
  type MarketplaceHttp,
  makeMarketplaceHttp,
  type Prepared,
  type Progress,
  Secret,
  type Submitted,
} from "@adsync/core";
import { Effect, Either, Option, Schema } from "effect";

export const FIFTH = "fifth";

const capabilities: Capabilities = {
  patchUpdates: false,
  hide: false,
  renew: false,
  promote: false,
  schedule: false,
  remoteValidation: false,
  costPreview: false,
  batchPublication: false,
};

const Payload = Schema.Struct({ title: Schema.String, price: Schema.Number });
const Created = Schema.Struct({ id: Schema.String });
const Found = Schema.Struct({ items: Schema.Array(Created) });

const issueOn = (path: string, code: Issue["code"], message: string): Issue => ({
  path,
  code,
  message,
  marketplace: FIFTH,
  marketplacePath: path,
});

const live: Progress = { status: "succeeded", presence: "live" };
const reasonOf = (status: number) =>
  status === 401
    ? "Unauthorized"
    : status === 404
      ? "NotFound"
      : status === 409
        ? "Conflict"
        : "Rejected";

/** A non-2xx answer as the one error type; a 2xx answer's body decoded. */
const expect2xx =
  <A, I>(schema: Schema.Schema<A, I>, operation: string) =>
  (response: HttpResponse): Effect.Effect<A, AdsyncError> =>
    response.status >= 200 && response.status < 300
      ? Schema.decodeUnknown(schema)(response.body).pipe(
          Effect.mapError(
            (error) =>
              new AdsyncError({
                reason: "InvalidResponse",
                marketplace: FIFTH,
                operation,
                message: error.message,
              }),
          ),
        )
      : Effect.fail(
          new AdsyncError({
            reason: reasonOf(response.status),
            marketplace: FIFTH,
            operation,
            status: response.status,
            message: `${operation}: ${response.status}`,
          }),
        );

const submitted = (remoteId: string, payload: unknown, progress: Progress): Submitted => ({
  ref: { remoteId, ids: {}, meta: {} },
  payload,
  progress,
});

const unsupported = (operation: string) =>
  Effect.fail(
    new AdsyncError({ reason: "Unsupported", marketplace: FIFTH, operation, message: operation }),
  );

const adapterOn = (http: MarketplaceHttp): MarketplaceAdapter => {
  const find = (adId: string) =>
    http.request({ method: "GET", path: "/listings", query: { sourceId: adId } }).pipe(
      Effect.flatMap(expect2xx(Found, "find")),
      Effect.map(({ items }) =>
        Option.map(Option.fromNullable(items[0]), (item) => ({
          remoteId: item.id,
          ids: {},
          meta: {},
        })),
      ),
    );
  const write = (listing: Listing, prepared: Prepared) =>
    http
      .request({ method: "PUT", path: `/listings/${listing.ref.remoteId}`, body: prepared.payload })
      .pipe(
        Effect.flatMap(expect2xx(Created, "update")),
        Effect.map(({ id }) => submitted(id, prepared.payload, live)),
      );
  return {
    id: FIFTH,
    capabilities,
    prepare: (ad) => {
      const amount = ad.price.list?.amount;
      const issues: Array<Issue> = [];
      if (ad.category !== "car") issues.push(issueOn("category", "not_allowed", "Cars only."));
      if (amount === undefined) issues.push(issueOn("price.list", "required", "A list price."));
      return issues.length > 0 || amount === undefined
        ? Either.left(issues)
        : Either.right({
            payload: {
              title: ad.title ?? `${ad.vehicle.make} ${ad.vehicle.model ?? ""}`.trim(),
              price: amount,
            },
            warnings: [],
          });
    },
    create: (ad, prepared) =>
      http
        .request({
          method: "POST",
          path: "/listings",
          body: { sourceId: ad.id, ...Schema.decodeUnknownSync(Payload)(prepared.payload) },
        })
        .pipe(
          Effect.flatMap(expect2xx(Created, "create")),
          Effect.map(({ id }) => submitted(id, prepared.payload, live)),
          // A create whose first answer was lost landed: adopt it, and send the content again.
          Effect.catchIf(
            (error) => error.reason === "Conflict",
            () =>
              Effect.flatMap(find(ad.id), (found) =>
                Option.isNone(found)
                  ? Effect.fail(
                      new AdsyncError({ reason: "Conflict", marketplace: FIFTH, message: "taken" }),
                    )
                  : write({ ref: found.value, payload: undefined }, prepared),
              ),
          ),
        ),
    update: (listing, _ad, prepared) => write(listing, prepared),
    hide: () => unsupported("hide"),
    show: () => unsupported("show"),
    renew: () => unsupported("renew"),
    remove: (listing) =>
      http.request({ method: "DELETE", path: `/listings/${listing.ref.remoteId}` }).pipe(
        Effect.flatMap((response) =>
          response.status === 204 || response.status === 404
            ? Effect.succeed(
                submitted(listing.ref.remoteId, listing.payload, {
                  status: "succeeded",
                  presence: "removed",
                }),
              )
            : expect2xx(Schema.Never, "remove")(response),
        ),
      ),
    observe: (listing) =>
      http
        .request({ method: "GET", path: `/listings/${listing.ref.remoteId}` })
        .pipe(
          Effect.map(
            (response): Progress =>
              response.status === 404 ? { status: "succeeded", presence: "removed" } : live,
          ),
        ),
    find,
  };
};

/** Fifth's section of a configuration file (`marketplaces.fifth`). */
export const FifthSection = Schema.Struct({ baseUrl: Schema.String, token: Secret });

/** The fifth marketplace's descriptor: what an adapter package's descriptor.ts exports. */
export const fifthMarketplace = defineMarketplace({
  id: FIFTH,
  label: "Fifth",
  capabilities,
  configSchema: FifthSection,
  make: (section) =>
    Effect.map(
      makeMarketplaceHttp({
        marketplace: FIFTH,
        baseUrl: section.baseUrl,
        authenticate: bearerAuth(section.token),
        retry: { baseDelay: "10 millis" },
      }),
      adapterOn,
    ),
});
