/**
 * Doctor's `progressive_state` check and health's `progressive`: the
 * progressive counters read as a session reads them, changing nothing. No
 * file passes, a readable one passes with its count, a counts-lost mark in
 * force warns naming until when and the file moved aside, and a file a
 * session would move aside (garbage, a FIFO, a symbolic link) or a state
 * folder that is a file fails with the fix. Which servers run in progressive
 * mode is said when the configs are known.
 */
import assert from "node:assert/strict";
import { readProgressiveReport } from "../../src/doctor/check_progressive_state.ts";
import { runDoctor } from "../../src/doctor/run_doctor.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import type { ClientConfigReport } from "../../src/doctor/doctor_plugins.ts";
import { ProgressiveStore } from "../../src/enforcer/progressive_store.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { FIXED_NOW, testContext, withTempDir } from "./_helpers.ts";

const posix = Deno.build.os !== "windows";
const NOW = FIXED_NOW.getTime();
const HOUR = 3_600_000;

async function stateDir(home: string): Promise<string> {
  const dir = `${home}/state`;
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

async function report(home: string, reports: ClientConfigReport[] | null = null) {
  return await readProgressiveReport(testContext(home), reports);
}

async function health(home: string) {
  return HealthReportSchema.parse(await buildHealthReport(testContext(home), { probe: false }))
    .progressive;
}

/** The names in `dir`, to prove nothing was moved or written. */
async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

Deno.test("no counters file: pass, no progressive counters yet", () =>
  withTempDir(async (home) => {
    const { check } = await report(home);
    assert.equal(check.id, "progressive_state");
    assert.equal(check.status, "pass");
    assert.equal(check.message, "no progressive counters yet");
    const part = await health(home);
    assert.equal(part.status, "absent");
    assert.equal(part.entries, null);
    assert.equal(part.path, `${home}/state/progressive.json`);
  }));

Deno.test("a readable counters file passes with how many counters it holds", () =>
  withTempDir(async (home) => {
    const dir = await stateDir(home);
    await Deno.writeTextFile(
      `${dir}/progressive.json`,
      JSON.stringify({
        version: 1,
        entries: { '["fs","ana","no-deletes"]': [NOW - HOUR], '["fs","bo","no-deletes"]': [NOW] },
      }),
    );
    const { check } = await report(home);
    assert.equal(check.status, "pass");
    assert.match(check.message, /^2 counter\(s\) \(server, user, rule\) in ".*progressive\.json"$/);
    const part = await health(home);
    assert.equal(part.status, "ok");
    assert.equal(part.entries, 2);
    assert.equal(part.problem, null);
  }));

Deno.test("a counts-lost mark ahead warns until when, naming the newest file moved aside", () =>
  withTempDir(async (home) => {
    const dir = await stateDir(home);
    const until = NOW + 5 * HOUR;
    await Deno.writeTextFile(
      `${dir}/progressive.json`,
      JSON.stringify({ version: 1, entries: {}, distrustUntil: until }),
    );
    await Deno.writeTextFile(`${dir}/progressive.json.unreadable-${NOW - 3 * HOUR}`, "x");
    await Deno.writeTextFile(`${dir}/progressive.json.unreadable-${NOW - 19 * HOUR}`, "y");
    const { check } = await report(home);
    assert.equal(check.status, "warn");
    assert.match(
      check.message,
      new RegExp(
        `^the progressive counters were lost \\(the unreadable file was moved aside as ".*progressive\\.json\\.unreadable-${
          NOW - 3 * HOUR
        }" at ${
          new Date(NOW - 3 * HOUR).toISOString()
        }\\): violations in progressive mode are blocked, not counted from zero, until ${
          new Date(until).toISOString()
        }; 0 counter`,
      ),
    );
    assert.match(check.hint ?? "", /resumes by itself/);
    const part = await health(home);
    assert.equal(part.status, "counts_lost");
    assert.equal(part.distrust_until, new Date(until).toISOString());
    assert.match(part.moved_aside ?? "", new RegExp(`unreadable-${NOW - 3 * HOUR}$`));
    assert.match(part.warning ?? "", /blocked, not counted from zero/);
    // A mark that has ended is no warning.
    await Deno.writeTextFile(
      `${dir}/progressive.json`,
      JSON.stringify({ version: 1, entries: {}, distrustUntil: NOW - 1 }),
    );
    assert.equal((await report(home)).check.status, "pass");
  }));

Deno.test("no counters file beside a file moved aside within a window: warn, the loss stands", () =>
  withTempDir(async (home) => {
    const dir = await stateDir(home);
    await Deno.writeTextFile(`${dir}/progressive.json.unreadable-${NOW - HOUR}`, "x");
    const { check } = await report(home);
    assert.equal(check.status, "warn");
    assert.match(check.message, /were lost and not written again/);
    assert.equal((await health(home)).status, "counts_lost");
  }));

Deno.test("a counters file of garbage fails with the fix, and is left where it is", () =>
  withTempDir(async (home) => {
    const dir = await stateDir(home);
    await Deno.writeTextFile(`${dir}/progressive.json`, "garbage{");
    const { check } = await report(home);
    assert.equal(check.status, "fail");
    assert.match(
      check.message,
      /^the progressive counters ".*progressive\.json" cannot be read \(.+\): the next violation in progressive mode moves the file aside/,
    );
    assert.match(
      check.hint ?? "",
      /^move it aside as a session would \(mv '.*progressive\.json' '.*progressive\.json\.unreadable-\d+'/,
    );
    assert.match(check.hint ?? "", /or remove it \(rm '.*progressive\.json'\)/);
    const part = await health(home);
    assert.equal(part.status, "unreadable");
    assert.match(part.problem ?? "", /cannot be read/);
    assert.deepEqual(await names(dir), ["progressive.json"]);
    assert.equal(await Deno.readTextFile(`${dir}/progressive.json`), "garbage{");
    // A valid JSON of another shape is just as unreadable.
    await Deno.writeTextFile(`${dir}/progressive.json`, '{"version":2}');
    assert.match((await report(home)).check.message, /not a version 1 progressive state/);
  }));

Deno.test({
  name: "a FIFO in place of the counters file fails at once, never opened",
  ignore: !HAS_FIFO,
  fn: () =>
    withTempDir(async (home) => {
      const dir = await stateDir(home);
      const fifo = `${dir}/progressive.json`;
      await makeFifo(fifo);
      const { check } = await settlesAtOnce(() => report(home), fifo);
      assert.equal(check.status, "fail");
      assert.match(check.message, /cannot be read \(not a regular file\)/);
      assert.ok((await Deno.lstat(fifo)).isFifo);
    }),
});

Deno.test({
  name: "a symbolic link in place of the counters file fails, is not followed nor moved",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      const dir = await stateDir(home);
      const target = `${home}/elsewhere.json`;
      await Deno.writeTextFile(target, JSON.stringify({ version: 1, entries: {} }));
      await Deno.symlink(target, `${dir}/progressive.json`);
      const { check } = await report(home);
      assert.equal(check.status, "fail");
      assert.match(check.message, /symbolic link, which thoth does not follow/);
      assert.match(check.hint ?? "", /^thoth never makes it a symbolic link: find out what did/);
      assert.ok((await Deno.lstat(`${dir}/progressive.json`)).isSymlink);
      assert.deepEqual(await names(dir), ["progressive.json"]);
    }),
});

