import { VehicleAd } from "@adsync/core";
import { SchemaAST } from "effect";

/** A path segment standing for any array index, or any record key (no field is named so). */
const anyIndex = "#index";
const anyKey = "#key";
type Segment = string;

/**
 * Every path an issue may name, read from a Schema's AST (its type side): each field, each
 * field's parents, array elements as `#index`, record entries as `#key`. Unions contribute all
 * their members; literals and keywords end a path.
 */
const pathsOf = (ast: SchemaAST.AST): ReadonlyArray<ReadonlyArray<Segment>> => {
  const found: Array<ReadonlyArray<Segment>> = [];
  const seen = new Set<SchemaAST.AST>();
  const walk = (node: SchemaAST.AST, prefix: ReadonlyArray<Segment>): void => {
    switch (node._tag) {
      case "Refinement":
        walk(node.from, prefix);
        return;
      case "Transformation":
        walk(node.to, prefix);
        return;
      case "Suspend":
        if (seen.has(node)) return;
        seen.add(node);
        walk(node.f(), prefix);
        return;
      case "Union":
        for (const member of node.types) walk(member, prefix);
        return;
      case "TupleType":
        for (const element of node.rest) {
          const path = [...prefix, anyIndex];
          found.push(path);
          walk(element.type, path);
        }
        return;
      case "TypeLiteral":
        for (const property of node.propertySignatures) {
          if (typeof property.name !== "string") continue;
          const path = [...prefix, property.name];
          found.push(path);
          walk(property.type, path);
        }
        for (const signature of node.indexSignatures) {
          const path = [...prefix, anyKey];
          found.push(path);
          walk(signature.type, path);
        }
        return;
      default:
        return;
    }
  };
  walk(SchemaAST.typeAST(ast), []);
  return found;
};

const matches = (pattern: ReadonlyArray<Segment>, segments: ReadonlyArray<string>): boolean =>
  pattern.length === segments.length &&
  pattern.every((expected, index) => {
    const segment = segments[index] ?? "";
    if (expected === anyIndex) return /^\d+$/.test(segment);
    if (expected === anyKey) return segment.length > 0;
    return expected === segment;
  });

/** The canonical paths of `VehicleAd`, read once from its Schema. */
const canonical = pathsOf(VehicleAd.ast).filter((path) => path[0] !== "marketplaces");

/** How a path pattern reads, for messages: `vehicle.fuels.#index`, `location.regionCodes.#key`. */
export const canonicalPathPatterns: ReadonlyArray<string> = canonical.map((path) => path.join("."));

/**
 * Whether an issue path names canonical content (`vehicle.make`, `images.3`, a parent such as
 * `price.list`), or the marketplace's own options (`marketplaces.<marketplace>` and one key
 * below it). Driven by the `VehicleAd` Schema: a field added to the Schema is a canonical path
 * at once, with no list to keep up to date.
 */
export const isCanonicalPath = (path: string, marketplace: string): boolean => {
  const segments = path.split(".");
  if (segments[0] === "marketplaces")
    return segments[1] === marketplace && segments.length <= 3 && segments.every(Boolean);
  return canonical.some((pattern) => matches(pattern, segments));
};
