import { type Issue, issue } from "@adsync/core";
import { Either } from "effect";
import { ALLEGRO } from "../config.ts";
import type { AllegroPayload } from "../mapping/to-allegro.ts";
import type { PackageConfig, WireClassifiedPackages } from "../wire.ts";

/**
 * Section 8: "Assign previously selected package and additional options to a draft". The
 * dealer's choice from `marketplaces.allegro`, else the category's `BASE` package; every id
 * must be one `GET /sale/classifieds-packages?category.id=` lists, of the right type.
 */
export const choosePackages = (
  content: AllegroPayload,
  configs: ReadonlyArray<PackageConfig>,
): Either.Either<WireClassifiedPackages, ReadonlyArray<Issue>> => {
  const issues: Array<Issue> = [];
  const where = { marketplace: ALLEGRO, marketplacePath: "basePackage.id" };
  const wantedBase = content.packages.basePackageId;
  const base =
    wantedBase === undefined
      ? configs.find((config) => config.type === "BASE")
      : configs.find((config) => config.id === wantedBase && config.type === "BASE");
  if (base === undefined)
    issues.push(
      issue(
        "marketplaces.allegro.basePackageId",
        wantedBase === undefined ? "required" : "invalid_value",
        wantedBase === undefined
          ? "This Allegro category offers no BASE package."
          : `"${wantedBase}" is not a BASE package of this category (${configs
              .filter((config) => config.type === "BASE")
              .map((config) => `${config.id} ${config.name}`)
              .join(", ")}).`,
        where,
      ),
    );
  content.packages.extraPackageIds.forEach((id, index) => {
    if (!configs.some((config) => config.id === id && config.type === "EXTRA"))
      issues.push(
        issue(
          `marketplaces.allegro.extraPackageIds.${index}`,
          "invalid_value",
          `"${id}" is not an EXTRA package of this category.`,
          {
            marketplace: ALLEGRO,
            marketplacePath: "extraPackages",
          },
        ),
      );
  });
  if (base === undefined || issues.length > 0) return Either.left(issues);
  return Either.right({
    basePackage: { id: base.id },
    extraPackages: content.packages.extraPackageIds.map((id) => ({ id })),
  });
};
