import {
  AdsyncError,
  type Issue,
  type ListingRef,
  resendWhileAbsent,
  type Submitted,
  type VehicleAd,
} from "@adsync/core";
import { Clock, Effect, Either, Option } from "effect";
import type { Categories } from "../categories/tree.ts";
import type { AllegroClient, OfferDocument } from "../client.ts";
import { ALLEGRO, type AllegroConfig } from "../config.ts";
import { dealerCategoryKey, issuesFromErrors, type ParameterPaths } from "../errors.ts";
import { mapParameters, parameterTable, pathOfParameter } from "../mapping/parameters.ts";
import { normalizeName } from "../mapping/text.ts";
import { type AllegroPayload, priceRequired } from "../mapping/to-allegro.ts";
import type { makeContacts } from "./contact.ts";
import {
  allOfferKeys,
  asSaleOffer,
  changedOfferKeys,
  draftBody,
  mergeOffer,
  needsResolution,
  offerFields,
  patchBody,
  productOfferCreateBody,
  type Resolved,
} from "./draft.ts";
import { aboveMaxFee, type FeeQuote, feePreviewBody, summarizeFees } from "./fee-preview.ts";
import type { makeImages } from "./images.ts";
import { choosePackages } from "./packages.ts";

interface FlowDeps {
  readonly client: AllegroClient;
  readonly categories: Categories;
  readonly contacts: ReturnType<typeof makeContacts>;
  readonly images: ReturnType<typeof makeImages>;
  readonly config: AllegroConfig;
}

/** An offer found by its `external.id`. */
interface FoundOffer {
  readonly id: string;
  readonly status: string | undefined;
}

/**
 * Where `stage` left an ad: ready for an ACTIVATE command, or already answered (adopted,
 * stopped as a draft by validation errors, a fee above the ceiling, or `draftOnly`).
 */
type Staged =
  | {
      readonly _tag: "Ready";
      readonly offerId: string;
      readonly ref: ListingRef;
      readonly warnings: ReadonlyArray<Issue>;
      readonly scheduledFor: string | undefined;
    }
  | { readonly _tag: "Answered"; readonly submitted: Submitted<AllegroPayload> };

const invalid = (issues: ReadonlyArray<Issue>, message: string) =>
  new AdsyncError({
    reason: "Invalid",
    marketplace: ALLEGRO,
    operation: "map parameters",
    message,
    issues,
  });

const refOf = (offerId: string, meta: Record<string, string>): ListingRef => ({
  remoteId: offerId,
  ids: {},
  meta,
});

/** Several offers for one external id (a duplicate made before adsync): the live one first. */
const preferred = (offers: ReadonlyArray<FoundOffer>): FoundOffer | undefined => {
  const rank = (status: string | undefined) =>
    ({ ACTIVE: 0, ACTIVATING: 1, INACTIVE: 2, ENDED: 3 })[status ?? ""] ?? 4;
  return [...offers].sort((left, right) => rank(left.status) - rank(right.status))[0];
};

