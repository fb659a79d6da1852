// The console's page: the grid, a listing's timeline, the actions and the live feed. Plain DOM,
// no framework; every value from the API goes through textContent (never innerHTML).
import {
  type ActionAnswer,
  actionHeader,
  type GridCell,
  type GridView,
  type IssueView,
  type ListingDetail,
  type LiveEvent,
  operationStatuses,
  presences,
  type TimelineEntry,
} from "../src/wire.ts";

type Child = Node | string | undefined;

const element = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: ReadonlyArray<Child>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
};

const byId = <T extends HTMLElement>(id: string, type: { new (): T }): T => {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no #${id}`);
  return node;
};

const grid = byId("grid", HTMLTableElement);
const counts = byId("counts", HTMLElement);
const filters = byId("filters", HTMLFormElement);
const detail = byId("detail", HTMLElement);
const message = byId("message", HTMLElement);
const live = byId("live", HTMLElement);
const confirmDialog = byId("confirm-remove", HTMLDialogElement);
const confirmText = byId("confirm-text", HTMLElement);

const field = <T extends HTMLElement>(name: string, type: { new (): T }): T => {
  const node = filters.elements.namedItem(name);
  if (!(node instanceof type)) throw new Error(`the filters have no ${name}`);
  return node;
};
const marketplaceFilter = field("marketplace", HTMLSelectElement);
const stateFilter = field("state", HTMLSelectElement);
const issuesFilter = field("issues", HTMLInputElement);
const textFilter = field("text", HTMLInputElement);

for (const state of [...presences, ...operationStatuses.filter((status) => status !== "pending")]) {
  stateFilter.append(element("option", { value: state }, state.replaceAll("_", " ")));
}

const say = (text: string, ok = true) => {
  message.textContent = text;
  message.dataset.ok = String(ok);
};

const getJson = async <T>(path: string): Promise<T> => {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
};

/** Every action is a POST with the console's header (see security.ts on the server). */
const act = async (path: string, body: unknown = {}): Promise<ActionAnswer> => {
  const response = await fetch(path, {
    method: "POST",
    headers: { [actionHeader]: "1", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer: ActionAnswer = await response.json();
  say(answer.message, answer.ok);
  return answer;
};

const listingPath = (adId: string, marketplace: string) =>
  `/api/listings/${encodeURIComponent(adId)}/${encodeURIComponent(marketplace)}`;

// ---- the grid ----

const operationText = (cell: GridCell) =>
  cell.operation === undefined
    ? "no operation"
    : `${cell.operation.kind} ${cell.operation.status.replaceAll("_", " ")}`;

let selected: { adId: string; marketplace: string } | undefined;

const cellContent = (cell: GridCell) => {
  const id =
    cell.remoteId === undefined
      ? undefined
      : cell.url === undefined
        ? element("span", { class: "remote-id" }, cell.remoteId)
        : element(
            "a",
            { class: "remote-id", href: cell.url, target: "_blank", rel: "noreferrer" },
            cell.remoteId,
          );
  const findings = [
    cell.issues > 0 ? `${cell.issues} issue(s)` : undefined,
    cell.warnings > 0 ? `${cell.warnings} warning(s)` : undefined,
  ].filter((text) => text !== undefined);
  return element(
    "button",
    { type: "button", class: "cell" },
    element("span", { class: `badge presence-${cell.presence}` }, cell.presence),
    element("span", { class: `badge op-${cell.operation?.status ?? "none"}` }, operationText(cell)),
    findings.length > 0 ? element("span", { class: "findings" }, findings.join(", ")) : undefined,
    id,
  );
};

const renderCounts = (view: GridView) => {
  const chip = (label: string, value: string, count: number) => {
    const button = element("button", { type: "button", "data-state": value }, `${label}: ${count}`);
    button.addEventListener("click", () => {
      stateFilter.value = value;
      void loadGrid();
    });
    return button;
  };
  counts.replaceChildren(
    element("span", { "data-count": "listings" }, `${view.counts.listings} listings`),
    ...presences.flatMap((presence) => {
      const count = view.counts.presence[presence];
      return count === undefined ? [] : [chip(presence, presence, count)];
    }),
    ...operationStatuses.flatMap((status) => {
      const count = view.counts.operation[status];
      return count === undefined ? [] : [chip(status.replaceAll("_", " "), status, count)];
    }),
    element("span", {}, `with issues: ${view.counts.withIssues}`),
  );
};

const renderMarketplaceFilter = (marketplaces: ReadonlyArray<string>) => {
  const known = new Set([...marketplaceFilter.options].map((option) => option.value));
  for (const marketplace of marketplaces) {
    if (!known.has(marketplace)) {
      marketplaceFilter.append(element("option", { value: marketplace }, marketplace));
    }
  }
};

const renderGrid = (view: GridView) => {
  renderCounts(view);
  renderMarketplaceFilter(view.marketplaces);
  const head = element("tr", {}, element("th", {}, "ad"));
  for (const marketplace of view.marketplaces) head.append(element("th", {}, marketplace));
  grid.tHead?.replaceChildren(head);
  const rows = view.rows.map((row) => {
    const tr = element(
      "tr",
      { "data-ad-id": row.adId },
      element(
        "td",
        { class: "ad" },
        row.adId,
        row.title === undefined ? undefined : element("span", { class: "title" }, row.title),
      ),
    );
    for (const marketplace of view.marketplaces) {
      const cell = row.cells.find((entry) => entry.marketplace === marketplace);
      if (cell === undefined) {
        tr.append(element("td", { class: "empty" }));
        continue;
      }
      const td = element(
        "td",
        {
          class: "listing",
          "data-marketplace": marketplace,
          "data-presence": cell.presence,
          "data-operation": cell.operation?.status ?? "none",
        },
        cellContent(cell),
      );
      if (selected?.adId === row.adId && selected.marketplace === marketplace) {
        td.classList.add("selected");
      }
      td.addEventListener("click", (event) => {
        if (event.target instanceof HTMLAnchorElement) return;
        selected = { adId: row.adId, marketplace };
        void loadDetail();
        for (const other of grid.querySelectorAll("td.selected"))
          other.classList.remove("selected");
        td.classList.add("selected");
      });
      tr.append(td);
    }
    return tr;
  });
  grid.tBodies[0]?.replaceChildren(...rows);
  grid.dataset.loaded = "true";
};

const gridQuery = () => {
  const query = new URLSearchParams();
  if (marketplaceFilter.value !== "") query.set("marketplace", marketplaceFilter.value);
  if (stateFilter.value !== "") query.set("state", stateFilter.value);
  if (issuesFilter.checked) query.set("issues", "1");
  if (textFilter.value.trim() !== "") query.set("text", textFilter.value.trim());
  return query.toString();
};

// One load at a time; changes arriving meanwhile cause exactly one more load after it.
let loading: Promise<void> | undefined;
let again = false;
const loadGrid = async (): Promise<void> => {
  if (loading !== undefined) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      try {
        renderGrid(await getJson<GridView>(`/api/listings?${gridQuery()}`));
      } catch (error) {
        say(`the listings could not be loaded: ${String(error)}`, false);
      }
    } while (again);
  })();
  try {
    await loading;
  } finally {
    loading = undefined;
  }
};

