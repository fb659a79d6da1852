import { decodeMarketplaceOptions, type Issue, type Prepared, type VehicleAd } from "@adsync/core";
import {
  bodyTypeSpellings,
  checkMaxLength,
  colourSpellings,
  Findings,
  firstListed,
  fuelSpellings,
  mapCategoryFields,
  type PriceUnit,
  proImportMappingRevision,
  toWireAmount,
  transmissionSpellings,
} from "@adsync/pro-import";
import { Either } from "effect";
import { TRADERA, TraderaAdOptions, termsMaxLength, traderaCategoryId } from "../config.ts";
import { matchReference, type ReferenceData } from "../reference/reference-data.ts";
import type { TraderaPayload } from "../wire.ts";

/**
 * The revision of Tradera's mapping code and the tables it bundles (category ids, limits):
 * bump it with any change that may map the same ad differently. Part of the adapter's
 * `mappingVersion` with the shared Pro Import pieces' revision.
 */
export const traderaMappingRevision = `tradera-1+${proImportMappingRevision}`;

export interface TraderaMappingSettings {
  readonly priceUnit: PriceUnit;
  readonly dealerCode?: string | undefined;
}

export const traderaAdOptions = decodeMarketplaceOptions(TRADERA, TraderaAdOptions);

/**
 * The canonical ad → a Tradera ad's content (everything but `source_id` and `visible`).
 * Pure and total. With reference data, brand/model/body style/colour/fuels/transmission are
 * normalized to the values Tradera lists, and a value it does not list is an issue.
 */
export const toTraderaPayload = (
  ad: VehicleAd,
  settings: TraderaMappingSettings,
  reference?: ReferenceData,
): Either.Either<Prepared<TraderaPayload>, ReadonlyArray<Issue>> => {
  const findings = new Findings(TRADERA);
  const options = traderaAdOptions(ad);
  if (Either.isLeft(options)) return Either.left(options.left);

  const categoryId =
    ad.category === "car" || ad.category === "van" ? traderaCategoryId[ad.category] : undefined;
  if (categoryId === undefined) {
    findings.problem(
      "category",
      "not_allowed",
      `Tradera takes cars and transport vehicles only, not ${ad.category}.`,
      "category_id",
    );
  }
  const dealerCode = options.right.dealerCode ?? settings.dealerCode;
  if (dealerCode === undefined) {
    findings.problem(
      `marketplaces.${TRADERA}.dealerCode`,
      "required",
      "Tradera needs a dealer code (the adapter's dealerCode or marketplaces.tradera.dealerCode).",
      "dealer_code",
    );
  }

  const payload: Record<string, unknown> = {
    dealer_code: dealerCode ?? "",
    // "The category_id field is numeric, not a string".
    category_id: categoryId ?? 0,
    body: ad.description,
    price: mapTraderaPrice(ad, settings.priceUnit, findings),
  };
  if (ad.title !== undefined) payload.title = ad.title;

  // "Image URLs are required when creating an ad"; Tradera documents no maximum.
  if (ad.images.length === 0) {
    findings.problem("images", "required", "Tradera needs at least one image URL.", "image_urls");
  } else payload.image_urls = [...ad.images];
  if (ad.video !== undefined) {
    findings.warn(
      "video",
      "unsupported",
      "Tradera ads have no video; it was left out.",
      "video_url",
    );
  }
  if (ad.url !== undefined) payload.url = ad.url;
  // The guide's data model locates an ad by coordinates only: `"location": {"latitude": …,
  // "longitude": …}`; a postal code alone is not sent.
  const coordinates = ad.location?.coordinates;
  if (coordinates !== undefined) {
    payload.location = { latitude: coordinates.latitude, longitude: coordinates.longitude };
  } else if (ad.location?.postalCode !== undefined || ad.location?.regionCodes?.lkf !== undefined) {
    findings.warn(
      "location.coordinates",
      "unsupported",
      "Tradera locates ads by coordinates only; without them the ad has no location.",
      "location",
    );
  }
  warnUnsupported(ad, findings);

  const categoryFields = mapCategoryFields(
    ad.vehicle,
    { motorised: true, colourRequired: true, equipmentRequired: true, extendedFields: false },
    findings,
  );
  if (reference !== undefined) normalize(ad, categoryFields, reference, findings);
  // Tradera keeps the dealer's terms in category_fields: "warranty - Warranty info (max 500 chars)".
  const terms = ad.terms;
  const texts: ReadonlyArray<readonly [string, string | undefined, string]> = [
    ["warranty", terms?.warranty, "terms.warranty"],
    ["service_history", terms?.serviceHistory, "terms.serviceHistory"],
    ["home_delivery", terms?.homeDelivery, "terms.homeDelivery"],
    ["return_policy", terms?.returnPolicy, "terms.returnPolicy"],
  ];
  for (const [key, text, path] of texts) {
    const checked = checkMaxLength(text, termsMaxLength, path, `category_fields.${key}`, findings);
    if (checked !== undefined) categoryFields[key] = checked;
  }
  payload.category_fields = categoryFields;
  if (options.right.dontPublishOnFailedImages !== undefined) {
    payload.dont_publish_on_failed_images = options.right.dontPublishOnFailedImages;
  }

  return findings.issues.length > 0
    ? Either.left(findings.issues)
    : Either.right({ payload: payload satisfies TraderaPayload, warnings: findings.warnings });
};

