// A listing's detail: its state, the actions, the issues beside their values, the timeline.
import type { IssueView, ListingDetail, TimelineEntry } from "../src/wire.ts";
import { act, byId, type Child, element, listingPath, operationText } from "./dom.ts";

const detail = byId("detail", HTMLElement);
const confirmDialog = byId("confirm-remove", HTMLDialogElement);
const confirmText = byId("confirm-text", HTMLElement);

const shown = (value: unknown) =>
  value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);

const issuesTable = (title: string, issues: ReadonlyArray<IssueView>) =>
  issues.length === 0
    ? undefined
    : element(
        "section",
        { class: "issues" },
        element("h3", {}, title),
        element(
          "table",
          {},
          element(
            "tr",
            {},
            element("th", {}, "field"),
            element("th", {}, "problem"),
            element("th", {}, "the ad's value"),
            element("th", {}, "sent"),
          ),
          ...issues.map((issue) =>
            element(
              "tr",
              {},
              element(
                "td",
                {},
                issue.path === "" ? "(the ad)" : issue.path,
                issue.marketplacePath === undefined
                  ? undefined
                  : element("span", { class: "title" }, ` ${issue.marketplacePath}`),
              ),
              element("td", {}, `${issue.code}: ${issue.message}`),
              element("td", { class: "ad-value" }, shown(issue.adValue)),
              element("td", {}, shown(issue.payloadValue)),
            ),
          ),
        ),
      );

const timelineEntry = (entry: TimelineEntry) =>
  element(
    "li",
    {},
    `${new Date(entry.at).toLocaleString()} · ${entry.observation} · ${entry.presence}`,
    entry.operation === undefined
      ? undefined
      : ` · ${entry.operation.kind} ${entry.operation.status.replaceAll("_", " ")}`,
    entry.issues.length + entry.warnings.length > 0
      ? ` · ${[...entry.issues, ...entry.warnings].map((issue) => issue.message).join("; ")}`
      : undefined,
  );

const actionButton = (label: string, onClick: () => void, title?: string, disabled = false) => {
  const button = element("button", { type: "button", "data-action": label.toLowerCase() }, label);
  if (title !== undefined) button.title = title;
  button.disabled = disabled;
  button.addEventListener("click", onClick);
  return button;
};

const askToRemove = (adId: string, marketplace: string) => {
  confirmText.textContent = `Remove ad ${adId} from ${marketplace}? The listing is deleted on the marketplace.`;
  confirmDialog.returnValue = "";
  confirmDialog.showModal();
  confirmDialog.addEventListener(
    "close",
    () => {
      if (confirmDialog.returnValue === "remove") {
        void act(`${listingPath(adId, marketplace)}/remove`, { confirm: adId });
      }
    },
    { once: true },
  );
};

export const renderDetail = (view: ListingDetail) => {
  const { adId, marketplace } = view.cell;
  const path = listingPath(adId, marketplace);
  detail.hidden = false;
  detail.dataset.adId = adId;
  detail.dataset.marketplace = marketplace;
  const children: ReadonlyArray<Child> = [
    element("h2", {}, `${adId} on ${marketplace}`),
    view.title === undefined ? undefined : element("p", {}, view.title),
    element(
      "p",
      {},
      element("span", { class: `badge presence-${view.cell.presence}` }, view.cell.presence),
      " ",
      element(
        "span",
        { class: `badge op-${view.cell.operation?.status ?? "none"}` },
        operationText(view.cell),
      ),
    ),
    element(
      "menu",
      {},
      actionButton("Refresh", () => void act(`${path}/refresh`)),
      view.retry.possible
        ? actionButton("Retry", () => void act(`${path}/retry`), `run the ${view.retry.kind} again`)
        : actionButton("Retry", () => undefined, view.retry.why, true),
      actionButton(
        "Remove",
        () => askToRemove(adId, marketplace),
        undefined,
        view.cell.presence === "removed",
      ),
    ),
    issuesTable("Issues", view.issues),
    issuesTable("Warnings", view.warnings),
    element("h3", {}, "Timeline"),
    element("ol", { class: "timeline", reversed: "" }, ...view.events.map(timelineEntry)),
  ];
  detail.replaceChildren(...children.filter((child) => child !== undefined));
};
