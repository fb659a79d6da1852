import { Either, type Schema } from "effect";
import { decodeOrIssues, type Issue } from "../model/issue.ts";
import type { VehicleAd } from "../model/vehicle-ad.ts";

/**
 * Decodes an adapter's per-ad options from `ad.marketplaces[marketplace]` with the adapter's
 * own schema; problems become issues under `marketplaces.<marketplace>.…`. An ad without the
 * entry decodes `{}`.
 */
export const decodeMarketplaceOptions =
  <A, I>(marketplace: string, schema: Schema.Schema<A, I>) =>
  (ad: VehicleAd): Either.Either<A, ReadonlyArray<Issue>> =>
    decodeOrIssues(schema)(ad.marketplaces?.[marketplace] ?? {}).pipe(
      Either.mapLeft((issues) =>
        issues.map((entry) => ({
          ...entry,
          path: `marketplaces.${marketplace}${entry.path === "" ? "" : `.${entry.path}`}`,
          marketplace,
        })),
      ),
    );
