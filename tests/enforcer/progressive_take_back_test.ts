/**
 * Taking back the progressive count of a call that did not happen: exactly
 * the violations counted for it go, nothing else (other times, other rules,
 * a counts-lost mark); a rule whose list is full keeps its count (counting
 * into it dropped the oldest time); an unreadable file is left for the next count; a
 * take-back that cannot be written leaves the count (stricter) and says so
 * once. Real counters files under a temp profile; the lock holder is a
 * real process.
 */
import assert from "node:assert/strict";
import { LocalEnforcer, type LocalVerdict } from "../../src/enforcer/local_enforcer.ts";
import { ProgressiveStateError, ProgressiveStore } from "../../src/enforcer/progressive_store.ts";
import {
  type CountTakeBack,
  ProgressiveTakeBacks,
} from "../../src/enforcer/progressive_take_back.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { MAX_PER_KEY, recordViolations } from "../../src/policy/record_violations.ts";
import type { ProgressiveState } from "../../src/policy/progressive_state.ts";
import { takeBackViolations, withdrawViolations } from "../../src/policy/withdraw_violations.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { DELETION, noDeletesPolicy } from "./_no_deletes.ts";

const KEY = { server: "fs", user: "Ana@Example.org" };
const HOUR = 3_600_000;
/** A state as its file holds it (the entries are built without a prototype). */
const plain = (value: unknown) => value === undefined ? value : JSON.parse(JSON.stringify(value));

Deno.test("withdrawViolations() removes one violation at the time of each rule, and nothing else", () => {
  let state = recordViolations(undefined, KEY, ["a", "b"], 1_000, HOUR).state;
  state = recordViolations(state, KEY, ["a"], 2_000, HOUR).state;
  state = recordViolations(state, KEY, ["a"], 2_000, HOUR).state;
  state = { ...state, distrustUntil: 9_000 };
  const taken = withdrawViolations(state, { ...KEY, user: "ana@example.org" }, ["a", "b"], 2_000);
  assert.deepEqual(plain(taken), {
    version: 1,
    entries: {
      '["fs","ana@example.org","a"]': [1_000, 2_000],
      '["fs","ana@example.org","b"]': [1_000],
    },
    distrustUntil: 9_000,
  });
  assert.equal(withdrawViolations(state, KEY, ["a"], 3_000), undefined, "nothing at that time");
  assert.deepEqual(
    plain(
      withdrawViolations(recordViolations(undefined, KEY, ["a"], 5, HOUR).state, KEY, ["a"], 5),
    ),
    { version: 1, entries: {} },
  );
});

Deno.test("withdrawViolations() keeps a count whose full list dropped its oldest time", () => {
  // A full list: counting one more drops its oldest time, which no take-back can restore.
  let state: ProgressiveState | undefined;
  for (let i = 0; i < MAX_PER_KEY; i++) {
    state = recordViolations(state, KEY, ["a"], 1_000 + i, HOUR).state;
  }
  const full = recordViolations(state, KEY, ["a", "b"], 5_000, HOUR).state;
  assert.equal(withdrawViolations(full, KEY, ["a"], 5_000), undefined, "kept: the oldest is gone");
  const rest = withdrawViolations(full, KEY, ["a", "b"], 5_000);
  assert.deepEqual(
    Object.keys(plain(rest).entries),
    ['["fs","ana@example.org","a"]'],
    "the rule whose list is not full is taken back",
  );
  assert.equal(plain(rest).entries['["fs","ana@example.org","a"]'].length, MAX_PER_KEY);
  assert.equal(plain(rest).entries['["fs","ana@example.org","a"]'].at(-1), 5_000);
  // Below full, nothing was dropped: taken back.
  const below = recordViolations(undefined, KEY, ["a"], 5_000, HOUR).state;
  assert.deepEqual(plain(withdrawViolations(below, KEY, ["a"], 5_000)), {
    version: 1,
    entries: {},
  });
});

