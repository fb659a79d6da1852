import { type Issue, issue, type VehicleAd } from "@adsync/core";
import { descriptionLimits } from "../config.ts";
import type { WireDescription, WireDescriptionItem } from "../wire.ts";
import { utf8Bytes } from "./text.ts";

/**
 * Section 5, "Description": sections of one or two items; TEXT items hold HTML with only
 * `h1 h2 p ul ol li b` ("You must put content in HTML tags"); IMAGE items only from the
 * gallery ("use only images that are saved in the ad gallery"); at most 100 sections and
 * 40000 bytes. The canonical description is plain text: blank lines separate paragraphs and
 * lines starting "- " or "* " are bullets (core's VehicleAd).
 */

/** A block of the canonical text. */
export type Block =
  | { readonly _tag: "Paragraph"; readonly text: string }
  | { readonly _tag: "List"; readonly items: ReadonlyArray<string> }
  | { readonly _tag: "Heading"; readonly text: string };

const bullet = /^\s*[-*]\s+/;

/** Splits plain text into paragraphs and bullet lists. */
const toBlocks = (text: string): ReadonlyArray<Block> => {
  const blocks: Array<Block> = [];
  for (const chunk of text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const lines = chunk
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    let paragraph: Array<string> = [];
    let list: Array<string> = [];
    const flush = () => {
      if (paragraph.length > 0) blocks.push({ _tag: "Paragraph", text: paragraph.join(" ") });
      if (list.length > 0) blocks.push({ _tag: "List", items: list });
      paragraph = [];
      list = [];
    };
    for (const line of lines) {
      if (bullet.test(line)) {
        if (paragraph.length > 0) flush();
        const item = line.replace(bullet, "").trim();
        if (item !== "") list.push(item);
      } else {
        if (list.length > 0) flush();
        paragraph.push(line);
      }
    }
    flush();
  }
  return blocks;
};

/** Escapes text for HTML content: the characters that would open a tag or an entity. */
const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    // Control characters other than tab and newline have no place in HTML text.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    // Lone surrogates cannot be encoded as UTF-8: drop them instead of sending U+FFFD.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "");

const blockHtml = (block: Block): string => {
  switch (block._tag) {
    case "Paragraph":
      return `<p>${escapeHtml(block.text)}</p>`;
    case "Heading":
      // "You cannot format h1 and h2 tags": plain text only inside.
      return `<h2>${escapeHtml(block.text)}</h2>`;
    case "List":
      return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
  }
};

const termsBlocks = (ad: VehicleAd): ReadonlyArray<Block> => {
  const terms = ad.terms;
  if (terms === undefined) return [];
  const items = [
    terms.warranty === undefined ? undefined : `Gwarancja: ${terms.warranty}`,
    terms.returnPolicy === undefined ? undefined : `Zwroty: ${terms.returnPolicy}`,
    terms.serviceHistory === undefined ? undefined : `Historia serwisowa: ${terms.serviceHistory}`,
    terms.homeDelivery === undefined ? undefined : `Dostawa: ${terms.homeDelivery}`,
  ].filter((item) => item !== undefined);
  return items.length === 0
    ? []
    : [
        { _tag: "Heading", text: "Warunki" },
        { _tag: "List", items },
      ];
};

const sizeOf = (description: WireDescription) => utf8Bytes(JSON.stringify(description));

/** Cuts a text at a word boundary so that its escaped HTML fits in `bytes`. */
const shorten = (block: Block, bytes: number): Block | undefined => {
  const text = block._tag === "List" ? block.items.join(" ") : block.text;
  const words = text.split(/\s+/);
  let low = 0;
  let high = words.length;
  const attempt = (count: number): Block => ({
    _tag: "Paragraph",
    text: `${words.slice(0, count).join(" ")} …`,
  });
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (utf8Bytes(blockHtml(attempt(middle))) <= bytes) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? undefined : attempt(low);
};

/**
 * Builds the description: the first section pairs the first text block with the first
 * gallery image (two columns); every other block is a one-column section. Blocks beyond 100
 * sections are merged into the last one, and what exceeds 40000 bytes is cut at a word
 * boundary, each with a warning on `description`.
 */
