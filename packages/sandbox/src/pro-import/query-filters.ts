import { parseTimestampFilter, wholeSecond } from "./timestamps.ts";
import { type ErrorTree, errorTree, messages } from "./validation/errors.ts";
import { isOneOf } from "./validation/fields.ts";

/**
 * The query filters of the list and log endpoints, django-filter style: each parameter parses
 * into a predicate or into its error messages, and an absent parameter filters nothing.
 */

export type Filter<Item> = (item: Item) => boolean;

/** Parses one query parameter's value into a filter, or into why it cannot be one. */
export type FilterParser<Item> = (value: string) => Filter<Item> | ReadonlyArray<string>;

/** The filters an endpoint offers, by query parameter. */
export type FilterSet<Item> = ReadonlyArray<readonly [string, FilterParser<Item>]>;

export type ParsedFilters<Item> =
  | { readonly ok: true; readonly matches: Filter<Item> }
  | { readonly ok: false; readonly errors: ErrorTree };

export function parseFilters<Item>(
  query: Readonly<Record<string, string>>,
  filterSet: FilterSet<Item>,
): ParsedFilters<Item> {
  const filters: Filter<Item>[] = [];
  const errorEntries: Array<readonly [string, ReadonlyArray<string>]> = [];
  for (const [parameter, parse] of filterSet) {
    const value = query[parameter];
    if (value === undefined) continue;
    const parsed = parse(value);
    if (typeof parsed === "function") filters.push(parsed);
    else errorEntries.push([parameter, parsed]);
  }
  const errors = errorTree(errorEntries);
  if (errors !== undefined) return { ok: false, errors };
  return { ok: true, matches: (item) => filters.every((filter) => filter(item)) };
}

export function exactFilter<Item>(fieldOf: (item: Item) => string | null): FilterParser<Item> {
  return (wanted) => (item) => fieldOf(item) === wanted;
}

export function choiceFilter<Item>(
  choices: ReadonlyArray<string>,
  fieldOf: (item: Item) => string,
): FilterParser<Item> {
  return (wanted) =>
    isOneOf(choices, wanted)
      ? (item) => fieldOf(item) === wanted
      : [messages.invalidFilterChoice(wanted)];
}

/** A comma separated list of values, one of which the field must equal. */
export function inListFilter<Item>(fieldOf: (item: Item) => string): FilterParser<Item> {
  return (values) => {
    const wanted = new Set(values.split(",").map((value) => value.trim()));
    return (item) => wanted.has(fieldOf(item));
  };
}

/** A case-insensitive substring of one of the texts. */
export function containsFilter<Item>(
  textsOf: (item: Item) => ReadonlyArray<string>,
): FilterParser<Item> {
  return (value) => {
    const needle = value.toLowerCase();
    return (item) => textsOf(item).some((text) => text.toLowerCase().includes(needle));
  };
}

export type TimeLookup = "exact" | "gt" | "gte" | "lt" | "lte";

const COMPARISONS: Readonly<Record<TimeLookup, (time: number, bound: number) => boolean>> = {
  exact: (time, bound) => time === bound,
  gt: (time, bound) => time > bound,
  gte: (time, bound) => time >= bound,
  lt: (time, bound) => time < bound,
  lte: (time, bound) => time <= bound,
};

/**
 * `field`, `field__gt`, ... for the given lookups. Times compare at whole seconds, as the
 * timestamps show them.
 */
export function timeFilters<Item>(
  field: string,
  timeOf: (item: Item) => number,
  lookups: ReadonlyArray<TimeLookup>,
): FilterSet<Item> {
  return lookups.map((lookup) => {
    const parameter = lookup === "exact" ? field : `${field}__${lookup}`;
    const compare = COMPARISONS[lookup];
    const parse: FilterParser<Item> = (value) => {
      const bound = parseTimestampFilter(value);
      if (bound === undefined) return [messages.invalidDateTime];
      return (item) => compare(wholeSecond(timeOf(item)), bound);
    };
    return [parameter, parse] as const;
  });
}

/** How items sort: a key per ordering field, the default ordering, and the final tie-break. */
export interface Ordering<Item> {
  readonly keys: Readonly<Record<string, (item: Item) => number | string>>;
  /** used when `ordering` is absent or names no known field */
  readonly defaultOrdering: string;
  readonly sequenceOf: (item: Item) => number;
}

/**
 * ordering: "created", "-created", ... comma separated for several keys; unknown terms are
 * ignored as DRF's OrderingFilter does. Ties follow creation order, in the first key's direction.
 */
export function orderItems<Item>(
  items: ReadonlyArray<Item>,
  ordering: string | undefined,
  order: Ordering<Item>,
): Item[] {
  const requested = parseOrdering(ordering ?? "", order);
  const terms = requested.length > 0 ? requested : parseOrdering(order.defaultOrdering, order);
  const tieBreakDescending = terms[0]?.descending ?? false;
  return [...items].sort((left, right) => {
    for (const term of terms) {
      const difference = compareKeys(term.keyOf(left), term.keyOf(right));
      if (difference !== 0) return term.descending ? -difference : difference;
    }
    const difference = order.sequenceOf(left) - order.sequenceOf(right);
    return tieBreakDescending ? -difference : difference;
  });
}

function parseOrdering<Item>(
  ordering: string,
  order: Ordering<Item>,
): ReadonlyArray<{
  readonly keyOf: (item: Item) => number | string;
  readonly descending: boolean;
}> {
  return ordering
    .split(",")
    .map((term) => term.trim())
    .flatMap((term) => {
      const descending = term.startsWith("-");
      const field = descending ? term.slice(1) : term;
      const keyOf = Object.hasOwn(order.keys, field) ? order.keys[field] : undefined;
      return keyOf === undefined ? [] : [{ keyOf, descending }];
    });
}

function compareKeys(left: number | string, right: number | string): number {
  if (typeof left === "number" && typeof right === "number") return left - right;
  return String(left).localeCompare(String(right));
}
