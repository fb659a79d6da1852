import { describe, expect, it } from "vitest";
import { groupByTargets } from "../src/index.ts";

const stock = [
  { ad: "car" },
  { ad: "moped", to: ["blocket"] },
  { ad: "van", to: ["blocket", "nowhere"] },
  { ad: "bike", to: ["blocket"] },
];

describe("groupByTargets", () => {
  it("groups a stock by target set in order of first appearance, keeping only allowed targets", () => {
    expect(groupByTargets(stock, { allowed: ["blocket", "tradera"] })).toEqual([
      { to: undefined, entries: [stock[0]] },
      { to: ["blocket"], entries: [stock[1], stock[2], stock[3]] },
    ]);
  });

  it("keeps an entry's own targets as they are without a list of allowed ones", () => {
    expect(groupByTargets(stock).map((group) => group.to)).toEqual([
      undefined,
      ["blocket"],
      ["blocket", "nowhere"],
    ]);
  });

  it("sends entries without their own targets to the default ones", () => {
    expect(
      groupByTargets(stock, { defaultTo: ["tradera"], allowed: ["tradera"] }).map((group) => [
        group.to,
        group.entries.map((entry) => entry.ad),
      ]),
    ).toEqual([
      [["tradera"], ["car"]],
      [[], ["moped", "van", "bike"]],
    ]);
  });
});
