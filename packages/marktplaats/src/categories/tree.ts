import type { AdsyncError, VehicleCategory } from "@adsync/core";
import { Effect } from "effect";
import type { MarktplaatsClient } from "../client.ts";
import { normalizeName } from "../mapping/findings.ts";
import type { WireAttribute, WireCategory } from "../wire.ts";

/**
 * The category tree adsync needs, read once and cached: the L1 of each vehicle kind, its L2
 * categories (for cars, one per make: "Must be a L2 category"), and the attributes of every
 * such L2 ("To get a list of the optional fields … the category-attributes could be used").
 * `prepare` is synchronous, so the whole snapshot is loaded by the adapter's `warmUp`.
 */
export interface Category {
  readonly id: number;
  readonly name: string;
}

interface CategoryRoot extends Category {
  readonly children: ReadonlyArray<Category>;
}

export interface CategorySnapshot {
  /** Roots by vehicle kind (only the kinds configured). */
  readonly roots: Partial<Record<VehicleCategory, CategoryRoot>>;
  /** Attributes by L2 id. */
  readonly attributes: ReadonlyMap<number, ReadonlyArray<WireAttribute>>;
}

/** Spellings dealers use for a make, compared after `normalizeName`. */
export const defaultMakeAliases: Readonly<Record<string, string>> = {
  vw: "Volkswagen",
  mercedes: "Mercedes-Benz",
  merc: "Mercedes-Benz",
  mb: "Mercedes-Benz",
  alfa: "Alfa Romeo",
  chevy: "Chevrolet",
  landrover: "Land Rover",
  rangerover: "Land Rover",
  mini: "MINI",
  ds: "DS",
};

/** "Antiek | Bestek" (the guide's L2 name) → "Bestek": L2 names may carry their L1. */
const ownName = (name: string): string => name.split("|").at(-1)?.trim() ?? name;

const categoryOf = (wire: WireCategory): Category | undefined =>
  wire.categoryId === undefined || wire.name === undefined
    ? undefined
    : { id: wire.categoryId, name: ownName(wire.name) };

const childrenOf = (wire: WireCategory): ReadonlyArray<Category> =>
  (wire._embedded?.["mp:category"] ?? []).flatMap((child) => categoryOf(child) ?? []);

/** Loads the configured roots, their L2 lists and every L2's attributes. */
export const loadCategories = (
  client: MarktplaatsClient,
  rootNames: Partial<Record<VehicleCategory, string>>,
): Effect.Effect<CategorySnapshot, AdsyncError> =>
  Effect.gen(function* () {
    const top = yield* client.categories();
    const roots: Partial<Record<VehicleCategory, CategoryRoot>> = {};
    const attributes = new Map<number, ReadonlyArray<WireAttribute>>();
    for (const [kind, rootName] of Object.entries(rootNames)) {
      if (!isVehicleCategory(kind, rootNames) || rootName === undefined) continue;
      const wanted = normalizeName(rootName);
      const l1 = (top._embedded?.["mp:category"] ?? []).find(
        (entry) => entry.name !== undefined && normalizeName(entry.name) === wanted,
      );
      const root = l1 === undefined ? undefined : categoryOf(l1);
      if (l1 === undefined || root === undefined) continue;
      // The L1 list may embed its L2s (the guide's example does); otherwise ask for them.
      const embedded = childrenOf(l1);
      const children =
        embedded.length > 0 ? embedded : childrenOf(yield* client.categories(root.id));
      roots[kind] = { ...root, children };
      const loaded = yield* Effect.forEach(
        children.filter((child) => !attributes.has(child.id)),
        (child) =>
          Effect.map(client.attributes(root.id, child.id), (list) => [child.id, list] as const),
        { concurrency: 4 },
      );
      for (const [id, list] of loaded) attributes.set(id, list);
    }
    return { roots, attributes };
  });

function isVehicleCategory(
  kind: string,
  rootNames: Partial<Record<VehicleCategory, string>>,
): kind is VehicleCategory {
  return Object.hasOwn(rootNames, kind);
}

type Placement =
  | {
      readonly _tag: "Placed";
      readonly categoryId: number;
      readonly attributes: ReadonlyArray<WireAttribute> | undefined;
    }
  | { readonly _tag: "NoRoot" }
  | { readonly _tag: "UnknownMake"; readonly known: ReadonlyArray<string> };

/**
 * The L2 for a vehicle: the explicit `categoryId` when given, else the child of its kind's L1
 * whose name is the make (accents, case and punctuation ignored, then the aliases). Never a
 * guess: no match is an answer of its own.
 */
export const placeVehicle = (
  snapshot: CategorySnapshot,
  kind: VehicleCategory,
  make: string,
  explicitCategoryId: number | undefined,
  aliases: Readonly<Record<string, string>>,
): Placement => {
  if (explicitCategoryId !== undefined) {
    return {
      _tag: "Placed",
      categoryId: explicitCategoryId,
      attributes: snapshot.attributes.get(explicitCategoryId),
    };
  }
  const root = snapshot.roots[kind];
  if (root === undefined) return { _tag: "NoRoot" };
  const byName = new Map(root.children.map((child) => [normalizeName(child.name), child]));
  const normalized = normalizeName(make);
  const aliasOf = (value: string) =>
    Object.entries(aliases).find(([alias]) => normalizeName(alias) === value)?.[1];
  const alias = aliasOf(normalized);
  const child =
    byName.get(normalized) ?? (alias === undefined ? undefined : byName.get(normalizeName(alias)));
  if (child === undefined) {
    return { _tag: "UnknownMake", known: root.children.map((entry) => entry.name) };
  }
  return { _tag: "Placed", categoryId: child.id, attributes: snapshot.attributes.get(child.id) };
};

/** The L1 an L2 belongs to in the snapshot, or undefined when the snapshot does not list it. */
export const rootIdOf = (snapshot: CategorySnapshot, l2: number): number | undefined =>
  Object.values(snapshot.roots).find((root) => root?.children.some((child) => child.id === l2))?.id;
