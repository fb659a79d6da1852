import { decodeMarketplaceOptions, type Issue, type Prepared, type VehicleAd } from "@adsync/core";
import {
  type ApiVersion,
  bodyTypeSpellings,
  checkMaxLength,
  digitsOnly,
  Findings,
  firstListed,
  fuelSpellings,
  type ImageRules,
  mapCategoryFields,
  mapImages,
  mapLocation,
  mapPrices,
  mapVideo,
  type PriceUnit,
  slug,
  type WirePayload,
} from "@adsync/pro-import";
import { Either } from "effect";
import {
  blocketCategoryId,
  categoryFieldCategories,
  registeredVehicleCategories,
  unmotorisedCategories,
  v4OnlyCategories,
} from "../categories.ts";
import { BLOCKET, BlocketAdOptions } from "../config.ts";

/** What the mapping needs to know of the adapter's configuration. */
export interface BlocketMappingSettings {
  readonly version: ApiVersion;
  readonly priceUnit: PriceUnit;
  readonly images: ImageRules;
  readonly tokenScope: "dealer_code" | "dealer_group";
  readonly dealerCode?: string | undefined;
  /**
   * The lists of `GET /v3/vehicle/body_types` and `/fuels` ("find which values are available
   * for certain fields within registered vehicles"), once loaded: body type and fuels are sent
   * as the first of their spellings a list holds, or answer an issue.
   */
  readonly reference?: BlocketReferenceData | undefined;
}

export interface BlocketReferenceData {
  readonly bodyTypes: ReadonlyArray<string>;
  readonly fuels: ReadonlyArray<string>;
}

export const blocketAdOptions = decodeMarketplaceOptions(BLOCKET, BlocketAdOptions);

/** A title for ads that need one and were given none: "Volvo XC90 D5 AWD 2019". */
export const deriveTitle = (ad: VehicleAd): string =>
  [ad.vehicle.make, ad.vehicle.model, ad.vehicle.variant, String(ad.vehicle.modelYear)]
    .filter((part) => part !== undefined)
    .join(" ");

/**
 * The canonical ad → the content of a Blocket ad (everything but `source_id` and `visible`,
 * which only a create sends). Pure and total: every valid ad maps to a payload or to issues.
 */
export const toBlocketPayload = (
  ad: VehicleAd,
  settings: BlocketMappingSettings,
): Either.Either<Prepared, ReadonlyArray<Issue>> => {
  const findings = new Findings(BLOCKET);
  const options = blocketAdOptions(ad);
  if (Either.isLeft(options)) return Either.left(options.left);

  const categoryId = blocketCategoryId[ad.category];
  const registered = registeredVehicleCategories.has(categoryId);
  // V3 offers the V4-only categories as simple ads only, without category fields.
  const simpleInV3 = settings.version === "v3" && v4OnlyCategories.has(categoryId);
  const withCategoryFields = (registered && !simpleInV3) || categoryFieldCategories.has(categoryId);
  const needsTitleAndContact = !registered || simpleInV3;

  const payload: Record<string, unknown> = {
    // "category_id": "1121" in the V4 examples, `int` in the V3 field table.
    category_id: settings.version === "v4" ? String(categoryId) : categoryId,
    body: ad.description,
    price: mapPrices(
      ad.price,
      { unit: settings.priceUnit, currency: "SEK", types: ["list", "reduced", "monthly", "call"] },
      findings,
    ),
  };

  const dealerCode = options.right.dealerCode ?? settings.dealerCode;
  // "dealer_code: If auth scope is dealer_group" (V3 table); the V4 guide lists it among the
  // fields "all ads require". Sent whenever known, required with a group token.
  if (dealerCode !== undefined) payload.dealer_code = dealerCode;
  else if (settings.tokenScope === "dealer_group") {
    findings.problem(
      `marketplaces.${BLOCKET}.dealerCode`,
      "required",
      "A dealer group token needs the dealer code of the ad (marketplaces.blocket.dealerCode or the adapter's dealerCode).",
      "dealer_code",
    );
  }

  const title = ad.title ?? (needsTitleAndContact ? deriveTitle(ad) : undefined);
  if (title !== undefined) payload.title = title;

  const images = mapImages(ad.images, settings.images, findings);
  if (images.length > 0) payload.image_urls = images;
  const video = mapVideo(ad.video, findings);
  if (video !== undefined) payload.video_url = video;
  if (ad.url !== undefined) payload.url = ad.url;

  const location = mapLocation(ad.location, findings);
  if (location !== undefined) payload.location = location;

  if (needsTitleAndContact) payload.contact = mapContact(ad, findings);

  const categoryFields = withCategoryFields
    ? mapCategoryFields(
        ad.vehicle,
        {
          motorised: registered && !unmotorisedCategories.has(categoryId),
          colourRequired: false,
          equipmentRequired: false,
          extendedFields: true,
        },
        findings,
      )
    : undefined;
  if (categoryFields !== undefined) {
    if (settings.reference !== undefined)
      toListedSpellings(ad, categoryFields, settings.reference, findings);
    payload.category_fields = categoryFields;
  }

  mapTerms(ad, settings.version === "v4" ? payload : categoryFields, payload, findings);
  if (options.right.dontPublishOnFailedImages !== undefined) {
    payload.dont_publish_on_failed_images = options.right.dontPublishOnFailedImages;
  }

  return findings.issues.length > 0
    ? Either.left(findings.issues)
    : Either.right({ payload: payload satisfies WirePayload, warnings: findings.warnings });
};

