/**
 * `thoth audit show`'s DETAIL for a `handshake` record: the client and the
 * server as they named themselves, the protocol version answered (and the
 * one asked when they differ), an error answer said in words, and a peer's
 * name never reaching the terminal with its control characters.
 */
import assert from "node:assert/strict";
import { formatRecordTable } from "../../src/audit/format_records.ts";

const base = { seq: 1, ts: "2026-01-01T00:00:00.000Z", type: "handshake", session: "s" };

/** The DETAIL cell of the one handshake row: the text after the MODE column. */
function detail(record: Record<string, unknown>): string {
  const [header, row] = formatRecordTable([{ ...base, server: "fs", ...record }]).split("\n");
  return row!.slice(header!.indexOf("DETAIL")).trim();
}

Deno.test("a handshake's DETAIL names both peers and the protocol version", () => {
  assert.equal(
    detail({
      clientName: "claude-ai",
      clientVersion: "0.1.0",
      serverName: "secure-filesystem-server",
      serverVersion: "0.2.0",
      requestedVersion: "2025-06-18",
      protocolVersion: "2025-06-18",
    }),
    "client claude-ai 0.1.0; server secure-filesystem-server 0.2.0; protocol 2025-06-18",
  );
  assert.equal(
    detail({ clientName: "cursor", requestedVersion: "2025-11-25", protocolVersion: "2025-06-18" }),
    "client cursor; protocol 2025-06-18 (asked 2025-11-25)",
  );
});

Deno.test("a handshake the server refused says so, with what the client asked", () => {
  assert.equal(
    detail({ clientName: "cursor", requestedVersion: "2025-11-25", isError: true }),
    "client cursor; protocol asked 2025-11-25; the server answered initialize with an error",
  );
  assert.equal(detail({}), "");
});

Deno.test("a peer's name shows without its control characters", () => {
  const text = detail({ clientName: "evil\u001b[2K\u202eexe", serverName: "fs\r\nApproved: yes" });
  // deno-lint-ignore no-control-regex -- what must not reach a terminal
  assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.match(text, /^client evil/);
  assert.equal(formatRecordTable([{ ...base, serverName: "a\nb" }]).split("\n").length, 3);
});