/**
 * "Price must be an array with currency "SEK" and type "list"": one price. A reduced price is
 * what the buyer pays, so it is sent as the list price (the was-price cannot be shown).
 */
const mapTraderaPrice = (ad: VehicleAd, unit: PriceUnit, findings: Findings) => {
  const { list, reduced } = ad.price;
  if (list === undefined && reduced === undefined) {
    findings.problem("price.list", "required", "Tradera needs a list price.", "price");
    return [];
  }
  if (reduced !== undefined && list !== undefined) {
    // The reduced price is sent; what is left out is the original list price.
    findings.warn(
      "price.list",
      "unsupported",
      "Tradera shows one price: the reduced price is sent as the list price, and the original list price is not shown.",
      "price",
    );
  }
  if (ad.price.callForPrice === true) {
    findings.warn(
      "price.callForPrice",
      "unsupported",
      'Tradera has no "call for price"; the list price is shown.',
      "price",
    );
  }
  if (ad.price.monthly !== undefined) {
    findings.warn(
      "price.monthly",
      "unsupported",
      "Tradera takes no monthly price; it was left out.",
      "price",
    );
  }
  // The price sent keeps its own canonical path, so an issue names the field to fix.
  const [path, money] =
    reduced === undefined ? (["price.list", list] as const) : (["price.reduced", reduced] as const);
  if (money === undefined) return [];
  if (money.currency !== "SEK") {
    findings.problem(
      `${path}.currency`,
      "invalid_value",
      `Prices must be in SEK, not ${money.currency}.`,
      "price.currency",
    );
    return [];
  }
  return [{ currency: "SEK", type: "list", amount: toWireAmount(money, unit, path, findings) }];
};

