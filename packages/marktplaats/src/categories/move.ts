import { type CategorySnapshot, rootIdOf } from "./tree.ts";

/**
 * The doc's rules for moving an advertisement to another category, checked before anything is
 * sent: "An L2 category can only be moved within the same L1 * MUST have a special privilege
 * allowing category changes in the system * Can only change the category of an advertisement
 * once * Can only change it in a specific time period (usually 7 days) of the startdate".
 */
interface CategoryMoveSettings {
  /** Whether the dealer's account has the privilege (default false). */
  readonly privilege: boolean;
  /** The period after the start date, in days ("usually 7 days"; default 7). */
  readonly windowDays: number;
}

interface CategoryMove {
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** Whether adsync moved this advertisement before. */
  readonly movedBefore: boolean;
  readonly startDate: string | undefined;
  readonly now: number;
}

/** Why the move is refused, or undefined when the rules allow it. */
export const categoryMoveRefusal = (
  move: CategoryMove,
  snapshot: CategorySnapshot | undefined,
  settings: CategoryMoveSettings,
): string | undefined => {
  const rules =
    "Marktplaats moves an ad only within the same L1, with the category-change privilege, once, and within the first days after its start";
  if (!settings.privilege)
    return `${rules}: this account has no category-change privilege (set categoryChange.privilege if it has). Remove the ad and place it again in the new category.`;
  if (snapshot !== undefined && move.from !== undefined && move.to !== undefined) {
    const from = rootIdOf(snapshot, move.from);
    const to = rootIdOf(snapshot, move.to);
    if (from !== undefined && to !== undefined && from !== to)
      return `${rules}: category ${move.to} is under another L1 than ${move.from}.`;
  }
  if (move.movedBefore) return `${rules}: this ad was moved once already.`;
  const start = move.startDate === undefined ? Number.NaN : Date.parse(move.startDate);
  if (Number.isFinite(start) && move.now - start > settings.windowDays * 86_400_000)
    return `${rules}: the ad started on ${move.startDate}, more than ${settings.windowDays} days ago.`;
  return undefined;
};
