/**
 * `scripts/check_permissions.ts` against code from the network or from outside
 * the project: a task that runs thoth's or thothctl's entry without
 * `--no-remote` (deno would fetch a dynamic `import()` of its default hosts
 * even for the sandboxed proxy core), a compile command without it, an
 * import map entry pointing outside the project or at a URL, `"importMap"`,
 * `"vendor": true`, and `deno cache`/`check`/`info` given a package or URL.
 */
import assert from "node:assert/strict";
import { checkPermissions } from "../../src/release/permission_check.ts";
import { COMPILE_FIXED_FLAGS } from "../../src/release/build_plan.ts";
import { permissionFlags } from "../../src/release/permission_flags.ts";
import { selfCommandFor } from "../../src/cli/cli_io.ts";
import { checkConfigCopy, type Found } from "./_check_permissions_copy.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

function named(findings: readonly Found[]): string[] {
  return [...new Set(findings.map((f) => `${f.code} ${f.where}`))].sort();
}

const V8 = "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks," +
  "--max-semi-space-size=2,--heap-growing-percent=20";

Deno.test("check_permissions.ts refuses a task that runs thoth's or thothctl's entry without --no-remote", async () => {
  const r = await checkConfigCopy((config) => {
    const tasks = config["tasks"] as Record<string, string>;
    tasks["thoth"] = `deno run -P=thoth --no-prompt --quiet ${V8} src/cli/thoth.ts`;
    tasks["thothctl"] = `deno run -P=thothctl --no-prompt --quiet ${V8} ./src/cli/thothctl.ts`;
    // After the module it is the program's argument, not deno's flag.
    tasks["late"] = `deno run -P=thoth --no-prompt ${V8} src/cli/thoth.ts --no-remote`;
    tasks["ok1"] =
      `deno run -P=thoth --no-prompt --no-remote --cached-only --frozen-lockfile ${V8} src/cli/thoth.ts status`;
  });
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(named(r.findings), [
    'remote_modules task "late"',
    'remote_modules task "thoth"',
    'remote_modules task "thothctl"',
  ]);
  const thoth = r.findings.find((f) => f.where === 'task "thoth"');
  assert.match(thoth?.message ?? "", /without --no-remote.*add --no-remote before the module$/);
});

Deno.test("check_permissions.ts refuses import map entries outside the project or from the network, importMap and vendor", async () => {
  const r = await checkConfigCopy((config) => {
    const imports = config["imports"] as Record<string, string>;
    imports["evil-file"] = "file:///tmp/zod.ts";
    imports["evil-up"] = "../../tmp/zod.ts";
    imports["evil-abs"] = "/tmp/zod.ts";
    imports["evil-https"] = "https://esm.sh/zod@4.6.7";
    imports["evil-jsr"] = "jsr:@std/fmt@1.0.0";
    imports["fine/"] = "./src/";
    imports["node-fs"] = "node:fs";
    config["scopes"] = { "./tests/": { zod: "https://deno.land/x/zod/mod.ts" } };
    config["importMap"] = "./import_map.json";
    config["vendor"] = true;
  });
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(named(r.findings), [
    'foreign_code deno.json "importMap"',
    'foreign_code deno.json "imports"',
    'foreign_code deno.json "scopes" "./tests/"',
    'outside_project deno.json "imports"',
    'runtime_flag deno.json "vendor"',
  ]);
  const imports = r.findings.filter((f) => f.where === 'deno.json "imports"');
  for (const name of ["evil-file", "evil-up", "evil-abs", "evil-https", "evil-jsr"]) {
    assert.ok(
      imports.some((f) => f.message.startsWith(`maps "${name}" to `)),
      `${name}: ${JSON.stringify(imports)}`,
    );
  }
  assert.equal(imports.length, 5, JSON.stringify(imports));
});

Deno.test("check_permissions.ts refuses deno cache, check and info given a package or URL", async () => {
  const r = await checkConfigCopy((config) => {
    const tasks = config["tasks"] as Record<string, string>;
    tasks["cachenpm"] = "deno cache npm:left-pad@1.3.0";
    tasks["checkjsr"] = "deno check jsr:@std/fmt@1.0.0";
    tasks["infohttps"] = "deno info https://deno.land/std/fmt/colors.ts";
    tasks["cachelocal"] = "deno cache src/cli/thoth.ts";
  });
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(named(r.findings), [
    'foreign_code task "cachenpm"',
    'foreign_code task "checkjsr"',
    'foreign_code task "infohttps"',
  ]);
});

Deno.test("a compile command without --no-remote is a finding; thoth's own command lines all carry it", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const argv = (fixed: readonly string[]) => [
    "deno",
    "compile",
    ...fixed,
    ...permissionFlags(config.permissions.thoth),
    "src/cli/thoth.ts",
  ];
  const codes = (fixed: readonly string[]) =>
    checkPermissions(config, [{ label: "thoth-x", set: "thoth", argv: argv(fixed) }])
      .filter((f) => f.where === "compile thoth-x").map((f) => f.code);
  assert.deepEqual(codes(COMPILE_FIXED_FLAGS.filter((f) => f !== "--no-remote")), [
    "remote_modules",
  ]);
  assert.ok(!codes(COMPILE_FIXED_FLAGS).includes("remote_modules"));
  assert.ok(COMPILE_FIXED_FLAGS.includes("--no-remote"), "compiled binaries");
  const self = selfCommandFor("/usr/bin/deno", "file:///src/cli/thoth.ts", "/src/deno.json");
  assert.ok(self.slice(0, -1).includes("--no-remote"), "thoth starting itself from source");
  for (const task of ["thoth", "thothctl"]) {
    const words = (config.tasks[task] as string).split(" ");
    assert.ok(
      words.indexOf("--no-remote") > 0 && words.indexOf("--no-remote") < words.length - 1,
      `deno task ${task}`,
    );
  }
});
