import { AdsyncError, issue, type VehicleCategory } from "@adsync/core";
import { type Duration, Effect } from "effect";
import type { AllegroClient } from "../client.ts";
import { ALLEGRO, vehicleMainCategoryNames } from "../config.ts";
import { compactName, normalizeName } from "../mapping/text.ts";
import type { CategoryChoice } from "../mapping/to-allegro.ts";
import type { CategoryNode, CategoryParameter, PackageConfig } from "../wire.ts";
import { makeTtlCache } from "./cache.ts";

/**
 * Spellings that differ between dealers' systems and Allegro's category names (lower case,
 * normalized). A dealer adds more through `categoryAliases`.
 */
const defaultCategoryAliases: Readonly<Record<string, string>> = {
  vw: "volkswagen",
  mercedes: "mercedes benz",
  "mercedes-benz": "mercedes benz",
  chevy: "chevrolet",
  alfa: "alfa romeo",
  "land rover": "land rover",
};

/** "3-serie", "3 Series", "3er" → "Seria 3", Allegro's name for BMW's series. */
const seriesName = (model: string): string | undefined => {
  const match = /^(\d)\s*-?\s*(serie|series|er)$/i.exec(model.trim());
  return match?.[1] === undefined ? undefined : `seria ${match[1]}`;
};

/** The child whose name means `wanted`: exact, without separators, alias, then series form. */
export const matchName = (
  children: ReadonlyArray<CategoryNode>,
  wanted: string,
  aliases: Readonly<Record<string, string>>,
): CategoryNode | undefined => {
  const candidates = [
    wanted,
    aliases[wanted.toLowerCase()],
    aliases[normalizeName(wanted)],
    seriesName(wanted),
  ]
    .filter((entry) => entry !== undefined)
    .map(normalizeName);
  return (
    children.find((child) => candidates.includes(normalizeName(child.name))) ??
    children.find((child) =>
      candidates.map((entry) => entry.replace(/ /g, "")).includes(compactName(child.name)),
    )
  );
};

/** "E53 (1999-2006)", "II (2014-)": the model years a generation's name covers. */
const yearsOf = (name: string): { readonly from: number; readonly to: number } | undefined => {
  const match = /\((\d{4})\s*-\s*(\d{4})?\)/.exec(name);
  if (match?.[1] === undefined) return undefined;
  return { from: Number(match[1]), to: match[2] === undefined ? 9999 : Number(match[2]) };
};

/** Below the model: the generation named by the variant, else the one covering the year. */
const matchGeneration = (
  children: ReadonlyArray<CategoryNode>,
  variant: string | undefined,
  modelYear: number,
): CategoryNode | undefined => {
  if (children.length === 1) return children[0];
  if (variant !== undefined) {
    const words = new Set(normalizeName(variant).split(" "));
    const named = children.filter((child) => {
      const head = normalizeName(child.name.replace(/\(.*\)/, "")).split(" ");
      return head.length > 0 && head.every((word) => words.has(word));
    });
    if (named.length === 1) return named[0];
  }
  const byYear = children.filter((child) => {
    const years = yearsOf(child.name);
    return years !== undefined && years.from <= modelYear && modelYear <= years.to;
  });
  return byYear.length === 1 ? byYear[0] : undefined;
};

const notPlaced = (path: string, message: string) =>
  new AdsyncError({
    reason: "Invalid",
    marketplace: ALLEGRO,
    operation: "resolve category",
    message,
    issues: [
      issue(path, "invalid_value", message, {
        marketplace: ALLEGRO,
        marketplacePath: "category.id",
      }),
    ],
  });

/**
 * Allegro's reference data, cached: the category tree walked make → model → generation
 * (`GET /sale/categories?parent.id=`), each leaf's parameters ("Retrieve parameters, verify
 * and update them … because their values may change": a TTL, not forever) and packages.
 */