export const makeOfferFlow = (deps: FlowDeps) => {
  const { client, categories } = deps;

  /** `GET /sale/offers?external.id=…` for many ads at once. */
  const lookup = (adIds: ReadonlyArray<string>) =>
    Effect.map(client.findByExternalIds(adIds), (offers) => {
      const byAd = new Map<string, Array<FoundOffer>>();
      for (const offer of offers) {
        const externalId = offer.external?.id;
        if (externalId == null) continue;
        byAd.set(externalId, [
          ...(byAd.get(externalId) ?? []),
          { id: offer.id, status: offer.publication?.status ?? undefined },
        ]);
      }
      return new Map(
        [...byAd].flatMap(([adId, list]) => {
          const best = preferred(list);
          return best === undefined ? [] : [[adId, best] as const];
        }),
      );
    });

  /** The category's parameters by id and by name → canonical path, to place Allegro's errors. */
  const parameterPaths = (categoryId: string, content?: AllegroPayload): ParameterPaths => {
    const parameters = categories.peek.parameters(categoryId) ?? [];
    // The table's own names too, for errors naming parameters the category did not list.
    const fromTable = parameterTable.flatMap((row) =>
      row.names.map((name) => [normalizeName(name), row.path] as const),
    );
    const chosen =
      content !== undefined && "id" in content.category
        ? [[dealerCategoryKey, `marketplaces.${ALLEGRO}.categoryId`] as const]
        : [];
    return new Map([
      ...chosen,
      ...fromTable,
      ...parameters.flatMap((parameter) => {
        const path = pathOfParameter(parameter);
        return [
          [parameter.id, path],
          [normalizeName(parameter.name.replace(/\[.*\]/, "")), path],
        ] as const;
      }),
    ]);
  };

  /** The leaf category and the ad's parameters in it; an unfillable required one is an issue. */
  const categoryAndParameters = (ad: VehicleAd, content: AllegroPayload) =>
    Effect.gen(function* () {
      const categoryId = yield* categories.resolve(content.category);
      // An ad without a price goes out only where the category says the price is optional.
      if (content.sellingMode.price === undefined && !(yield* categories.priceOptional(categoryId)))
        return yield* invalid(
          [priceRequired(categoryId)],
          "the category needs a price and the ad has none",
        );
      const parameters = yield* categories.parameters(categoryId);
      const mapped = mapParameters(ad, parameters, content.parameterOverrides);
      if (mapped.issues.length > 0)
        return yield* invalid(
          mapped.issues,
          "required Allegro parameters cannot be filled from the ad",
        );
      return { categoryId, mapped };
    });

  /** Resolves what only Allegro knows: category, parameters, contact, uploaded images. */
  const materialize = (ad: VehicleAd, content: AllegroPayload, replacingContact?: string) =>
    Effect.gen(function* () {
      const { categoryId, mapped } = yield* categoryAndParameters(ad, content);
      const [contact, images] = yield* Effect.all([
        deps.contacts.ensure(content.contact, replacingContact),
        deps.images.upload(content.images),
      ]);
      const resolved: Resolved = {
        categoryId,
        parameters: mapped.parameters,
        contactId: contact.id,
        images,
      };
      return { resolved, warnings: [...mapped.warnings, ...contact.warnings] };
    });

  /** Whether offers go through `/sale/product-offers` (the default) or `/sale/offers`. */
  const productOffers = client.offerApi === "product-offers";

  /**
   * The draft POST, sent with `retry: "unapplied"` (core sends a 429 again after its
   * Retry-After) through core's `resendWhileAbsent`: when its outcome is unknown (timeout,
   * dropped connection, 5xx) the draft is looked up by `external.id` and sent again only when
   * absent, so one ad never gets two drafts (DESIGN, Idempotency). `POST /sale/product-offers` carries the
   * complete offer, and its answer is the offer (no GET after it); the guide's `POST
   * /sale/offers` carries name, category and external id, and its answer is the structure the
   * complete PUT starts from. `complete` is set when the answer holds every field of ours.
   */
  const createDraft = (ad: VehicleAd, content: AllegroPayload, resolved: Resolved) =>
    Effect.map(
      resendWhileAbsent({
        send: client.createDraft(
          productOffers
            ? productOfferCreateBody(offerFields(content, resolved))
            : draftBody(content, resolved.categoryId),
        ),
        outcomeUnknown: (error) => error.isRetryable,
        lookUp: () => Effect.map(lookup([ad.id]), (found) => Option.fromNullable(found.get(ad.id))),
      }),
      (reconciled) =>
        reconciled._tag === "Sent"
          ? ({
              offerId: reconciled.value.offer.id,
              answer: reconciled.value,
              complete: productOffers,
            } as const)
          : ({ offerId: reconciled.value.id, answer: undefined, complete: false } as const),
    );

  /**
   * Every field of ours onto the offer. product-offers: one `PATCH` with our fields (the rest
   * of the offer stays as it is). sale-offers: section 7, "transfer a complete set of
   * information": the structure read (or answered), our fields replaced, in one `PUT`.
   */
  const complete = (
    offerId: string,
    existing: OfferDocument | undefined,
    content: AllegroPayload,
    resolved: Resolved,
  ) =>
    Effect.gen(function* () {
      const fields = offerFields(content, resolved);
      const paths = parameterPaths(resolved.categoryId, content);
      if (productOffers)
        return yield* client.patchOffer(offerId, patchBody(fields, allOfferKeys), paths);
      const base = existing ?? (yield* client.getOffer(offerId));
      return yield* client.putOffer(offerId, mergeOffer(base.raw, fields), paths);
    });

  const packagesFor = (content: AllegroPayload, categoryId: string) =>
    Effect.gen(function* () {
      const configs = yield* categories.packages(categoryId);
      return choosePackages(content, configs);
    });

  const previewOf = (
    offer: Readonly<Record<string, unknown>>,
    packages: Parameters<typeof feePreviewBody>[1],
  ) => Effect.map(client.feePreview(feePreviewBody(asSaleOffer(offer), packages)), summarizeFees);

  /**
   * From an offer that exists (new draft, found draft or ended offer) to "ready to publish":
   * the complete PUT, the package, the fee ceiling. Stops as a draft with issues when
   * `validation.errors` is not empty (architecture §9 row 18).
   */
  const finish = (
    offerId: string,
    existing: OfferDocument | undefined,
    content: AllegroPayload,
    materialized: { readonly resolved: Resolved; readonly warnings: ReadonlyArray<Issue> },
    completed?: OfferDocument,
  ): Effect.Effect<Staged, AdsyncError> =>
    Effect.gen(function* () {
      const { resolved } = materialized;
      const meta: Record<string, string> = {
        categoryId: resolved.categoryId,
        contactId: resolved.contactId,
        action: "ACTIVATE",
      };
      const draftFailed = (issues: ReadonlyArray<Issue>): Staged => ({
        _tag: "Answered",
        submitted: {
          ref: refOf(offerId, meta),
          progress: { status: "failed", presence: "draft", issues },
        },
      });
      const put = completed ?? (yield* complete(offerId, existing, content, resolved));
      const errors = put.offer.validation?.errors ?? [];
      if (errors.length > 0)
        return draftFailed(issuesFromErrors(errors, parameterPaths(resolved.categoryId, content)));
      const packages = yield* packagesFor(content, resolved.categoryId);
      if (Either.isLeft(packages)) return draftFailed(packages.left);
      yield* client.assignPackages(offerId, packages.right);
      meta.basePackageId = packages.right.basePackage.id;
      if (deps.config.maxFee !== undefined) {
        const quote = yield* previewOf(put.raw, packages.right);
        if (aboveMaxFee(quote, deps.config.maxFee))
          return draftFailed([
            {
              path: "marketplaces.allegro.basePackageId",
              code: "not_allowed",
              message: `Publishing costs ${quote.total.amount} ${quote.total.currency}, above the configured maximum of ${deps.config.maxFee}.`,
              marketplace: ALLEGRO,
              marketplacePath: "pricing",
            },
          ]);
      }
      if (content.draftOnly)
        return {
          _tag: "Answered",
          submitted: {
            ref: refOf(offerId, meta),
            progress: { status: "succeeded", presence: "draft", warnings: materialized.warnings },
          },
        };
      return {
        _tag: "Ready",
        offerId,
        ref: refOf(offerId, meta),
        warnings: materialized.warnings,
        scheduledFor: content.scheduledFor,
      };
    });

  /**
   * Everything of a create before the publication command. `found` is the offer the
   * reconciliation lookup found for this ad, if any: one in progress or live is adopted, a
   * draft is completed, an ended one is relisted ("Before relisting ad it is necessary to assign
   * the package and additional options again").
   */
  const stage = (ad: VehicleAd, content: AllegroPayload, found: FoundOffer | undefined) =>
    Effect.gen(function* () {
      if (found !== undefined && (found.status === "ACTIVE" || found.status === "ACTIVATING")) {
        // Adopted (a create whose answer was lost, a store that forgot the offer): the offer
        // may hold older content than this ad, and the publisher records this ad's payload as
        // sent, so the offer gets it now (GET-modify-PUT). The offer's content cannot be
        // compared with the ad's for free: its images are Allegro's copies under URLs of its
        // own, so an adoption always sends one PUT.
        const edited = yield* editLive(found.id, ad, content, undefined);
        const live = found.status === "ACTIVE";
        return {
          _tag: "Answered",
          submitted: {
            ...edited,
            progress:
              edited.progress.status === "failed"
                ? { ...edited.progress, presence: live ? "live" : "pending" }
                : live
                  ? { ...edited.progress, presence: "live" }
                  : { status: "pending", presence: "pending", warnings: edited.progress.warnings },
          },
        } satisfies Staged;
      }
      const materialized = yield* materialize(ad, content);
      if (found !== undefined) return yield* finish(found.id, undefined, content, materialized);
      // No GET after the draft POST: its answer is the offer.
      const created = yield* createDraft(ad, content, materialized.resolved);
      return yield* finish(
        created.offerId,
        created.answer,
        content,
        materialized,
        created.complete ? created.answer : undefined,
      );
    });

  /**
   * The edit of an offer: product-offers sends one `PATCH` with only the fields that changed
   * since `previous` (the content last sent; unknown: all of ours), resolving Allegro's ids
   * only when a changed field needs them; sale-offers reads the offer and `PUT`s the whole
   * structure ("Even if you update only one field, you have to send the complete structure").
   * The answer is the offer as it now is.
   */
  const edit = (
    offerId: string,
    ad: VehicleAd,
    content: AllegroPayload,
    previous: AllegroPayload | undefined,
    previousContactId?: string,
  ) =>
    Effect.gen(function* () {
      const keys = previous === undefined ? allOfferKeys : changedOfferKeys(previous, content);
      // The ad's contact changed: the contact the offer used is updated rather than a new one made.
      const replacing =
        keys.includes("contact") && previous !== undefined ? previousContactId : undefined;
      const materialized =
        !productOffers || needsResolution(keys)
          ? yield* materialize(ad, content, replacing)
          : undefined;
      // Fields that need no id of Allegro's (name, price, location, …) map from the ad alone.
      const resolved = materialized?.resolved ?? {
        categoryId: "",
        parameters: [],
        contactId: "",
        images: new Map<string, string>(),
      };
      const categoryId = materialized?.resolved.categoryId ?? previousCategory(content);
      const document = !productOffers
        ? yield* complete(offerId, yield* client.getOffer(offerId), content, resolved)
        : keys.length === 0
          ? yield* client.getOffer(offerId)
          : yield* client.patchOffer(
              offerId,
              patchBody(offerFields(content, resolved), keys),
              parameterPaths(categoryId, content),
            );
      return { document, materialized, categoryId };
    });

  /** The leaf category already resolved for this content (cached), or "" when not known. */
  const previousCategory = (content: AllegroPayload) =>
    categories.peek.leaf(content.category) ?? "";

  /** What an edit of a live offer answers; promo options are added as extra packages. */
  const liveAnswer = (
    offerId: string,
    edited: {
      readonly document: OfferDocument;
      readonly materialized:
        | { readonly resolved: Resolved; readonly warnings: ReadonlyArray<Issue> }
        | undefined;
      readonly categoryId: string;
    },
    content: AllegroPayload,
    meta: Record<string, string>,
  ) =>
    Effect.gen(function* () {
      const errors = edited.document.offer.validation?.errors ?? [];
      if (errors.length > 0)
        return {
          ref: refOf(offerId, meta),
          // An edit that fails leaves a live listing live (architecture §9 row 29).
          progress: {
            status: "failed",
            issues: issuesFromErrors(errors, parameterPaths(edited.categoryId, content)),
          },
        } satisfies Submitted<AllegroPayload>;
      const warnings = [
        ...(edited.materialized?.warnings ?? []),
        ...(yield* addPromotions(offerId, content.packages.extraPackageIds)),
      ];
      return {
        ref: refOf(offerId, meta),
        progress: {
          status: warnings.length > 0 ? "succeeded_with_warnings" : "succeeded",
          warnings,
        },
      } satisfies Submitted<AllegroPayload>;
    });

  /** Edits a live offer (adoption: every field of ours, the previous content being unknown). */
  const editLive = (
    offerId: string,
    ad: VehicleAd,
    content: AllegroPayload,
    previous: AllegroPayload | undefined,
    knownMeta: Readonly<Record<string, string>> = {},
  ) =>
    Effect.gen(function* () {
      const edited = yield* edit(offerId, ad, content, previous, knownMeta.contactId);
      const meta: Record<string, string> = {
        ...knownMeta,
        categoryId: edited.categoryId || (knownMeta.categoryId ?? ""),
        contactId: edited.materialized?.resolved.contactId ?? knownMeta.contactId ?? "",
        action: "ACTIVATE",
      };
      return yield* liveAnswer(offerId, edited, content, meta);
    });

  /**
   * "Once the ad is active, you can add only promo options": the assigned packages are read
   * and the missing extras added, sending back the structure read ("transfer the structure you
   * have retrieved by calling GET /sale/offer-classifieds-packages/{offer-id}").
   */
  const addPromotions = (offerId: string, extraPackageIds: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      if (extraPackageIds.length === 0) return [] as ReadonlyArray<Issue>;
      const assigned = yield* client.assignedPackages(offerId);
      const have = assigned.extraPackages.map((entry) => entry.id);
      const missing = extraPackageIds.filter((id) => !have.includes(id));
      if (missing.length === 0 || assigned.basePackage == null) return [] as ReadonlyArray<Issue>;
      yield* client.assignPackages(offerId, {
        basePackage: assigned.basePackage,
        extraPackages: [...have, ...missing].map((id) => ({ id })),
      });
      return [] as ReadonlyArray<Issue>;
    });

  /**
   * `materialize` that only reads: the contact is the account's matching one (none yet: left
   * out) and images not uploaded yet keep their source URL. For `plan`, which writes nothing.
   */
  const resolveReadOnly = (ad: VehicleAd, content: AllegroPayload) =>
    Effect.gen(function* () {
      const { categoryId, mapped } = yield* categoryAndParameters(ad, content);
      const contactId = yield* deps.contacts.find(content.contact);
      const now = yield* Clock.currentTimeMillis;
      const uploaded = deps.images.known(content.images, now);
      const resolved: Resolved = {
        categoryId,
        parameters: mapped.parameters,
        contactId: contactId ?? "",
        images: new Map(content.images.map((source) => [source, uploaded.get(source) ?? source])),
      };
      return { resolved, warnings: mapped.warnings };
    });

  /**
   * The fee of publishing this ad with its packages, from its draft or from the mapping.
   * `readOnly` (for `plan`) resolves without creating a contact or uploading an image.
   */
  const previewFee = (
    ad: VehicleAd,
    content: AllegroPayload,
    options: { readonly readOnly: boolean } = { readOnly: false },
  ): Effect.Effect<FeeQuote, AdsyncError> =>
    Effect.gen(function* () {
      const materialized = options.readOnly
        ? yield* resolveReadOnly(ad, content)
        : yield* materialize(ad, content);
      const packages = yield* packagesFor(content, materialized.resolved.categoryId);
      if (Either.isLeft(packages)) return yield* invalid(packages.left, "no package to quote");
      const found = (yield* lookup([ad.id])).get(ad.id);
      const { contact, ...others } = offerFields(content, materialized.resolved);
      // A contact not created yet is left out of the quote: it costs nothing either way.
      const fields = materialized.resolved.contactId === "" ? others : { ...others, contact };
      const offer =
        found === undefined
          ? fields
          : mergeOffer(asSaleOffer((yield* client.getOffer(found.id)).raw), fields);
      if (typeof offer !== "object" || offer === null)
        return yield* invalid([], "offer is not an object");
      return yield* previewOf({ ...offer }, packages.right);
    });

  return {
    lookup,
    stage,
    finish,
    materialize,
    edit,
    editLive,
    liveAnswer,
    previewFee,
    parameterPaths,
    productOffers,
  };
};
export type OfferFlow = ReturnType<typeof makeOfferFlow>;
