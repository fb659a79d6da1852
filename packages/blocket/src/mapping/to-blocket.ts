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
  proImportMappingRevision,
  slug,
  type WirePayload,
} from "@adsync/pro-import";
import { Either } from "effect";
import { BLOCKET, BlocketAdOptions } from "../config.ts";
import {
  blocketCategoryId,
  categoryFieldCategories,
  registeredVehicleCategories,
  unmotorisedCategories,
  v4OnlyCategories,
} from "../reference/categories.ts";
import type { BlocketPayload } from "../wire.ts";

/** What the mapping needs to know of the adapter's configuration. */
/**
 * The revision of Blocket's mapping code and the tables it bundles (`reference/categories.ts`,
 * spellings): bump it with any change that may map the same ad differently. Part of the
 * adapter's `mappingVersion` with the shared Pro Import pieces' revision.
 */
export const blocketMappingRevision = `blocket-1+${proImportMappingRevision}`;

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
  /** Caps for texts Blocket documents no limit for (`blocketTextLimits` by default). */
  readonly textLimits?: BlocketTextLimits | undefined;
}

/**
 * Lengths Blocket documents no limit for. Neither the V3/V4 doc nor the V4 guide gives one for
 * `title` or `body`, yet a 10 MB description would be sent as is; these caps are adsync's
 * choice (Marktplaats, the strictest documented sibling, allows 65 535 characters of
 * description; Blocket's own ad form is far shorter). A longer text is cut to the cap with a
 * `too_long` warning; dealers can set other caps (`BlocketConfig.textLimits`).
 */
export interface BlocketTextLimits {
  readonly title: number;
  readonly body: number;
}

export const blocketTextLimits: BlocketTextLimits = { title: 100, body: 10_000 };

/**
 * The dealer terms' limit: Blocket documents none; the Tradera guide (the same Pro Import
 * family) says "max 500 chars". Applied as a hard limit (an issue), the stricter reading.
 */
export const termsMaxLength = 500;

export interface BlocketReferenceData {
  readonly bodyTypes: ReadonlyArray<string>;
  readonly fuels: ReadonlyArray<string>;
}

export const blocketAdOptions = decodeMarketplaceOptions(BLOCKET, BlocketAdOptions);