export const makeCategories = (
  client: AllegroClient,
  options: {
    readonly ttl: Duration.DurationInput;
    readonly aliases: Readonly<Record<string, string>>;
    readonly rootNames: Partial<Record<VehicleCategory, ReadonlyArray<string>>>;
  },
) => {
  const ttl = options.ttl;
  const children = makeTtlCache<ReadonlyArray<CategoryNode>, AdsyncError>(ttl);
  const parameters = makeTtlCache<ReadonlyArray<CategoryParameter>, AdsyncError>(ttl);
  const packages = makeTtlCache<ReadonlyArray<PackageConfig>, AdsyncError>(ttl);
  const leaves = makeTtlCache<string, AdsyncError>(ttl);
  const roots = makeTtlCache<string, AdsyncError>(ttl);
  const aliases = { ...defaultCategoryAliases, ...options.aliases };

  // Every category a listing showed, by id: its `options` come with it.
  const seen = new Map<string, CategoryNode>();
  const childrenOf = (parentId: string) =>
    children.get(
      parentId,
      Effect.tap(client.categories(parentId), (nodes) => {
        for (const node of nodes) seen.set(node.id, node);
      }),
    );
  const nodes = makeTtlCache<CategoryNode, AdsyncError>(ttl);
  /** A category with its options: from a listing already read, else `GET /sale/categories/{id}`. */
  const nodeOf = (categoryId: string) => {
    const known = seen.get(categoryId);
    return known === undefined
      ? nodes.get(categoryId, client.category(categoryId))
      : Effect.succeed(known);
  };

  const keyOf = (choice: CategoryChoice) => JSON.stringify(choice);

  type VehicleChoice = Exclude<CategoryChoice, { readonly id: string }>;

  /**
   * Finds a vehicle root by name: the main categories (`GET /sale/categories`), then down
   * starting at "Motoryzacja", only through categories whose name shares a word with the root's
   * names ("Samochody" → "Osobowe"), three levels at most. Only the ad's own root is looked
   * for; the answer is cached. None: an issue on the ad's `category`.
   */
  const discover = (vehicle: VehicleChoice["vehicle"]) =>
    Effect.gen(function* () {
      const names = (options.rootNames[vehicle] ?? []).map(normalizeName);
      const words = new Set(names.flatMap((name) => name.split(" ")));
      const mains = vehicleMainCategoryNames.map(normalizeName);
      let level = (yield* childrenOf("")).filter((node) =>
        mains.includes(normalizeName(node.name)),
      );
      for (let depth = 0; depth < 3 && level.length > 0; depth++) {
        const below = (yield* Effect.forEach(
          level.filter((node) => !node.leaf),
          (node) => childrenOf(node.id),
        )).flat();
        const hit = below.find((node) => names.includes(normalizeName(node.name)));
        if (hit !== undefined) return hit.id;
        level = below.filter((node) =>
          normalizeName(node.name)
            .split(" ")
            .some((word) => words.has(word)),
        );
      }
      return yield* notPlaced(
        "category",
        `Allegro's category tree has no root for "${vehicle}" (looked for ${(options.rootNames[vehicle] ?? []).join(", ")}); set rootCategories.${vehicle} or marketplaces.allegro.categoryId.`,
      );
    });

  const rootOf = (choice: VehicleChoice) =>
    choice.root !== undefined
      ? Effect.succeed(choice.root)
      : roots.get(choice.vehicle, discover(choice.vehicle));

  const walk = (choice: VehicleChoice) =>
    Effect.gen(function* () {
      const makes = yield* childrenOf(yield* rootOf(choice));
      const make = matchName(makes, choice.make, aliases);
      if (make === undefined)
        return yield* notPlaced(
          "vehicle.make",
          `Allegro has no category for the make "${choice.make}".`,
        );
      if (make.leaf) return make.id;
      const model = matchName(yield* childrenOf(make.id), choice.model, aliases);
      if (model === undefined)
        return yield* notPlaced(
          "vehicle.model",
          `Allegro has no category for ${choice.make} "${choice.model}".`,
        );
      let node = model;
      // make → model → generation is three levels; a fourth is the most Allegro nests vehicles.
      for (let depth = 0; !node.leaf && depth < 3; depth++) {
        const below = yield* childrenOf(node.id);
        const next = matchGeneration(below, choice.variant, choice.modelYear);
        if (next === undefined)
          return yield* notPlaced(
            "vehicle.variant",
            `Allegro splits ${choice.make} ${choice.model} into ${below.map((child) => child.name).join(", ")}: name one in vehicle.variant or set marketplaces.allegro.categoryId.`,
          );
        node = next;
      }
      if (!node.leaf)
        return yield* notPlaced(
          "vehicle.model",
          `No leaf category below ${node.name}; set marketplaces.allegro.categoryId.`,
        );
      return node.id;
    });

  return {
    /** The leaf category id for the ad (cached per vehicle). */
    resolve: (choice: CategoryChoice): Effect.Effect<string, AdsyncError> =>
      "id" in choice ? Effect.succeed(choice.id) : leaves.get(keyOf(choice), walk(choice)),
    parameters: (categoryId: string) =>
      parameters.get(categoryId, client.categoryParameters(categoryId)),
    /**
     * OpenAPI `CategoryOptionsDto.advertisementPriceOptional`: "If the value is `true` then you
     * don't have to provide a price when listing an advertisement in this category".
     */
    priceOptional: (categoryId: string) =>
      Effect.map(nodeOf(categoryId), (node) => node.options?.advertisementPriceOptional === true),
    packages: (categoryId: string) => packages.get(categoryId, client.packageConfigs(categoryId)),
    /** Loads the first level under each root the dealer named: the makes (what warmUp does). */
    warm: (ids: ReadonlyArray<string>) => Effect.forEach(ids, childrenOf, { discard: true }),
    /** What is already loaded, read synchronously by `prepare`. */
    peek: {
      leaf: (choice: CategoryChoice) => ("id" in choice ? choice.id : leaves.peek(keyOf(choice))),
      parameters: (categoryId: string) => parameters.peek(categoryId),
      /** The makes under the ad's root, when the root is known and its children loaded. */
      makes: (choice: VehicleChoice) => {
        const root = choice.root ?? roots.peek(choice.vehicle);
        return root === undefined ? undefined : children.peek(root);
      },
      packages: (categoryId: string) => packages.peek(categoryId),
    },
    aliases,
  };
};
export type Categories = ReturnType<typeof makeCategories>;