export const toAllegroDescription = (
  ad: VehicleAd,
  galleryUrls: ReadonlyArray<string>,
): { readonly description: WireDescription; readonly warnings: ReadonlyArray<Issue> } => {
  const warnings: Array<Issue> = [];
  const warn = (message: string) =>
    warnings.push(
      issue("description", "too_long", message, {
        marketplace: "allegro",
        marketplacePath: "description",
      }),
    );
  const blocks = [...toBlocks(ad.description), ...termsBlocks(ad)];
  const html = blocks.map(blockHtml);
  if (html.length === 0) html.push(`<p>${escapeHtml(ad.description)}</p>`);
  const [firstImage] = galleryUrls;
  // The size is measured with room for the gallery URL Allegro will give the image (it
  // replaces the dealer's URL later, and may be longer): the limit holds after the swap.
  const reserved = firstImage === undefined ? undefined : firstImage.padEnd(galleryUrlReserve, "x");
  const imageItem: ReadonlyArray<WireDescriptionItem> =
    reserved === undefined ? [] : [{ type: "IMAGE", url: reserved }];
  // Each section holds one TEXT item; the first also the image. Past 100 sections, the rest
  // of the text shares the last section's TEXT item (one item still, so nesting stays valid).
  const texts = html.slice(0, descriptionLimits.sections - 1);
  const rest = html.slice(descriptionLimits.sections - 1);
  if (rest.length > 0) {
    texts.push(rest.join(""));
    warn(`More than ${descriptionLimits.sections} blocks: the last ones share one section.`);
  }
  const sections = texts.map((content, index) => ({
    items:
      index === 0
        ? [{ type: "TEXT" as const, content }, ...imageItem]
        : [{ type: "TEXT" as const, content }],
  }));
  let description: WireDescription = { sections };
  if (sizeOf(description) > descriptionLimits.bytes) {
    warn(`Cut to ${descriptionLimits.bytes} bytes.`);
    description = fitBytes(blocks, imageItem);
  }
  return { description: withImageUrl(description, reserved, firstImage), warnings };
};

/** Room kept for an image URL in the byte budget: Allegro's gallery URLs are shorter. */
const galleryUrlReserve = 256;

const withImageUrl = (
  description: WireDescription,
  reserved: string | undefined,
  url: string | undefined,
): WireDescription =>
  reserved === undefined || url === undefined
    ? description
    : {
        sections: description.sections.map((section) => ({
          items: section.items.map((item) =>
            item.type === "IMAGE" && item.url === reserved ? { type: "IMAGE" as const, url } : item,
          ),
        })),
      };

/** Keeps whole blocks while they fit, then a shortened one; always at least one section. */
const fitBytes = (
  blocks: ReadonlyArray<Block>,
  imageItem: ReadonlyArray<WireDescriptionItem>,
): WireDescription => {
  const sections: Array<{ items: ReadonlyArray<WireDescriptionItem> }> = [];
  const withItem = (content: string) => ({
    items:
      sections.length === 0
        ? [{ type: "TEXT" as const, content }, ...imageItem]
        : [{ type: "TEXT" as const, content }],
  });
  // Room for the JSON around each section's content, with escapes JSON adds to the HTML.
  const budget = (content: string) => sizeOf({ sections: [...sections, withItem(content)] });
  for (const block of blocks) {
    if (sections.length >= descriptionLimits.sections) break;
    const content = blockHtml(block);
    if (budget(content) <= descriptionLimits.bytes) {
      sections.push(withItem(content));
      continue;
    }
    const free = descriptionLimits.bytes - budget("");
    const short = free > 0 ? shorten(block, Math.floor(free / 2)) : undefined;
    if (short !== undefined && budget(blockHtml(short)) <= descriptionLimits.bytes)
      sections.push(withItem(blockHtml(short)));
    break;
  }
  if (sections.length === 0) sections.push(withItem("<p>…</p>"));
  return { sections };
};
