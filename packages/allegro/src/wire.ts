import { Schema } from "effect";
import type { AllegroPayload } from "./mapping/to-allegro.ts";

/**
 * Allegro's wire format. What we send is typed after the OpenAPI request schemas (named in
 * each comment; test/openapi.test.ts validates every body sent against them); what we receive
 * is decoded leniently: unknown keys are ignored, and fields the samples show as `null` are
 * accepted as null.
 */

const Nullable = <A, I>(schema: Schema.Schema<A, I>) => Schema.optional(Schema.NullOr(schema));

/** OpenAPI `Parameter`: "In the case of PUT and POST methods provide identifiers". */
export interface WireParameter {
  readonly id: string;
  readonly valuesIds: ReadonlyArray<string>;
  readonly values: ReadonlyArray<string>;
  readonly rangeValue?: { readonly from: string; readonly to: string };
}

/** OpenAPI `DescriptionSectionItemText` / `DescriptionSectionItemImage`. */
export type WireDescriptionItem =
  | { readonly type: "TEXT"; readonly content: string }
  | { readonly type: "IMAGE"; readonly url: string };
export interface WireDescription {
  readonly sections: ReadonlyArray<{ readonly items: ReadonlyArray<WireDescriptionItem> }>;
}

export interface WireLocation {
  readonly countryCode: string;
  readonly province?: string;
  readonly city: string;
  readonly postCode: string;
}

/** OpenAPI `ContactRequest`: name ≤ 250, ≤ 1 email, ≤ 2 phones. */
export interface WireContactRequest {
  readonly name: string;
  readonly emails: ReadonlyArray<{ readonly address: string }>;
  readonly phones: ReadonlyArray<{ readonly number: string }>;
}

/** OpenAPI `PublicationChangeCommandDto`. */
export interface WirePublicationCommand {
  readonly publication: { readonly action: "ACTIVATE" | "END"; readonly scheduledFor?: string };
  readonly offerCriteria: ReadonlyArray<{
    readonly type: "CONTAINS_OFFERS";
    readonly offers: ReadonlyArray<{ readonly id: string }>;
  }>;
}

/** OpenAPI `ClassifiedPackages`. */
export interface WireClassifiedPackages {
  readonly basePackage: { readonly id: string };
  readonly extraPackages: ReadonlyArray<{ readonly id: string }>;
}

// ---- answers, decoded leniently ----

export const ErrorEntry = Schema.Struct({
  code: Nullable(Schema.String),
  message: Nullable(Schema.String),
  details: Nullable(Schema.String),
  path: Nullable(Schema.String),
  userMessage: Nullable(Schema.String),
});
export type ErrorEntry = typeof ErrorEntry.Type;

/** OpenAPI `ErrorsHolder`. */
export const ErrorsHolder = Schema.Struct({ errors: Schema.optional(Schema.Array(ErrorEntry)) });

/** OpenAPI `AuthError`: `{error, error_description}` on 401. */
export const AuthError = Schema.Struct({
  error: Schema.String,
  error_description: Schema.optional(Schema.String),
});

export const OfferStatus = Schema.String;

/** OpenAPI `Offer` as GET/POST/PUT answer it; kept whole for GET-modify-PUT. */
export const OfferAnswer = Schema.Struct({
  id: Schema.String,
  name: Nullable(Schema.String),
  category: Nullable(Schema.Struct({ id: Schema.String })),
  publication: Nullable(
    Schema.Struct({ status: Nullable(OfferStatus), endedBy: Nullable(Schema.String) }),
  ),
  validation: Nullable(
    Schema.Struct({ errors: Schema.optionalWith(Schema.Array(ErrorEntry), { default: () => [] }) }),
  ),
  external: Nullable(Schema.Struct({ id: Nullable(Schema.String) })),
});
export type OfferAnswer = typeof OfferAnswer.Type;

/** OpenAPI `OffersSearchResultDto`. */
export const OfferList = Schema.Struct({
  offers: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        id: Schema.String,
        name: Nullable(Schema.String),
        publication: Nullable(
          Schema.Struct({ status: Nullable(OfferStatus), endedBy: Nullable(Schema.String) }),
        ),
        sellingMode: Nullable(
          Schema.Struct({ price: Nullable(Schema.Struct({ amount: Nullable(Schema.String) })) }),
        ),
        external: Nullable(Schema.Struct({ id: Nullable(Schema.String) })),
      }),
    ),
    { default: () => [] },
  ),
});
export type ListedOffer = (typeof OfferList.Type)["offers"][number];

/** OpenAPI `SellerOfferEventsResponse`: `offerEvents` oldest first. */
export const OfferEvents = Schema.Struct({
  offerEvents: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        id: Schema.String,
        type: Schema.String,
        offer: Nullable(
          Schema.Struct({
            id: Schema.String,
            external: Nullable(Schema.Struct({ id: Nullable(Schema.String) })),
          }),
        ),
      }),
    ),
    { default: () => [] },
  ),
});

export const Contact = Schema.Struct({
  id: Schema.String,
  name: Nullable(Schema.String),
  emails: Schema.optionalWith(Schema.Array(Schema.Struct({ address: Schema.String })), {
    default: () => [],
  }),
  phones: Schema.optionalWith(Schema.Array(Schema.Struct({ number: Schema.String })), {
    default: () => [],
  }),
});
export type Contact = typeof Contact.Type;
export const ContactList = Schema.Struct({
  contacts: Schema.optionalWith(Schema.Array(Contact), { default: () => [] }),
});

