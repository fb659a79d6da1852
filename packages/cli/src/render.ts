import type {
  Issue,
  ListingOutcome,
  ListingState,
  ListingStatus,
  LoggedEvent,
  ReconcileReport,
} from "@adsync/core";

/** A fixed-width text table. */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
): string => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
};

export const operationText = (state: ListingState): string => {
  const operation = state.operation;
  if (operation === undefined) return "-";
  return `${operation.kind} ${operation.status.replaceAll("_", " ")}`;
};

const idsText = (ids: Readonly<Record<string, string>> | undefined): string =>
  ids === undefined || Object.keys(ids).length === 0
    ? "-"
    : Object.entries(ids)
        .map(([key, value]) => `${key}=${value}`)
        .join(" ");

export const issueText = (entry: Issue): string =>
  `${entry.path === "" ? "(ad)" : entry.path}: ${entry.code} — ${entry.message}`;

/** Issues and warnings of an outcome or a status, indented under its row. */
export const issueLines = (
  issues: ReadonlyArray<Issue>,
  warnings: ReadonlyArray<Issue>,
): string[] => [
  ...issues.map((entry) => `    ✗ ${issueText(entry)}`),
  ...warnings.map((entry) => `    ! ${issueText(entry)}`),
];

export const outcomesText = (outcomes: ReadonlyArray<ListingOutcome>): string =>
  outcomes
    .map((outcome) =>
      [
        `${outcome.marketplace}: ${outcome.result} — ${outcome.state.presence}, ${operationText(outcome.state)}${outcome.ref ? ` (${idsText(outcome.ref.ids)})` : ""}`,
        ...issueLines(outcome.issues, outcome.warnings),
      ].join("\n"),
    )
    .join("\n");

export const statusRows = (statuses: ReadonlyArray<ListingStatus>): string[][] =>
  statuses.map((status) => [
    status.adId,
    status.marketplace,
    status.state.presence,
    operationText(status.state),
    idsText({
      // The marketplace's own listing id, where it is not simply the dealer's id.
      ...(status.ref !== undefined && status.ref.remoteId !== status.adId
        ? { id: status.ref.remoteId }
        : {}),
      ...status.ref?.ids,
    }),
  ]);

export const statusHeader = ["ad", "marketplace", "presence", "last operation", "ids"];

export const statusText = (statuses: ReadonlyArray<ListingStatus>): string =>
  [
    table(statusHeader, statusRows(statuses)),
    ...statuses.flatMap((status) => {
      const operation = status.state.operation;
      // What the marketplace said of the listing when last observed, after our operation's.
      const lines = issueLines(
        [...(operation?.issues ?? []), ...(status.state.seen?.issues ?? [])],
        [...(operation?.warnings ?? []), ...(status.state.seen?.warnings ?? [])],
      );
      return lines.length > 0 ? [`${status.adId} on ${status.marketplace}:`, ...lines] : [];
    }),
  ].join("\n");

/** The JSON shape of `--json`: per marketplace, presence, operation status, ids, issues. */
export const statusJson = (status: ListingStatus) => ({
  adId: status.adId,
  marketplace: status.marketplace,
  presence: status.state.presence,
  operation: status.state.operation?.kind ?? null,
  operationStatus: status.state.operation?.status ?? null,
  remoteId: status.ref?.remoteId ?? null,
  ids: status.ref?.ids ?? {},
  issues: status.state.operation?.issues ?? [],
  warnings: status.state.operation?.warnings ?? [],
  /** What the marketplace said when the listing was last observed (after acceptance). */
  seen: status.state.seen ?? null,
  raw: status.state.raw ?? null,
});

/** One line per marketplace of a reconcile pass (or a bulk refresh round). */
export const reconcileText = (report: ReconcileReport): string =>
  Object.entries(report.marketplaces)
    .map(
      ([marketplace, done]) =>
        `${marketplace}: ${done.read} read, ${done.changed} changed, ${done.calls} ${done.calls === 1 ? "call" : "calls"}${done.failed > 0 ? `, ${done.failed} failed` : ""}${done.pending > 0 ? `, ${done.pending} still pending` : ""}`,
    )
    .join("\n");

/** A lifecycle event from the log: one human line, or one JSON object with its cursor. */
export const eventLine = (event: LoggedEvent, json: boolean): string =>
  json
    ? JSON.stringify({
        cursor: event.seq,
        adId: event.adId,
        marketplace: event.marketplace,
        observation: event.observation._tag,
        at: new Date(event.observation.at).toISOString(),
        presence: event.state.presence,
        operation: event.state.operation?.kind ?? null,
        operationStatus: event.state.operation?.status ?? null,
        seen: event.state.seen ?? null,
        raw: event.state.raw ?? null,
      })
    : `#${event.seq} ${new Date(event.observation.at).toISOString()} ${event.adId} on ${event.marketplace}: ${event.observation._tag} → ${event.state.presence}, ${operationText(event.state)}${rawText(event.state.raw)}`;

export const outcomeJson = (outcome: ListingOutcome) => ({
  ...statusJson({ ...outcome, updatedAt: 0 }),
  result: outcome.result,
  issues: outcome.issues,
  warnings: outcome.warnings,
  reason: outcome.reason ?? null,
  retryable: outcome.retryable ?? null,
});

/** The marketplace's own progress words, where the raw status lists actions (Pro Import logs). */
export const rawText = (raw: unknown): string => {
  if (typeof raw !== "object" || raw === null || !("actions" in raw) || !Array.isArray(raw.actions))
    return "";
  const actions = raw.actions.flatMap((entry: unknown) =>
    typeof entry === "object" && entry !== null && "action" in entry && "state" in entry
      ? [`${String(entry.action)}:${String(entry.state)}`]
      : [],
  );
  return actions.length > 0 ? ` [${actions.join(" ")}]` : "";
};
