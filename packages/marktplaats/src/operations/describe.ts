import { jsonEqual, plannedRequest, type RequestDescriber } from "@adsync/core";
import { marktplaatsRequests } from "../client.ts";
import type { Site } from "../config.ts";
import { pathResolver } from "../mapping/issue-paths.ts";
import type { MarktplaatsPayload } from "../mapping/to-marktplaats.ts";
import { planPatch } from "../patch/advertisement-patch.ts";
import { planUpdate } from "../patch/update-plan.ts";
import type { WireAttribute } from "../wire.ts";

/** The advertisement's id is the server's choice: a create's later requests use its answer. */
const fromAnswer = "{itemId}";

const imagesRequest = (itemId: string, payload: MarktplaatsPayload, note?: string) => {
  if (payload.imageUrls.length === 0) return [];
  const request = marktplaatsRequests.images(itemId, payload.imageUrls);
  // The placeholder is shown as written, not percent-encoded as a real id would be.
  const path = request.path.replace(encodeURIComponent(fromAnswer), fromAnswer);
  return [plannedRequest({ ...request, path }, note)];
};

/**
 * The requests of Marktplaats' create, update and remove as `plan` shows them, from the same
 * builders (`marktplaatsRequests`), the same PATCH-or-PUT choice (`planUpdate`) and the same
 * JSON Patch (`planPatch`) the adapter sends.
 */
export const describeMarktplaats = (options: {
  /** `lookupBeforeCreate`: the seller's ads are listed before a create. */
  readonly lookupBeforeCreate: boolean;
  readonly site: Site;
  readonly patchLocation: boolean;
  /** The cached attributes of a category. */
  readonly attributesOf: (categoryId: unknown) => ReadonlyArray<WireAttribute> | undefined;
}): RequestDescriber<MarktplaatsPayload> => ({
  create: (_ad, prepared) => {
    const payload = prepared.payload;
    return [
      ...(options.lookupBeforeCreate
        ? [
            plannedRequest(
              { method: "GET", path: "/v1/advertisements" },
              "lookupBeforeCreate: the seller's ads are searched for this one first",
            ),
          ]
        : []),
      plannedRequest(marktplaatsRequests.create(payload.advertisement)),
      ...imagesRequest(fromAnswer, payload, `${fromAnswer} comes from the POST's answer`),
    ];
  },
  update: (listing, ad, prepared) => {
    const next = prepared.payload;
    const itemId = listing.ref.remoteId;
    const previous = listing.payload;
    if (previous === undefined)
      return [
        plannedRequest(
          marktplaatsRequests.get(itemId),
          "The last payload is unknown: the advertisement is read and a JSON Patch from it to the new payload is sent",
        ),
      ];
    const plan = planUpdate(previous.advertisement, next.advertisement, {
      site: options.site,
      attributes: options.attributesOf(previous.advertisement.categoryId),
      patchLocation: options.patchLocation,
      pathOf: pathResolver(ad, options.site),
    });
    // `assumeDerivedCity` as the adapter's update: the city the server derived from our postcode.
    const operations = planPatch(previous.advertisement, plan.advertisement, {
      assumeDerivedCity: true,
    });
    const read = plannedRequest(
      marktplaatsRequests.get(itemId),
      plan.categoryMove
        ? "The start date is read to check the category move; the server's enrichment fields go into the PUT"
        : "The server's enrichment fields are read to go into the PUT",
    );
    return [
      ...(plan.method === "PATCH"
        ? [plannedRequest(marktplaatsRequests.patch(itemId, operations))]
        : plan.method === "PUT"
          ? [
              read,
              plannedRequest(
                marktplaatsRequests.replace(itemId, plan.advertisement),
                "PUT: a field outside title, description, priceModel and attributes changed",
              ),
            ]
          : []),
      ...(jsonEqual(previous.imageUrls, next.imageUrls) ? [] : imagesRequest(itemId, next)),
    ];
  },
  remove: (listing) => [plannedRequest(marktplaatsRequests.remove(listing.ref.remoteId))],
});
