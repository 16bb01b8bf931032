/**
 * `sessionIdentity` names the OS account thoth runs as: its uid (`osUid`)
 * always where there is one, and `osUser` only as the password file names
 * that uid, the way approvers are named then; never from `USER` or
 * `LOGNAME`, which anyone can set (an LDAP user or a container's arbitrary
 * uid has no password-file entry: the uid alone is recorded).
 */
import assert from "node:assert/strict";
import { approverName } from "../../src/approval/approver_name.ts";
import { osAccount, sessionIdentity } from "../../src/cli/prepare_session.ts";

const PASSWD = "root:x:0:0:root:/root:/bin/sh\nana:x:1000:1000::/home/ana:/bin/sh\n";

Deno.test("osAccount names the uid by the password file, and never by USER", () => {
  assert.deepEqual(osAccount(1000, () => PASSWD), { osUser: "ana", osUid: 1000 });
  // A uid the password file does not know: USER=ceo@example.com must not stand in.
  const unknown = osAccount(54321, () => PASSWD);
  assert.deepEqual(unknown, { osUid: 54321 });
  const identity = sessionIdentity(
    { USER: "ceo@example.com", LOGNAME: "ceo" },
    undefined,
    null,
    unknown,
  );
  assert.ok(!("osUser" in identity), JSON.stringify(identity));
  assert.equal(identity.osUid, 54321);
  // An unreadable password file: the uid alone.
  const unreadable = osAccount(54321, () => {
    throw new Deno.errors.PermissionDenied("no");
  });
  assert.deepEqual(unreadable, { osUid: 54321 });
  // No uid at all (Windows): nothing.
  assert.deepEqual(osAccount(null, () => PASSWD), {});
});

Deno.test("sessionIdentity records the OS account, named as approvers are, with or without THOTH_USER_ID", () => {
  const env = { USER: "ceo@example.com" };
  const identity = sessionIdentity(env, undefined, null);
  assert.ok(!("userId" in identity));
  assert.notEqual(identity.osUser, "ceo@example.com", JSON.stringify(identity));
  if (Deno.build.os !== "windows") {
    assert.equal(identity.osUid, Deno.uid(), JSON.stringify(identity));
    // Where the password file names this uid, that name, the one an approval carries.
    if (identity.osUser !== undefined) assert.equal(identity.osUser, approverName(env));
  }
  const withUser = sessionIdentity({ ...env, THOTH_USER_ID: "ana@example.com" }, undefined, null);
  assert.equal(withUser.userId, "ana@example.com");
  assert.equal(withUser.osUser, identity.osUser);
});

Deno.test("sessionIdentity takes the account it is given, and records none when nothing names one", () => {
  assert.deepEqual(
    sessionIdentity({}, undefined, null, { osUser: "ana", osUid: 1000 }),
    { osUser: "ana", osUid: 1000 },
  );
  assert.deepEqual(sessionIdentity({ USER: "ana" }, undefined, null, { osUser: "" }), {});
  assert.deepEqual(sessionIdentity({ USER: "ana" }, undefined, null, {}), {});
});
