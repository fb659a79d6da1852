// The page's small toolkit: building elements, finding them, and talking to the console's API.
import { type ActionAnswer, actionHeader, type GridCell } from "../src/wire.ts";

export type Child = Node | string | undefined;

export const element = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: ReadonlyArray<Child>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
};

export const byId = <T extends HTMLElement>(id: string, type: { new (): T }): T => {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no #${id}`);
  return node;
};

const message = byId("message", HTMLElement);

export const say = (text: string, ok = true) => {
  message.textContent = text;
  message.dataset.ok = String(ok);
};

export const getJson = async <T>(path: string): Promise<T> => {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
};

/** Every action is a POST with the console's header (see security.ts on the server). */
export const act = async (path: string, body: unknown = {}): Promise<ActionAnswer> => {
  const response = await fetch(path, {
    method: "POST",
    headers: { [actionHeader]: "1", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer: ActionAnswer = await response.json();
  say(answer.message, answer.ok);
  return answer;
};

export const listingPath = (adId: string, marketplace: string) =>
  `/api/listings/${encodeURIComponent(adId)}/${encodeURIComponent(marketplace)}`;

export const operationText = (cell: GridCell) =>
  cell.operation === undefined
    ? "no operation"
    : `${cell.operation.kind} ${cell.operation.status.replaceAll("_", " ")}`;
