import { isJsonObject } from "../patch/json-patch.ts";
import type { MarktplaatsPayload } from "./to-marktplaats.ts";

/** A stored payload as the shape adsync writes, or undefined (e.g. before the first answer). */
export const asMarktplaatsPayload = (value: unknown): MarktplaatsPayload | undefined => {
  if (!isJsonObject(value) || !isJsonObject(value.advertisement)) return undefined;
  const imageUrls = Array.isArray(value.imageUrls)
    ? value.imageUrls.filter((url): url is string => typeof url === "string")
    : [];
  return { advertisement: value.advertisement, imageUrls };
};
