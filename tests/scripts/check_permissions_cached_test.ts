/**
 * `scripts/check_permissions.ts` holds every call that runs the thoth
 * program (its entries, `mod.ts`, any module run with the `thoth` or
 * `thothctl` set) to `--cached-only`: without it an `import("npm:…")` in the
 * sandboxed proxy core, which no Worker permission stops, has deno ask the
 * npm registry for a package it names, even with `--frozen-lockfile`. And
 * `deno task thoth` and `deno task thothctl` carry it, with deno's update
 * check off. Runs the real script on a copy of deno.json and deno.lock.
 */
import assert from "node:assert/strict";
import { checkConfigCopy, type Found } from "./_check_permissions_copy.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** The tasks that have a remote_modules finding naming --cached-only, sorted. */
function uncached(findings: readonly Found[]): string[] {
  return findings.filter((f) =>
    f.code === "remote_modules" && f.message.includes("without --cached-only")
  ).map((f) => f.where.replace(/^task "(.*)"$/, "$1")).sort();
}

const RUN = "deno run -P=thoth --no-prompt --no-remote --frozen-lockfile";

Deno.test("check_permissions.ts refuses the thoth program run without --cached-only in effect", async () => {
  const r = await checkConfigCopy((config) => {
    Object.assign(config["tasks"] as Record<string, string>, {
      entry: `${RUN} src/cli/thoth.ts`,
      ctl: "deno run -P=thothctl --no-prompt --no-remote --frozen-lockfile src/cli/thothctl.ts",
      mod: `${RUN} mod.ts`,
      wrapper: "deno run -P=thothctl --no-prompt --no-remote --frozen-lockfile scripts/demo.ts",
      off: `${RUN} --cached-only=false src/cli/thoth.ts`,
      // After the module it is the program's argument, not deno's flag.
      late: `${RUN} src/cli/thoth.ts --cached-only`,
      ok: `${RUN} --cached-only src/cli/thoth.ts status`,
      other: "deno run -P=test --no-prompt scripts/demo.ts",
    });
  });
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(uncached(r.findings), ["ctl", "entry", "late", "mod", "off", "wrapper"]);
  assert.deepEqual(r.findings.filter((f) => !uncached([f]).length), [], r.stderr);
  const entry = r.findings.find((f) => f.where === 'task "entry"');
  assert.match(
    entry?.message ?? "",
    /without --cached-only, so an import\("npm:…"\) .*npm registry.*; add --cached-only before the module$/,
  );
  const off = r.findings.find((f) => f.where === 'task "off"');
  assert.match(off?.message ?? "", /\("--cached-only=false" turns it off\)/);
});

Deno.test("deno task thoth and thothctl run with --cached-only and no update check", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  for (const task of ["thoth", "thothctl"]) {
    const words = (config.tasks[task] as string).split(" ");
    const entry = words.indexOf(`src/cli/${task}.ts`);
    assert.ok(entry > 0, task);
    assert.ok(words.slice(0, entry).includes("--cached-only"), `deno task ${task}`);
    assert.equal(words[0], "DENO_NO_UPDATE_CHECK=1", `deno task ${task}`);
  }
});
