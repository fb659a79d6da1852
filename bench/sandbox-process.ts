/**
 * The fake Blocket of the benchmark, in a process of its own so the benchmark's CPU figures are
 * the client's alone. Speaks over the IPC channel: it sends `{ url }` once listening, and
 * answers `"requests"` with the requests it received since the last `"clear"`, counted by route.
 */
import { startBlocketFake } from "@adsync/sandbox";

const fake = await startBlocketFake({ processingDelayMs: 5 });

/** `/pro-import-api/v4/ad/bench-12` → `/pro-import-api/v4/ad/:id`. */
const route = (path: string) =>
  path
    .split("/")
    .map((segment) => (/^bench-\d+$|^\d+$|^[0-9a-f-]{36}$/.test(segment) ? ":id" : segment))
    .join("/");

process.on("message", (message) => {
  if (message === "clear") {
    fake.clearRequests();
    process.send?.({ cleared: true });
  } else if (message === "requests") {
    const routes: Record<string, number> = {};
    for (const request of fake.requests) {
      const name = `${request.method} ${route(request.path)}`;
      routes[name] = (routes[name] ?? 0) + 1;
    }
    process.send?.({ routes });
  } else if (message === "close") {
    void fake.close().then(() => process.exit(0));
  }
});
process.send?.({ url: fake.url });
