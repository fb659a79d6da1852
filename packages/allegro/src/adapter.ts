import {
  AdsyncError,
  anyPayloadAdapter,
  decodeOrIssues,
  issue,
  type Listing,
  type MarketplaceAdapter,
  makeMarketplaceHttp,
  type Prepared,
  type Submitted,
  serviceRunner,
  VehicleAd,
} from "@adsync/core";
import type { HttpClient } from "@effect/platform";
import { Context, Effect, Either, Layer, Option, type Scope } from "effect";
import { makeTokenManager } from "./auth.ts";
import { makeCategories } from "./categories/tree.ts";
import { type AllegroClient, makeAllegroClient, type OfferDocument } from "./client.ts";
import {
  ALLEGRO,
  type AllegroConfig,
  allegroEnvironments,
  allegroMediaType,
  defaultRootCategoryNames,
} from "./config.ts";
import { memoryCommandJournal } from "./flow/command-journal.ts";
import { makeContacts } from "./flow/contact.ts";
import type { FeeQuote } from "./flow/fee-preview.ts";
import { makeImages } from "./flow/images.ts";
import { makeOfferFlow } from "./flow/offer-flow.ts";
import { makePublication } from "./flow/publication.ts";
import {
  type AllegroPayload,
  allegroAdOptions,
  allegroMappingVersion,
  toAllegroPayload,
} from "./mapping/to-allegro.ts";
import { bySchedule, inRequestOrder } from "./operations/batch-order.ts";
import { describeAllegro, quoteAllegro } from "./operations/describe.ts";
import { makeInspect, makeObserve } from "./operations/inspect.ts";
import type { TokenStore } from "./token-store.ts";
import { allegroPayloadSchema } from "./wire.ts";

/** What Allegro offers beyond create/update/remove: schedule, fee preview, batch commands. */
export const allegroCapabilities = {
  patchUpdates: false,
  // Classifieds have no hide: only END, and relisting is a new publication.
  hide: false,
  // Relisting an ENDED offer happens through publish, charging the package again.
  renew: false,
  promote: true,
  schedule: true,
  remoteValidation: false,
  costPreview: true,
  batchPublication: true,
} as const;

/** One ad's answer from `publishMany`. */
export interface BatchOutcome {
  readonly adId: string;
  readonly result: Either.Either<Submitted<AllegroPayload>, AdsyncError>;
}

export interface AllegroService {
  /** The adapter, its payload type erased as `adaptersLayer` and registries hold it. */
  readonly adapter: MarketplaceAdapter;
  readonly client: AllegroClient;
  readonly tokenStore: TokenStore;
  /** What publishing the ad costs with its packages (`POST /pricing/offer-fee-preview`). */
  readonly previewFee: (ad: VehicleAd) => Effect.Effect<FeeQuote, AdsyncError>;
  /**
   * Creates or completes drafts for many ads and publishes them with ONE publication command
   * (per 1000 offers): "Use this resource to modify multiple offers publication at once".
   */
  readonly publishMany: (
    ads: ReadonlyArray<unknown>,
  ) => Effect.Effect<ReadonlyArray<BatchOutcome>, AdsyncError>;
  /** Buys extra packages (promo options) for a live offer. */
  readonly promote: (
    offerId: string,
    extraPackageIds: ReadonlyArray<string>,
  ) => Effect.Effect<void, AdsyncError>;
}

export class Allegro extends Context.Tag("@adsync/allegro/Allegro")<Allegro, AllegroService>() {}

/**
 * The offer ended because adsync removed the ad: the listing's last command was END and
 * Allegro says the seller ended it (OpenAPI `publication.endedBy`: "USER - offer ended by the
 * seller"). An offer the dealer ended in Allegro's own pages has no END of ours recorded.
 */
const endedByOurRemoval = (listing: Listing, offer: OfferDocument["offer"]) =>
  listing.ref.meta.action === "END" &&
  offer.publication?.status === "ENDED" &&
  offer.publication.endedBy === "USER";

const unsupported = (operation: string) =>
  Effect.fail(
    new AdsyncError({
      reason: "Unsupported",
      marketplace: ALLEGRO,
      operation,
      message: `Allegro classifieds have no ${operation}: end the offer and publish it again.`,
    }),
  );

