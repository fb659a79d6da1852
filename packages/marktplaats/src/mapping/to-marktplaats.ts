import { decodeOrIssues, type Issue, type Prepared, type VehicleAd } from "@adsync/core";
import { Either } from "effect";
import { type CategorySnapshot, placeVehicle } from "../categories/tree.ts";
import { limits, MarktplaatsAdOptions, type SellerSettings, type Site, sites } from "../config.ts";
import { type AttributeValue, mapAttributes } from "./attributes.ts";
import { descriptionToHtml, escapeText } from "./description.ts";
import {
  type AskingPriceRule,
  checkMax,
  defaultPriceModels,
  mapLicensePlate,
  mapLocation,
  mapPriceModel,
  mapTitle,
  mapVideoUrl,
  normalizePhone,
} from "./fields.ts";
import { Findings } from "./findings.ts";
import { warnUnsupported } from "./unsupported.ts";

/**
 * The revision of Marktplaats's mapping code and the tables it bundles (make aliases, price
 * models, attribute rules): bump it with any change that may map the same ad differently.
 * Part of the adapter's `mappingVersion`.
 */
export const marktplaatsMappingRevision = "marktplaats-1";

export interface MappingSettings {
  readonly site: Site;
  /** 2dehands: the locale when the ad names none. */
  readonly locale?: "nl-BE" | "fr-BE" | undefined;
  readonly priceUnit: "cents" | "euros";
  readonly apiPartner: boolean;
  readonly seller?: SellerSettings | undefined;
  readonly makeAliases: Readonly<Record<string, string>>;
  /** Price models and whether each takes an askingPrice (defaults plus the config's). */
  readonly priceModels?: Readonly<Record<string, AskingPriceRule>> | undefined;
  /** The model `price.callForPrice` becomes (default "on-request"). */
  readonly callForPriceModel?: string | undefined;
}

/**
 * What adsync stores as the last payload sent: the advertisement (the POST body, base of every
 * JSON Patch) and the image URLs, which travel on their own endpoint.
 */
export interface MarktplaatsPayload {
  readonly advertisement: Readonly<Record<string, unknown>>;
  readonly imageUrls: ReadonlyArray<string>;
}

export const adOptions = (
  ad: VehicleAd,
  site: Site,
): Either.Either<MarktplaatsAdOptions, ReadonlyArray<Issue>> =>
  decodeOrIssues(MarktplaatsAdOptions)(ad.marketplaces?.[site] ?? {}).pipe(
    Either.mapLeft((issues) =>
      issues.map((entry) => ({
        ...entry,
        path: `marketplaces.${site}${entry.path === "" ? "" : `.${entry.path}`}`,
        marketplace: site,
      })),
    ),
  );

const termLabels = {
  nl: {
    warranty: "Garantie",
    returnPolicy: "Retourbeleid",
    serviceHistory: "Onderhoudshistorie",
    homeDelivery: "Thuisbezorging",
  },
  fr: {
    warranty: "Garantie",
    returnPolicy: "Retour",
    serviceHistory: "Historique d'entretien",
    homeDelivery: "Livraison à domicile",
  },
} as const;

/** The description as allowed HTML, with the dealer's terms as labelled paragraphs. */
const mapDescription = (ad: VehicleAd, locale: string | undefined, findings: Findings) => {
  const labels = locale === "fr-BE" ? termLabels.fr : termLabels.nl;
  const terms = (["warranty", "returnPolicy", "serviceHistory", "homeDelivery"] as const).flatMap(
    (key) => {
      const text = ad.terms?.[key];
      return text === undefined ? [] : [`<p>${escapeText(`${labels[key]}: ${text}`)}</p>`];
    },
  );
  const html = descriptionToHtml(ad.description) + terms.join("");
  if (html.length > limits.descriptionMax) {
    findings.problem(
      "description",
      "too_long",
      `The description is ${html.length} characters as HTML; Marktplaats takes ${limits.descriptionMax}.`,
      "description",
    );
  }
  return html;
};

const mapSeller = (
  ad: VehicleAd,
  settings: MappingSettings,
  options: MarktplaatsAdOptions,
  findings: Findings,
): Record<string, unknown> | undefined => {
  const merged: SellerSettings = { ...settings.seller, ...options.seller };
  const optionsPath = `marketplaces.${settings.site}.seller`;
  const name = options.seller?.sellerName ?? ad.contact?.name ?? settings.seller?.sellerName;
  const namePath =
    options.seller?.sellerName === undefined ? "contact.name" : `${optionsPath}.sellerName`;
  const phone = options.seller?.phoneNumber ?? ad.contact?.phone ?? settings.seller?.phoneNumber;
  const phonePath =
    options.seller?.phoneNumber === undefined ? "contact.phone" : `${optionsPath}.phoneNumber`;
  const seller: Record<string, unknown> = {};
  const maxName = settings.apiPartner ? limits.sellerNamePartner : limits.sellerName;
  if (name !== undefined) {
    if (name.length > maxName) {
      findings.problem(
        namePath,
        "too_long",
        `Marktplaats takes a seller name of ${maxName} characters.`,
        "seller.sellerName",
      );
    } else seller.sellerName = name;
  }
  if (phone !== undefined) {
    const normalized = normalizePhone(phone);
    if (normalized === undefined) {
      findings.problem(
        phonePath,
        "invalid_value",
        "Marktplaats takes a valid phone number of at most 12 characters.",
        "seller.phoneNumber",
      );
    } else seller.phoneNumber = normalized;
  }
  for (const key of ["kvkNumber", "vestiging", "showEmail", "acceptPaypal"] as const) {
    if (merged[key] !== undefined) seller[key] = merged[key];
  }
  if (Object.keys(seller).length === 0) return undefined;
  // "seller.sellerName … required: true": a seller object needs its name.
  if (seller.sellerName === undefined && name === undefined) {
    findings.problem(
      "contact.name",
      "required",
      "Seller details need the seller's name.",
      "seller.sellerName",
    );
  }
  return seller;
};

