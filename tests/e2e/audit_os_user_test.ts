/**
 * The audit says who ran a session even without `THOTH_USER_ID`: through
 * the real `thoth run` and server-everything, `session_start` names the OS
 * account thoth ran as: its uid (`osUid`) and the name the password file
 * gives it (`osUser`), as approvers are named, never a `USER` anyone can
 * set; `thoth audit verify` passes on the log.
 */
import assert from "node:assert/strict";
import { osAccount } from "../../src/cli/prepare_session.ts";
import { tempDir } from "./_harness.ts";
import { oneSession, sessionStarts, thoth } from "./_session_start_audit.ts";

Deno.test("server-everything: session_start names the OS account that ran the session", async () => {
  await using dir = await tempDir();
  const thothHome = `${dir.path}/thoth`;
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  const env = { THOTH_HOME: thothHome, HOME: home, THOTH_USER_ID: "", USER: "ceo@example.com" };
  await oneSession(env);
  const starts = await sessionStarts(thothHome);
  assert.equal(starts.length, 1, JSON.stringify(starts));
  const start = starts[0]!;
  assert.ok(!("userId" in start), JSON.stringify(start));
  assert.notEqual(start["osUser"], "ceo@example.com", JSON.stringify(start));
  // The password file's name for the uid, where it has one; the uid itself (none on Windows).
  const account = osAccount();
  assert.equal(start["osUser"], account.osUser, JSON.stringify(start));
  assert.equal(start["osUid"], account.osUid, JSON.stringify(start));
  if (Deno.build.os !== "windows") assert.equal(start["osUid"], Deno.uid());

  const verified = await thoth(env, "audit", "verify");
  assert.equal(verified.code, 0, verified.out + verified.err);
});
