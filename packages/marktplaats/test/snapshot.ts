import { Schema } from "effect";
import { attributesOf, fakeRoots } from "../../sandbox/src/marktplaats/categories.ts";
import type { CategorySnapshot } from "../src/categories/tree.ts";
import { WireAttribute } from "../src/wire.ts";

/** The sandbox's category data as the adapter's snapshot. */
export const snapshot: CategorySnapshot = {
  roots: Object.fromEntries(
    fakeRoots
      .filter((root) => root.name === "Auto's")
      .map((root) => [
        "car",
        {
          id: root.categoryId,
          name: root.name,
          children: root.children.map((child) => ({
            id: child.categoryId,
            name: child.name.split("|").at(-1)?.trim() ?? child.name,
          })),
        },
      ]),
  ),
  attributes: new Map(
    fakeRoots.flatMap((root) =>
      root.children.map((child) => [
        child.categoryId,
        Schema.decodeUnknownSync(Schema.Array(WireAttribute))(attributesOf(child.categoryId)),
      ]),
    ),
  ),
};