Deno.test("a take-back of a count into a full list leaves the next call blocked at the last rung", async () => {
  const home = await tempFolder("thoth-progressive-take-back-");
  let now = 1_000_000;
  const store = new ProgressiveStore(home);
  const enforcer = new LocalEnforcer({
    policy: compilePolicy(
      noDeletesPolicy("block", { stepUpAfter: MAX_PER_KEY - 1, blockAfter: MAX_PER_KEY }),
    ),
    mode: "progressive",
    intent: undefined,
    userId: KEY.user,
    counter: store,
    now: () => now++,
  });
  // A full list of violations within the window: the next is violation 1001, blocked.
  await store.recordViolations(KEY, ["no-deletes"], now - 1, HOUR);
  const times = Array.from({ length: MAX_PER_KEY }, (_, i) => now - MAX_PER_KEY + i);
  await Deno.writeTextFile(
    store.path,
    JSON.stringify({ version: 1, entries: { '["fs","ana@example.org","no-deletes"]': times } }),
  );
  const counted = await enforcer.decide(DELETION, () => "d-1") as LocalVerdict;
  assert.equal(counted.action.action, "block", counted.reasons.join("; "));
  const told: [string, CountTakeBack][] = [];
  const takeBacks = new ProgressiveTakeBacks(store, () => {}, (id, t) => told.push([id, t]));
  takeBacks.remember(counted.decisionId, counted.counted!);
  takeBacks.takeBack(counted.decisionId);
  await takeBacks.settled();
  // The record the session writes of it says the count stays, and why.
  assert.deepEqual(told, [["d-1", {
    ruleIds: ["no-deletes"],
    takenBack: [],
    full: ["no-deletes"],
    gone: [],
  }]]);
  // Its list dropped the oldest time when it counted: the count stays, so still blocked.
  const next = await enforcer.decide(DELETION, () => "d-2") as LocalVerdict;
  assert.equal(next.action.action, "block", next.reasons.join("; "));
});

Deno.test("a progressive verdict carries what it counted, and taking it back restores the count", async () => {
  const home = await tempFolder("thoth-progressive-take-back-");
  let now = 1_000_000;
  const store = new ProgressiveStore(home);
  const enforcer = new LocalEnforcer({
    policy: compilePolicy(noDeletesPolicy("block", { stepUpAfter: 1, blockAfter: 2 })),
    mode: "progressive",
    intent: undefined,
    userId: KEY.user,
    counter: store,
    now: () => now++,
  });
  const first = await enforcer.decide(DELETION, () => "d-1") as LocalVerdict;
  const second = await enforcer.decide(DELETION, () => "d-2") as LocalVerdict;
  assert.equal(second.action.action, "step_up");
  assert.deepEqual(second.counted, {
    key: { server: "fs", user: KEY.user },
    ruleIds: ["no-deletes"],
    atMs: 1_000_001,
  });
  const notes: string[] = [];
  const told: [string, CountTakeBack][] = [];
  const takeBacks = new ProgressiveTakeBacks(
    store,
    (m) => notes.push(m),
    (id, t) => told.push([id, t]),
  );
  takeBacks.remember(first.decisionId, first.counted!);
  takeBacks.remember(second.decisionId, second.counted!);
  // The second call did not happen: the next one is judged as the second, not the third.
  takeBacks.takeBack("d-2");
  takeBacks.takeBack("d-2");
  await takeBacks.settled();
  assert.deepEqual(notes, []);
  assert.deepEqual(told, [["d-2", {
    ruleIds: ["no-deletes"],
    takenBack: ["no-deletes"],
    full: [],
    gone: [],
  }]], "told once, as taken back");
  const third = await enforcer.decide(DELETION, () => "d-3") as LocalVerdict;
  assert.equal(third.action.action, "step_up", third.reasons.join("; "));
  assert.match(third.reasons[0]!, /violation 2 of rule "no-deletes"/);
  const state = JSON.parse(await Deno.readTextFile(store.path));
  assert.deepEqual(Object.values(state.entries), [[1_000_000, 1_000_002]]);
});

