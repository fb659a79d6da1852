import {
  type AdsyncError,
  type CostQuote,
  type HttpRequest,
  type PlannedRequest,
  type Prepared,
  plannedRequest,
  type RequestDescriber,
  type VehicleAd,
} from "@adsync/core";
import { Effect, Either } from "effect";
import type { Categories } from "../categories/tree.ts";
import { allegroRequests, withMediaType } from "../client.ts";
import type { AllegroConfig } from "../config.ts";
import { clipContact, type makeContacts } from "../flow/contact.ts";
import {
  allOfferKeys,
  changedOfferKeys,
  draftBody,
  mergeOffer,
  needsResolution,
  offerFields,
  patchBody,
  productOfferCreateBody,
} from "../flow/draft.ts";
import { aboveMaxFee, feePreviewBody } from "../flow/fee-preview.ts";
import type { makeImages } from "../flow/images.ts";
import type { OfferFlow } from "../flow/offer-flow.ts";
import { choosePackages } from "../flow/packages.ts";
import { publicationCommand } from "../flow/publication.ts";
import { mapParameters } from "../mapping/parameters.ts";
import type { AllegroPayload } from "../mapping/to-allegro.ts";

/** What only Allegro's answers fill in: the ids of a new draft and of a publication command. */
const newOffer = "{offerId}";
const newCommand = "{commandId}";
const unknownPackages = { basePackage: { id: "{basePackageId}" }, extraPackages: [] };

const planned = (request: HttpRequest, note?: string): PlannedRequest =>
  plannedRequest(withMediaType(request), note);

/** A request whose body only an answer tells (shown by method and path). */
const bodyUnknown = (request: HttpRequest, note: string): PlannedRequest => {
  const { body: _unknown, ...rest } = request;
  return plannedRequest(rest, note);
};

interface DescribeDeps {
  readonly categories: Categories;
  readonly contacts: ReturnType<typeof makeContacts>;
  readonly images: ReturnType<typeof makeImages>;
  readonly flow: OfferFlow;
  readonly config: AllegroConfig;
}

/**
 * The requests of Allegro's create, update and remove as `plan` shows them, from the same
 * builders (`allegroRequests`, `draftBody`, `offerFields`, `publicationCommand`) the flow
 * sends, over what is already known (cached categories, contacts, uploaded images): no
 * request is made to describe. What only an answer tells is a placeholder with a note.
 */
