import assert from "node:assert/strict";
import { ProgressiveStore } from "../../src/enforcer/progressive_store.ts";
import { isAppError } from "../../src/errors.ts";

const key = { server: "fs", user: "ana@example.org" };

Deno.test("ProgressiveStore counts across instances and persists under state/", async () => {
  const home = await Deno.makeTempDir();
  try {
    const a = new ProgressiveStore(home);
    const b = new ProgressiveStore(home);
    assert.deepEqual(await a.recordViolations(key, ["r"], 1_000, 60_000), { r: 0 });
    assert.deepEqual(await b.recordViolations(key, ["r"], 2_000, 60_000), { r: 1 });
    assert.deepEqual(await a.recordViolations(key, ["r"], 61_500, 60_000), { r: 1 });
    const saved = JSON.parse(await Deno.readTextFile(`${home}/state/progressive.json`));
    // 1_000 is outside this window but kept: a policy with a longer window still counts it.
    assert.deepEqual(saved.entries[JSON.stringify(["fs", key.user, "r"])], [1_000, 2_000, 61_500]);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(`${home}/state/progressive.json`)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(`${home}/state`)).mode! & 0o777, 0o700);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("ProgressiveStore fails closed for one window when its file cannot be read", async () => {
  // Truncated, empty, null and a future version: the counts are lost, and must
  // not restart from zero (a reset would turn blocks back into warnings).
  for (
    const text of ['{"version":1,"entries":{"k":[1,2', "", "null", '{"version":2,"entries":{}}']
  ) {
    const home = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${home}/state`);
      await Deno.writeTextFile(`${home}/state/progressive.json`, text);
      const store = new ProgressiveStore(home);
      await assert.rejects(
        store.recordViolations(key, ["r"], 1_000, 60_000),
        (e) =>
          isAppError(e, "enforcer.progressive_state") &&
          /could not be read \(the file was moved to ".+progressive\.json\.unreadable-1000"\); violations are blocked, not counted from zero, until 1970-01-01T00:01:01\.000Z/
            .test(e.message),
        JSON.stringify(text),
      );
      assert.equal(await Deno.readTextFile(`${home}/state/progressive.json.unreadable-1000`), text);
      await assert.rejects(
        store.recordViolations(key, ["r"], 30_000, 60_000),
        (e) => isAppError(e, "enforcer.progressive_state") && /lost recently/.test(e.message),
        "still blocked later in the window",
      );
      assert.deepEqual(
        await store.recordViolations(key, ["r"], 62_000, 60_000),
        { r: 1 },
        "after the window, counting resumes with what was recorded meanwhile",
      );
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  }
});

Deno.test("ProgressiveStore fails with enforcer.progressive_state when it cannot write", async () => {
  const home = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${home}/state`, "a file where the folder should be");
    await assert.rejects(
      new ProgressiveStore(home).recordViolations(key, ["r"], 1, 60_000),
      (e: unknown) => isAppError(e, "enforcer.progressive_state"),
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("ProgressiveStore loses no update with two processes writing at once", async () => {
  const home = await Deno.makeTempDir();
  const worker = new URL("../fixtures/policy/progressive_worker.ts", import.meta.url).pathname;
  const perProcess = 100;
  try {
    const run = () =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          `--allow-read=${home}`,
          `--allow-write=${home}`,
          worker,
          home,
          String(perProcess),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const outputs = await Promise.all([run(), run()]);
    const priors: number[] = [];
    for (const out of outputs) {
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      priors.push(...new TextDecoder().decode(out.stdout).trim().split("\n").map(Number));
    }
    // Every increment saw a distinct prior count: 0 … 2N-1 exactly once each.
    assert.deepEqual(priors.sort((a, b) => a - b), [...Array(2 * perProcess).keys()]);
    const saved = JSON.parse(await Deno.readTextFile(`${home}/state/progressive.json`));
    const times = saved.entries[JSON.stringify(["everything", "ana@example.org", "no-sums"])];
    assert.equal(times.length, 2 * perProcess);
    const leftovers = [...Deno.readDirSync(`${home}/state`)].filter((e) => e.name.endsWith(".tmp"));
    assert.deepEqual(leftovers, []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test({
  name: "ProgressiveStore treats a FIFO at its file as unreadable instead of blocking on it",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const home = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${home}/state`);
      const made = await new Deno.Command("mkfifo", { args: [`${home}/state/progressive.json`] })
        .output();
      assert.equal(made.code, 0);
      await assert.rejects(
        new ProgressiveStore(home).recordViolations(key, ["r"], 1_000, 60_000),
        (e) => isAppError(e, "enforcer.progressive_state") && /could not be read/.test(e.message),
      );
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test("ProgressiveStore still distrusts its counts when a file moved aside was never replaced", async () => {
  // What a failed write (a full disk) or a kill between moving the unreadable file
  // aside and writing the new state leaves: the moved file and no state.
  const home = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${home}/state`);
    await Deno.writeTextFile(`${home}/state/progressive.json.unreadable-1000`, '{"version":1');
    const store = new ProgressiveStore(home);
    await assert.rejects(
      store.recordViolations(key, ["r"], 2_000, 60_000),
      (e) =>
        isAppError(e, "enforcer.progressive_state") &&
        /lost recently; violations are blocked, not counted from zero, until 1970-01-01T00:01:01\.000Z/
          .test(e.message),
    );
    // The distrust is now in the state file itself, and ends with the window.
    const saved = JSON.parse(await Deno.readTextFile(`${home}/state/progressive.json`));
    assert.equal(saved.distrustUntil, 61_000);
    assert.deepEqual(await store.recordViolations(key, ["r"], 61_500, 60_000), { r: 1 });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("ProgressiveStore counts from zero when only an old moved-aside file is left", async () => {
  const home = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${home}/state`);
    await Deno.writeTextFile(`${home}/state/progressive.json.unreadable-1000`, "");
    // Named in the future (a clock set back): the distrust still lasts one window from now.
    await Deno.writeTextFile(`${home}/state/progressive.json.unreadable-99999999`, "");
    const store = new ProgressiveStore(home);
    await assert.rejects(
      store.recordViolations(key, ["r"], 200_000, 60_000),
      (e) =>
        isAppError(e, "enforcer.progressive_state") && /until 1970-01-01T00:04:20/.test(e.message),
    );
    await Deno.remove(`${home}/state/progressive.json`);
    await Deno.remove(`${home}/state/progressive.json.unreadable-99999999`);
    assert.deepEqual(await store.recordViolations(key, ["r"], 200_000, 60_000), { r: 0 });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("ProgressiveStore leaves an unreadable file in place when the new state cannot be written", async () => {
  // A folder squatting on the temp file's name makes the write fail, as a full disk does
  // (root ignores file modes, so a read-only folder would not).
  const home = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${home}/state`);
    await Deno.writeTextFile(`${home}/state/progressive.json`, '{"version":1');
    const realRandom = crypto.randomUUID;
    const uuid = "00000000-0000-4000-8000-000000000000";
    crypto.randomUUID = () => uuid;
    try {
      await Deno.mkdir(`${home}/state/progressive.json.${uuid}.tmp`);
      await assert.rejects(
        new ProgressiveStore(home).recordViolations(key, ["r"], 1_000, 60_000),
        (e) => isAppError(e, "enforcer.progressive_state"),
      );
    } finally {
      crypto.randomUUID = realRandom;
    }
    assert.equal(await Deno.readTextFile(`${home}/state/progressive.json`), '{"version":1');
    await Deno.remove(`${home}/state/progressive.json.${uuid}.tmp`).catch(() => {});
    await assert.rejects(
      new ProgressiveStore(home).recordViolations(key, ["r"], 2_000, 60_000),
      (e) => isAppError(e, "enforcer.progressive_state") && /could not be read/.test(e.message),
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
