import {
  decodeMarketplaceOptions,
  type Issue,
  issue,
  mappingVersionOf,
  minorUnitsPerMajor,
  type VehicleAd,
  type VehicleCategory,
} from "@adsync/core";
import { DateTime, Either } from "effect";
import { type Categories, matchName } from "../categories/tree.ts";
import {
  ALLEGRO,
  AllegroAdOptions,
  type AllegroConfig,
  contactLimits,
  defaultRootCategoryNames,
  type Invoice,
  Province,
} from "../config.ts";
import type { WireContactRequest, WireDescription, WireLocation } from "../wire.ts";
import { toAllegroDescription } from "./description.ts";
import { mapParameters } from "./parameters.ts";
import { toAllegroTitle } from "./title.ts";

/** Where the leaf category comes from: the dealer's override or the vehicle. */
export type CategoryChoice =
  | { readonly id: string }
  | {
      /** The vehicle root the dealer named (`rootCategories`); else found by walking the tree. */
      readonly root?: string;
      readonly vehicle: VehicleCategory;
      readonly make: string;
      readonly model: string;
      readonly variant?: string;
      readonly modelYear: number;
    };

/**
 * The revision of Allegro's mapping code and the tables it bundles (provinces, limits,
 * default root names and aliases): bump it with any change that may map the same ad
 * differently. Part of the adapter's `mappingVersion` (`allegroMappingVersion`).
 */
export const allegroMappingRevision = "allegro-1";

/**
 * The adapter's `mappingVersion`: the revision and every setting `prepare` reads. The category
 * caches are not part of it: the payload follows from the ad and these settings alone (below),
 * and what `prepare` checks against the caches (an unknown make, unfillable parameters) is
 * only what it can tell from whatever is cached already — a fresh process prepares the same
 * ad with empty caches — and `create` checks it again against fresh data.
 */
export const allegroMappingVersion = (config: AllegroConfig): string =>
  mappingVersionOf(allegroMappingRevision, {
    defaultLocation: config.defaultLocation,
    defaultContact: config.defaultContact,
    rootCategories: config.rootCategories,
    rootCategoryNames: config.rootCategoryNames,
    categoryAliases: config.categoryAliases,
    invoice: config.invoice,
  });

/**
 * Everything of an offer that follows from the ad alone: the payload `prepare` returns and the
 * publisher stores to skip unchanged ads. Ids only Allegro knows (leaf category, parameter
 * values, contact, uploaded image URLs) are resolved when the offer is built, so a cache
 * refresh never makes an unchanged ad look changed. Images are the dealer's source URLs.
 */
export interface AllegroPayload {
  readonly name: string;
  readonly category: CategoryChoice;
  readonly description: WireDescription;
  readonly images: ReadonlyArray<string>;
  readonly sellingMode: {
    readonly format: "ADVERTISEMENT";
    /**
     * Absent when the ad has no list or reduced price (call for price, a monthly price only):
     * sent without one only where the leaf category's `advertisementPriceOptional` is true,
     * checked once the category is known (`categoryAndParameters`); elsewhere an issue.
     */
    readonly price?: { readonly amount: string; readonly currency: "PLN" };
  };
  readonly location: WireLocation;
  readonly contact: WireContactRequest;
  readonly payments: { readonly invoice: Invoice };
  readonly external: { readonly id: string };
  readonly packages: {
    readonly basePackageId?: string;
    readonly extraPackageIds: ReadonlyArray<string>;
  };
  /** The vehicle: the inputs of the parameter mapping, so a changed mileage is an update. */
  readonly vehicle: VehicleAd["vehicle"];
  readonly parameterOverrides: Readonly<Record<string, ReadonlyArray<string>>>;
  readonly scheduledFor?: string;
  readonly draftOnly: boolean;
}

const where = (marketplacePath: string) => ({ marketplace: ALLEGRO, marketplacePath });

/** "The amount provided in a string format to avoid rounding errors": "33000" or "33000.5". */
export const toAllegroAmount = (amount: number, currency: string): string => {
  const unit = minorUnitsPerMajor(currency);
  const whole = Math.trunc(amount / unit);
  const fraction = amount % unit;
  if (fraction === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(fraction).padStart(digits, "0").replace(/0+$/, "")}`;
};

export const allegroAdOptions = decodeMarketplaceOptions(ALLEGRO, AllegroAdOptions);

/** The issue of an ad without a price in a category that needs one. */
export const priceRequired = (categoryId: string) =>
  issue(
    "price.list",
    "required",
    `Allegro's category ${categoryId} needs a price (its advertisementPriceOptional is not true): give price.list.`,
    where("sellingMode.price"),
  );

const priceOf = (ad: VehicleAd, issues: Array<Issue>) => {
  // The asking price is the reduced one when there is one: Allegro shows a single price.
  const money = ad.price.reduced ?? ad.price.list;
  const path = ad.price.reduced === undefined ? "price.list" : "price.reduced";
  // No price: whether the category takes an ad without one is known once it is resolved.
  if (money === undefined) return undefined;
  if (money.currency !== "PLN")
    issues.push(
      issue(
        `${path}.currency`,
        "invalid_value",
        "Allegro takes prices in PLN only.",
        where("sellingMode.price.currency"),
      ),
    );
  return { amount: toAllegroAmount(money.amount, money.currency), currency: "PLN" as const };
};