/** Replaces canonical slugs with Tradera's reference values; unknown values become issues. */
const normalize = (
  ad: VehicleAd,
  fields: Record<string, unknown>,
  reference: ReferenceData,
  findings: Findings,
): void => {
  const choose = (
    value: string,
    spellings: ReadonlyArray<string>,
    allowed: ReadonlyArray<string>,
    path: string,
    marketplacePath: string,
  ): string | undefined => {
    const match = firstListed(spellings, (spelling) => matchReference(spelling, allowed));
    if (match === undefined) {
      findings.problem(
        path,
        "invalid_value",
        `"${value}" is not among Tradera's values (${allowed.slice(0, 8).join(", ")}${allowed.length > 8 ? ", …" : ""}).`,
        marketplacePath,
      );
    }
    return match;
  };
  const { vehicle } = ad;
  const brand = choose(
    vehicle.make,
    [vehicle.make],
    reference.brands,
    "vehicle.make",
    "category_fields.brand",
  );
  if (brand !== undefined) fields.brand = brand;
  const model = choose(
    vehicle.model,
    [vehicle.model],
    reference.models,
    "vehicle.model",
    "category_fields.model",
  );
  if (model !== undefined) fields.model = model;
  // Chosen from the canonical value's spellings, not the generic wire value: the list may
  // spell a wagon "kombi" (see spellings.ts).
  if (vehicle.bodyType !== undefined && "body_type" in fields) {
    const body = choose(
      vehicle.bodyType,
      bodyTypeSpellings[vehicle.bodyType],
      reference.bodyStyles,
      "vehicle.bodyType",
      "category_fields.body_type",
    );
    if (body !== undefined) fields.body_type = body;
  }
  if (vehicle.colour !== undefined && "color" in fields) {
    const color = choose(
      vehicle.colour,
      colourSpellings[vehicle.colour],
      reference.colors,
      "vehicle.colour",
      "category_fields.color",
    );
    if (color !== undefined) fields.color = color;
  }
  const powertrain = fields.powertrain;
  if (typeof powertrain === "object" && powertrain !== null && !Array.isArray(powertrain)) {
    const next: Record<string, unknown> = { ...powertrain };
    if (vehicle.transmission !== undefined && "transmission" in powertrain) {
      next.transmission = choose(
        vehicle.transmission,
        transmissionSpellings[vehicle.transmission],
        reference.transmissions,
        "vehicle.transmission",
        "category_fields.powertrain.transmission",
      );
    }
    if ("fuels" in powertrain) {
      const fuels = vehicle.fuels.flatMap((fuel) =>
        fuel === "other"
          ? []
          : (choose(
              fuel,
              fuelSpellings[fuel],
              reference.fuels,
              "vehicle.fuels",
              "category_fields.powertrain.fuels",
            ) ?? []),
      );
      next.fuels = [...new Set(fuels)];
    }
    fields.powertrain = next;
  }
  // Equipment Tradera does not list is dropped with a warning: "equipments - Array of
  // equipment (can be empty)", so an unknown item need not stop the ad.
  const known = ad.vehicle.equipment.flatMap((item) => {
    const match = matchReference(item, reference.equipments);
    if (match === undefined) {
      findings.warn(
        "vehicle.equipment",
        "invalid_value",
        `Tradera does not list the equipment "${item}"; it was left out.`,
        "category_fields.equipments",
      );
      return [];
    }
    return [match];
  });
  fields.equipments = [...new Set(known)];
};

/**
 * Canonical fields the guide's data model has no place for ("Ad Request Structure" and
 * "Category Fields (for Cars)"): each given one is a warning (`unsupported`), never dropped
 * in silence. `vehicle.condition` "used" is what every Tradera vehicle ad is (its mileage is
 * required), so only "new" and "damaged" are reported.
 */
const unsupportedFields: ReadonlyArray<
  readonly [path: string, present: (ad: VehicleAd) => boolean, what: string]
> = [
  ["vehicle.vin", (ad) => ad.vehicle.vin !== undefined, "VIN"],
  ["vehicle.power", (ad) => ad.vehicle.power !== undefined, "engine power"],
  ["vehicle.engineSizeCc", (ad) => ad.vehicle.engineSizeCc !== undefined, "engine size"],
  ["vehicle.doors", (ad) => ad.vehicle.doors !== undefined, "number of doors"],
  ["vehicle.seats", (ad) => ad.vehicle.seats !== undefined, "number of seats"],
  ["vehicle.kerbWeightKg", (ad) => ad.vehicle.kerbWeightKg !== undefined, "kerb weight"],
  ["vehicle.grossWeightKg", (ad) => ad.vehicle.grossWeightKg !== undefined, "gross weight"],
  ["vehicle.lengthMm", (ad) => ad.vehicle.lengthMm !== undefined, "length"],
  ["vehicle.widthMm", (ad) => ad.vehicle.widthMm !== undefined, "width"],
  ["vehicle.beds", (ad) => ad.vehicle.beds !== undefined, "number of beds"],
  ["vehicle.condition", (ad) => ad.vehicle.condition !== "used", "condition (new or damaged)"],
  ["contact", (ad) => ad.contact !== undefined, "contact"],
  [
    "terms.productDeclarationUrl",
    (ad) => ad.terms?.productDeclarationUrl !== undefined,
    "product declaration",
  ],
  // With coordinates, the address parts are not sent ("location": latitude and longitude).
  ["location.postalCode", (ad) => ad.location?.postalCode !== undefined, "postal code"],
  ["location.city", (ad) => ad.location?.city !== undefined, "city"],
  ["location.street", (ad) => ad.location?.street !== undefined, "street"],
  ["location.country", (ad) => ad.location?.country !== undefined, "country"],
  ["location.regionCodes", (ad) => ad.location?.regionCodes !== undefined, "region codes"],
];

const warnUnsupported = (ad: VehicleAd, findings: Findings): void => {
  for (const [path, present, what] of unsupportedFields) {
    if (present(ad)) {
      findings.warn(path, "unsupported", `Tradera's ad has no ${what}; it was left out.`);
    }
  }
};