export const makeAllegro = (
  config: AllegroConfig,
): Effect.Effect<AllegroService, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const hosts = {
      ...allegroEnvironments[config.environment ?? "production"],
      ...config.baseUrls,
    };
    const userAgent = config.userAgent;
    const tokens = yield* makeTokenManager({
      authBaseUrl: hosts.auth,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      refreshToken: config.refreshToken,
      store: config.tokenStore,
      userAgent,
    });
    const httpFor = (baseUrl: string) =>
      makeMarketplaceHttp({
        marketplace: ALLEGRO,
        baseUrl,
        authenticate: tokens.authenticate,
        userAgent,
        // "-H 'Accept: application/vnd.allegro.public.v1+json'": Allegro answers 406 to JSON.
        accept: allegroMediaType,
        // Allegro's documented ceiling is per client id, 9000 requests a minute; the stricter
        // "rate limited to 10 requests per second" of PUT offer and commands is per resource,
        // which one token bucket cannot express: a dealer sets `http.rateLimit` to be stricter.
        rateLimit: { limit: 150, interval: "1 second" },
        ...config.http,
      });
    const client = makeAllegroClient({
      api: yield* httpFor(hosts.api),
      upload: yield* httpFor(hosts.upload),
      userAgent,
      offerApi: config.offerApi,
      operationPolling: config.operationPolling,
    });
    const categories = makeCategories(client, {
      ttl: config.referenceDataTtl ?? "24 hours",
      aliases: config.categoryAliases ?? {},
      rootNames: { ...defaultRootCategoryNames, ...config.rootCategoryNames },
    });
    // At 50 contacts the ad fails with a clear issue unless the dealer opted into reuse.
    const contacts = makeContacts(client, config.contactsFull ?? "fail");
    const images = makeImages(client);
    const flow = makeOfferFlow({ client, categories, contacts, images, config });
    const publication = makePublication(client, config.commandJournal ?? memoryCommandJournal());
    // Only the roots the dealer named are loaded ahead; others are found when an ad needs one.
    const roots = Object.values(config.rootCategories ?? {}).filter((root) => root !== undefined);
    const prepare = (ad: VehicleAd) => toAllegroPayload(ad, config, categories);

    const activate = (offerIds: ReadonlyArray<string>, scheduledFor: string | undefined) =>
      publication.send("ACTIVATE", offerIds, scheduledFor);

    const createOne = (ad: VehicleAd, prepared: Prepared<AllegroPayload>) =>
      Effect.gen(function* () {
        const content = prepared.payload;
        const found = (yield* flow.lookup([ad.id])).get(ad.id);
        const staged = yield* flow.stage(ad, content, found);
        if (staged._tag === "Answered") return staged.submitted;
        const commands = yield* activate([staged.offerId], staged.scheduledFor);
        return {
          ref: staged.ref,
          requestId: commands.get(staged.offerId),
          progress: { status: "pending", presence: "pending", warnings: staged.warnings },
        } satisfies Submitted<AllegroPayload>;
      });

    // The content of an ad no `prepare` has run for (the service's fee preview and batch).
    const contentOrFail = (ad: VehicleAd) =>
      Effect.gen(function* () {
        const fresh = prepare(ad);
        if (Either.isLeft(fresh))
          return yield* new AdsyncError({
            reason: "Invalid",
            marketplace: ALLEGRO,
            message: "the ad does not map to Allegro",
            issues: fresh.left,
          });
        return fresh.right.payload;
      });

    /**
     * product-offers: one `PATCH` with only what changed since the stored payload (a price
     * change is `{sellingMode}` alone), and the answer tells the offer's state: nothing is read
     * first. sale-offers: `GET` then the complete `PUT`. A draft or an ended offer (when the
     * dealer asks for a relist) is then completed and published.
     */
    const update = (
      listing: Listing<AllegroPayload>,
      ad: VehicleAd,
      prepared: Prepared<AllegroPayload>,
    ) =>
      Effect.gen(function* () {
        const content = prepared.payload;
        const offerId = listing.ref.remoteId;
        const previous = listing.payload;
        const state = flow.productOffers
          ? undefined
          : (yield* client.getOffer(offerId)).offer.publication?.status;
        const live = (status: string | null | undefined) =>
          status === "ACTIVE" || status === "ACTIVATING";
        if (!flow.productOffers && live(state))
          return yield* flow.editLive(offerId, ad, content, previous, listing.ref.meta);
        const edited = flow.productOffers
          ? yield* flow.edit(offerId, ad, content, previous, listing.ref.meta.contactId)
          : undefined;
        const existing = edited?.document ?? (yield* client.getOffer(offerId));
        const status = existing.offer.publication?.status;
        if (edited !== undefined && live(status))
          return yield* flow.liveAnswer(offerId, edited, content, {
            ...listing.ref.meta,
            ...(edited.categoryId === "" ? {} : { categoryId: edited.categoryId }),
            action: "ACTIVATE",
          });
        // An offer that ended on Allegro's side is relisted only when the dealer asks: a
        // relist assigns a package again and "we will charge fees … again". Publishing an ad
        // adsync itself ended (its END command sent, `endedBy` "USER" - "offer ended by the
        // seller") is that request: the dealer removed the ad and now publishes it again.
        const relist =
          endedByOurRemoval(listing, existing.offer) ||
          Either.getOrUndefined(allegroAdOptions(ad))?.relistEnded === true;
        if (status === "ENDED" && !relist) {
          return yield* new AdsyncError({
            reason: "Conflict",
            marketplace: ALLEGRO,
            operation: "update",
            message: `Allegro ended offer ${offerId} (${existing.offer.publication?.endedBy ?? "no reason given"}); relisting is charged again.`,
            issues: [
              issue(
                `marketplaces.${ALLEGRO}.relistEnded`,
                "conflict",
                "The offer has ended on Allegro. Set marketplaces.allegro.relistEnded to relist it (fees apply again), or remove the ad.",
                { marketplace: ALLEGRO, marketplacePath: "publication.status" },
              ),
            ],
          });
        }
        // A draft (validation failed, FAIL task, draftOnly) or an ended offer: finish and publish.
        const materialized = edited?.materialized ?? (yield* flow.materialize(ad, content));
        const staged = yield* flow.finish(offerId, existing, content, materialized);
        if (staged._tag === "Answered") return staged.submitted;
        const commands = yield* activate([offerId], staged.scheduledFor);
        return {
          ref: staged.ref,
          requestId: commands.get(offerId),
          progress: { status: "pending", presence: "pending", warnings: staged.warnings },
        } satisfies Submitted<AllegroPayload>;
      });

    /**
     * Removes many listings: their offers' states come from one `external.id` list read per
     * 100 (not a GET per offer); ended or gone ones are removed already, drafts are deleted
     * ("Delete a draft offer"), and every other offer is ended by ONE `END` command per 1,000
     * (allegro-api #1732). Listings whose payload lacks the external id are read by id.
     */
    const removeListings = (listings: ReadonlyArray<Listing<AllegroPayload>>) =>
      Effect.gen(function* () {
        const adIdOf = (listing: Listing<AllegroPayload>) => listing.payload?.external.id;
        const adIds = listings.flatMap((listing) => {
          const adId = adIdOf(listing);
          return adId === undefined ? [] : [adId];
        });
        const listed = adIds.length === 0 ? [] : yield* client.findByExternalIds(adIds);
        // By id, so matching N listings to their offers stays linear (#14: no N² on the sync path).
        const listedById = new Map(listed.map((offer) => [offer.id, offer] as const));
        const statusOf = (listing: Listing<AllegroPayload>) =>
          Effect.gen(function* () {
            if (adIdOf(listing) === undefined) {
              const read = yield* Effect.either(client.getOffer(listing.ref.remoteId));
              if (Either.isLeft(read)) {
                if (read.left.reason === "NotFound") return undefined;
                return yield* read.left;
              }
              return read.right.offer.publication?.status ?? "INACTIVE";
            }
            const offer = listedById.get(listing.ref.remoteId);
            return offer === undefined ? undefined : (offer.publication?.status ?? "INACTIVE");
          });
        const removedNow = (listing: Listing<AllegroPayload>): Submitted<AllegroPayload> => ({
          ref: listing.ref,
          progress: { status: "succeeded", presence: "removed" },
        });
        const results = new Map<
          Listing<AllegroPayload>,
          Either.Either<Submitted<AllegroPayload>, AdsyncError>
        >();
        const toEnd: Array<Listing<AllegroPayload>> = [];
        for (const listing of listings) {
          const status = yield* Effect.either(statusOf(listing));
          if (Either.isLeft(status)) results.set(listing, Either.left(status.left));
          else if (status.right === undefined || status.right === "ENDED")
            results.set(listing, Either.right(removedNow(listing)));
          else if (status.right === "INACTIVE") {
            const deleted = yield* Effect.either(client.deleteOffer(listing.ref.remoteId));
            results.set(
              listing,
              Either.isLeft(deleted) && deleted.left.reason !== "NotFound"
                ? Either.left(deleted.left)
                : Either.right(removedNow(listing)),
            );
          } else toEnd.push(listing);
        }
        if (toEnd.length > 0) {
          const commands = yield* publication.send(
            "END",
            toEnd.map((listing) => listing.ref.remoteId),
          );
          for (const listing of toEnd)
            results.set(
              listing,
              Either.right({
                ref: { ...listing.ref, meta: { ...listing.ref.meta, action: "END" } },
                requestId: commands.get(listing.ref.remoteId),
                progress: { status: "pending" },
              }),
            );
        }
        return listings.map(
          (listing) =>
            results.get(listing) ??
            Either.left(
              new AdsyncError({
                reason: "InvalidResponse",
                marketplace: ALLEGRO,
                operation: "remove",
                message: `No outcome for offer ${listing.ref.remoteId}.`,
              }),
            ),
        );
      });

    const remove = (listing: Listing<AllegroPayload>) =>
      Effect.flatMap(removeListings([listing]), ([result]) =>
        result === undefined
          ? Effect.fail(
              new AdsyncError({
                reason: "InvalidResponse",
                marketplace: ALLEGRO,
                message: "no outcome",
              }),
            )
          : Either.match(result, { onLeft: Effect.fail, onRight: Effect.succeed }),
      );

    // One offer's progress, reduced exactly as `inspect` reduces it (core's single-ad refresh
    // goes through `inspect`; this stays for the contract's `observe`).
    const observe = makeObserve({ client, publication, parameterPaths: flow.parameterPaths });

    /**
     * Extra packages (promo options) on a live offer: "Once the ad is active, you can add only
     * promo options", sending back the assigned structure with the new extras.
     */
    const buyExtraPackages = (offerId: string, extraPackageIds: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const assigned = yield* client.assignedPackages(offerId);
        if (assigned.basePackage == null)
          return yield* new AdsyncError({
            reason: "Conflict",
            marketplace: ALLEGRO,
            message: "the offer has no package yet: publish it first",
          });
        const have = assigned.extraPackages.map((entry) => entry.id);
        yield* client.assignPackages(offerId, {
          basePackage: assigned.basePackage,
          extraPackages: [...new Set([...have, ...extraPackageIds])].map((id) => ({ id })),
        });
      });

    const planning = {
      categories,
      contacts,
      images,
      flow,
      config,
    };

    const adapter: MarketplaceAdapter<AllegroPayload, AllegroPayload> = {
      payloadSchema: allegroPayloadSchema,
      id: ALLEGRO,
      capabilities: allegroCapabilities,
      mappingVersion: allegroMappingVersion(config),
      describe: describeAllegro(planning),
      quote: quoteAllegro(planning),
      // The makes under each vehicle root, so prepare can refuse an unknown make for free.
      warmUp: categories.warm(roots),
      prepare,
      create: createOne,
      // `GET /sale/offers?external.id=…`: the offer a create whose answer was lost made, if any
      // (an ENDED one is not a listing to remove).
      find: (adId) =>
        Effect.map(flow.lookup([adId]), (found) => {
          const offer = found.get(adId);
          return offer === undefined || offer.status === "ENDED"
            ? Option.none()
            : Option.some({ remoteId: offer.id, ids: {}, meta: {} });
        }),
      // The publisher's sync hands its creates over together: one publication command.
      createMany: (requests) =>
        Effect.map(publishAds(requests), (outcomes) => inRequestOrder(requests, outcomes)),
      update,
      hide: () => unsupported("hide"),
      show: () => unsupported("show"),
      remove,
      removeMany: removeListings,
      renew: () => unsupported("renew"),
      // `promote(listing, { product: "extraPackages", options: { packageIds: [...] } })`.
      promotions: ["extraPackages"],
      promote: (listing, promotion) =>
        Effect.gen(function* () {
          const packageIds = promotion.options?.packageIds;
          if (
            promotion.product !== "extraPackages" ||
            !Array.isArray(packageIds) ||
            !packageIds.every((id): id is string => typeof id === "string" && id !== "")
          )
            return yield* new AdsyncError({
              reason: "Invalid",
              marketplace: ALLEGRO,
              operation: "promote",
              message:
                'Allegro promotes with { product: "extraPackages", options: { packageIds: [...] } }.',
            });
          yield* buyExtraPackages(listing.ref.remoteId, packageIds);
          return {
            ref: listing.ref,
            progress: { status: "succeeded", presence: "live" },
          } satisfies Submitted<AllegroPayload>;
        }),
      observe,
      inspect: makeInspect({ client, publication, parameterPaths: flow.parameterPaths }),
      // The offer list takes 100 external ids per request; a command holds up to 1000 tasks.
      inspectBatchSize: 1000,
    };

    /**
     * Stages every ad with its prepared payload (or the mapping's failure) and publishes the
     * ready drafts with one command per schedule.
     */
    const publishAds = (
      entries: ReadonlyArray<{
        readonly ad: VehicleAd;
        readonly prepared: Prepared<AllegroPayload> | AdsyncError;
      }>,
    ) =>
      Effect.gen(function* () {
        const found = yield* flow.lookup(entries.map((entry) => entry.ad.id));
        const staged = yield* Effect.forEach(
          entries,
          ({ ad, prepared }) =>
            Effect.either(
              prepared instanceof AdsyncError
                ? Effect.fail(prepared)
                : flow.stage(ad, prepared.payload, found.get(ad.id)),
            ).pipe(Effect.map((result) => ({ ad, result }))),
          { concurrency: 4 },
        );
        const ready = staged.flatMap(({ result }) =>
          Either.isRight(result) && result.right._tag === "Ready" ? [result.right] : [],
        );
        // One command for every ready draft; scheduled ones go together per schedule.
        const commands = new Map<string, string>();
        for (const [scheduledFor, offerIds] of bySchedule(ready)) {
          const sent = yield* activate(offerIds, scheduledFor === "" ? undefined : scheduledFor);
          for (const [offerId, commandId] of sent) commands.set(offerId, commandId);
        }
        const outcomes: Array<BatchOutcome> = staged.map(({ ad, result }) => {
          if (Either.isLeft(result)) return { adId: ad.id, result: Either.left(result.left) };
          if (result.right._tag === "Answered")
            return { adId: ad.id, result: Either.right(result.right.submitted) };
          return {
            adId: ad.id,
            result: Either.right({
              ref: result.right.ref,
              requestId: commands.get(result.right.offerId),
              progress: { status: "pending", presence: "pending", warnings: result.right.warnings },
            }),
          };
        });
        return outcomes;
      });

    const publishMany = (inputs: ReadonlyArray<unknown>) =>
      Effect.gen(function* () {
        const decoded = inputs.map((input) => decodeOrIssues(VehicleAd)(input));
        const ads = decoded.flatMap((entry) => (Either.isRight(entry) ? [entry.right] : []));
        const prepared = yield* Effect.forEach(ads, (ad) =>
          Effect.map(
            Effect.either(contentOrFail(ad)),
            Either.match({
              onLeft: (error) => ({ ad, prepared: error }),
              onRight: (payload) => ({ ad, prepared: { payload, warnings: [] } }),
            }),
          ),
        );
        const outcomes: Array<BatchOutcome> = [...(yield* publishAds(prepared))];
        decoded.forEach((entry, index) => {
          if (Either.isLeft(entry))
            outcomes.push({
              adId: String(index),
              result: Either.left(
                new AdsyncError({
                  reason: "Invalid",
                  marketplace: ALLEGRO,
                  message: "not a valid VehicleAd",
                  issues: entry.left,
                }),
              ),
            });
        });
        return outcomes;
      });

    return {
      adapter: anyPayloadAdapter(adapter),
      client,
      tokenStore: tokens.store,
      previewFee: (ad) =>
        Effect.gen(function* () {
          const content = yield* contentOrFail(ad);
          return yield* flow.previewFee(ad, content);
        }),
      publishMany,
      promote: buyExtraPackages,
    } satisfies AllegroService;
  });

/** The Allegro adapter, for `adaptersLayer(...)`. */
export const makeAllegroAdapter = (config: AllegroConfig) =>
  Effect.map(makeAllegro(config), (service) => service.adapter);

export const allegroLayer = (
  config: AllegroConfig,
): Layer.Layer<Allegro, never, HttpClient.HttpClient> => Layer.scoped(Allegro, makeAllegro(config));

/**
 * Allegro's own operations as Promises, for DMS code that does not use Effect: the fee
 * preview before publishing, many offers in one publication command, promo options.
 * Publishing one ad goes through `createAdsync`. Call `close()` when done.
 */
export const createAllegroClient = (config: AllegroConfig) => {
  const runner = serviceRunner(Allegro, allegroLayer(config));
  return {
    previewFee: (ad: VehicleAd) => runner.use((allegro) => allegro.previewFee(ad)),
    publishMany: (ads: ReadonlyArray<unknown>) => runner.use((allegro) => allegro.publishMany(ads)),
    promote: (offerId: string, extraPackageIds: ReadonlyArray<string>) =>
      runner.use((allegro) => allegro.promote(offerId, extraPackageIds)),
    close: runner.close,
  };
};
