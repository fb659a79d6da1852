import { createServer } from "node:http";
import type { Publisher, Store } from "@adsync/core";
import { HttpRouter, HttpServer } from "@effect/platform";
import { NodeHttpServer } from "@effect/platform-node";
import { Context, Deferred, Effect, Exit, Layer, type ManagedRuntime, Scope } from "effect";
import { consoleRouter } from "./api.ts";
import { loadAssets } from "./assets.ts";
import {
  ConsoleError,
  type ConsoleOptions,
  defaultHost,
  defaultPort,
  isLoopback,
} from "./console-options.ts";
import { guarded } from "./security.ts";

/** A running console. */
export interface RunningConsole {
  /** The page's address, e.g. "http://127.0.0.1:4280/" (without the access token). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/**
 * Serves the operator console until the scope closes: refuses to start on a non-loopback
 * address without an access token, bundles the page (when running from the sources) and
 * listens. Needs the publisher and its store.
 */
export const serveConsole = (
  options: ConsoleOptions = {},
): Effect.Effect<RunningConsole, ConsoleError, Publisher | Store | Scope.Scope> =>
  Effect.gen(function* () {
    const host = options.host ?? defaultHost;
    if (!isLoopback(host) && options.token === undefined) {
      return yield* new ConsoleError({
        reason: "UnsafeBinding",
        message: `Refusing to serve the console on ${host} without an access token: it can remove listings. Give a token, or keep the default 127.0.0.1.`,
      });
    }
    const assets = yield* loadAssets;
    const closing = yield* Deferred.make<void>();
    const app = guarded(options.token)(
      HttpRouter.toHttpApp(consoleRouter(assets, options, closing)).pipe(Effect.flatten),
    );
    const served = HttpServer.serve(app).pipe(
      Layer.provideMerge(
        NodeHttpServer.layer(() => createServer(), { port: options.port ?? defaultPort, host }),
      ),
    );
    const context = yield* Layer.build(served).pipe(
      Effect.mapError(
        (error) =>
          new ConsoleError({
            reason: "Listen",
            message: `The console could not listen on ${host}:${options.port ?? defaultPort}: ${error.message}`,
          }),
      ),
    );
    // Added after the server's own finalizer, so it runs first: the live feeds end, then the
    // server closes (it waits for open responses).
    yield* Effect.addFinalizer(() => Deferred.succeed(closing, undefined));
    const address = Context.get(context, HttpServer.HttpServer).address;
    const port = address._tag === "TcpAddress" ? address.port : (options.port ?? defaultPort);
    const shownHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    return { url: `http://${shownHost}:${port}/`, host, port };
  });

/** The console for code that does not use Effect; `close` stops it. */
export interface ConsoleHandle extends RunningConsole {
  readonly close: () => Promise<void>;
}

/**
 * The Promise facade of `serveConsole`, over a runtime that provides the publisher and its
 * store (e.g. `ManagedRuntime.make(publisherLayer.pipe(Layer.provideMerge(storeAndAdapters)))`).
 */
export const startConsole = async <E>(
  runtime: ManagedRuntime.ManagedRuntime<Publisher | Store, E>,
  options: ConsoleOptions = {},
): Promise<ConsoleHandle> => {
  const scope = await runtime.runPromise(Scope.make());
  const running = await runtime.runPromise(
    serveConsole(options).pipe(
      Effect.provideService(Scope.Scope, scope),
      Effect.tapError(() => Scope.close(scope, Exit.void)),
    ),
  );
  return { ...running, close: () => runtime.runPromise(Scope.close(scope, Exit.void)) };
};