// ---- a listing's detail ----

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

const renderDetail = (view: ListingDetail) => {
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

const loadDetail = async () => {
  if (selected === undefined) return;
  try {
    renderDetail(await getJson<ListingDetail>(listingPath(selected.adId, selected.marketplace)));
  } catch (error) {
    say(`the listing could not be loaded: ${String(error)}`, false);
  }
};

// ---- live updates ----

const connect = () => {
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    live.dataset.state = "open";
    live.textContent = "live";
    // Whatever changed while the feed was down is in the store: read it once.
    void loadGrid();
  });
  source.addEventListener("error", () => {
    live.dataset.state = "closed";
    live.textContent = "reconnecting…";
  });
  source.addEventListener("message", (event: MessageEvent<string>) => {
    const change: LiveEvent = JSON.parse(event.data);
    void loadGrid();
    if (selected?.adId === change.adId && selected.marketplace === change.marketplace) {
      void loadDetail();
    }
  });
};

// ---- the plan view ----

const showPlan = async () => {
  const planText = byId("plan-text", HTMLElement);
  // HOOK(plan): the server answers 501 until publisher.plan lands (see api.ts).
  const response = await fetch("/api/plan", {
    method: "POST",
    headers: { [actionHeader]: "1", "content-type": "application/json" },
    body: "{}",
  });
  const answer: ActionAnswer = await response.json();
  planText.textContent = answer.message;
};

const showTab = (tab: "listings" | "plan") => {
  byId("listings-view", HTMLElement).hidden = tab !== "listings";
  byId("plan-view", HTMLElement).hidden = tab !== "plan";
  byId("tab-listings", HTMLButtonElement).setAttribute("aria-pressed", String(tab === "listings"));
  byId("tab-plan", HTMLButtonElement).setAttribute("aria-pressed", String(tab === "plan"));
  if (tab === "plan") void showPlan();
};

byId("tab-listings", HTMLButtonElement).addEventListener("click", () => showTab("listings"));
byId("tab-plan", HTMLButtonElement).addEventListener("click", () => showTab("plan"));
byId("refresh-all", HTMLButtonElement).addEventListener("click", () => void act("/api/refresh"));
filters.addEventListener("input", () => void loadGrid());
filters.addEventListener("submit", (event) => event.preventDefault());

void loadGrid();
connect();
