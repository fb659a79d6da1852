import {
  AdsyncError,
  cachedSuccessWithTTL,
  type Issue,
  issue,
  jsonEqual,
  type Listing,
  type MarketplaceAdapter,
  makeMarketplaceHttp,
  type OperationContext,
  type Prepared,
  type Submitted,
  serviceRunner,
  type VehicleAd,
} from "@adsync/core";
import type { HttpClient } from "@effect/platform";
import { Context, Duration, Effect, Layer, type Scope } from "effect";
import { planPatch, projectOnto } from "./advertisement-patch.ts";
import { makeTokenSource, type TokenSource } from "./auth.ts";
import { type CategorySnapshot, defaultMakeAliases, loadCategories } from "./categories.ts";
import { type MarktplaatsClient, makeMarktplaatsClient } from "./client.ts";
import {
  defaultCategoryRoots,
  type MarktplaatsConfig,
  marktplaatsProduction,
  type Site,
} from "./config.ts";
import { describeMarktplaats } from "./describe.ts";
import { makeInspect, marktplaatsInspectBatchSize } from "./inspect.ts";
import { doubtfulCreate, lookUp, matchKeyOf } from "./lost-create.ts";
import { asMarktplaatsPayload } from "./mapping/from-marktplaats.ts";
import {
  type MappingSettings,
  type MarktplaatsPayload,
  toMarktplaatsPayload,
} from "./mapping/to-marktplaats.ts";
import { progressOf, refOf, removedProgress } from "./status.ts";
import type { WireAdvertisement } from "./wire.ts";

export interface MarktplaatsService {
  readonly adapter: MarketplaceAdapter;
  readonly client: MarktplaatsClient;
  readonly tokens: TokenSource;
  /** The category tree and attributes, cached for `categoryTtl`. */
  readonly categories: Effect.Effect<CategorySnapshot, AdsyncError>;
}

export class Marktplaats extends Context.Tag("@adsync/marktplaats/Marktplaats")<
  Marktplaats,
  MarktplaatsService
>() {}

/**
 * Hide, show and renew are off: `status` is "writable: false" and the sources name no endpoint
 * to change it or to renew (only the read-only `renewPossible` flag). Remote validation and
 * cost previews are not documented either.
 */
export const marktplaatsCapabilities = {
  patchUpdates: true,
  hide: false,
  renew: false,
  promote: false,
  schedule: false,
  remoteValidation: false,
  costPreview: false,
  batchPublication: false,
} as const;

const unsupported = (site: string, operation: string) =>
  Effect.fail(
    new AdsyncError({
      reason: "Unsupported",
      marketplace: site,
      operation,
      message: `${site} documents no way to ${operation} an advertisement.`,
    }),
  );

const notOurPayload = (site: string) =>
  new AdsyncError({
    reason: "Configuration",
    marketplace: site,
    message: `${site}: the prepared payload is not a Marktplaats payload`,
  });

/** Whether a failed create may have landed: no answer, or a 5xx after the body was sent. */
// An answer we could not read (a 2xx with an unexpected body) may well mean the ad exists.
const outcomeUnknown = (error: AdsyncError) =>
  error.reason === "Transport" ||
  error.reason === "Timeout" ||
  error.reason === "Unavailable" ||
  error.reason === "InvalidResponse";

