/**
 * A stored record's envelope (`v`, `seq`, `ts`, `prev`) is the writer's
 * alone: an event that carries a member of the same name (read from a file
 * someone wrote, say) cannot override it, since JSON's last duplicate key
 * wins. Pure.
 */
import assert from "node:assert/strict";
import {
  type AuditEvent,
  encodeRecordLine,
  encodeRecordLineFromBody,
  GENESIS_PREV,
  type RecordEnvelope,
} from "../../src/audit/record.ts";

const ENVELOPE: RecordEnvelope = {
  v: 1,
  seq: 7,
  ts: "2026-03-01T12:00:00.000Z",
  prev: GENESIS_PREV,
};

const DECISION = {
  type: "decision",
  session: "s-1",
  server: "fs",
  tool: "write_file",
  decisionId: "d-1",
  verdict: "allow",
  ruleIds: [],
  mode: "block",
  policyHash: "0".repeat(64),
  intent: null,
  args: { digest: "", shape: { t: "null" } },
};

Deno.test("encodeRecordLine keeps the writer's v, seq, ts and prev whatever the event carries", () => {
  const forged = {
    ...DECISION,
    v: 2,
    seq: 3,
    ts: "2025-01-01T00:00:00.000Z",
    prev: "f".repeat(64),
  } as unknown as AuditEvent;
  const line = encodeRecordLine(ENVELOPE, forged);
  const record = JSON.parse(line);
  assert.deepEqual(
    [record.v, record.seq, record.ts, record.prev],
    [1, 7, "2026-03-01T12:00:00.000Z", GENESIS_PREV],
  );
  for (const key of ["v", "seq", "ts", "prev"]) {
    assert.equal(line.split(`"${key}":`).length, 2, `one "${key}" in ${line}`);
  }
  assert.equal(record.decisionId, "d-1", "the event's own members are kept");
});

Deno.test("encodeRecordLine writes an event without envelope members as encodeRecordLineFromBody does", () => {
  const event = DECISION as unknown as AuditEvent;
  assert.equal(
    encodeRecordLine(ENVELOPE, event),
    encodeRecordLineFromBody(ENVELOPE, JSON.stringify(event)),
  );
});
