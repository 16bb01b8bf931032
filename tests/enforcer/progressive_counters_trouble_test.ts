/**
 * A broken progressive counters file, as a session sees it: the model is told
 * only that the counters are unavailable (no path of this machine, no Deno
 * permission text), the person at the machine gets one `warning:` line per
 * cause on stderr with where the file went, until when violations are blocked
 * and what to do, and the decision's reasons keep the detail.
 */
import assert from "node:assert/strict";
import { buildSessionEnforcer } from "../../src/enforcer/build_session_enforcer.ts";
import { ProgressiveStore } from "../../src/enforcer/progressive_store.ts";
import { isAppError } from "../../src/errors.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { localConfig } from "./_local_config.ts";
import { DELETION, noDeletesPolicy } from "./_no_deletes.ts";

/** What the model is told in place of the failure. */
const COUNTERS_UNAVAILABLE =
  "thoth's progressive counters are unavailable, so this violation is blocked";

const policy = noDeletesPolicy("block", { stepUpAfter: 1, blockAfter: 2 });

/** A progressive session over `thothHome`; its stderr notes go to `notes`. */
async function progressiveSession(thothHome: string, notes: string[]) {
  return await buildSessionEnforcer(
    localConfig(policy, "progressive", thothHome),
    "fs",
    (message) => notes.push(message),
  );
}

/** `count` violating calls decided one after another. */
async function violations(
  session: Awaited<ReturnType<typeof progressiveSession>>,
  count: number,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (let i = 0; i < count; i++) {
    verdicts.push(await session.enforcer.decide(DELETION, () => `d-${i + 1}`));
  }
  return verdicts;
}

/**
 * The one stderr warning about the counters a progressive session over `home`
 * gives across three violations, each told to the model generically.
 */
async function warnedOnce(home: string): Promise<string> {
  const notes: string[] = [];
  const session = await progressiveSession(home, notes);
  try {
    const verdicts = await violations(session, 3);
    assertToldGenerically(verdicts, home);
    // Each blocked call has its own "blocked …" line too (see block_note.ts): not a warning.
    const warnings = notes.filter((n) => /^warning: .*progressive counters/.test(n));
    assert.equal(warnings.length, 1, notes.join("\n"));
    return warnings[0]!;
  } finally {
    await session.audit?.end(0, null);
  }
}

/** What the relay builds the model's refusal from names no path and no permission flag. */
function assertToldGenerically(verdicts: readonly Verdict[], home: string): void {
  for (const v of verdicts) {
    assert.equal(v.decision, "block");
    assert.equal(v.reasons[0], COUNTERS_UNAVAILABLE);
    const told = v.reasons.join("; ");
    assert.ok(!told.includes(home), told);
    assert.doesNotMatch(told, /[\\/]|--allow|Requires|unreadable-/, told);
  }
}

Deno.test("a garbage counters file is warned of once a session; the model hears no path", async () => {
  const home = await tempFolder("thoth-progressive-");
  await bootstrapProfile(home, Deno.build.os);
  await Deno.mkdir(`${home}/state`, { recursive: true });
  await Deno.writeTextFile(`${home}/state/progressive.json`, "garbage");
  const warning = await warnedOnce(home);
  assert.match(
    warning,
    /^warning: the progressive counters could not be read \(the file was moved to ".+progressive\.json\.unreadable-\d+"\); violations are blocked, not counted from zero, until \d{4}-\d\d-\d\dT.*nothing needs doing: counting resumes by itself after one window/,
  );
  assert.ok(warning.includes(`${home}/state/progressive.json.unreadable-`), warning);
});

Deno.test("a state folder that is a plain file is warned of once, with its fix", async () => {
  const home = await tempFolder("thoth-progressive-");
  await bootstrapProfile(home, Deno.build.os);
  await Deno.remove(`${home}/state`, { recursive: true }).catch(() => {});
  await Deno.writeTextFile(`${home}/state`, "not a folder");
  assert.match(
    await warnedOnce(home),
    /^warning: cannot update the progressive counters in ".+state": .*; every violation is blocked until this is fixed; check that ".+state" is a folder this user can read and write/,
  );
});

Deno.test("ProgressiveStore moves a symbolic link at its file aside without following it, and names it", async () => {
  const home = await tempFolder("thoth-progressive-");
  const outside = await tempFolder("thoth-victim-");
  const victim = `${outside}/victim.json`;
  const text = '{"version":1,"entries":{}}';
  await Deno.writeTextFile(victim, text);
  await Deno.mkdir(`${home}/state`);
  await Deno.symlink(victim, `${home}/state/progressive.json`);
  const store = new ProgressiveStore(home);
  await assert.rejects(
    store.recordViolations({ server: "fs", user: "ana" }, ["r"], 1_000, 60_000),
    (e) =>
      isAppError(e, "enforcer.progressive_state") &&
      e.message.includes(
        `what was wrong with "${home}/state/progressive.json": it is a symbolic link`,
      ) &&
      e.hints.some((h) => h.includes(`"${home}/state/progressive.json" a symbolic link`)) &&
      !e.message.includes(victim),
  );
  assert.equal(await Deno.readLink(`${home}/state/progressive.json.unreadable-1000`), victim);
  assert.equal(await Deno.readTextFile(victim), text, "the link's target is untouched");
  assert.ok((await Deno.lstat(`${home}/state/progressive.json`)).isFile);
});
