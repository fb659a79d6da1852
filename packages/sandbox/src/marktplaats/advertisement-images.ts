import type { StoredAdvertisement, StoredImage } from "./store.ts";

/** One image resource as the images endpoint answers it (place-advertisement.rst). */
export const imageJson = (image: StoredImage): Record<string, unknown> => ({
  _links: { self: { href: `/v1/images/${image.imageId}` } },
  imageId: image.imageId,
  status: image.status,
});

/**
 * The advertisement's `mp:advertisement-images` relation, "embedded: yes" in the doc's
 * relations: the images as a list under the relation's name, left out while there are none.
 */
export const embeddedImages = (stored: StoredAdvertisement): Record<string, unknown> =>
  stored.images.length === 0
    ? {}
    : { _embedded: { "mp:advertisement-images": stored.images.map(imageJson) } };