Deno.test("takeBackViolations() tells each rule's count as taken back, kept (full list) or gone", () => {
  let state: ProgressiveState | undefined;
  for (let i = 0; i < MAX_PER_KEY; i++) {
    state = recordViolations(state, KEY, ["full"], 1_000 + i, HOUR).state;
  }
  state = recordViolations(state, KEY, ["full", "b"], 5_000, HOUR).state;
  const taken = takeBackViolations(state, KEY, ["full", "b", "b", "never"], 5_000);
  assert.deepEqual(
    { takenBack: taken.takenBack, full: taken.full, gone: taken.gone },
    { takenBack: ["b"], full: ["full"], gone: ["never"] },
  );
  assert.deepEqual(plain(taken.state), plain(withdrawViolations(state, KEY, ["full", "b"], 5_000)));
  const none = takeBackViolations(state, KEY, ["full"], 5_000);
  assert.equal(none.state, undefined, "nothing taken back: nothing to write");
});

Deno.test("ProgressiveStore.withdrawViolations() leaves an unreadable file as it is", async () => {
  const home = await tempFolder("thoth-progressive-take-back-");
  const store = new ProgressiveStore(home);
  await store.recordViolations(KEY, ["a"], 1_000, HOUR);
  await Deno.writeTextFile(store.path, "{garbage");
  assert.equal(await store.withdrawViolations(KEY, ["a"], 1_000), false);
  assert.deepEqual(await store.takeBackViolations(KEY, ["a"], 1_000), {
    takenBack: [],
    full: [],
    gone: ["a"],
    unreadable: true,
  });
  assert.equal(await Deno.readTextFile(store.path), "{garbage");
});

Deno.test("a take-back whose counters stay locked keeps the count and says so once", async () => {
  const home = await tempFolder("thoth-progressive-take-back-");
  const store = new ProgressiveStore(home, {
    lockPatience: { waitMs: 300, noteAfterMs: 5_000 },
    note: () => {},
  });
  await store.recordViolations(KEY, ["a"], 1_000, HOUR);
  await store.recordViolations(KEY, ["a"], 2_000, HOUR);
  const notes: string[] = [];
  const told: [string, CountTakeBack][] = [];
  const takeBacks = new ProgressiveTakeBacks(
    store,
    (m) => notes.push(m),
    (id, t) => told.push([id, t]),
  );
  takeBacks.remember("d-1", { key: KEY, ruleIds: ["a"], atMs: 1_000 });
  takeBacks.remember("d-2", { key: KEY, ruleIds: ["a"], atMs: 2_000 });
  const holder = await holdLock(store.lockPath, 3_000);
  try {
    takeBacks.takeBack("d-1");
    takeBacks.takeBack("d-2");
    await takeBacks.settled();
  } finally {
    await holder.release();
  }
  assert.equal(notes.length, 1, notes.join("\n"));
  // Said once on stderr, but each decision's record tells that its count stays.
  assert.deepEqual(told.map(([id]) => id).sort(), ["d-1", "d-2"]);
  for (const [, t] of told) {
    assert.deepEqual(t.takenBack, []);
    assert.match(t.failed ?? "", /their lock ".+" was held by another process/);
  }
  assert.match(
    notes[0]!,
    /^warning: cannot update the progressive counters in ".+\/state": their lock ".+" was held by another process for 0\.3 s; decision d-[12], whose call did not run, still counts toward progressive mode's steps; /,
  );
  const state = JSON.parse(await Deno.readTextFile(store.path));
  assert.deepEqual(Object.values(state.entries), [[1_000, 2_000]], "still counted");
  await assert.rejects(
    async () => {
      await using held = await holdLock(store.lockPath, 3_000);
      try {
        await store.withdrawViolations(KEY, ["a"], 1_000);
      } finally {
        await held.release();
      }
    },
    ProgressiveStateError,
  );
});
