/**
 * The fifth marketplace's adapter and descriptor: all an adapter package would export, in one
 * small file. Built on core's HTTP path (`makeMarketplaceHttp`, `makeMarketplaceApi`), so
 * retries, rate limits, the status table and the CLI's circuit breakers apply to it as to the
 * four; its payload is typed (`payloadSchema`), decoded once by the publisher.
 */
import {
  AdsyncError,
  anyPayloadAdapter,
  bearerAuth,
  type Capabilities,
  defineMarketplace,
  type Issue,
  type MarketplaceAdapter,
  type MarketplaceHttp,
  makeMarketplaceApi,
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
const removed: Progress = { status: "succeeded", presence: "removed" };

type FifthPayload = typeof Payload.Type;

const submitted = (
  remoteId: string,
  payload: FifthPayload | undefined,
  progress: Progress,
): Submitted<FifthPayload> => ({ ref: { remoteId, ids: {}, meta: {} }, payload, progress });

const unsupported = (operation: string) =>
  Effect.fail(
    new AdsyncError({ reason: "Unsupported", marketplace: FIFTH, operation, message: operation }),
  );

/**
 * The adapter over core's endpoint builder: each call names its request and the schema of its
 * success; statuses become reasons through core's one table (409 → `Conflict`, 404 →
 * `NotFound`), and retries, timeouts and the rate limit happen below in `MarketplaceHttp`.
 */
const adapterOn = (http: MarketplaceHttp): MarketplaceAdapter<FifthPayload, FifthPayload> => {
  const api = makeMarketplaceApi(http);
  const find = (adId: string) =>
    Effect.map(
      api.call({ method: "GET", path: "/listings", query: { sourceId: adId } }, { success: Found }),
      ({ items }) =>
        Option.map(Option.fromNullable(items[0]), (item) => ({
          remoteId: item.id,
          ids: {},
          meta: {},
        })),
    );
  const write = (remoteId: string, prepared: Prepared<FifthPayload>) =>
    Effect.map(
      api.call(
        { method: "PUT", path: `/listings/${remoteId}`, body: prepared.payload },
        { success: Created },
      ),
      ({ id }) => submitted(id, prepared.payload, live),
    );
  return {
    id: FIFTH,
    capabilities,
    payloadSchema: Payload,
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
      api
        .call(
          {
            method: "POST",
            path: "/listings",
            body: { sourceId: ad.id, ...prepared.payload },
          },
          { success: Created },
        )
        .pipe(
          Effect.map(({ id }) => submitted(id, prepared.payload, live)),
          // Retried like any request: the server keys a listing by `sourceId`, so a create
          // whose first answer was lost meets 409 the second time: adopt it, and send the
          // content again.
          Effect.catchIf(
            (error) => error.reason === "Conflict",
            (conflict) =>
              Effect.flatMap(find(ad.id), (found) =>
                Option.isNone(found)
                  ? Effect.fail(conflict)
                  : write(found.value.remoteId, prepared),
              ),
          ),
        ),
    update: (listing, _ad, prepared) => write(listing.ref.remoteId, prepared),
    hide: () => unsupported("hide"),
    show: () => unsupported("show"),
    renew: () => unsupported("renew"),
    remove: (listing) =>
      Effect.as(
        api.call(
          { method: "DELETE", path: `/listings/${listing.ref.remoteId}` },
          { success: Schema.Unknown, otherwise: { 404: "gone" } },
        ),
        submitted(listing.ref.remoteId, listing.payload, removed),
      ),
    observe: (listing) =>
      Effect.map(
        api.call(
          { method: "GET", path: `/listings/${listing.ref.remoteId}` },
          { success: Schema.Unknown, otherwise: { 404: "gone" as const } },
        ),
        (answer): Progress => (answer === "gone" ? removed : live),
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
      (http) => anyPayloadAdapter(adapterOn(http)),
    ),
});
