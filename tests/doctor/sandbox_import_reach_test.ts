/**
 * Deno reports `import` granted whole under `--cached-only`, which thoth
 * from source is started with: the sandbox check counts it beyond thoth's
 * permission set only when a remote module can be fetched, and says how far
 * it reaches otherwise. The reach is stubbed here; the CLI tests ask the
 * real Deno (tests/cli/doctor_sandbox_launch_test.ts).
 */
import assert from "node:assert/strict";
import { checkSandbox } from "../../src/doctor/check_sandbox.ts";
import type { SandboxHost } from "../../src/doctor/doctor_context.ts";
import { type ImportReach, judgeGrants } from "../../src/doctor/judge_grants.ts";
import { importReachOf } from "../../src/doctor/remote_import_reach.ts";
import { THOTH_PERMISSION_GRANT } from "../../src/doctor/thoth_permission_set.ts";
import { asBuiltSandbox, testContext, withTempDir } from "./_helpers.ts";

/** The as-built grants with `import` granted whole, as Deno reports under --cached-only. */
const withImport: SandboxHost["query"] = (d) =>
  d.name === "import" ? "granted" : asBuiltSandbox.query(d);

function check(importReach: (() => Promise<ImportReach>) | undefined, query = withImport) {
  const sandbox: SandboxHost = {
    ...asBuiltSandbox,
    query,
    launch: ["/usr/bin/deno", "run", "-P=thoth", "t.ts"],
    ...(importReach === undefined ? {} : { importReach }),
  };
  return withTempDir((home) => checkSandbox(testContext(home, { host: { sandbox } })));
}

Deno.test("checkSandbox() passes an import that no remote module can use (--no-remote)", async () => {
  const result = await check(() => Promise.resolve("none"));
  assert.equal(result.status, "pass", result.message);
  assert.match(
    result.message,
    /^thoth from source, granted read, write, net, env, sys \(gid, hostname, osRelease, uid\), run, import \(no remote module can load: --no-remote\); the sandbox starts$/,
  );
  assert.equal(result.hint, null);
});

Deno.test("checkSandbox() passes an import that reaches only Deno's cache (--cached-only)", async () => {
  const result = await check(() => Promise.resolve("cache"));
  assert.equal(result.status, "pass", result.message);
  assert.match(
    result.message,
    /, run, import \(only modules already in Deno's cache: --cached-only\);/,
  );
});

Deno.test("checkSandbox() warns of an import that can fetch from the network, or whose reach is unknown", async () => {
  for (const reach of [() => Promise.resolve<ImportReach>("network"), undefined]) {
    const result = await check(reach);
    assert.equal(result.status, "warn", result.message);
    assert.match(
      result.message,
      /, run, import; granted more than thoth's permission set: import;/,
    );
  }
});

Deno.test("checkSandbox() does not try the import under -A: every permission warns anyway", async () => {
  let asked = 0;
  const result = await check(() => {
    asked++;
    return Promise.resolve("none");
  }, () => "granted");
  assert.equal(asked, 0);
  assert.equal(result.status, "warn");
  assert.match(result.message, /more than thoth's permission set \(sys, ffi, import\)/);
});

Deno.test("judgeGrants() leaves import out of broader when it reaches no further than the cache", () => {
  const judged = judgeGrants(THOTH_PERMISSION_GRANT, withImport, "cache");
  assert.deepEqual(judged.broader, []);
  assert.equal(judged.importReach, "cache");
  assert.ok(judged.granted.includes("import"));
  const fetching = judgeGrants(THOTH_PERMISSION_GRANT, withImport);
  assert.deepEqual(fetching.broader, ["import"]);
  assert.equal(fetching.importReach, null);
});

Deno.test("importReachOf() reads Deno's reason a remote import failed", () => {
  assert.equal(
    importReachOf(
      'A remote specifier was requested: "https://127.0.0.1:0/p.ts", but --no-remote is specified.',
    ),
    "none",
  );
  assert.equal(
    importReachOf(
      'Specifier not found in cache: "https://127.0.0.1:0/p.ts", --cached-only is specified.',
    ),
    "cache",
  );
  assert.equal(
    importReachOf("Import 'https://127.0.0.1:0/p.ts' failed.\n    0: error sending request"),
    "network",
  );
});
