import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { groupByTargets, type UncheckedAd, uncheckedAd } from "@adsync/core";
import { Schema } from "effect";
import { CommandError, type Session } from "./context.ts";

/** A stock entry that names an ad file instead of holding the ad (docs/examples/demo-stock.json). */
const StockEntry = Schema.Struct({
  file: Schema.String,
  to: Schema.optional(Schema.Array(Schema.String)),
  why: Schema.optional(Schema.String),
});
const isEntry = Schema.is(StockEntry);

export interface StockAd {
  /** What to call the ad in messages: its id, or the file it came from. */
  readonly name: string;
  readonly ad: UncheckedAd;
  /** The entry's own targets, where it names some. */
  readonly to?: ReadonlyArray<string> | undefined;
}

const parse = (text: string, where: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CommandError(
      `${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

const read = (path: string): string => {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CommandError(
      `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

/** The ad's own id, when it has a string one. */
export const adIdOf = (ad: unknown): string | undefined =>
  typeof ad === "object" && ad !== null && "id" in ad && typeof ad.id === "string"
    ? ad.id
    : undefined;

/**
 * A stock file: a JSON array (`.json`) or one JSON value per line (`.ndjson`, `.jsonl`). Each
 * item is a canonical ad, or an entry `{ "file": "01-car.json", "to": [...] }` naming an ad file
 * relative to the stock file. Ads are not validated here: the publisher reports invalid ones.
 */
export const readStock = (path: string): ReadonlyArray<StockAd> => {
  const text = read(path);
  const items = /\.(ndjson|jsonl)$/.test(path)
    ? text
        .split("\n")
        .map((line, index) => ({ line: line.trim(), index }))
        .filter(({ line }) => line.length > 0)
        .map(({ line, index }) => parse(line, `${path} line ${index + 1}`))
    : [parse(text, path)].flat();
  return items.map((item, index) => {
    if (isEntry(item)) {
      const ad = parse(read(resolve(dirname(path), item.file)), item.file);
      return {
        name: item.why === undefined ? item.file : `${item.file} (${item.why})`,
        ad: uncheckedAd(ad),
        to: item.to,
      };
    }
    return { name: adIdOf(item) ?? `item ${index + 1}`, ad: uncheckedAd(item) };
  });
};

/**
 * The stock in target sets, in order of first appearance, as `sync` publishes it and `plan`
 * plans it: an entry that names its own `to` goes to that set (within the configured or --to
 * marketplaces), the others to the session's targets. `--remove-missing` needs one set for the
 * whole stock.
 */
export const stockTargetSets = (
  session: Session,
  stock: ReadonlyArray<StockAd>,
  removeMissing: boolean,
) => {
  const groups = groupByTargets(stock, {
    defaultTo: session.targets,
    allowed: session.targets ?? session.marketplaces,
  });
  if (removeMissing && groups.length > 1)
    throw new CommandError(
      "--remove-missing needs one target set for the whole stock: some entries name their own `to`.",
    );
  return groups;
};
