/**
 * A person's answer in the queue says how it was given (`given`: through
 * which command, at a terminal or not, the process tree checked or not),
 * under the answer's MAC: a file that claims a terminal it was not given at
 * fails the MAC. It is written only for a thoth that reads it (request
 * version 3); a thoth that takes no `given` (request version 2) gets the
 * answer form it reads, and an answer with `given` on its request is listed
 * as refused by that thoth.
 */
import assert from "node:assert/strict";
import { AnswerMacKey } from "../../src/approval/answer_mac.ts";
import { parseAnswerGiven } from "../../src/approval/answer_given.ts";
import { describeAnswer } from "../../src/approval/describe_answer.ts";
import { parseQueueAnswer, type QueueAnswer } from "../../src/approval/queue_record.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { tempHome } from "./_relay_harness.ts";
import { queueWithKeys } from "./_signed_answers.ts";

const facts = {
  // A minute from when each test submits it: a grouped run may load this file minutes before.
  get expiresAt(): number {
    return Date.now() + 60_000;
  },
  server: "fs",
  tool: "write_file",
  ruleIds: ["w"],
  reasons: [],
  decisionId: "d-1",
  shape: ["path: string (3 chars)"],
  digest: "a".repeat(64),
  allowSession: true,
  pid: Deno.pid,
};

/** The keys an answer of version 2 may hold (what a thoth that takes no `given` reads). */
const VERSION_2_KEYS = [
  "v",
  "id",
  "digest",
  "decision",
  "by",
  "reason",
  "at",
  "server",
  "tool",
  "decisionId",
  "shapeHash",
];

Deno.test("ApprovalQueue.settle() writes how the answer was given, under its MAC", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts);
    const given = { via: "cli" as const, terminal: false, treeChecked: true };
    const answer = await queue.settle(entry.id, { decision: "approve", by: "root", given });
    assert.equal(answer.v, 3);
    const file = `${queue.dir}/${entry.id}.answer.json`;
    const onDisk = JSON.parse(await Deno.readTextFile(file));
    assert.deepEqual(onDisk.given, given);
    const key = new AnswerMacKey((await loadDeviceKeys(home, new Date())).hmacRaw);
    const owned = await queue.ownedAnswer(entry.id, { key });
    assert.equal(owned?.unsigned, undefined, "the answer as written verifies");
    assert.deepEqual(owned?.answer.given, given);
    // Another `given` is another MAC: a file that claims a terminal does not verify.
    assert.notEqual(key.mac(answer), key.mac({ ...answer, given: { ...given, terminal: true } }));
    assert.notEqual(key.mac(answer), key.mac({ ...answer, given: { ...given, tty: "pts/0" } }));
    await Deno.writeTextFile(
      file,
      JSON.stringify({ ...onDisk, given: { ...given, terminal: true } }),
    );
    const forged = await queue.ownedAnswer(entry.id, { key });
    assert.ok(forged?.unsigned !== undefined, "a rewritten given fails the MAC");
  } finally {
    await remove();
  }
});

Deno.test("ApprovalQueue.settle() answers a request of version 2 in version 2, without given", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts);
    const request = `${queue.dir}/${entry.id}.request.json`;
    await Deno.writeTextFile(request, JSON.stringify({ ...entry, v: 2 }));
    const given = { via: "cli" as const, terminal: true };
    const answer = await queue.settle(entry.id, { decision: "deny", by: "ana", given });
    assert.equal(answer.v, 2);
    assert.equal(answer.given, undefined);
    const onDisk = JSON.parse(await Deno.readTextFile(`${queue.dir}/${entry.id}.answer.json`));
    assert.deepEqual(
      Object.keys(onDisk).filter((k) => !VERSION_2_KEYS.includes(k)),
      [],
      "only fields a thoth that takes no given reads",
    );
    assert.equal(onDisk.v, 2);
    const [item] = await queue.list();
    assert.equal(item?.callFate, undefined, "that thoth reads it: nothing refused");
  } finally {
    await remove();
  }
});

Deno.test("an answer with given on a request of version 2 is listed as refused by its thoth", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts);
    const given = { via: "cli" as const, terminal: false };
    await queue.settle(entry.id, { decision: "approve", by: "ana", given });
    const request = `${queue.dir}/${entry.id}.request.json`;
    await Deno.writeTextFile(request, JSON.stringify({ ...entry, v: 2 }));
    const [item] = await queue.list();
    assert.equal(item?.callFate?.outcome, "refused");
    assert.equal(item?.callFate?.source, "earlier-release");
  } finally {
    await remove();
  }
});

Deno.test("parseQueueAnswer() takes given only in version 3, and only of its shape", () => {
  const base: QueueAnswer = {
    v: 3,
    id: "abcdefgh",
    digest: "a".repeat(64),
    decision: "approve",
    by: "ana",
    at: 1,
  };
  const given = { via: "watch", terminal: true, tty: "pts/3", treeChecked: false };
  assert.deepEqual(parseQueueAnswer({ ...base, given })?.given, given);
  assert.equal(parseQueueAnswer({ ...base, v: 2, given }), null, "not in version 2");
  assert.equal(parseQueueAnswer({ ...base, given: { ...given, person: true } }), null);
  assert.equal(parseQueueAnswer({ ...base, given: { ...given, via: "model" } }), null);
  assert.equal(parseQueueAnswer({ ...base, given: { ...given, terminal: "yes" } }), null);
  assert.equal(parseQueueAnswer({ ...base, given: { ...given, tty: "pts/3\u001b[2J" } }), null);
  assert.equal(parseAnswerGiven({ via: "cli" }), null, "terminal is required");
  assert.ok(parseQueueAnswer(base) !== null, "given is optional");
});

Deno.test("describeAnswer() says an answer was given without a terminal", () => {
  const answer: QueueAnswer = {
    v: 3,
    id: "abcdefgh",
    digest: "a".repeat(64),
    decision: "approve",
    by: "root",
    at: 1,
  };
  assert.equal(
    describeAnswer({ ...answer, given: { via: "cli", terminal: false } }),
    "approved by root without a terminal",
  );
  assert.equal(
    describeAnswer({ ...answer, given: { via: "cli", terminal: true } }),
    "approved by root",
  );
  assert.equal(describeAnswer(answer), "approved by root", "an answer that says nothing of it");
  assert.equal(
    describeAnswer({
      ...answer,
      decision: "deny",
      given: { via: "cli", terminal: false, treeChecked: false },
    }),
    "denied by root without a terminal, the process tree unchecked",
  );
});
