import { Either, Schema } from "effect";
import { decodeOrIssues, type Issue } from "./issue.ts";
import { VehicleAd } from "./vehicle-ad.ts";

/**
 * The canonical fields a dealer may set differently per marketplace, in
 * `ad.marketplaces.<id>.overrides`: a price in another currency, a local address, a contact,
 * a title or text in another language. Each given field replaces the ad's own, whole.
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
  const encoded = Schema.encodeSync(VehicleAd)(ad);
  const merged = {
    ...encoded,
    ...overrides,
    marketplaces: { ...encoded.marketplaces, [marketplace]: options },
  };
  return decodeOrIssues(VehicleAd)(merged).pipe(
    Either.mapLeft((issues) =>
      issues.map((entry) => {
        const field = entry.path.split(".")[0] ?? "";
        return field in overrides
          ? { ...entry, path: `${prefix}.${entry.path}`, marketplace }
          : { ...entry, marketplace };
      }),
    ),
  );
};
