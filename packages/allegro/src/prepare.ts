import { type Issue, issue, type VehicleAd } from "@adsync/core";
import { Either } from "effect";
import { type Categories, matchName } from "./categories/tree.ts";
import { ALLEGRO, type AllegroConfig } from "./config.ts";
import { mapParameters } from "./mapping/parameters.ts";
import { type AllegroContent, toAllegroContent } from "./mapping/to-allegro.ts";

/**
 * `prepare`: the mapping with no request, plus whatever the loaded reference data can tell
 * already — an unknown make once the makes are loaded, and unfillable required parameters once
 * the ad's category and its parameters are cached. The rest is checked in `create`, before
 * anything is written.
 */
export const prepareWith = (
  ad: VehicleAd,
  config: AllegroConfig,
  categories: Categories,
): Either.Either<
  { readonly content: AllegroContent; readonly warnings: ReadonlyArray<Issue> },
  ReadonlyArray<Issue>
> =>
  Either.flatMap(toAllegroContent(ad, config), ({ content, warnings }) => {
    const choice = content.category;
    if (!("id" in choice)) {
      const makes = categories.peek.makes(choice);
      if (makes !== undefined && matchName(makes, choice.make, categories.aliases) === undefined)
        return Either.left([
          issue(
            "vehicle.make",
            "invalid_value",
            `Allegro has no category for the make "${choice.make}".`,
            {
              marketplace: ALLEGRO,
              marketplacePath: "category.id",
            },
          ),
        ]);
    }
    const leaf = categories.peek.leaf(choice);
    const parameters = leaf === undefined ? undefined : categories.peek.parameters(leaf);
    if (parameters === undefined) return Either.right({ content, warnings });
    const mapped = mapParameters(ad, parameters, content.parameterOverrides);
    if (mapped.issues.length > 0) return Either.left(mapped.issues);
    return Either.right({ content, warnings: [...warnings, ...mapped.warnings] });
  });
