import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { Timers } from "../src/http/timers.ts";
import { startSandbox } from "../src/index.ts";
import { AD_PATH, asTraderaAd, traderaCall, traderaCarAd } from "./tradera-support.ts";

describe("a fake's processing clock", () => {
  let timers: Timers | undefined;
  afterEach(() => timers?.cancelAll());

  it("on the manual clock runs nothing until advanced, then what is due, in order", () => {
    timers = new Timers("manual");
    const ran: Array<string> = [];
    const started = timers.now();
    timers.after(20, () => ran.push("b"));
    timers.after(10, () => {
      ran.push("a");
      // scheduled while advancing, due inside the window: runs in the same advance
      timers?.after(5, () => ran.push("a+5"));
    });
    timers.after(10, () => ran.push("a'"));
    expect(ran).toEqual([]);
    timers.advance(9);
    expect(ran).toEqual([]);
    timers.advance(6);
    expect(ran).toEqual(["a", "a'", "a+5"]);
    expect(timers.now()).toBe(started + 15);
    expect(timers.pending()).toBe(1);
    timers.advance(5);
    expect(ran).toEqual(["a", "a'", "a+5", "b"]);
    expect(timers.pending()).toBe(0);
  });

  it("flushes every step, including steps scheduled by steps, moving the clock to the last", () => {
    timers = new Timers("manual");
    const started = timers.now();
    const ran: Array<number> = [];
    const chain = (left: number) => () => {
      ran.push(left);
      if (left > 0) timers?.after(100, chain(left - 1));
    };
    timers.after(100, chain(3));
    timers.flush();
    expect(ran).toEqual([3, 2, 1, 0]);
    expect(timers.now()).toBe(started + 400);
    expect(timers.pending()).toBe(0);
  });

  it("on the real clock runs a step early when flushed, and only once", () => {
    timers = new Timers("real");
    let runs = 0;
    timers.after(60_000, () => runs++);
    timers.flush();
    expect(runs).toBe(1);
    timers.flush();
    expect(runs).toBe(1);
    expect(timers.pending()).toBe(0);
  });

  it("runs nothing after it is cancelled", () => {
    timers = new Timers("manual");
    let runs = 0;
    timers.after(1, () => runs++);
    timers.cancelAll();
    timers.after(1, () => runs++);
    timers.flush();
    expect(runs).toBe(0);
  });
});

describe("startSandbox({ clock: 'manual' })", () => {
  it("holds every fake's processing until the test runs it", async () => {
    const sandbox = await startSandbox({ clock: "manual" });
    onTestFinished(() => sandbox.close());
    for (const fake of [sandbox.blocket, sandbox.tradera, sandbox.marktplaats, sandbox.allegro])
      expect(fake.processing.mode).toBe("manual");
    await traderaCall(sandbox.tradera, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    const states = () => asTraderaAd(sandbox.tradera.ad("car-1")).log.map((entry) => entry.state);
    expect(states()).toEqual(["processing", "processing", "processing"]);
    expect(sandbox.tradera.processing.pending()).toBe(1);
    sandbox.tradera.processing.flush();
    expect(states()).toEqual(["done", "done", "done"]);
    expect(sandbox.tradera.processing.pending()).toBe(0);
  });
});
