import { AdsyncError, type Issue, issue } from "@adsync/core";
import { Effect } from "effect";
import type { AllegroClient } from "../client.ts";
import { ALLEGRO, type ContactsFullPolicy, contactLimits } from "../config.ts";
import type { Contact, WireContactRequest } from "../wire.ts";

/** The last nine digits: Allegro answers "+48 55 555 57 77" for "555-555-777" (section 1). */
const phoneKey = (number: string) => number.replace(/\D/g, "").slice(-9);
const emailKey = (address: string) => address.trim().toLowerCase();

const sameSet = (left: ReadonlyArray<string>, right: ReadonlyArray<string>) =>
  left.length === right.length && left.every((entry) => right.includes(entry));

/** A contact shows the buyer its email and phones; the name is only the seller's label. */
const contactMatches = (contact: Contact, wanted: WireContactRequest): boolean =>
  sameSet(
    contact.emails.map((entry) => emailKey(entry.address)),
    wanted.emails.map((entry) => emailKey(entry.address)),
  ) &&
  sameSet(
    contact.phones.map((entry) => phoneKey(entry.number)),
    wanted.phones.map((entry) => phoneKey(entry.number)),
  );

/** How close a contact is: a shared email or phone counts most, then the name. */
const contactScore = (contact: Contact, wanted: WireContactRequest): number => {
  const emails = new Set(contact.emails.map((entry) => emailKey(entry.address)));
  const phones = new Set(contact.phones.map((entry) => phoneKey(entry.number)));
  return (
    wanted.emails.filter((entry) => emails.has(emailKey(entry.address))).length * 4 +
    wanted.phones.filter((entry) => phones.has(phoneKey(entry.number))).length * 3 +
    (contact.name?.trim().toLowerCase() === wanted.name.trim().toLowerCase() ? 1 : 0)
  );
};

/** Clips a contact to "1 email address, 2 phone numbers" (section 1, Note!). */
export const clipContact = (wanted: WireContactRequest): WireContactRequest => ({
  name: [...wanted.name].slice(0, contactLimits.nameLength).join(""),
  emails: wanted.emails.slice(0, contactLimits.emails),
  phones: wanted.phones.slice(0, contactLimits.phones),
});

/**
 * Finds the account's contact that matches the ad's, or creates one. The account's list is
 * read once and kept; creation is serialized so two ads never create the same contact. With
 * 50 contacts and no match, the closest one is reused with a warning (or, with
 * `contactsFull: "fail"`, the ad fails): "You cannot have more than 50 contacts".
 */
export const makeContacts = (client: AllegroClient, policy: ContactsFullPolicy) => {
  let known: ReadonlyArray<Contact> | undefined;
  const lock = Effect.unsafeMakeSemaphore(1);

  /**
   * `replacing`: the contact the offer used until now, when the ad's contact changed. With no
   * contact matching the new one, that contact is updated in place (`PUT
   * /sale/offer-contacts/{id}`) instead of creating another, so a dealer's edits never grow the
   * account towards the 50-contact limit.
   */
  const ensure = (requested: WireContactRequest, replacing?: string) =>
    lock.withPermits(1)(
      Effect.gen(function* () {
        const wanted = clipContact(requested);
        const list = known ?? (yield* client.contacts);
        known = list;
        const found = list.find((contact) => contactMatches(contact, wanted));
        if (found !== undefined) return { id: found.id, warnings: [] as ReadonlyArray<Issue> };
        if (replacing !== undefined && list.some((contact) => contact.id === replacing)) {
          const updated = yield* client
            .updateContact(replacing, wanted)
            .pipe(Effect.tapError(() => Effect.sync(() => (known = undefined))));
          known = list.map((contact) => (contact.id === replacing ? updated : contact));
          return { id: updated.id, warnings: [] as ReadonlyArray<Issue> };
        }
        if (list.length >= contactLimits.contacts) {
          const best = [...list].sort(
            (left, right) => contactScore(right, wanted) - contactScore(left, wanted),
          )[0];
          const message = `The Allegro account already has ${contactLimits.contacts} contacts, the most allowed, and none matches this ad's contact.`;
          if (policy === "fail" || best === undefined)
            return yield* new AdsyncError({
              reason: "Rejected",
              marketplace: ALLEGRO,
              operation: "POST /sale/offer-contacts",
              message,
              issues: [
                issue(
                  "contact",
                  "too_many",
                  `${message} Remove one in Allegro or reuse an existing contact.`,
                  { marketplace: ALLEGRO, marketplacePath: "contact.id" },
                ),
              ],
            });
          return {
            id: best.id,
            warnings: [
              issue(
                "contact",
                "too_many",
                `${message} Reusing the closest one, "${best.name ?? best.id}".`,
                {
                  marketplace: ALLEGRO,
                  marketplacePath: "contact.id",
                },
              ),
            ],
          };
        }
        const created = yield* client.createContact(wanted).pipe(
          // A POST whose answer was lost may have created the contact: read the list again
          // before the next one, so it is found rather than created twice.
          Effect.tapError(() => Effect.sync(() => (known = undefined))),
        );
        known = [...list, created];
        return { id: created.id, warnings: [] as ReadonlyArray<Issue> };
      }),
    );

  return {
    ensure,
    /** The matching contact's id from the list already read, or undefined: no request. */
    peek: (requested: WireContactRequest): string | undefined => {
      const wanted = clipContact(requested);
      return known?.find((contact) => contactMatches(contact, wanted))?.id;
    },
    /** The matching contact's id, reading the list if it is not read yet; never creates one. */
    find: (requested: WireContactRequest) =>
      Effect.map(known === undefined ? client.contacts : Effect.succeed(known), (list) => {
        known = list;
        const wanted = clipContact(requested);
        return list.find((contact) => contactMatches(contact, wanted))?.id;
      }),
    /** Forget the list, e.g. after contacts were edited in Allegro's own pages. */
    forget: Effect.sync(() => {
      known = undefined;
    }),
  };
};