const provinceOf = (ad: VehicleAd, options: AllegroAdOptions, fallback: string | undefined) => {
  const fromRegion =
    ad.location?.regionCodes?.province ?? ad.location?.regionCodes?.["pl-province"];
  return options.province ?? fromRegion?.toUpperCase() ?? fallback;
};

const locationOf = (
  ad: VehicleAd,
  options: AllegroAdOptions,
  config: AllegroConfig,
  issues: Array<Issue>,
): WireLocation => {
  const fallback = config.defaultLocation;
  const countryCode = ad.location?.country ?? fallback?.countryCode ?? "PL";
  const city = ad.location?.city ?? fallback?.city;
  const postCode = ad.location?.postalCode ?? fallback?.postCode;
  const province = provinceOf(ad, options, fallback?.province);
  if (city === undefined)
    issues.push(
      issue("location.city", "required", "Allegro requires a city.", where("location.city")),
    );
  else if ([...city].length > 35)
    issues.push(
      issue(
        "location.city",
        "too_long",
        "Allegro takes at most 35 characters.",
        where("location.city"),
      ),
    );
  if (countryCode === "PL" && postCode === undefined)
    issues.push(
      issue(
        "location.postalCode",
        "required",
        "Allegro requires a post code in Poland.",
        where("location.postCode"),
      ),
    );
  if (countryCode === "PL" && (province === undefined || !isProvince(province)))
    issues.push(
      issue(
        "marketplaces.allegro.province",
        province === undefined ? "required" : "invalid_value",
        "Allegro requires one of its 16 provinces for Polish addresses (e.g. WIELKOPOLSKIE).",
        where("location.province"),
      ),
    );
  return {
    countryCode,
    ...(countryCode === "PL" && province !== undefined ? { province } : {}),
    city: city ?? "",
    postCode: postCode ?? "",
  };
};

const provinces: ReadonlySet<string> = new Set(Province.literals);
const isProvince = (value: string) => provinces.has(value);

const contactOf = (
  ad: VehicleAd,
  config: AllegroConfig,
  issues: Array<Issue>,
): WireContactRequest => {
  const contact = ad.contact ?? config.defaultContact;
  const name = contact?.name ?? config.defaultContact?.name;
  if (contact === undefined || (contact.email === undefined && contact.phone === undefined))
    issues.push(
      issue(
        "contact",
        "required",
        "Allegro ads need a contact with an email or a phone.",
        where("contact"),
      ),
    );
  if (name === undefined)
    issues.push(
      issue("contact.name", "required", "Allegro contacts need a name.", where("contact.name")),
    );
  else if ([...name].length > contactLimits.nameLength)
    issues.push(
      issue(
        "contact.name",
        "too_long",
        `At most ${contactLimits.nameLength} characters.`,
        where("contact.name"),
      ),
    );
  return {
    name: name ?? "",
    emails: contact?.email === undefined ? [] : [{ address: contact.email }],
    phones: contact?.phone === undefined ? [] : [{ number: contact.phone }],
  };
};

const categoryOf = (
  ad: VehicleAd,
  options: AllegroAdOptions,
  config: AllegroConfig,
  issues: Array<Issue>,
): CategoryChoice => {
  if (options.categoryId !== undefined) return { id: options.categoryId };
  const root = config.rootCategories?.[ad.category];
  const names = { ...defaultRootCategoryNames, ...config.rootCategoryNames }[ad.category];
  if (root === undefined && (names === undefined || names.length === 0)) {
    issues.push(
      issue(
        "category",
        "unsupported",
        `Allegro has no category configured for "${ad.category}"; set marketplaces.allegro.categoryId.`,
        where("category.id"),
      ),
    );
    return { id: "" };
  }
  return {
    ...(root === undefined ? {} : { root }),
    vehicle: ad.category,
    make: ad.vehicle.make,
    model: ad.vehicle.model,
    ...(ad.vehicle.variant === undefined ? {} : { variant: ad.vehicle.variant }),
    modelYear: ad.vehicle.modelYear,
  };
};

const sellingModeOf = (
  price: { readonly amount: string; readonly currency: "PLN" } | undefined,
): AllegroPayload["sellingMode"] =>
  price === undefined ? { format: "ADVERTISEMENT" } : { format: "ADVERTISEMENT", price };

/** An ad mapped for Allegro: the payload create and update send, and what is not sent. */
interface AllegroPrepared {
  readonly payload: AllegroPayload;
  readonly warnings: ReadonlyArray<Issue>;
}

/** The reference data already loaded (the adapter's category cache), read without a request. */
type LoadedReference = Pick<Categories, "peek" | "aliases">;

