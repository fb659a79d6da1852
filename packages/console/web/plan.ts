// The Plan tab: what publishing the console's stock would do, per ad and marketplace, with the
// first request and the diff. Built with textContent only, as the rest of the page.
import {
  type ActionAnswer,
  actionHeader,
  type PlanRow,
  type PlanView,
  planActions,
} from "../src/wire.ts";
import { byId, element } from "./dom.ts";

const planText = byId("plan-text", HTMLElement);
const planCounts = byId("plan-counts", HTMLElement);
const planTable = byId("plan", HTMLTableElement);

const valueText = (value: unknown) => {
  const text = JSON.stringify(value) ?? "—";
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** The first request that writes (else the first), and how many more. */
const requestText = (row: PlanRow) => {
  const first = row.requests.find((request) => request.method !== "GET") ?? row.requests[0];
  if (first === undefined) return "—";
  const more = row.requests.length > 1 ? ` (+${row.requests.length - 1} more)` : "";
  return `${first.method} ${first.path}${more}`;
};

const costText = (row: PlanRow) =>
  row.cost === undefined
    ? "—"
    : `${row.cost.total.amount} ${row.cost.total.currency}${row.cost.aboveMaximum ? ` (above maxFee ${row.cost.maximum ?? ""})` : ""}`;

const changesCell = (row: PlanRow) =>
  element(
    "td",
    { class: "changes" },
    ...(row.changes.length === 0
      ? ["—"]
      : row.changes.map((change) =>
          element(
            "div",
            { class: "change" },
            `${change.path}: ${"before" in change ? valueText(change.before) : "(none)"} → ${"after" in change ? valueText(change.after) : "(removed)"}`,
          ),
        )),
  );

const findings = (row: PlanRow) => [
  ...row.issues.map((issue) => `✗ ${issue.path || "(the ad)"}: ${issue.message}`),
  ...row.warnings.map((warning) => `! ${warning.path || "(the ad)"}: ${warning.message}`),
  ...row.notes.map((note) => `· ${note}`),
];

const renderPlan = (view: PlanView) => {
  planCounts.replaceChildren(
    element("span", { "data-count": "ads" }, `${view.ads} ads`),
    ...planActions.flatMap((action) => {
      const count = view.counts[action];
      return count === undefined
        ? []
        : [element("span", { "data-plan-count": action }, `${action}: ${count}`)];
    }),
  );
  planTable.tHead?.replaceChildren(
    element(
      "tr",
      {},
      ...["ad", "marketplace", "action", "request", "diff", "cost"].map((title) =>
        element("th", {}, title),
      ),
    ),
  );
  planTable.tBodies[0]?.replaceChildren(
    ...view.rows.map((row) =>
      element(
        "tr",
        { "data-ad-id": row.adId, "data-marketplace": row.marketplace, "data-action": row.action },
        element(
          "td",
          { class: "ad" },
          row.adId || "(no id)",
          ...findings(row).map((line) => element("div", { class: "finding" }, line)),
        ),
        element("td", {}, row.marketplace),
        element("td", {}, element("span", { class: `badge plan-${row.action}` }, row.action)),
        element("td", { class: "request" }, requestText(row)),
        changesCell(row),
        element("td", {}, costText(row)),
      ),
    ),
  );
  planText.textContent = "Nothing was sent: this is what publishing the stock would do.";
  planTable.dataset.loaded = "true";
};

export const showPlan = async () => {
  planTable.dataset.loaded = "false";
  planText.textContent = "planning…";
  try {
    const response = await fetch("/api/plan", {
      method: "POST",
      headers: { [actionHeader]: "1", "content-type": "application/json" },
      body: "{}",
    });
    const answer: PlanView | ActionAnswer = await response.json();
    if (answer.ok && "rows" in answer) {
      renderPlan(answer);
      return;
    }
    planCounts.replaceChildren();
    planTable.tBodies[0]?.replaceChildren();
    planText.textContent = "message" in answer ? answer.message : "the plan could not be made";
  } catch (error) {
    planText.textContent = `the plan could not be made: ${String(error)}`;
  }
};
