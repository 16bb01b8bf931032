/**
 * The audit says who ran a session even without `THOTH_USER_ID`: through
 * the real `thoth run` and server-everything, `session_start` names the OS
 * account thoth ran as: its uid (`osUid`) and the name the password file
 * gives it (`osUser`), as approvers are named, never a `USER` anyone can
 * set; `thoth audit verify` passes on the log.
 */
import assert from "node:assert/strict";
import { osAccount } from "../../src/cli/prepare_session.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { connect, everythingArgv, tempDir, testEnv, thothArgv, throughThoth } from "./_harness.ts";

Deno.test("server-everything: session_start names the OS account that ran the session", async () => {
  await using dir = await tempDir();
  const thothHome = `${dir.path}/thoth`;
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  const env = { THOTH_HOME: thothHome, HOME: home, THOTH_USER_ID: "", USER: "ceo@example.com" };
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    {},
    env,
  );
  try {
    const answer = await connected.client.callTool({ name: "echo", arguments: { message: "hi" } });
    assert.match(JSON.stringify(answer), /Echo: hi/, connected.stderr());
  } finally {
    await connected.close();
  }
  const starts = (await readLogLines(auditPaths(thothHome).dir)).flatMap((l) =>
    l.record?.["type"] === "session_start" ? [l.record] : []
  );
  assert.equal(starts.length, 1, JSON.stringify(starts));
  const start = starts[0]!;
  assert.ok(!("userId" in start), JSON.stringify(start));
  assert.notEqual(start["osUser"], "ceo@example.com", JSON.stringify(start));
  // The password file's name for the uid, where it has one; the uid itself (none on Windows).
  const account = osAccount();
  assert.equal(start["osUser"], account.osUser, JSON.stringify(start));
  assert.equal(start["osUid"], account.osUid, JSON.stringify(start));
  if (Deno.build.os !== "windows") assert.equal(start["osUid"], Deno.uid());

  const [command, ...rest] = thothArgv(["audit", "verify"]);
  const verified = await new Deno.Command(command!, {
    args: rest,
    env: testEnv(env),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  assert.equal(verified.code, 0, text(verified.stdout) + text(verified.stderr));
});
