/**
 * DecisionDeadlines: a decision settles as it came when it came in time,
 * else as EXPIRED once its deadline passed, and a late one goes to `late`;
 * one timer serves every decision in flight, set for the oldest only.
 */
import assert from "node:assert/strict";
import { DecisionDeadlines, EXPIRED } from "../../src/proxy/decision_deadlines.ts";

/** A clock the test moves and a timer it fires by hand; counts the timers set. */
function handClock() {
  let now = 0;
  const timers: { at: number; fire: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    timer: (fire: () => void, ms: number) => {
      const timer = { at: now + ms, fire, live: true };
      timers.push(timer);
      return () => timer.live = false;
    },
    /** Moves the clock to `to` and fires the timers due by then. */
    async advance(to: number) {
      now = to;
      for (const timer of [...timers]) {
        if (timer.live && timer.at <= now) {
          timer.live = false;
          timer.fire();
        }
      }
      // Let the settled promises' reactions run.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    get set(): number {
      return timers.length;
    },
  };
}

function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

Deno.test("DecisionDeadlines.bound() settles with a decision that came in time", async () => {
  const clock = handClock();
  const deadlines = new DecisionDeadlines(100, clock);
  const decision = later<string>();
  const bounded = deadlines.bound(decision.promise);
  decision.resolve("allow");
  assert.equal(await bounded, "allow");
  assert.equal(deadlines.size, 0);
  const failing = later<string>();
  const rejected = deadlines.bound(failing.promise);
  failing.reject(new Error("enforcer down"));
  await assert.rejects(rejected, /enforcer down/);
});

Deno.test("DecisionDeadlines.bound() expires a decision past its deadline; a late one goes to `late`", async () => {
  const clock = handClock();
  const deadlines = new DecisionDeadlines(100, clock);
  const decision = later<string>();
  const lateOnes: string[] = [];
  let settled: unknown = "pending";
  void deadlines.bound(decision.promise, (value) => lateOnes.push(value)).then((v) => settled = v);
  await clock.advance(99);
  assert.equal(settled, "pending");
  await clock.advance(100);
  assert.equal(settled, EXPIRED);
  decision.resolve("allow");
  await clock.advance(200);
  assert.equal(settled, EXPIRED, "a decision after the deadline is not taken");
  assert.deepEqual(lateOnes, ["allow"]);
  // A rejection after the deadline goes nowhere (no unhandled rejection either).
  const failing = later<string>();
  void deadlines.bound(failing.promise);
  await clock.advance(300);
  failing.reject(new Error("too late"));
  await clock.advance(400);
});

Deno.test("DecisionDeadlines sets one timer for many decisions, and expires them in the order they began", async () => {
  const clock = handClock();
  const deadlines = new DecisionDeadlines(100, clock);
  const expired: number[] = [];
  const decisions = [0, 10, 20].map((start, index) => {
    const decision = later<string>();
    return { start, index, decision };
  });
  for (const { start, index, decision } of decisions) {
    await clock.advance(start);
    void deadlines.bound(decision.promise).then((v) => {
      if (v === EXPIRED) expired.push(index);
    });
  }
  assert.equal(clock.set, 1, "the timer is set for the oldest decision only");
  decisions[1]!.decision.resolve("allow");
  await clock.advance(100);
  assert.deepEqual(expired, [0]);
  assert.equal(clock.set, 2, "then for the next one still in flight");
  await clock.advance(120);
  assert.deepEqual(expired, [0, 2]);
  assert.equal(deadlines.size, 0);
  assert.equal(clock.set, 2, "nothing left: no timer");
  // Many decisions that settle in time while the timer is set cost no timer of their own.
  for (let i = 0; i < 100; i++) {
    const decision = later<string>();
    const bounded = deadlines.bound(decision.promise);
    decision.resolve("allow");
    await bounded;
  }
  assert.equal(clock.set, 3);
});

Deno.test("DecisionDeadlines refuses a deadline that is not a positive number of ms", () => {
  for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new DecisionDeadlines(ms), RangeError);
  }
});
