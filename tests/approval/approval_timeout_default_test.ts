/**
 * The default approval wait ends well before the client's own request
 * timeout (the official SDK gives up after 60 s): the model must hear
 * thoth's answer ("no one answered … timed out"), and the audit must say
 * `timeout`, not see the client give up first (`-32001`, recorded as
 * `cancelled`).
 */
import assert from "node:assert/strict";
import { DEFAULT_REQUEST_TIMEOUT_MSEC } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../../src/approval/create_approver.ts";

/** Time thoth needs after the wait to record the answer and write it to the client, with room. */
const ANSWER_MARGIN_MS = 10_000;

Deno.test("the default approval timeout ends clearly before the official SDK's request timeout", () => {
  assert.ok(
    DEFAULT_APPROVAL_TIMEOUT_MS + ANSWER_MARGIN_MS <= DEFAULT_REQUEST_TIMEOUT_MSEC,
    `${DEFAULT_APPROVAL_TIMEOUT_MS} ms leaves the client's ${DEFAULT_REQUEST_TIMEOUT_MSEC} ms ` +
      "too little room",
  );
});
