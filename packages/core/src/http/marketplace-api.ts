import { Effect, ParseResult, Schema } from "effect";
import type { ParseOptions } from "effect/SchemaAST";
import type { AdsyncError } from "../errors.ts";
import type { HttpRequest, HttpResponse, MarketplaceHttp } from "./marketplace-http.ts";
import {
  type ErrorBodyHook,
  errorOfResponse,
  invalidResponseError,
  isSuccessStatus,
} from "./status-reason.ts";

/** How one endpoint's answer is read. */
export interface CallOptions<A, I, B, Context> {
  /** Decodes a 2xx body; a body that does not decode is `InvalidResponse`. */
  readonly success: Schema.Schema<A, I>;
  /** Statuses answered by a value instead of an error, e.g. `{ 404: undefined }`. */
  readonly otherwise?: { readonly [status: number]: B } | undefined;
  /** Named in errors; default "METHOD /path" (the query left out). */
  readonly operation?: string | undefined;
  /** What the marketplace's error-body hook is told about this call (Allegro: field paths). */
  readonly context?: Context | undefined;
  /** Schema parse options, e.g. `{ onExcessProperty: "preserve" }` to keep unknown keys. */
  readonly parseOptions?: ParseOptions | undefined;
}

/** A decoded answer with the response it came from (for headers such as `Location`). */
export interface Answered<A> {
  readonly value: A;
  readonly response: HttpResponse;
}

export interface MarketplaceApiOptions<Context> {
  /** What only this marketplace's error body says (its text, issues, a reason override). */
  readonly errorBody?: ErrorBodyHook<Context> | undefined;
  /** Checks or completes every request before it is sent (Allegro: its media type, User-Agent). */
  readonly prepare?:
    | ((request: HttpRequest) => Effect.Effect<HttpRequest, AdsyncError>)
    | undefined;
  /** What an empty body decodes as (default `undefined`). */
  readonly emptyBody?: unknown;
}

/**
 * The endpoints of one marketplace over its `MarketplaceHttp`: an endpoint is a request and
 * the schema of its success. A 2xx is decoded by that schema; any other answer becomes an
 * `AdsyncError` through core's one status table (`reasonOfStatus`) and the marketplace's
 * error-body hook. Transient failures, the bearer's 401 refresh and retries happen below, in
 * `MarketplaceHttp`, so an adapter's client is only a list of endpoints.
 */
export interface MarketplaceApi<Context = undefined> {
  readonly http: MarketplaceHttp;
  /** Sends and answers the decoded success (or the `otherwise` value of its status). */
  readonly call: <A, I, B = never>(
    request: HttpRequest,
    options: CallOptions<A, I, B, Context>,
  ) => Effect.Effect<A | B, AdsyncError>;
  /** Like `call`, with the response too. */
  readonly exchange: <A, I, B = never>(
    request: HttpRequest,
    options: CallOptions<A, I, B, Context>,
  ) => Effect.Effect<Answered<A | B>, AdsyncError>;
  /** An error answer as the marketplace's `AdsyncError` (for answers read another way). */
  readonly errorOf: (operation: string, response: HttpResponse, context?: Context) => AdsyncError;
}

/** "METHOD /path", the query left out (it may carry many ids, or secrets). */
export const operationOf = (request: HttpRequest): string =>
  `${request.method} ${request.path.replace(/\?.*$/, "")}`;

export const makeMarketplaceApi = <Context = undefined>(
  http: MarketplaceHttp,
  options: MarketplaceApiOptions<Context> = {},
): MarketplaceApi<Context> => {
  const marketplace = http.marketplace;
  const errorOf = (operation: string, response: HttpResponse, context?: Context) =>
    errorOfResponse(
      marketplace,
      operation,
      response,
      options.errorBody?.(response, context as Context),
    );

  const exchange = <A, I, B = never>(
    request: HttpRequest,
    call: CallOptions<A, I, B, Context>,
  ): Effect.Effect<Answered<A | B>, AdsyncError> =>
    Effect.gen(function* () {
      const sent = options.prepare === undefined ? request : yield* options.prepare(request);
      const operation = call.operation ?? operationOf(sent);
      const response = yield* http.request(sent);
      const status = response.status;
      if (call.otherwise !== undefined && Object.hasOwn(call.otherwise, status))
        return { value: call.otherwise[status] as B, response };
      if (!isSuccessStatus(status))
        return yield* Effect.fail(errorOf(operation, response, call.context));
      const body = response.body === undefined ? options.emptyBody : response.body;
      const value = yield* Schema.decodeUnknown(
        call.success,
        call.parseOptions,
      )(body).pipe(
        Effect.mapError((error) =>
          invalidResponseError(
            marketplace,
            operation,
            `unexpected answer (${firstProblem(error)})`,
            status,
          ),
        ),
      );
      return { value, response };
    });

  return {
    http,
    exchange,
    call: (request, call) => Effect.map(exchange(request, call), (answered) => answered.value),
    errorOf,
  };
};

/** The first problem of a decode failure, e.g. `offers.0.id: is missing`, at most 200 characters. */
const firstProblem = (error: ParseResult.ParseError): string => {
  const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0];
  const text =
    first === undefined
      ? error.message
      : `${first.path.length === 0 ? "" : `${first.path.join(".")}: `}${first.message}`;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
};
