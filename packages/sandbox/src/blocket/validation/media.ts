import { type ErrorNode, messages } from "../../pro-import/validation/errors.ts";
import { parseHttpUrl } from "../../pro-import/validation/fields.ts";
import type { ApiVersion } from "../ad-record.ts";

// V3 doc, image_urls: "you can send maximum 38 image URLs"; V4 guide, "Adding Images":
// "HTTPS URLs only ... Maximum 20 images per ad".
const IMAGE_LIMITS: Readonly<Record<ApiVersion, number>> = { v3: 38, v4: 20 };

export function checkImageUrls(version: ApiVersion): (value: unknown) => ErrorNode | undefined {
  return (value) => {
    if (!Array.isArray(value)) return [messages.notList(value)];
    const problems: string[] = [];
    const limit = IMAGE_LIMITS[version];
    if (value.length > limit)
      problems.push(`Ensure this field has no more than ${limit} elements.`);
    value.forEach((item, index) => {
      const url = parseHttpUrl(item);
      if (url === undefined) problems.push(`Item ${index}: ${messages.invalidUrl}`);
      else if (version === "v4" && url.protocol !== "https:")
        problems.push(`Item ${index}: Only HTTPS URLs are accepted in v4 (${String(item)}).`);
    });
    return problems.length > 0 ? problems : undefined;
  };
}

// video_url: "URL to Youtube or Vimeo video" (V3 doc); "Supported platforms: YouTube, Vimeo" (V4).
const VIDEO_HOSTS: ReadonlySet<string> = new Set([
  "youtube.com",
  "www.youtube.com",
  "m.youtube.com",
  "youtu.be",
  "vimeo.com",
  "www.vimeo.com",
  "player.vimeo.com",
]);

export function checkVideoUrl(value: unknown): ErrorNode | undefined {
  const url = parseHttpUrl(value);
  if (url === undefined) return [messages.invalidUrl];
  return VIDEO_HOSTS.has(url.hostname) ? undefined : ["Only YouTube and Vimeo URLs are supported."];
}
