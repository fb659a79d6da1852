/** A stock entry that may name its own marketplaces (`{ file, to }` in a stock index). */
export interface TargetedEntry {
  readonly to?: ReadonlyArray<string> | undefined;
}

/** Entries that go to the same marketplaces, and those marketplaces (undefined: every target). */
export interface TargetSet<E> {
  readonly to: ReadonlyArray<string> | undefined;
  readonly entries: ReadonlyArray<E>;
}

/**
 * A stock grouped by target set, in order of first appearance, so that `sync`, `plan` and the
 * console publish or plan each entry only where it belongs: an entry without its own `to` goes
 * to `defaultTo`; an entry's own targets are kept only where `allowed` (the configured or
 * requested marketplaces) has them.
 */
export const groupByTargets = <E extends TargetedEntry>(
  entries: Iterable<E>,
  options: {
    readonly defaultTo?: ReadonlyArray<string> | undefined;
    readonly allowed?: ReadonlyArray<string> | undefined;
  } = {},
): ReadonlyArray<TargetSet<E>> => {
  const groups = new Map<string, { to: ReadonlyArray<string> | undefined; entries: Array<E> }>();
  for (const entry of entries) {
    const allowed = options.allowed;
    const to =
      entry.to === undefined
        ? options.defaultTo
        : allowed === undefined
          ? entry.to
          : entry.to.filter((target) => allowed.includes(target));
    const key = to === undefined ? "" : JSON.stringify(to);
    const group = groups.get(key) ?? { to, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return [...groups.values()];
};