const mapLocale = (
  settings: MappingSettings,
  options: MarktplaatsAdOptions,
  findings: Findings,
) => {
  const allowed: ReadonlyArray<string> = sites[settings.site].locales;
  const locale =
    options.locale ?? (settings.site === "2dehands" ? (settings.locale ?? "nl-BE") : undefined);
  if (locale !== undefined && !allowed.includes(locale)) {
    findings.problem(
      `marketplaces.${settings.site}.locale`,
      "invalid_value",
      `${settings.site} takes the locales ${allowed.join(", ")}.`,
      "locale",
    );
    return undefined;
  }
  return locale;
};

/**
 * The canonical ad → a Marktplaats advertisement and its image URLs. Pure and total: a payload
 * with warnings, or the issues that stop it. `snapshot` is the cached category tree and
 * attributes (loaded by the adapter's `warmUp`).
 */
export const toMarktplaatsPayload = (
  ad: VehicleAd,
  settings: MappingSettings,
  snapshot: CategorySnapshot | undefined,
): Either.Either<Prepared<MarktplaatsPayload>, ReadonlyArray<Issue>> => {
  const site = settings.site;
  const decoded = adOptions(ad, site);
  if (Either.isLeft(decoded)) return Either.left(decoded.left);
  const options = decoded.right;
  const optionsPath = `marketplaces.${site}`;
  const findings = new Findings(site);
  const advertisement: Record<string, unknown> = {};

  const placement =
    snapshot === undefined && options.categoryId === undefined
      ? undefined
      : placeVehicle(
          snapshot ?? { roots: {}, attributes: new Map() },
          ad.category,
          ad.vehicle.make,
          options.categoryId,
          settings.makeAliases,
        );
  if (placement === undefined) {
    findings.problem(
      "vehicle.make",
      "invalid_value",
      "The Marktplaats category list is not loaded yet.",
      "categoryId",
    );
  } else if (placement._tag === "NoRoot") {
    findings.problem(
      "category",
      "not_allowed",
      `adsync knows no Marktplaats category for ${ad.category}; set ${optionsPath}.categoryId.`,
      "categoryId",
    );
  } else if (placement._tag === "UnknownMake") {
    findings.problem(
      "vehicle.make",
      "invalid_value",
      `Marktplaats has no category for the make "${ad.vehicle.make}" (e.g. ${placement.known.slice(0, 6).join(", ")}); set ${optionsPath}.categoryId or a make alias.`,
      "categoryId",
    );
  } else advertisement.categoryId = placement.categoryId;

  const title = mapTitle(ad.title, ad.vehicle, findings);
  if (title !== undefined) advertisement.title = title;
  const locale = mapLocale(settings, options, findings);
  advertisement.description = mapDescription(ad, locale, findings);
  const priceModel = mapPriceModel(
    ad.price,
    {
      unit: settings.priceUnit,
      modelType: options.priceModelType,
      optionsPath,
      models: { ...defaultPriceModels, ...settings.priceModels },
      callForPriceModel: settings.callForPriceModel ?? "on-request",
    },
    findings,
  );
  if (priceModel !== undefined) advertisement.priceModel = priceModel;
  const licensePlate = mapLicensePlate(ad.vehicle.registrationNumber, findings);
  if (licensePlate !== undefined) advertisement.licensePlate = licensePlate;
  const seller = mapSeller(ad, settings, options, findings);
  if (seller !== undefined) advertisement.seller = seller;
  const location = mapLocation(ad.location, findings);
  if (location !== undefined) advertisement.location = location;
  if (ad.url !== undefined) advertisement.url = ad.url;
  const sticker = checkMax(
    options.stickerText,
    limits.stickerText,
    `${optionsPath}.stickerText`,
    "stickerText",
    findings,
  );
  if (sticker !== undefined) advertisement.stickerText = sticker;
  const videoUrl = mapVideoUrl(ad.video, findings);
  if (videoUrl !== undefined) advertisement.videoUrl = videoUrl;
  if (options.showOnMap !== undefined) advertisement.showOnMap = options.showOnMap;
  const partNumber = checkMax(
    options.partNumber,
    limits.partNumber,
    `${optionsPath}.partNumber`,
    "partNumber",
    findings,
  );
  if (partNumber !== undefined) advertisement.partNumber = partNumber;
  if (locale !== undefined) advertisement.locale = locale;

  const overrides: Readonly<Record<string, AttributeValue>> = options.attributes ?? {};
  if (placement?._tag === "Placed") {
    if (placement.attributes === undefined) {
      findings.warn(
        "vehicle",
        "unsupported",
        `The attributes of category ${placement.categoryId} are not known; only ${optionsPath}.attributes are sent.`,
        "categoryId",
      );
      Object.assign(advertisement, overrides);
    } else {
      const attributes = mapAttributes(
        ad.vehicle,
        placement.attributes,
        overrides,
        `${optionsPath}.attributes`,
        findings,
      );
      for (const [key, value] of Object.entries(attributes)) {
        // An attribute never overwrites a documented field of the advertisement itself.
        if (!(key in advertisement)) advertisement[key] = value;
      }
    }
  }

  warnUnsupported(ad, { title, postcodeSent: location?.postcode !== undefined }, findings);
  if (findings.issues.length > 0) return Either.left(findings.issues);
  const payload: MarktplaatsPayload = { advertisement, imageUrls: [...ad.images] };
  return Either.right({ payload, warnings: findings.warnings });
};
