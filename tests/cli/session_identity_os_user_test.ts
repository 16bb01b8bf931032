/**
 * `sessionIdentity` names the OS account thoth runs as (`osUser`), the way
 * approvers are named (by uid and the password file, whatever `USER` says),
 * whether or not `THOTH_USER_ID` is set; without any name for it, none.
 */
import assert from "node:assert/strict";
import { approverName } from "../../src/approval/approver_name.ts";
import { sessionIdentity } from "../../src/cli/prepare_session.ts";

Deno.test("sessionIdentity records the OS account, named as approvers are, with or without THOTH_USER_ID", () => {
  const env = { USER: "ceo@example.com" };
  const identity = sessionIdentity(env, undefined, null);
  assert.equal(identity.osUser, approverName(env), JSON.stringify(identity));
  assert.ok(!("userId" in identity));
  const withUser = sessionIdentity({ ...env, THOTH_USER_ID: "ana@example.com" }, undefined, null);
  assert.equal(withUser.userId, "ana@example.com");
  assert.equal(withUser.osUser, approverName(env));
});

Deno.test("sessionIdentity takes the account it is given, and records none when nothing names one", () => {
  assert.equal(sessionIdentity({}, undefined, null, "ana").osUser, "ana");
  assert.ok(!("osUser" in sessionIdentity({}, undefined, null, "")));
  // Where the password file names this uid, the account is that name; else the
  // environment's; with neither, no placeholder stands in for it.
  const account = sessionIdentity({}, undefined, null).osUser;
  assert.notEqual(account, "the local user");
  if (account !== undefined) assert.equal(account, approverName({}));
});
