// The console's page: the grid, a listing's timeline, the actions and the live feed. Plain DOM,
// no framework; every value from the API goes through textContent (never innerHTML).
import {
  type GridCell,
  type GridView,
  type ListingDetail,
  type LiveEvent,
  operationStatuses,
  presences,
} from "../src/wire.ts";
import { renderDetail } from "./detail.ts";
import { act, byId, element, getJson, listingPath, operationText, say } from "./dom.ts";
import { showPlan } from "./plan.ts";

const grid = byId("grid", HTMLTableElement);
const counts = byId("counts", HTMLElement);
const filters = byId("filters", HTMLFormElement);
const live = byId("live", HTMLElement);

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

// ---- the grid ----

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
