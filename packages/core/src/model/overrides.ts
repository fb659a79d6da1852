import { Either, Schema } from "effect";
import type { Prepared } from "../adapter/adapter.ts";
import { decodeOrIssues, type Issue } from "./issue.ts";
import { VehicleAd } from "./vehicle-ad.ts";

/**
 * The canonical fields a dealer may set differently per marketplace, in
 * `ad.marketplaces.<id>.overrides`: a price in another currency, a local address, a contact,
 * a title or text in another language. Each given field replaces the ad's own, whole — except
 * `vehicle`, whose given fields each replace that one vehicle field (`overrides.vehicle.colour`
 * fixes a colour for one marketplace only; make, model and the rest stay the ad's own).
 */
export const overridableFields = [
  "title",
  "description",
  "price",
  "images",
  "video",
  "url",
  "location",
  "contact",
  "terms",
  "vehicle",
] as const;

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The ad as one marketplace sees it: its overrides applied, the `overrides` entry itself
 * removed (adapters decode their options strictly), and the result validated as a whole, so
 * a bad override is an issue under `marketplaces.<id>.overrides…`, never a crash.
 */
export const adForMarketplace = (
  ad: VehicleAd,
  marketplace: string,
): Either.Either<VehicleAd, ReadonlyArray<Issue>> => {
  const entry = ad.marketplaces?.[marketplace];
  if (!isRecord(entry) || entry.overrides === undefined) return Either.right(ad);
  const { overrides, ...options } = entry;
  const prefix = `marketplaces.${marketplace}.overrides`;
  if (!isRecord(overrides)) {
    return Either.left([
      {
        path: prefix,
        code: "invalid_value",
        message: "Overrides are an object of canonical fields.",
        marketplace,
      },
    ]);
  }
  const unknown = Object.keys(overrides).filter(
    (key) => !(overridableFields as ReadonlyArray<string>).includes(key),
  );
  if (unknown.length > 0) {
    return Either.left(
      unknown.map((key) => ({
        path: `${prefix}.${key}`,
        code: "not_allowed" as const,
        message: `Only ${overridableFields.join(", ")} can be set per marketplace.`,
        marketplace,
      })),
    );
  }
  if (overrides.vehicle !== undefined && !isRecord(overrides.vehicle)) {
    return Either.left([
      {
        path: `${prefix}.vehicle`,
        code: "invalid_value",
        message: "A vehicle override is an object of vehicle fields.",
        marketplace,
      },
    ]);
  }
  const encoded = Schema.encodeSync(VehicleAd)(ad);
  const merged = {
    ...encoded,
    ...overrides,
    ...(isRecord(overrides.vehicle)
      ? { vehicle: { ...encoded.vehicle, ...overrides.vehicle } }
      : {}),
    marketplaces: { ...encoded.marketplaces, [marketplace]: options },
  };
  return decodeOrIssues(VehicleAd)(merged).pipe(
    Either.mapLeft((issues) => issues.map((entry) => ({ ...entry, marketplace }))),
    Either.mapLeft((issues) => pointAtOverrides(issues, ad, marketplace)),
  );
};

/**
 * The path of the override that gave the value at a canonical `path`
 * (`marketplaces.<id>.overrides.vehicle.colour` for `vehicle.colour`), or the path itself
 * when the ad's own value is used there.
 */
export const overridePath = (ad: VehicleAd, marketplace: string, path: string): string => {
  const entry = ad.marketplaces?.[marketplace];
  const overrides = isRecord(entry) && isRecord(entry.overrides) ? entry.overrides : undefined;
  if (overrides === undefined) return path;
  const [field = "", key = ""] = path.split(".");
  const prefix = `marketplaces.${marketplace}.overrides`;
  if (field === "vehicle") {
    return isRecord(overrides.vehicle) && Object.hasOwn(overrides.vehicle, key)
      ? `${prefix}.${path}`
      : path;
  }
  return field !== "" && Object.hasOwn(overrides, field) ? `${prefix}.${path}` : path;
};

const pointAtOverrides = (
  issues: ReadonlyArray<Issue>,
  ad: VehicleAd,
  marketplace: string,
): ReadonlyArray<Issue> =>
  issues.map((entry) => {
    const path = overridePath(ad, marketplace, entry.path);
    return path === entry.path ? entry : { ...entry, path };
  });

/**
 * The ad prepared for one marketplace: its overrides applied (`adForMarketplace`), then the
 * adapter's `prepare`. Issues and warnings about a value an override gave name that override
 * (`marketplaces.tradera.overrides.vehicle.colour`), so the dealer fixes it where it is set.
 */
export const prepareForMarketplace = <P = unknown>(
  ad: VehicleAd,
  marketplace: string,
  prepare: (ad: VehicleAd) => Either.Either<Prepared<P>, ReadonlyArray<Issue>>,
): Either.Either<
  { readonly ad: VehicleAd; readonly prepared: Prepared<P> },
  ReadonlyArray<Issue>
> =>
  Either.flatMap(adForMarketplace(ad, marketplace), (effective) =>
    Either.match(prepare(effective), {
      onLeft: (issues) => Either.left(pointAtOverrides(issues, ad, marketplace)),
      onRight: (prepared) =>
        Either.right({
          ad: effective,
          prepared: {
            ...prepared,
            warnings: pointAtOverrides(prepared.warnings, ad, marketplace),
          },
        }),
    }),
  );