/**
 * `prepare`: maps an ad to the payload create and update send, with no request. Every
 * documented constraint that needs no reference data is checked here (title, description,
 * price, location, contact, options), plus whatever the loaded reference data can tell already:
 * an unknown make once the makes are loaded, and unfillable required parameters once the ad's
 * category and its parameters are cached. The rest is checked in `create`, before anything is
 * written.
 */
export const toAllegroPayload = (
  ad: VehicleAd,
  config: AllegroConfig,
  reference?: LoadedReference,
): Either.Either<AllegroPrepared, ReadonlyArray<Issue>> =>
  Either.flatMap(mapContent(ad, config), (prepared) =>
    reference === undefined ? Either.right(prepared) : checkLoaded(ad, prepared, reference),
  );

/** The checks `toAllegroPayload` makes against the loaded reference data. */
const checkLoaded = (
  ad: VehicleAd,
  prepared: AllegroPrepared,
  reference: LoadedReference,
): Either.Either<AllegroPrepared, ReadonlyArray<Issue>> => {
  const choice = prepared.payload.category;
  if (!("id" in choice)) {
    const makes = reference.peek.makes(choice);
    if (makes !== undefined && matchName(makes, choice.make, reference.aliases) === undefined)
      return Either.left([
        issue(
          "vehicle.make",
          "invalid_value",
          `Allegro has no category for the make "${choice.make}".`,
          where("category.id"),
        ),
      ]);
  }
  const leaf = reference.peek.leaf(choice);
  const parameters = leaf === undefined ? undefined : reference.peek.parameters(leaf);
  if (parameters === undefined) return Either.right(prepared);
  const mapped = mapParameters(ad, parameters, prepared.payload.parameterOverrides);
  if (mapped.issues.length > 0) return Either.left(mapped.issues);
  return Either.right({ ...prepared, warnings: [...prepared.warnings, ...mapped.warnings] });
};

/** The mapping from the ad alone. */
const mapContent = (
  ad: VehicleAd,
  config: AllegroConfig,
): Either.Either<AllegroPrepared, ReadonlyArray<Issue>> => {
  const decoded = allegroAdOptions(ad);
  if (Either.isLeft(decoded)) return Either.left(decoded.left);
  const options = decoded.right;
  const issues: Array<Issue> = [];
  const title = toAllegroTitle(ad);
  const description = toAllegroDescription(ad, ad.images);
  if (ad.images.length === 0)
    issues.push(
      issue("images", "required", "Allegro ads need at least one image.", where("images")),
    );
  const payload: AllegroPayload = {
    name: title.title,
    category: categoryOf(ad, options, config, issues),
    description: description.description,
    images: ad.images,
    sellingMode: sellingModeOf(priceOf(ad, issues)),
    location: locationOf(ad, options, config, issues),
    contact: contactOf(ad, config, issues),
    payments: { invoice: options.invoice ?? config.invoice ?? "NO_INVOICE" },
    external: { id: ad.id },
    packages: {
      ...(options.basePackageId === undefined ? {} : { basePackageId: options.basePackageId }),
      extraPackageIds: options.extraPackageIds ?? [],
    },
    vehicle: ad.vehicle,
    parameterOverrides: options.parameters ?? {},
    ...(options.scheduledFor === undefined
      ? {}
      : { scheduledFor: DateTime.formatIso(options.scheduledFor) }),
    draftOnly: options.draftOnly ?? false,
  };
  if (issues.length > 0) return Either.left(issues);
  return Either.right({
    payload,
    warnings: [...title.warnings, ...description.warnings, ...notSent(ad)],
  });
};

/**
 * Canonical fields a classified offer has no place for: a warning each (never a silent drop).
 * Allegro shows one price, so with a reduced price the list price is not shown.
 */
const notSent = (ad: VehicleAd): ReadonlyArray<Issue> => {
  const leftOut: Array<readonly [string, unknown, string]> = [
    ["video", ad.video, "a video"],
    ["url", ad.url, "a link to the dealer's page"],
    ["price.monthly", ad.price.monthly, "a monthly price"],
    // Without a price the offer goes out with none, which is what "call for price" means there.
    [
      "price.callForPrice",
      ad.price.reduced === undefined && ad.price.list === undefined
        ? undefined
        : ad.price.callForPrice,
      "'call for price' beside a price",
    ],
    [
      "price.list",
      ad.price.reduced === undefined ? undefined : ad.price.list,
      "a second (list) price beside the reduced one",
    ],
    ["location.street", ad.location?.street, "a street"],
    ["location.coordinates", ad.location?.coordinates, "coordinates"],
    ["location.regionCodes.lkf", ad.location?.regionCodes?.lkf, "a Swedish county code"],
    ["terms.productDeclarationUrl", ad.terms?.productDeclarationUrl, "a product declaration link"],
  ];
  return leftOut.flatMap(([path, value, what]) =>
    value === undefined
      ? []
      : [
          issue(
            path,
            "unsupported",
            `Allegro classifieds have no field for ${what}: not sent.`,
            where(path),
          ),
        ],
  );
};
