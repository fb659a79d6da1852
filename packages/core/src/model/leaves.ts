import type { VehicleAd } from "./vehicle-ad.ts";

/** One value the dealer gave, named by its canonical path (the path issues use). */
export interface CanonicalLeaf {
  /** e.g. `vehicle.make`, `price.list.amount`, `images.2`, `location.regionCodes.lkf` */
  readonly path: string;
  readonly value: string | number | boolean;
}

/**
 * Every leaf of an ad that holds a value, in the issue path format (`images.2`,
 * `vehicle.power.value`). The per-marketplace options (`marketplaces`) are not canonical
 * content and are left out. Adapters must map each leaf or warn about it (`unsupported`):
 * nothing the dealer gave is dropped in silence.
 */
export const canonicalLeaves = (ad: VehicleAd): ReadonlyArray<CanonicalLeaf> => {
  const leaves: Array<CanonicalLeaf> = [];
  const walk = (value: unknown, path: string): void => {
    if (value === undefined || value === null) return;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      leaves.push({ path, value });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        walk(item, `${path}.${index}`);
      });
      return;
    }
    if (typeof value === "object") {
      for (const [key, item] of Object.entries(value))
        walk(item, path === "" ? key : `${path}.${key}`);
    }
  };
  for (const [key, value] of Object.entries(ad)) {
    if (key !== "marketplaces") walk(value, key);
  }
  return leaves;
};

/**
 * Whether an issue path names a leaf: the same path, one of its parents (a warning on
 * `vehicle.power` covers `vehicle.power.value`), or an array element's parent (`images`).
 */
export const pathCovers = (issuePath: string, leafPath: string): boolean =>
  issuePath === leafPath || leafPath.startsWith(`${issuePath}.`);
