import assert from "node:assert/strict";
import { CoreFaults, faultLines } from "../../src/proxy/core_faults.ts";

Deno.test("CoreFaults.take() hands the first fault to the listening session, and no later one", () => {
  const faults = new CoreFaults();
  const told: string[][] = [];
  faults.listen((lines) => told.push(lines));
  assert.equal(faults.take(new Error("first")), true);
  assert.equal(faults.taken, true);
  // A fault in the path that handles the first is left to the worker's host: no loop.
  assert.equal(faults.take(new Error("second")), false);
  assert.equal(told.length, 1);
  assert.match(told[0]![0]!, /^error: the proxy core failed: Error: first; answering/);
});

Deno.test("CoreFaults.take() leaves a fault with no session listening, or one whose session throws, to the host", () => {
  const idle = new CoreFaults();
  const unlisten = idle.listen(() => {});
  unlisten();
  assert.equal(idle.take(new Error("after the session")), false);
  const broken = new CoreFaults();
  broken.listen(() => {
    throw new Error("the shutdown failed too");
  });
  assert.equal(broken.take(new Error("first")), false);
  assert.equal(broken.take(new Error("second")), false);
});

Deno.test("faultLines() gives the stack only when verbose", () => {
  const error = new Error("boom");
  assert.equal(faultLines(error, false).length, 1);
  const verbose = faultLines(error, true);
  assert.ok(verbose.length > 1);
  assert.match(verbose[1]!, /^at /);
  assert.deepEqual(faultLines("a\nb", false), [
    "error: the proxy core failed: a",
    "b; answering the client's pending requests with an error and ending the session",
  ]);
});