/** OpenAPI `OfferImageUploadResponse`. */
export const ImageUpload = Schema.Struct({
  location: Schema.String,
  expiresAt: Nullable(Schema.String),
});

export const CategoryNode = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  leaf: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  options: Nullable(
    Schema.Struct({
      advertisement: Nullable(Schema.Boolean),
      advertisementPriceOptional: Nullable(Schema.Boolean),
    }),
  ),
});
export type CategoryNode = typeof CategoryNode.Type;
export const CategoryList = Schema.Struct({
  categories: Schema.optionalWith(Schema.Array(CategoryNode), { default: () => [] }),
});

/** OpenAPI `CategoryParameter` and its four kinds, flattened (restrictions by kind). */
export const CategoryParameter = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  type: Schema.String,
  required: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  unit: Nullable(Schema.String),
  dictionary: Schema.optional(
    Schema.Array(
      Schema.Struct({
        id: Schema.String,
        value: Schema.String,
        /** OpenAPI: the value may be chosen only when the parent has one of these. */
        dependsOnValueIds: Schema.optional(Schema.Array(Schema.String)),
      }),
    ),
  ),
  /** OpenAPI `options`: the parent parameter and the parent values that make this one required. */
  options: Nullable(
    Schema.Struct({
      dependsOnParameterId: Nullable(Schema.String),
      requiredDependsOnValueIds: Nullable(Schema.Array(Schema.String)),
    }),
  ),
  restrictions: Nullable(
    Schema.Struct({
      min: Nullable(Schema.Number),
      max: Nullable(Schema.Number),
      range: Nullable(Schema.Boolean),
      precision: Nullable(Schema.Number),
      minLength: Nullable(Schema.Number),
      maxLength: Nullable(Schema.Number),
      allowedNumberOfValues: Nullable(Schema.Number),
      multipleChoices: Nullable(Schema.Boolean),
    }),
  ),
});
export type CategoryParameter = typeof CategoryParameter.Type;
export const CategoryParameterList = Schema.Struct({
  parameters: Schema.optionalWith(Schema.Array(CategoryParameter), { default: () => [] }),
});

/** OpenAPI `ClassifiedPackageConfigs`. */
export const PackageConfig = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  type: Schema.String,
  publication: Nullable(Schema.Struct({ duration: Nullable(Schema.String) })),
});
export type PackageConfig = typeof PackageConfig.Type;
export const PackageConfigs = Schema.Struct({
  packages: Schema.optionalWith(Schema.Array(PackageConfig), { default: () => [] }),
});

/** OpenAPI `ClassifiedResponse` (GET /sale/offer-classifieds-packages/{offerId}). */
export const AssignedPackages = Schema.Struct({
  basePackage: Nullable(Schema.Struct({ id: Schema.String })),
  extraPackages: Schema.optionalWith(Schema.Array(Schema.Struct({ id: Schema.String })), {
    default: () => [],
  }),
});

const Money = Schema.Struct({ amount: Schema.String, currency: Schema.String });
/** OpenAPI `FeePreviewResponse`. */
export const FeePreview = Schema.Struct({
  commissions: Schema.optionalWith(
    Schema.Array(Schema.Struct({ name: Nullable(Schema.String), fee: Nullable(Money) })),
    { default: () => [] },
  ),
  quotes: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        name: Nullable(Schema.String),
        fee: Nullable(Money),
        cycleDuration: Nullable(Schema.String),
        classifiedsPackage: Nullable(Schema.Struct({ id: Schema.String })),
      }),
    ),
    { default: () => [] },
  ),
});
export type FeePreview = typeof FeePreview.Type;

/** OpenAPI `TaskReport`: `status` "NEW, SUCCESS, FAIL". */
export const TaskReport = Schema.Struct({
  tasks: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        offer: Nullable(Schema.Struct({ id: Schema.String })),
        status: Nullable(Schema.String),
        message: Nullable(Schema.String),
        scheduledAt: Nullable(Schema.String),
        finishedAt: Nullable(Schema.String),
        errors: Schema.optionalWith(Schema.Array(ErrorEntry), { default: () => [] }),
      }),
    ),
    { default: () => [] },
  ),
});
export type TaskReport = typeof TaskReport.Type;
export type Task = TaskReport["tasks"][number];

/** The payload the publisher stored from our `prepare`: the content last sent. */
export const isAllegroPayload = (payload: unknown): payload is AllegroPayload =>
  typeof payload === "object" &&
  payload !== null &&
  "sellingMode" in payload &&
  "external" in payload &&
  "category" in payload &&
  "images" in payload;

/**
 * The payload as the store keeps it (`payloadSchema`): the content `toAllegroPayload` made,
 * which is JSON already, so it is stored as it is. Decoding checks the shape the flow reads
 * back (`sellingMode`, `external`, `category`, `images`); the fields follow from the ad alone.
 */
export const allegroPayloadSchema: Schema.Schema<AllegroPayload> = Schema.declare(
  isAllegroPayload,
  { identifier: "AllegroPayload" },
);