export const makeMarktplaats = (
  config: MarktplaatsConfig,
): Effect.Effect<MarktplaatsService, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const site: Site = config.site ?? "marktplaats";
    const tokenHttp = yield* makeMarketplaceHttp({
      marketplace: site,
      baseUrl: config.tokenUrl ?? marktplaatsProduction.tokenUrl,
      authenticate: Effect.succeed,
      ...config.http,
    });
    const tokens = yield* makeTokenSource(config.auth, tokenHttp);
    const http = yield* makeMarketplaceHttp({
      marketplace: site,
      baseUrl: config.baseUrl ?? marktplaatsProduction.baseUrl,
      authenticate: tokens.authenticate,
      userAgent: "adsync (+https://github.com/adsync)",
      ...config.http,
    });
    const client = makeMarktplaatsClient(http, tokens);
    const settings: MappingSettings = {
      site,
      locale: config.site === "2dehands" ? config.locale : undefined,
      priceUnit: config.priceUnit ?? "cents",
      apiPartner: config.apiPartner ?? false,
      seller: config.seller,
      makeAliases: { ...defaultMakeAliases, ...config.makeAliases },
    };
    // Filled by warmUp before the publisher prepares an ad; prepare reads the latest copy.
    let loaded: CategorySnapshot | undefined;
    const categories = yield* cachedSuccessWithTTL(
      loadCategories(client, config.categoryRoots ?? defaultCategoryRoots).pipe(
        Effect.tap((snapshot) => Effect.sync(() => (loaded = snapshot))),
      ),
      config.categoryTtl ?? "24 hours",
    );
    const attempts = Math.max(1, config.createAttempts ?? 4);

    const payloadOf = (prepared: Prepared) => {
      const payload = asMarktplaatsPayload(prepared.payload);
      return payload === undefined ? Effect.fail(notOurPayload(site)) : Effect.succeed(payload);
    };

    const meta = (advertisement: Readonly<Record<string, unknown>>) => ({
      platform: site,
      ...(typeof advertisement.locale === "string" ? { locale: advertisement.locale } : {}),
    });

    /** Images go on their own endpoint after the advertisement; a failure there is a warning. */
    const sendImages = (itemId: string, urls: ReadonlyArray<string>) =>
      client.images(itemId, urls).pipe(
        Effect.as<ReadonlyArray<Issue>>([]),
        Effect.catchTag("AdsyncError", (error) =>
          Effect.succeed([
            issue("images", "remote_error", `The images were not accepted: ${error.message}`, {
              marketplace: site,
              marketplacePath: "images",
            }),
          ]),
        ),
      );

    const submitted = (
      advertisement: WireAdvertisement,
      payload: MarktplaatsPayload,
      warnings: ReadonlyArray<Issue>,
    ): Submitted => {
      const progress = progressOf(advertisement);
      return {
        ref: refOf(advertisement, meta(payload.advertisement)),
        payload,
        progress:
          warnings.length === 0
            ? progress
            : { ...progress, status: "succeeded_with_warnings", warnings },
      };
    };

    /**
     * PATCH with the one recovery the doc's 409 calls for: "this error is returned when the
     * patch is not possible. For example, when trying to replace a field which does not
     * exists" — our picture of the ad is wrong, so read it, diff again and send once more.
     */
    const patch = (
      itemId: string,
      base: Readonly<Record<string, unknown>>,
      next: Readonly<Record<string, unknown>>,
      assumeDerivedCity: boolean,
    ) => {
      const operations = planPatch(base, next, { assumeDerivedCity });
      if (operations.length === 0) return Effect.succeed(undefined);
      return client.patch(itemId, operations).pipe(
        Effect.catchIf(
          (error) => error.status === 409,
          () =>
            Effect.gen(function* () {
              const server = yield* client.get(itemId);
              if (server === undefined) return yield* Effect.fail(notFound(itemId));
              const again = planPatch(projectOnto(server, base, next), next, {
                assumeDerivedCity: false,
              });
              return again.length === 0 ? server : yield* client.patch(itemId, again);
            }),
        ),
      );
    };

    const notFound = (itemId: string) =>
      new AdsyncError({
        reason: "NotFound",
        marketplace: site,
        operation: "update",
        message: `${site}: advertisement ${itemId} does not exist (advertisement-not-found)`,
      });

    /** Brings an ad we did not just write (adopted, or our last payload unknown) up to date. */
    const converge = (server: WireAdvertisement, payload: MarktplaatsPayload) =>
      Effect.gen(function* () {
        const base = projectOnto(server, {}, payload.advertisement);
        const patched = yield* patch(server.itemId, base, payload.advertisement, false);
        const warnings = yield* sendImages(server.itemId, payload.imageUrls);
        return submitted(patched ?? server, payload, warnings);
      });

    const update = (listing: Listing, _ad: VehicleAd, prepared: Prepared) =>
      Effect.gen(function* () {
        const next = yield* payloadOf(prepared);
        const previous = asMarktplaatsPayload(listing.payload);
        const itemId = listing.ref.remoteId;
        if (previous === undefined) {
          const server = yield* client.get(itemId);
          if (server === undefined) return yield* Effect.fail(notFound(itemId));
          return yield* converge(server, next);
        }
        const patched = yield* patch(itemId, previous.advertisement, next.advertisement, true);
        const warnings = jsonEqual(previous.imageUrls, next.imageUrls)
          ? []
          : yield* sendImages(itemId, next.imageUrls);
        if (patched !== undefined) return submitted(patched, next, warnings);
        // Only the images changed: nothing new is known about the advertisement itself.
        return {
          ref: listing.ref,
          payload: next,
          progress:
            warnings.length === 0
              ? { status: "succeeded" }
              : { status: "succeeded_with_warnings", warnings },
        } satisfies Submitted;
      });

    const adopt = (found: WireAdvertisement, payload: MarktplaatsPayload) =>
      Effect.zipRight(
        Effect.logInfo(
          `${site}: advertisement ${found.itemId} is this ad; adopting it instead of creating twice`,
        ),
        converge(found, payload),
      );

    /**
     * POST is sent with `retry: false`. A 429 was not applied, so it is sent again; a lost
     * answer or a 5xx may have been, so the seller's ads are searched first and a match is
     * adopted. With no key to search by, or several matches, nothing is sent again.
     */
    const create = (_ad: VehicleAd, prepared: Prepared, context?: OperationContext) =>
      Effect.gen(function* () {
        const payload = yield* payloadOf(prepared);
        const key = matchKeyOf(payload);
        // A create that resumes an interrupted one (a crash before its answer) may have
        // landed: look first. A fresh one costs no lookup unless the dealer asks for it.
        const lookFirst = config.lookupBeforeCreate ?? (context === undefined || context.resumed);
        if (lookFirst && key !== undefined) {
          const existing = yield* lookUp(client, key);
          if (existing._tag === "Found") return yield* adopt(existing.advertisement, payload);
        }
        let lastError: AdsyncError | undefined;
        for (let attempt = 0; attempt < attempts; attempt++) {
          if (lastError !== undefined) yield* Effect.sleep(backoff(attempt, lastError));
          const answer = yield* Effect.either(client.create(payload.advertisement));
          if (answer._tag === "Right") {
            const warnings = yield* sendImages(answer.right.itemId, payload.imageUrls);
            return submitted(answer.right, payload, warnings);
          }
          lastError = answer.left;
          if (lastError.reason === "RateLimited") continue;
          if (!outcomeUnknown(lastError)) return yield* Effect.fail(lastError);
          if (key === undefined) {
            return yield* Effect.fail(
              doubtfulCreate(
                site,
                "its answer was lost and it has no licence plate to look it up by",
              ),
            );
          }
          const lookup = yield* lookUp(client, key);
          if (lookup._tag === "Found") return yield* adopt(lookup.advertisement, payload);
          if (lookup._tag === "Ambiguous") {
            return yield* Effect.fail(
              doubtfulCreate(site, `several advertisements match: ${lookup.itemIds.join(", ")}`),
            );
          }
        }
        return yield* Effect.fail(lastError ?? doubtfulCreate(site, "no attempt was made"));
      });

    const adapter: MarketplaceAdapter = {
      id: site,
      capabilities: marktplaatsCapabilities,
      warmUp: Effect.asVoid(categories),
      describe: describeMarktplaats({ lookupBeforeCreate: config.lookupBeforeCreate ?? false }),
      prepare: (ad) => toMarktplaatsPayload(ad, settings, loaded),
      create,
      update,
      hide: () => unsupported(site, "hide"),
      show: () => unsupported(site, "show"),
      renew: () => unsupported(site, "renew"),
      // "The advertisement with the provided itemId does not exist" after a DELETE: removed.
      remove: (listing) =>
        Effect.as(client.remove(listing.ref.remoteId), {
          ref: listing.ref,
          payload: listing.payload,
          progress: removedProgress,
        }),
      observe: (listing) =>
        Effect.map(client.get(listing.ref.remoteId), (advertisement) =>
          advertisement === undefined ? removedProgress : progressOf(advertisement),
        ),
      inspect: makeInspect(client, meta),
      inspectBatchSize: marktplaatsInspectBatchSize,
    };

    return { adapter, client, tokens, categories } satisfies MarktplaatsService;
  });

