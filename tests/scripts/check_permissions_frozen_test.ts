/**
 * `scripts/check_permissions.ts` reads `--no-remote` and `--frozen-lockfile`
 * as deno reads them: a `--frozen=false` or `--frozen-lockfile=false` before
 * or after `--frozen-lockfile` turns it off (deno 2.9.6 then writes an
 * `import("npm:…")` into deno.lock), and so does `--no-lock`. And it holds
 * every call that runs the thoth program to them: `mod.ts` (the thoth CLI as
 * the main module) and any module run with the `thoth` or `thothctl` set,
 * which exist to run the release programs (a wrapper that imports an entry).
 * Runs the real script on a copy of the project's deno.json and deno.lock.
 */
import assert from "node:assert/strict";
import { checkConfigCopy, type Found } from "./_check_permissions_copy.ts";

/** Runs the check on a copy of the project's deno.json with `tasks` added. */
function checkTasks(
  tasks: Record<string, string>,
): Promise<{ code: number; stderr: string; findings: Found[] }> {
  return checkConfigCopy((config) => {
    Object.assign(config["tasks"] as Record<string, string>, tasks);
  });
}

/** The remote_modules findings as `task: flag`, sorted. */
function remote(findings: readonly Found[]): string[] {
  return findings.filter((f) => f.code === "remote_modules").map((f) =>
    `${f.where.replace(/^task "(.*)"$/, "$1")}: ${
      /without (--[a-z-]+)/.exec(f.message)?.[1] ?? f.message
    }`
  ).sort();
}

const V8 = "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks," +
  "--max-semi-space-size=2,--heap-growing-percent=20";
const RUN = `deno run -P=thoth --no-prompt --cached-only`;

Deno.test("check_permissions.ts refuses --frozen-lockfile cancelled by a =false before or after it", async () => {
  const r = await checkTasks({
    after: `${RUN} --no-remote --frozen-lockfile --frozen=false --quiet ${V8} src/cli/thoth.ts`,
    before: `${RUN} --no-remote --frozen=false --frozen-lockfile --quiet src/cli/thoth.ts`,
    self: `${RUN} --no-remote --frozen-lockfile --frozen-lockfile=false src/cli/thoth.ts`,
    nolock: `${RUN} --no-remote --frozen-lockfile --no-lock src/cli/thoth.ts`,
    remote: `${RUN} --no-remote=false --frozen-lockfile src/cli/thoth.ts`,
    // The last value written decides: frozen.
    relock: `${RUN} --no-remote --frozen=false --frozen-lockfile=true src/cli/thoth.ts`,
    alias: `${RUN} --no-remote --frozen src/cli/thoth.ts`,
    valued: `${RUN} --no-remote=true --frozen-lockfile=true src/cli/thoth.ts`,
  });
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(remote(r.findings), [
    "after: --frozen-lockfile",
    "before: --frozen-lockfile",
    "nolock: --frozen-lockfile",
    "remote: --no-remote",
    "self: --frozen-lockfile",
  ]);
  const after = r.findings.find((f) => f.where === 'task "after"' && f.code === "remote_modules");
  assert.match(
    after?.message ?? "",
    /without --frozen-lockfile in effect \("--frozen=false" turns it off\).*; drop "--frozen=false" and add --frozen-lockfile before the module$/,
  );
});

Deno.test("check_permissions.ts holds mod.ts and any module run with the thoth or thothctl set to --no-remote and --frozen-lockfile", async () => {
  const r = await checkTasks({
    mod: `${RUN} --quiet mod.ts`,
    modok: `${RUN} --no-remote --frozen-lockfile --quiet ./mod.ts status`,
    wrapper: `${RUN} --quiet scripts/demo.ts`,
    ctlwrapper: `deno run -P=thothctl --no-prompt --no-remote --cached-only scripts/demo.ts`,
    wrapperok: `${RUN} --no-remote --frozen-lockfile scripts/demo.ts`,
    // After the module it is the program's argument, not deno's flag.
    late: `${RUN} scripts/demo.ts --no-remote --frozen-lockfile`,
    other: `deno run -P=test --no-prompt --quiet scripts/demo.ts`,
  });
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(remote(r.findings), [
    "ctlwrapper: --frozen-lockfile",
    "late: --frozen-lockfile",
    "late: --no-remote",
    "mod: --frozen-lockfile",
    "mod: --no-remote",
    "wrapper: --frozen-lockfile",
    "wrapper: --no-remote",
  ]);
  const wrapper = r.findings.find((f) => f.where === 'task "wrapper"');
  assert.match(wrapper?.message ?? "", /^runs "scripts\/demo\.ts" with permission set "thoth"/);
  // mod.ts is the thoth program: another set is the wrong one.
  const wrong = await checkTasks({
    modtest: "deno run -P=test --no-prompt --no-remote --cached-only --frozen-lockfile mod.ts",
  });
  assert.deepEqual(
    wrong.findings.map((f) => `${f.code} ${f.where}`),
    ['wrong_set task "modtest"'],
  );
});