Deno.test({
  name: "a folder in place of the counters file fails as not a regular file",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      const dir = await stateDir(home);
      await Deno.mkdir(`${dir}/progressive.json`);
      const { check } = await report(home);
      assert.equal(check.status, "fail");
      assert.match(check.message, /cannot be read \(not a regular file\)/);
    }),
});

Deno.test("a state folder that is a plain file fails: every violation is blocked until it is moved", () =>
  withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/state`, "not a folder");
    const { check } = await report(home);
    assert.equal(check.status, "fail");
    assert.match(
      check.message,
      /"[^"]*state" is not a folder: .* every violation in progressive mode is blocked until this is fixed/,
    );
    assert.match(check.hint ?? "", /^move it away \(mv '.*state' '.*state\.old'\)/);
    assert.equal((await health(home)).status, "unreadable");
    // And the store itself, which a session uses, indeed cannot count there.
    await assert.rejects(
      () =>
        new ProgressiveStore(home).recordViolations(
          { server: "fs", user: "ana" },
          ["r"],
          NOW,
          HOUR,
        ),
      /cannot update the progressive counters/,
    );
  }));

Deno.test("the check names the servers in progressive mode when the configs are known", () =>
  withTempDir(async (home) => {
    const server = (name: string, mode: string | null) => ({
      name,
      governed: true,
      command: "thoth",
      upstreamCommand: "npx",
      enforcementMode: mode,
    });
    const reports: ClientConfigReport[] = [{
      client: "claude-desktop",
      configPath: "/c.json",
      servers: [server("fs", "progressive"), server("git", "block"), server("web", null), {
        ...server("raw", "progressive"),
        governed: false,
      }],
    }];
    assert.equal(
      (await report(home, reports)).check.message,
      "no progressive counters yet; servers in progressive mode: fs",
    );
    assert.equal(
      (await report(home, [{ ...reports[0]!, servers: [server("git", "block")] }])).check.message,
      "no progressive counters yet; no governed server runs in progressive mode",
    );
  }));

Deno.test("runDoctor runs the progressive_state check after audit, and its failure fails doctor", () =>
  withTempDir(async (home) => {
    const dir = await stateDir(home);
    await Deno.writeTextFile(`${dir}/progressive.json`, "garbage{");
    const checks = await runDoctor(testContext(home));
    const ids = checks.map((c) => c.id);
    assert.equal(ids.indexOf("progressive_state"), ids.indexOf("audit") + 1);
    assert.equal(checks.find((c) => c.id === "progressive_state")?.status, "fail");
  }));