export const describeAllegro = (deps: DescribeDeps): RequestDescriber<AllegroPayload> => {
  const { categories, contacts, images } = deps;

  /** Our fields of the offer, as far as they are known without a request. */
  const fieldsOf = (ad: VehicleAd, content: AllegroPayload, categoryId: string) => {
    // Reading the clock here only decides which uploads are still fresh: nothing is sent.
    const uploaded = images.known(content.images, Date.now());
    return offerFields(content, {
      categoryId,
      parameters: mapParameters(
        ad,
        categories.peek.parameters(categoryId) ?? [],
        content.parameterOverrides,
      ).parameters,
      contactId: contacts.peek(content.contact) ?? "{contactId}",
      images: new Map(content.images.map((source) => [source, uploaded.get(source) ?? source])),
    });
  };

  /** The uploads and the contact creation the offer still needs. */
  const prerequisites = (content: AllegroPayload): ReadonlyArray<PlannedRequest> => {
    const uploaded = images.known(content.images, Date.now());
    return [
      ...content.images
        .filter((source) => !uploaded.has(source))
        .map((source) =>
          planned(
            allegroRequests.uploadImage(source),
            "Uploads the image by URL; the offer carries the allegroimg URL answered",
          ),
        ),
      ...(contacts.peek(content.contact) === undefined
        ? [
            planned(
              allegroRequests.createContact(clipContact(content.contact)),
              "Only when the account has no contact matching the ad's (the list is read first)",
            ),
          ]
        : []),
    ];
  };

  const create = (ad: VehicleAd, content: AllegroPayload): ReadonlyArray<PlannedRequest> => {
    const categoryId = categories.peek.leaf(content.category) ?? "{categoryId}";
    const packageConfigs = categories.peek.packages(categoryId);
    const packages =
      packageConfigs === undefined ? undefined : choosePackages(content, packageConfigs);
    const chosen = packages !== undefined && Either.isRight(packages) ? packages.right : undefined;
    const fields = fieldsOf(ad, content, categoryId);
    return [
      planned(
        allegroRequests.findByExternalIds([ad.id]),
        "Looks for an offer this ad already has (an earlier create whose answer was lost)",
      ),
      ...prerequisites(content),
      ...(deps.flow.productOffers
        ? [planned(allegroRequests.createProductOffer(productOfferCreateBody(fields)))]
        : [
            planned(allegroRequests.createDraft(draftBody(content, categoryId))),
            planned(
              allegroRequests.putOffer(newOffer, mergeOffer({}, fields)),
              `${newOffer} comes from the draft's answer; the body is that answer with these fields (section 7: the complete structure)`,
            ),
          ]),
      ...(chosen === undefined
        ? [
            bodyUnknown(
              allegroRequests.assignPackages(newOffer, unknownPackages),
              "The category's packages are read first; the BASE one is assigned",
            ),
          ]
        : [planned(allegroRequests.assignPackages(newOffer, chosen))]),
      ...(deps.config.maxFee === undefined
        ? []
        : [
            planned(
              allegroRequests.feePreview(feePreviewBody(fields, chosen ?? unknownPackages)),
              `The body's offer is the draft as read; above maxFee ${deps.config.maxFee} the offer stays a draft`,
            ),
          ]),
      ...(content.draftOnly
        ? []
        : [
            planned(
              allegroRequests.putCommand(
                newCommand,
                publicationCommand("ACTIVATE", [newOffer], content.scheduledFor),
              ),
              "In a sync, one command carries every ready offer",
            ),
          ]),
    ];
  };

  return {
    create: (ad, prepared) => create(ad, prepared.payload),
    update: (listing, ad, prepared) => {
      const offerId = listing.ref.remoteId;
      const content = prepared.payload;
      const categoryId =
        listing.ref.meta.categoryId ?? categories.peek.leaf(content.category) ?? "{categoryId}";
      if (deps.flow.productOffers) {
        const keys =
          listing.payload === undefined ? allOfferKeys : changedOfferKeys(listing.payload, content);
        return [
          ...(needsResolution(keys) ? prerequisites(content) : []),
          planned(
            allegroRequests.patchProductOffer(
              offerId,
              patchBody(fieldsOf(ad, content, categoryId), keys),
            ),
            "Only the fields that changed; a draft or ended offer is then completed and published again",
          ),
        ];
      }
      return [
        planned(
          allegroRequests.getOffer(offerId),
          "A live offer is edited; a draft or ended offer is completed and published again",
        ),
        ...prerequisites(content),
        planned(
          allegroRequests.putOffer(offerId, mergeOffer({}, fieldsOf(ad, content, categoryId))),
          "The body is the offer as read with these fields replaced (Editing ad data: the whole structure)",
        ),
      ];
    },
    remove: (listing) => [
      planned(
        allegroRequests.getOffer(listing.ref.remoteId),
        "An ended offer needs nothing more; a draft is deleted instead",
      ),
      planned(
        allegroRequests.putCommand(newCommand, publicationCommand("END", [listing.ref.remoteId])),
      ),
    ],
  };
};

/** The fee of publishing the ad, read-only (no contact created, no image uploaded). */
export const quoteAllegro =
  (deps: Pick<DescribeDeps, "flow" | "config">) =>
  (ad: VehicleAd, prepared: Prepared<AllegroPayload>): Effect.Effect<CostQuote, AdsyncError> =>
    Effect.gen(function* () {
      const quote = yield* deps.flow.previewFee(ad, prepared.payload, { readOnly: true });
      return {
        total: quote.total,
        maximum: deps.config.maxFee,
        aboveMaximum: aboveMaxFee(quote, deps.config.maxFee),
        raw: quote.raw,
      };
    });