/** "contact … Yes" (required) for ads that are not registered vehicles: name, phone (only digits), email. */
const mapContact = (ad: VehicleAd, findings: Findings): Record<string, string> => {
  const contact = ad.contact;
  const name = contact?.name;
  const phone = contact?.phone === undefined ? undefined : digitsOnly(contact.phone);
  const email = contact?.email;
  if (name === undefined)
    findings.problem("contact.name", "required", "A contact name is required.", "contact.name");
  if (phone === undefined || phone.length === 0) {
    findings.problem(
      "contact.phone",
      "required",
      "A contact phone number is required.",
      "contact.phone",
    );
  }
  if (email === undefined)
    findings.problem("contact.email", "required", "A contact email is required.", "contact.email");
  return { name: name ?? "", phone: phone ?? "", email: email ?? "" };
};

/**
 * Dealer terms. The V3/V4 doc lists "warranty, return_policy, service_history,
 * product_declaration, home_delivery" as fields of `/v4/ad` (top level); V3 has only
 * `product_declaration` at the top level, so on V3 the text terms follow the Pro Import V3
 * family's placement in `category_fields` (Tradera guide) for ads that have category fields.
 * The 500-character limit is the Tradera guide's; Blocket documents none, so it is applied to
 * both as the stricter reading.
 */
const mapTerms = (
  ad: VehicleAd,
  target: Record<string, unknown> | undefined,
  payload: Record<string, unknown>,
  findings: Findings,
): void => {
  const terms = ad.terms;
  if (terms === undefined) return;
  if (terms.productDeclarationUrl !== undefined)
    payload.product_declaration = terms.productDeclarationUrl;
  const texts = {
    warranty: checkMaxLength(terms.warranty, 500, "terms.warranty", "warranty", findings),
    return_policy: checkMaxLength(
      terms.returnPolicy,
      500,
      "terms.returnPolicy",
      "return_policy",
      findings,
    ),
    service_history: checkMaxLength(
      terms.serviceHistory,
      500,
      "terms.serviceHistory",
      "service_history",
      findings,
    ),
    home_delivery: checkMaxLength(
      terms.homeDelivery,
      500,
      "terms.homeDelivery",
      "home_delivery",
      findings,
    ),
  };
  for (const [key, value] of Object.entries(texts)) {
    if (value === undefined) continue;
    if (target === undefined) {
      findings.warn(
        "terms",
        "unsupported",
        `Blocket V3 has no ${key} field for this category; it was left out.`,
        key,
      );
    } else target[key] = value;
  }
};

/**
 * Body type and fuels spelled as Blocket's lists spell them (a wagon may be "kombi"); a value
 * with no listed spelling is an issue on the canonical field rather than a refused ad.
 */
const toListedSpellings = (
  ad: VehicleAd,
  fields: Record<string, unknown>,
  reference: BlocketReferenceData,
  findings: Findings,
): void => {
  const listed = (list: ReadonlyArray<string>) => (spelling: string) =>
    list.find((entry) => slug(entry) === slug(spelling));
  const refuse = (path: string, value: string, list: ReadonlyArray<string>, wirePath: string) =>
    findings.problem(
      path,
      "invalid_value",
      `"${value}" is not among Blocket's values (${list.slice(0, 8).join(", ")}${list.length > 8 ? ", …" : ""}).`,
      wirePath,
    );
  const bodyType = ad.vehicle.bodyType;
  if (bodyType !== undefined && "body_type" in fields) {
    const spelled = firstListed(bodyTypeSpellings[bodyType], listed(reference.bodyTypes));
    if (spelled === undefined)
      refuse("vehicle.bodyType", bodyType, reference.bodyTypes, "category_fields.body_type");
    else fields.body_type = spelled;
  }
  const powertrain = fields.powertrain;
  if (typeof powertrain === "object" && powertrain !== null && "fuels" in powertrain) {
    const fuels = ad.vehicle.fuels.flatMap((fuel) => {
      if (fuel === "other") return [];
      const spelled = firstListed(fuelSpellings[fuel], listed(reference.fuels));
      if (spelled === undefined)
        refuse("vehicle.fuels", fuel, reference.fuels, "category_fields.powertrain.fuels");
      return spelled === undefined ? [] : [spelled];
    });
    fields.powertrain = { ...powertrain, fuels: [...new Set(fuels)] };
  }
};
