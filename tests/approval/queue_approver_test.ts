/** `queueApprover()`: the answer file's owner is the approver; what the file says is a claim. */
import assert from "node:assert/strict";
import { queueApprover } from "../../src/approval/queue_approver.ts";
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
    'root (the answer file claims "ana")',
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
