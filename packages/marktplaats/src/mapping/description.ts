/**
 * The canonical description (plain text: blank lines between paragraphs, lines starting "- "
 * or "* " as bullets) → the HTML Marktplaats keeps.
 *
 * Two rules of the advertisement doc shape this:
 * - "All HTML elements except for the ones below will be removed": the list itself did not
 *   survive in our copy of the doc (only a "•" of it did), so we write the smallest set a list
 *   needs and that every rich-text whitelist keeps: `p`, `br`, `ul`, `li`. Dealer text is
 *   escaped, so a "<" in it can never become an element that is then removed.
 * - Wiki formatting: "Bold: **bold** - Italic: //italic// - Underline: __underline__ - Lists:
 *   * item" and "it is currently not possible to add the character combinations needed for the
 *   Wiki formatting literally". So no two of `*`, `/`, `_` may stand side by side in what we
 *   send: the second is written as its character reference (`&#47;`), which the browser shows
 *   as the same character. `https://` therefore reads `https:/&#47;` on the wire and
 *   `https://` on the page: URLs survive, and a pair of them can no longer italicize the text
 *   between them. Everything is written on one line, so no line can start with a list marker.
 */

export const allowedTags: ReadonlySet<string> = new Set(["p", "br", "ul", "li"]);

const wikiCharacters: Readonly<Record<string, string>> = {
  "*": "&#42;",
  "/": "&#47;",
  _: "&#95;",
};

const htmlEscapes: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};

/** Escapes text for HTML and breaks every wiki marker pair. */
export const escapeText = (text: string): string => {
  let output = "";
  let previous = "";
  for (const character of text) {
    const wiki = wikiCharacters[character];
    if (wiki !== undefined && character === previous) {
      output += wiki;
      // The reference is not the character as far as the wiki parser sees: "***" → "*&#42;*".
      previous = "";
      continue;
    }
    output += htmlEscapes[character] ?? character;
    previous = character;
  }
  return output;
};

const bulletPattern = /^\s*[-*]\s+(.*)$/;

type Block =
  | { readonly kind: "paragraph"; readonly lines: ReadonlyArray<string> }
  | { readonly kind: "list"; readonly items: ReadonlyArray<string> };

const blocksOf = (text: string): ReadonlyArray<Block> => {
  const blocks: Array<Block> = [];
  for (const chunk of text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    let lines: Array<string> = [];
    let items: Array<string> = [];
    const flushLines = () => {
      if (lines.length > 0) blocks.push({ kind: "paragraph", lines });
      lines = [];
    };
    const flushItems = () => {
      if (items.length > 0) blocks.push({ kind: "list", items });
      items = [];
    };
    for (const rawLine of chunk.split("\n")) {
      const line = rawLine.trim();
      if (line === "") continue;
      const bullet = bulletPattern.exec(line);
      if (bullet !== null) {
        flushLines();
        items.push(bullet[1] ?? "");
      } else {
        flushItems();
        lines.push(line);
      }
    }
    flushLines();
    flushItems();
  }
  return blocks;
};

/** Plain text → one line of `<p>`/`<br>`/`<ul>`/`<li>` HTML with escaped, wiki-safe text. */
export const descriptionToHtml = (text: string): string =>
  blocksOf(text)
    .map((block) =>
      block.kind === "paragraph"
        ? `<p>${block.lines.map(escapeText).join("<br>")}</p>`
        : `<ul>${block.items.map((item) => `<li>${escapeText(item)}</li>`).join("")}</ul>`,
    )
    .join("");

/** What a reader sees: tags dropped, character references decoded (for tests and read-back). */
export const htmlToText = (html: string): string =>
  html
    .replace(/<br>/g, "\n")
    .replace(/<\/(p|li|ul)>/g, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
