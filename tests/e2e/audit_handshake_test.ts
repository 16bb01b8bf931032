/**
 * An auditor asks which client and which server a governed call went
 * between: through the real `thoth run`, the official SDK client and
 * server-everything, the audit log holds one `handshake` record with the
 * names and versions both sides gave in `initialize` and the protocol
 * version, `thoth audit show` prints them in its DETAIL column,
 * `--decision-id` shows the record beside the decision, and `thoth audit
 * verify` passes with it in the log.
 */
import assert from "node:assert/strict";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { thothAudit } from "../audit/_audit_cli.ts";
import { connect, E2E_CLIENT_INFO, everythingArgv, tempDir, throughThoth } from "./_harness.ts";

Deno.test("server-everything: the audit log names the client and server of the session, and audit show prints them", async () => {
  await using dir = await tempDir();
  const thothHome = `${dir.path}/thoth`;
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  const env = { THOTH_HOME: thothHome, HOME: home };
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    {},
    env,
  );
  let server;
  try {
    server = connected.client.getServerVersion();
    const answer = await connected.client.callTool({ name: "echo", arguments: { message: "hi" } });
    assert.match(JSON.stringify(answer), /Echo: hi/, connected.stderr());
  } finally {
    await connected.close();
  }
  assert.ok(server?.name, "server-everything names itself");

  const records = (await readLogLines(auditPaths(thothHome).dir)).flatMap((l) =>
    l.record === undefined ? [] : [l.record]
  );
  const handshakes = records.filter((r) => r["type"] === "handshake");
  assert.equal(handshakes.length, 1, JSON.stringify(handshakes));
  const handshake = handshakes[0]!;
  const start = records.find((r) => r["type"] === "session_start")!;
  assert.equal(handshake["session"], start["session"]);
  assert.equal(handshake["server"], "everything");
  assert.equal(handshake["clientName"], E2E_CLIENT_INFO.name);
  assert.equal(handshake["clientVersion"], E2E_CLIENT_INFO.version);
  assert.equal(handshake["serverName"], server.name);
  assert.equal(handshake["serverVersion"], server.version);
  assert.equal(handshake["requestedVersion"], LATEST_PROTOCOL_VERSION);
  assert.match(String(handshake["protocolVersion"]), /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(handshake["isError"], undefined);
  // Written when the server answered, before any call was decided.
  const decision = records.find((r) => r["type"] === "decision")!;
  assert.ok(Number(handshake["seq"]) < Number(decision["seq"]));

  const shown = await thothAudit(thothHome, "show");
  assert.equal(shown.code, 0, shown.err);
  const row = shown.out.split("\n").find((line) => /\bhandshake\b/.test(line));
  assert.ok(row !== undefined, shown.out);
  assert.ok(row.includes(`client ${E2E_CLIENT_INFO.name} ${E2E_CLIENT_INFO.version}`), row);
  assert.ok(row.includes(`server ${server.name}`), row);
  assert.ok(row.includes(`protocol ${handshake["protocolVersion"]}`), row);

  const tied = await thothAudit(
    thothHome,
    "show",
    "--json",
    "--decision-id",
    String(decision["decisionId"]),
  );
  assert.equal(tied.code, 0, tied.err);
  const types = tied.out.trim().split("\n").map((line) => JSON.parse(line)["type"]);
  assert.deepEqual(types.slice(0, 3), ["session_start", "handshake", "decision"]);

  const verified = await thothAudit(thothHome, "verify");
  assert.equal(verified.code, 0, verified.out + verified.err);
});
