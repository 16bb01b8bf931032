import assert from "node:assert/strict";
import { recordedRequestIds } from "../../src/audit/recorded_request_ids.ts";
import type { CancellationEvent, DecisionEvent } from "../../src/audit/record.ts";

const GITHUB = "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";
const digest = (piece: string) => (piece === GITHUB ? "1a2b3c4d" : "5e6f7a8b").repeat(8);

const cancellation = (requestId: string | number): CancellationEvent => ({
  type: "cancellation",
  session: "s-1",
  requestId,
  reason: "the client cancelled the call",
});

Deno.test("recordedRequestIds() hides a string request id the detectors flag, in any record", () => {
  assert.deepEqual(recordedRequestIds(cancellation(GITHUB), digest), {
    ...cancellation(GITHUB),
    requestId: "#k:1a2b3c4d(40)",
  });
  const decision = {
    type: "decision",
    session: "s-1",
    samplingRequestId: GITHUB,
  } as unknown as DecisionEvent;
  assert.equal(recordedRequestIds(decision, digest).samplingRequestId, "#k:1a2b3c4d(40)");
  // The record given is not changed.
  assert.equal(decision.samplingRequestId, GITHUB);
});

Deno.test("recordedRequestIds() keeps numbers and ids no detector flags, as the same record", () => {
  for (const id of [7, "req-7", "7f3c9a2b-4e1d-4f8a-9b6c-2d5e8f1a3c7b"]) {
    const event = cancellation(id);
    assert.equal(recordedRequestIds(event, digest), event);
  }
});