/** A title for ads that need one and were given none: "Volvo XC90 D5 AWD 2019". */
const deriveTitle = (ad: VehicleAd): string =>
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
): Either.Either<Prepared<BlocketPayload>, ReadonlyArray<Issue>> => {
  const findings = new Findings(BLOCKET);
  const options = blocketAdOptions(ad);
  if (Either.isLeft(options)) return Either.left(options.left);

  const categoryId = blocketCategoryId[ad.category];
  const registered = registeredVehicleCategories.has(categoryId);
  // V3 offers the V4-only categories as simple ads only, without category fields.
  const simpleInV3 = settings.version === "v3" && v4OnlyCategories.has(categoryId);
  const registeredAd = registered && !simpleInV3;
  const withCategoryFields = registeredAd || categoryFieldCategories.has(categoryId);
  const needsTitleAndContact = !registeredAd;
  const limits = settings.textLimits ?? blocketTextLimits;

  const payload: Record<string, unknown> = {
    // "category_id": "1121" in the V4 examples, `int` in the V3 field table.
    category_id: settings.version === "v4" ? String(categoryId) : categoryId,
    body: capText(ad.description, limits.body, "description", "body", findings),
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
  if (title !== undefined) payload.title = capText(title, limits.title, "title", "title", findings);

  const images = mapImages(ad.images, settings.images, findings);
  if (images.length > 0) payload.image_urls = images;
  const video = mapVideo(ad.video, findings);
  if (video !== undefined) payload.video_url = video;
  if (ad.url !== undefined) payload.url = ad.url;

  const location = mapLocation(ad.location, findings);
  if (location !== undefined) payload.location = location;
  warnUnsentLocation(ad, location, findings);

  if (needsTitleAndContact) payload.contact = mapContact(ad, findings);
  else if (ad.contact !== undefined && Object.keys(ad.contact).length > 0) {
    findings.warn(
      "contact",
      "unsupported",
      "Blocket shows the store's contact on registered vehicles (\"Contact is not relevant for registered vehicles\"); the ad's contact was not sent.",
      "contact",
    );
  }

  const categoryFields = withCategoryFields
    ? mapCategoryFields(
        ad.vehicle,
        {
          motorised: registeredAd && !unmotorisedCategories.has(categoryId),
          colourRequired: false,
          equipmentRequired: false,
          extendedFields: true,
          // "category_fields … Yes (except for non-registered vehicles)": a boat's fields are
          // sent when given, none is required.
          bodyTypeRequired: registeredAd,
        },
        findings,
      )
    : undefined;
  if (categoryFields !== undefined) {
    if (settings.reference !== undefined)
      toListedSpellings(ad, categoryFields, settings.reference, findings);
    payload.category_fields = categoryFields;
    warnUnsentVehicleFields(ad, registeredAd && !unmotorisedCategories.has(categoryId), findings);
  } else warnNoVehicleFields(ad, categoryId, settings.version, ad.title === undefined, findings);

  mapTerms(ad, settings.version === "v4" ? payload : categoryFields, payload, findings);
  if (options.right.dontPublishOnFailedImages !== undefined) {
    payload.dont_publish_on_failed_images = options.right.dontPublishOnFailedImages;
  }
  // Part of the content, so that a change after the create is sent ("visible": true
  // "Publish immediately"); left out when the ad does not say, so hide/show stay in charge.
  if (options.right.visible !== undefined) payload.visible = options.right.visible;

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
    warranty: checkMaxLength(
      terms.warranty,
      termsMaxLength,
      "terms.warranty",
      "warranty",
      findings,
    ),
    return_policy: checkMaxLength(
      terms.returnPolicy,
      termsMaxLength,
      "terms.returnPolicy",
      "return_policy",
      findings,
    ),
    service_history: checkMaxLength(
      terms.serviceHistory,
      termsMaxLength,
      "terms.serviceHistory",
      "service_history",
      findings,
    ),
    home_delivery: checkMaxLength(
      terms.homeDelivery,
      termsMaxLength,
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

/** A text cut to `max` characters, with a `too_long` warning when it was longer. */
const capText = (
  text: string,
  max: number,
  path: string,
  marketplacePath: string,
  findings: Findings,
): string => {
  if (text.length <= max) return text;
  findings.warn(
    path,
    "too_long",
    `Blocket documents no limit for ${marketplacePath}; adsync sends at most ${max} characters (${text.length} given), the rest was cut.`,
    marketplacePath,
  );
  return text.slice(0, max);
};

/**
 * Location parts Blocket has no field for: its `location` is one of zip code, LKF or
 * coordinates ("Blocket does not show exact coordinates, but resolves to a predefined
 * geographical area"), so the street, city and country, and the alternatives not chosen, are
 * named in warnings.
 */
const warnUnsentLocation = (
  ad: VehicleAd,
  sent: Readonly<Record<string, unknown>> | undefined,
  findings: Findings,
): void => {
  const location = ad.location;
  if (location === undefined) return;
  const unsent = (path: string, what: string) =>
    findings.warn(
      `location.${path}`,
      "unsupported",
      `Blocket has no field for ${what}; it was not sent.`,
      "location",
    );
  if (location.street !== undefined) unsent("street", "the street");
  if (location.city !== undefined) unsent("city", "the city (it follows from the zip code or LKF)");
  if (location.country !== undefined) unsent("country", "the country (Blocket is Swedish)");
  const notChosen = (path: string, what: string) =>
    findings.warn(
      `location.${path}`,
      "unsupported",
      `Blocket takes one of LKF, zip code or coordinates; ${what} was not sent (the more precise one was).`,
      "location",
    );
  if (location.postalCode !== undefined && sent?.zipcode === undefined)
    notChosen("postalCode", "the postal code");
  if (location.coordinates !== undefined && sent?.latitude === undefined)
    notChosen("coordinates", "the coordinates");
  for (const [scheme] of Object.entries(location.regionCodes ?? {})) {
    if (scheme !== "lkf") notChosen(`regionCodes.${scheme}`, `the ${scheme} code`);
  }
};

/**
 * Vehicle fields Blocket's `category_fields` have no key for (the V4 guide's field reference:
 * brand, model, model_year, body_type, registration_number, condition, powertrain, physics,
 * equipment), and the engine fields of vehicles without an engine (trailers, caravans, boats).
 */
const warnUnsentVehicleFields = (ad: VehicleAd, motorised: boolean, findings: Findings): void => {
  const vehicle = ad.vehicle;
  const unsent = (path: string, value: unknown, what: string) => {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
    findings.warn(
      `vehicle.${path}`,
      "unsupported",
      `Blocket has no field for ${what}; it was not sent.`,
      "category_fields",
    );
  };
  unsent("vin", vehicle.vin, "the VIN");
  unsent("engineSizeCc", vehicle.engineSizeCc, "the engine size");
  unsent("doors", vehicle.doors, "the number of doors");
  unsent("seats", vehicle.seats, "the number of seats");
  unsent("kerbWeightKg", vehicle.kerbWeightKg, "the kerb weight");
  unsent("widthMm", vehicle.widthMm, "the width");
  if (vehicle.condition === "damaged") {
    findings.warn(
      "vehicle.condition",
      "unsupported",
      "Blocket has only is_new_vehicle; that the vehicle is damaged was not sent (say so in the description).",
      "category_fields.condition.is_new_vehicle",
    );
  }
  if (!motorised) {
    unsent("transmission", vehicle.transmission, "the transmission in this category");
    unsent("fuels", vehicle.fuels, "fuels in this category");
    unsent("power", vehicle.power, "the engine power in this category");
  }
};

/**
 * Categories sent without `category_fields`: trucks (1221, "Truck & Bus", a plain ad in the
 * category table) and, through V3, the V4-only categories ("only available as simple ads via
 * the legacy /v3/ad endpoint"). The vehicle data cannot be sent; one warning names it, so it is
 * never lost in silence (make, model, variant and year still make the derived title).
 */
const warnNoVehicleFields = (
  ad: VehicleAd,
  categoryId: number,
  version: ApiVersion,
  titleDerived: boolean,
  findings: Findings,
): void => {
  const inTitle = new Set(titleDerived ? ["make", "model", "variant", "modelYear"] : []);
  const unsent = Object.entries(ad.vehicle)
    .filter(
      ([key, value]) =>
        !inTitle.has(key) && value !== undefined && !(Array.isArray(value) && value.length === 0),
    )
    .map(([key]) => key);
  if (unsent.length === 0) return;
  const why = v4OnlyCategories.has(categoryId)
    ? `Blocket ${version.toUpperCase()} takes category ${categoryId} only as a simple ad without vehicle fields (use V4 for them)`
    : `Blocket's category ${categoryId} takes no vehicle fields`;
  findings.warn(
    "vehicle",
    "unsupported",
    `${why}; ${unsent.join(", ")} ${unsent.length === 1 ? "was" : "were"} not sent.`,
    "category_fields",
  );
};
