import assert from "node:assert/strict";
import { newerRecordTrace } from "../../src/audit/bundle_format_traces.ts";

Deno.test("newerRecordTrace() names a request record: no thoth that wrote /1 bundles wrote one", () => {
  assert.equal(
    newerRecordTrace([
      '{"v":1,"seq":2,"type":"cancellation","session":"s-1","requestId":4}',
      '{"v":1,"seq":3,"type":"request","session":"s-1","method":"resources/read"}',
    ]),
    "a request record at seq 3",
  );
  // A record that only names a request id is no trace.
  assert.equal(
    newerRecordTrace(['{"v":1,"seq":2,"type":"cancellation","session":"s-1","requestId":4}']),
    undefined,
  );
});
