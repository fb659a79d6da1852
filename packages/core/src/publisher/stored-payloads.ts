import { Effect, Either, ParseResult, Schema } from "effect";
import type {
  FindHint,
  InspectedListing,
  Listing,
  MarketplaceAdapter,
  Prepared,
  Submitted,
} from "../adapter/adapter.ts";
import { AdsyncError } from "../errors.ts";

/**
 * Where an adapter's typed payload meets the store (`MarketplaceAdapter.payloadSchema`): the
 * publisher keeps payloads encoded (JSON, compared and stored as such) and its adapters work on
 * their own payload type `P`. `withStoredPayloads` wraps an adapter once, when the publisher is
 * built, so that every listing it is handed carries its stored payload decoded once, and every
 * payload it answers is encoded before the publisher stores it. Adapters without a
 * `payloadSchema` are used as they are.
 */

/** The payload as the store keeps it (encoded by the adapter's `payloadSchema`). */
export const storedPayload = (adapter: MarketplaceAdapter, payload: unknown): unknown =>
  adapter.payloadSchema === undefined || payload === undefined
    ? payload
    : Schema.encodeSync(adapter.payloadSchema)(payload);

/**
 * A listing whose stored payload no longer decodes as the adapter's payload (the schema changed
 * without a migration, or the store was edited): nothing is sent, and the error says which.
 */
const undecodable = (
  adapter: MarketplaceAdapter,
  listing: Listing,
  operation: string,
  error: ParseResult.ParseError,
) =>
  new AdsyncError({
    reason: "Store",
    marketplace: adapter.id,
    operation,
    message: `The payload stored for ${adapter.id} listing ${listing.ref.remoteId} is not a ${adapter.id} payload (its payloadSchema does not decode it), so nothing was sent: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
  });

export const withStoredPayloads = (adapter: MarketplaceAdapter): MarketplaceAdapter => {
  const schema = adapter.payloadSchema;
  if (schema === undefined) return adapter;
  const decode = Schema.decodeUnknownEither(schema);

  const decoded = <L extends Listing>(listing: L, operation: string) =>
    listing.payload === undefined
      ? Either.right(listing)
      : Either.match(decode(listing.payload), {
          onLeft: (error) => Either.left(undecodable(adapter, listing, operation, error)),
          onRight: (payload) => Either.right({ ...listing, payload }),
        });

  /** Runs `use` on the listing with its payload decoded; a payload that does not decode fails. */
  const onListing =
    <A>(operation: string, use: (listing: Listing) => Effect.Effect<A, AdsyncError>) =>
    (listing: Listing) =>
      Either.match(decoded(listing, operation), { onLeft: Effect.fail, onRight: use });

  const encoded = (submitted: Submitted, prepared?: Prepared): Submitted => {
    const payload = submitted.payload ?? prepared?.payload;
    return payload === undefined
      ? submitted
      : { ...submitted, payload: storedPayload(adapter, payload) };
  };
  const answering =
    <Args extends ReadonlyArray<unknown>>(
      call: (...args: Args) => Effect.Effect<Submitted, AdsyncError>,
    ) =>
    (...args: Args) =>
      Effect.map(call(...args), (submitted) => encoded(submitted));

  /**
   * `find`'s hint decoded like a listing's payload. A hint that does not decode is left out
   * rather than failing the look-up: adapters that find by the ad id itself (Pro Import,
   * Allegro) need no hint and still find, and one that needs it fails with its own reason
   * ("cannot look up without what was sent"), which the publisher reads as "not known either
   * way" — the same as the failure this would raise, but without losing the other adapters'
   * answer. The decoding error is logged.
   */
  const findHint = (adId: string, sent: FindHint | undefined) =>
    sent?.payload === undefined
      ? Effect.succeed(sent)
      : Either.match(decode(sent.payload), {
          onLeft: (error) =>
            Effect.as(
              Effect.logWarning(
                `The payload stored for ${adapter.id} ad ${adId} is not a ${adapter.id} payload; looking the listing up without it: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
              ),
              undefined,
            ),
          onRight: (payload) => Effect.succeed({ payload }),
        });

  const { describe, inspect, promote, removeMany, createMany, find } = adapter;
  return {
    ...adapter,
    // Read through: an adapter whose mapping reads reference data loaded at run time answers
    // its version from a getter (`referenceMappingVersion`), which a copy would freeze.
    get mappingVersion() {
      return adapter.mappingVersion;
    },
    create: (ad, prepared, context) =>
      Effect.map(adapter.create(ad, prepared, context), (submitted) =>
        encoded(submitted, prepared),
      ),
    update: (listing, ad, prepared, context) =>
      onListing("update", (base) =>
        Effect.map(adapter.update(base, ad, prepared, context), (submitted) =>
          encoded(submitted, prepared),
        ),
      )(listing),
    hide: onListing("hide", answering(adapter.hide)),
    show: onListing("show", answering(adapter.show)),
    remove: onListing("remove", answering(adapter.remove)),
    renew: onListing("renew", answering(adapter.renew)),
    observe: onListing("observe", adapter.observe),
    ...(find === undefined
      ? {}
      : {
          find: (adId, sent) => Effect.flatMap(findHint(adId, sent), (hint) => find(adId, hint)),
        }),
    ...(createMany === undefined
      ? {}
      : {
          createMany: (requests) =>
            Effect.map(createMany(requests), (answers) =>
              answers.map((answer, index) =>
                Either.map(answer, (submitted) => encoded(submitted, requests[index]?.prepared)),
              ),
            ),
        }),
    ...(removeMany === undefined
      ? {}
      : {
          removeMany: (listings) =>
            Effect.flatMap(
              Effect.forEach(listings, (listing) => decoded(listing, "remove")),
              (bases) =>
                Effect.map(removeMany(bases), (answers) =>
                  answers.map(Either.map((submitted) => encoded(submitted))),
                ),
            ),
        }),
    ...(promote === undefined
      ? {}
      : {
          promote: (listing, promotion) =>
            onListing("promote", (base) =>
              Effect.map(promote(base, promotion), (submitted) => encoded(submitted)),
            )(listing),
        }),
    ...(inspect === undefined
      ? {}
      : {
          inspect: (request) =>
            Effect.flatMap(
              Effect.forEach(
                request.listings,
                (listing): Either.Either<InspectedListing, AdsyncError> =>
                  decoded(listing, "inspect"),
              ),
              (listings) => inspect({ ...request, listings }),
            ),
        }),
    ...(describe === undefined
      ? {}
      : {
          // A plan only reads: a payload that does not decode is described as unknown (the
          // whole content is sent), and the publish itself fails with the decoding error.
          describe: {
            create: describe.create,
            update: (listing, ad, prepared) =>
              describe.update(
                Either.getOrElse(decoded(listing, "update"), () => ({
                  ...listing,
                  payload: undefined,
                })),
                ad,
                prepared,
              ),
            remove: (listing) =>
              describe.remove(
                Either.getOrElse(decoded(listing, "remove"), () => ({
                  ...listing,
                  payload: undefined,
                })),
              ),
          },
        }),
  };
};

/** Every adapter of a publisher, wrapped once by `withStoredPayloads`. */
export const withStoredPayloadsAll = (
  adapters: ReadonlyMap<string, MarketplaceAdapter>,
): ReadonlyMap<string, MarketplaceAdapter> =>
  new Map([...adapters].map(([id, adapter]) => [id, withStoredPayloads(adapter)]));
