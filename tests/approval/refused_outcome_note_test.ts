/**
 * The `refused` outcome note: what a waiting thoth writes beside a request
 * whose approved call it refused after all (its approval could not be
 * recorded in the audit log), how the listing reads it, and how a note of
 * a kind this release does not know is read (as none, never as an error).
 */
import assert from "node:assert/strict";
import { parseQueueOutcome } from "../../src/approval/queue_record.ts";
import { noteRefusal, queueRefusalNote, withRefusalNote } from "../../src/approval/refusal_note.ts";
import { describeItem } from "../../src/cli/approval_item_text.ts";
import { tempHome } from "./_relay_harness.ts";
import { queueWithKeys } from "./_signed_answers.ts";
import { waitingRequest } from "./_waiting_request.ts";

const REASON = "the approval could not be recorded in the audit log";

Deno.test("parseQueueOutcome() takes a refused note, and no note of a kind it does not know", () => {
  const note = {
    v: 1,
    id: "abcdefgh",
    digest: "a".repeat(64),
    outcome: "refused",
    reason: REASON,
    at: 1,
  };
  assert.deepEqual(parseQueueOutcome(note), note);
  assert.equal(parseQueueOutcome({ ...note, outcome: "superseded" }), null);
});

Deno.test("ApprovalQueue: an approval its thoth noted it refused is listed as refused, with why", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(waitingRequest("b".repeat(64)));
    await queue.settle(entry.id, { decision: "approve", by: "ana" });
    await queue.recordOutcome(entry.id, entry.digest, REASON, "refused");
    const [item] = await queue.list();
    assert.deepEqual(item?.callFate, {
      outcome: "refused",
      reason: REASON,
      source: "waiting-thoth-note",
    });
    const text = describeItem(item!, Date.now()).split("\n")[0]!;
    assert.match(
      text,
      /\[approved by .*, but thoth refused the call: the approval could not be recorded in the audit log \(as the waiting thoth noted\); the call did not run\]$/,
    );
  } finally {
    await remove();
  }
});

Deno.test("ApprovalQueue: a note of a kind this release does not know is read as none", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(waitingRequest("c".repeat(64)));
    await queue.settle(entry.id, { decision: "approve", by: "ana" });
    const note = {
      v: 1,
      id: entry.id,
      digest: entry.digest,
      outcome: "superseded",
      reason: "a later release's words",
      at: Date.now(),
    };
    await Deno.writeTextFile(`${queue.dir}/${entry.id}.outcome.json`, JSON.stringify(note), {
      mode: 0o600,
    });
    const [item] = await queue.list();
    assert.equal(item?.state, "settled");
    assert.equal(item?.answer?.decision, "approve");
    assert.equal(item?.callFate, undefined, "the answer alone speaks: its thoth still waits");
  } finally {
    await remove();
  }
});

Deno.test("noteRefusal() notes through a queued answer's taken, and is nothing for any other", async () => {
  const noted: string[] = [];
  const taken = withRefusalNote(() => Promise.resolve(true), (why) => {
    noted.push(why);
    return Promise.resolve();
  });
  assert.equal(await taken(), true, "still marks the answer taken");
  await noteRefusal(taken, REASON);
  await noteRefusal(() => Promise.resolve(true), "not noted");
  await noteRefusal(undefined, "not noted");
  // A note that fails is never the caller's failure.
  await noteRefusal(
    withRefusalNote(() => Promise.resolve(true), () => Promise.reject(new Error("x"))),
    REASON,
  );
  assert.deepEqual(noted, [REASON]);
});

Deno.test("queueRefusalNote() says on stderr when the queue cannot take the note", async () => {
  const warned: string[] = [];
  const full = { recordOutcome: () => Promise.reject(new Error("No space left on device")) };
  await queueRefusalNote(full, { id: "abcdefgh", digest: "d".repeat(64) }, (m) => warned.push(m))(
    REASON,
  );
  assert.deepEqual(warned, [
    `thoth refused the approved call of request abcdefgh (${REASON}), but the queue could not ` +
    'note it, so "thoth approvals list" may show the call as approved: No space left on device',
  ]);
});