/** Capped exponential backoff, or the marketplace's Retry-After when it is longer. */
const backoff = (attempt: number, error: AdsyncError): Duration.Duration =>
  Duration.max(
    Duration.millis(Math.min(200 * 2 ** attempt, 5_000)),
    Duration.seconds(Math.min(error.retryAfterSeconds ?? 0, 60)),
  );

/** The Marktplaats (or 2dehands) adapter, for `adaptersLayer(...)`. */
export const makeMarktplaatsAdapter = (config: MarktplaatsConfig) =>
  Effect.map(makeMarktplaats(config), (service) => service.adapter);

export const marktplaatsLayer = (
  config: MarktplaatsConfig,
): Layer.Layer<Marktplaats, never, HttpClient.HttpClient> =>
  Layer.scoped(Marktplaats, makeMarktplaats(config));

/**
 * Marktplaats' own reads as Promises, for DMS code that does not use Effect: the category
 * tree with its attributes. Publishing goes through `createAdsync`. Call `close()` when done.
 */
export const createMarktplaatsClient = (config: MarktplaatsConfig) => {
  const runner = serviceRunner(Marktplaats, marktplaatsLayer(config));
  return {
    categories: () => runner.use((marktplaats) => marktplaats.categories),
    close: runner.close,
  };
};
