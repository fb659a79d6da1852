/**
 * The fakes of the benchmark (all four marketplaces of `sandboxFakes`), in a process of their own
 * so the benchmark's CPU figures are the client's alone. Speaks over the IPC channel: it sends
 * `{ urls }` once listening, and answers `"requests"` with the requests every fake received
 * since the last `"clear"`, counted by marketplace and route.
 */
import { sandboxFakes, startFakes } from "@adsync/sandbox";

const running = await startFakes(sandboxFakes, { processingDelayMs: 5 });

/**
 * `/pro-import-api/v4/ad/bench-12` → `/pro-import-api/v4/ad/:id`: a path segment holding a digit
 * is an id (an ad's, a listing's, a command's), except an API version such as `v4`.
 */
const route = (path: string) =>
  path
    .split("/")
    .map((segment) => (/\d/.test(segment) && !/^v\d+$/.test(segment) ? ":id" : segment))
    .join("/");

process.on("message", (message) => {
  if (message === "clear") {
    for (const fake of running.fakes.values()) fake.clearRequests();
    process.send?.({ cleared: true });
  } else if (message === "requests") {
    const routes: Record<string, number> = {};
    for (const [id, fake] of running.fakes) {
      for (const request of fake.requests) {
        const name = `${id} ${request.method} ${route(request.path)}`;
        routes[name] = (routes[name] ?? 0) + 1;
      }
    }
    process.send?.({ routes });
  } else if (message === "close") {
    void running.close().then(() => process.exit(0));
  }
});
process.send?.({ urls: running.urls });
