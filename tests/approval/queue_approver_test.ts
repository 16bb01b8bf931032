/** `queueApprover()`: the answer file's owner is the approver; what the file says is a claim. */
import assert from "node:assert/strict";
import { listedApprover, queueApprover } from "../../src/approval/queue_approver.ts";
import { approvalsCommandFor } from "../../src/approval/create_approver.ts";

Deno.test("queueApprover() names the file's owner and marks a differing name as claimed", () => {
  const nameOf = (uid: number) => (uid === 0 ? "root" : undefined);
  const base = { ownUid: 1000, ownName: "ana", nameOf };
  assert.equal(queueApprover({ ...base, claimed: "ana", ownerUid: 1000 }), "ana");
  assert.equal(
    queueApprover({ ...base, claimed: "ceo\u001b[31m", ownerUid: 1000 }),
    'ana (the answer file claims "ceo?[31m")',
  );
  assert.equal(
    queueApprover({ ...base, claimed: "ana", ownerUid: 0 }),
    'uid 0 (the answer file claims "ana")',
  );
  assert.equal(
    queueApprover({ ...base, claimed: "ana", ownerUid: 4242 }),
    'uid 4242 (the answer file claims "ana")',
  );
  assert.equal(
    queueApprover({ ...base, claimed: "ana", ownerUid: null }),
    "ana (claimed by the answer file; its owner is unknown here)",
  );
});

Deno.test("queueApprover() names another uid the same whether or not the password file can be read; listedApprover() adds its name", () => {
  const answerer = { claimed: "alice", ownerUid: 65534, ownUid: 1000, ownName: "ana" };
  // The sandboxed core cannot read the password file; `thoth approvals list` can.
  const sandboxed = queueApprover(answerer);
  const unsandboxed = queueApprover({ ...answerer, nameOf: () => "nobody" });
  assert.equal(sandboxed, 'uid 65534 (the answer file claims "alice")');
  assert.equal(unsandboxed, sandboxed, "the audit and the list name one approver");
  const listed = listedApprover({ ...answerer, nameOf: () => "nobody" });
  assert.equal(listed, 'uid 65534 (nobody; the answer file claims "alice")');
  assert.ok(listed.startsWith("uid 65534 "), "the list names the uid the audit names");
  assert.equal(listedApprover(answerer), sandboxed, "no name to add: the audit's words");
  assert.equal(
    listedApprover({ ...answerer, claimed: "", nameOf: () => "nobody\u001b[2J" }),
    "uid 65534 (nobody?[2J)",
  );
  // The own user keeps its name in both.
  assert.equal(
    listedApprover({ ...answerer, ownerUid: 1000, nameOf: () => "x" }),
    'ana (the answer file claims "alice")',
  );
});

Deno.test("approvalsCommandFor() names a profile other than the default", () => {
  assert.equal(approvalsCommandFor("/home/ana/.thoth", "/home/ana/", "linux"), "thoth approvals");
  assert.equal(
    approvalsCommandFor("/srv/t", "/home/ana", "linux"),
    "THOTH_HOME='/srv/t' thoth approvals",
  );
  assert.equal(
    approvalsCommandFor("/srv/it's", undefined, "linux"),
    "THOTH_HOME='/srv/it'\\''s' thoth approvals",
  );
  assert.equal(
    approvalsCommandFor("C:\\Users\\ana\\.thoth", "C:\\Users\\ana", "windows"),
    "thoth approvals",
  );
});
