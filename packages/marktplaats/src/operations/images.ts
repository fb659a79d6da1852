import { type Issue, issue } from "@adsync/core";
import { isJsonObject } from "../patch/json-patch.ts";

/**
 * The images of an advertisement and how far Marktplaats got fetching them. Images are posted
 * as URLs (`POST …/images`, answered 202) and downloaded "when there is capacity available":
 * each is `downloading`, then `available`. Our copy of the doc names no failure state, so any
 * other status (the sandbox writes `failed`) counts as a download that did not work. The
 * advertisement embeds them ("mp:advertisement-images … embedded: yes"); the images answer
 * uses `mp:advertisement-image`. Both are read. Shared by `observe` and bulk observation (`inspect.ts`), which read an ad the same way.
 */
interface ImageState {
  readonly imageId: string | undefined;
  /** The source URL, when the answer carries it. */
  readonly url: string | undefined;
  readonly status: string;
}

/**
 * The embedded images, read leniently: HAL allows the relation to hold a list, one resource,
 * or (as the images endpoint answers) an object with its own `_embedded["mp:advertisement-image"]`.
 */
const embeddedList = (relation: unknown): ReadonlyArray<unknown> => {
  if (Array.isArray(relation)) return relation;
  if (!isJsonObject(relation)) return [];
  const inner = isJsonObject(relation._embedded)
    ? relation._embedded["mp:advertisement-image"]
    : undefined;
  if (Array.isArray(inner)) return inner;
  return [relation];
};

export const imagesOf = (
  document: Readonly<Record<string, unknown>>,
): ReadonlyArray<ImageState> => {
  const embedded = isJsonObject(document._embedded) ? document._embedded : {};
  const list = embeddedList(
    embedded["mp:advertisement-images"] ?? embedded["mp:advertisement-image"],
  );
  return list.flatMap((entry): ReadonlyArray<ImageState> => {
    if (!isJsonObject(entry) || typeof entry.status !== "string") return [];
    const id = entry.imageId;
    return [
      {
        imageId: typeof id === "string" || typeof id === "number" ? String(id) : undefined,
        url: typeof entry.url === "string" ? entry.url : undefined,
        status: entry.status,
      },
    ];
  });
};

interface ImageReport {
  readonly notes: ReadonlyArray<string>;
  /** One `remote_error` on `images.<n>` per image whose download failed. */
  readonly warnings: ReadonlyArray<Issue>;
}

/**
 * Notes for images still downloading, warnings for failed ones. `imageUrls` (the payload's
 * list, in the order sent) names the canonical index when the answer carries no URL.
 */
export const imageReport = (
  site: string,
  document: Readonly<Record<string, unknown>>,
  imageUrls: ReadonlyArray<string>,
): ImageReport => {
  const images = imagesOf(document);
  const downloading = images.filter((image) => image.status === "downloading").length;
  const warnings = images.flatMap((image, position) => {
    if (image.status === "downloading" || image.status === "available") return [];
    const byUrl = image.url === undefined ? -1 : imageUrls.indexOf(image.url);
    const index = byUrl >= 0 ? byUrl : position;
    const url = image.url ?? imageUrls[index] ?? `image ${index + 1}`;
    return [
      issue(
        `images.${index}`,
        "remote_error",
        `${site} could not download ${url} (status ${image.status}); the ad shows without it.`,
        { marketplace: site, marketplacePath: "images" },
      ),
    ];
  });
  return {
    notes: downloading === 0 ? [] : [`images downloading: ${downloading} of ${images.length}`],
    warnings,
  };
};
