/**
 * The doctor's `sandbox` check and the health report's `sandbox` judge what
 * this thoth was granted against thoth's permission set (deno.json
 * "permissions" → "thoth") and say how the sandbox start went: as built it
 * passes; `-A` warns; less than the set, or a sandbox that does not start,
 * fails with the remedy. The grants and the start are stubbed here; the CLI
 * tests run the real ones.
 */
import assert from "node:assert/strict";
import { checkSandbox } from "../../src/doctor/check_sandbox.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import type { SandboxHost } from "../../src/doctor/doctor_context.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { runDoctor } from "../../src/doctor/run_doctor.ts";
import { judgeGrants } from "../../src/doctor/judge_grants.ts";
import { THOTH_PERMISSION_GRANT } from "../../src/doctor/thoth_permission_set.ts";
import { asBuiltSandbox, testContext, withTempDir } from "./_helpers.ts";

const LAUNCH = ["/usr/bin/deno", "run", "-P=thoth", "--config=/src/my thoth/deno.json", "t.ts"];

/** The as-built host with `changes`. */
function host(changes: Partial<SandboxHost>): SandboxHost {
  return { ...asBuiltSandbox, launch: LAUNCH, ...changes };
}

/** A query that grants what the set grants, without `kinds`. */
function without(...kinds: string[]): SandboxHost["query"] {
  return (descriptor) =>
    kinds.includes(descriptor.name) ||
      (descriptor.name === "sys" && kinds.includes(`sys:${descriptor.kind}`))
      ? "prompt"
      : asBuiltSandbox.query(descriptor);
}

const check = (sandbox: SandboxHost) =>
  withTempDir((home) => checkSandbox(testContext(home, { host: { sandbox } })));

Deno.test("the thoth permission set is read from deno.json", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  assert.equal(THOTH_PERMISSION_GRANT["allow-run"], config.permissions.thoth.run);
  assert.deepEqual(THOTH_PERMISSION_GRANT["allow-sys"], [...config.permissions.thoth.sys].sort());
  assert.equal(THOTH_PERMISSION_GRANT["allow-ffi"], undefined);
});

Deno.test("checkSandbox() passes thoth from source granted exactly its set, whose sandbox starts", async () => {
  const result = await check(host({}));
  assert.equal(result.id, "sandbox");
  assert.equal(result.status, "pass", result.message);
  assert.match(
    result.message,
    /^thoth from source, granted read, write, net, env, sys \(gid, hostname, osRelease, uid\), run; the sandbox starts$/,
  );
  assert.equal(result.hint, null);
});

Deno.test("checkSandbox() says a compiled thoth is compiled", async () => {
  const result = await check(host({ compiled: true }));
  assert.match(result.message, /^compiled thoth, granted /);
});

Deno.test("checkSandbox() warns of -A: every permission, more than thoth's set", async () => {
  const result = await check(host({ query: () => "granted" }));
  assert.equal(result.status, "warn", result.message);
  assert.match(
    result.message,
    /granted read, write, net, env, sys, run, ffi, import; granted every permission \(-A or the like\), more than thoth's permission set \(sys, ffi, import\)/,
  );
  assert.equal(
    result.hint,
    "start thoth with its permission set only: /usr/bin/deno run -P=thoth " +
      "'--config=/src/my thoth/deno.json' t.ts doctor",
  );
});

Deno.test("checkSandbox() warns of ffi or import granted beside the set", async () => {
  const result = await check(host({
    query: (d) => d.name === "ffi" ? "granted" : asBuiltSandbox.query(d),
  }));
  assert.equal(result.status, "warn", result.message);
  assert.match(result.message, /; granted more than thoth's permission set: ffi;/);
});

Deno.test("checkSandbox() fails thoth without --allow-run, names it and the remedy", async () => {
  const result = await check(host({
    query: without("run"),
    start: () =>
      Promise.resolve({
        outcome: "not_tried",
        detail: 'thoth may not start "/usr/bin/deno"',
        remedy: null,
      }),
  }));
  assert.equal(result.status, "fail", result.message);
  assert.match(
    result.message,
    /granted read, write, net, env, sys \(gid, hostname, osRelease, uid\); not granted run of thoth's permission set: thoth run needs it for every session; thoth may not start/,
  );
  assert.match(
    result.hint ?? "",
    /^start thoth with its permission set: \/usr\/bin\/deno run -P=thoth /,
  );
});

Deno.test("checkSandbox() fails a compiled thoth without a sys value of the set: install a release", async () => {
  const result = await check(host({ compiled: true, query: without("sys:uid", "sys:gid") }));
  assert.equal(result.status, "fail", result.message);
  assert.match(result.message, /not granted sys:gid, sys:uid of thoth's permission set/);
  assert.match(result.hint ?? "", /install a thoth release binary/);
});

Deno.test("checkSandbox() fails a sandbox that does not start, with its cause and remedy", async () => {
  const result = await check(host({
    start: () =>
      Promise.resolve({
        outcome: "failed",
        detail: "the proxy core's sandbox cannot start: no --unstable-worker-options",
        remedy: "start thoth with --unstable-worker-options",
      }),
  }));
  assert.equal(result.status, "fail", result.message);
  assert.match(
    result.message,
    /; the proxy core's sandbox cannot start: no --unstable-worker-options$/,
  );
  assert.equal(result.hint, "start thoth with --unstable-worker-options");
});

Deno.test("runDoctor() runs the sandbox check right after runtime", () =>
  withTempDir(async (home) => {
    const checks = await runDoctor(testContext(home));
    assert.deepEqual(checks.slice(0, 3).map((c) => c.id), [
      "runtime",
      "sandbox",
      "endpoint_identity",
    ]);
  }));

Deno.test("health reports the sandbox as doctor judges it", () =>
  withTempDir(async (home) => {
    const report = async (sandbox: SandboxHost) =>
      HealthReportSchema.parse(
        await buildHealthReport(testContext(home, { host: { sandbox } }), { probe: false }),
      ).sandbox;
    const built = await report(host({}));
    assert.deepEqual(built, {
      compiled: false,
      granted: [
        "read",
        "write",
        "net",
        "env",
        "run",
        "sys:gid",
        "sys:hostname",
        "sys:osRelease",
        "sys:uid",
      ],
      missing: [],
      broader: [],
      all_permissions: false,
      started: true,
      ok: true,
      problem: null,
      warning: null,
      hint: null,
    });
    const narrow = await report(host({ query: without("run") }));
    assert.equal(narrow.ok, false);
    assert.deepEqual(narrow.missing, ["run"]);
    assert.match(narrow.problem ?? "", /not granted run of thoth's permission set/);
    assert.match(narrow.hint ?? "", /start thoth with its permission set/);
    const everything = await report(host({ query: () => "granted" }));
    assert.equal(everything.ok, true);
    assert.equal(everything.all_permissions, true);
    assert.deepEqual(everything.broader, ["sys", "ffi", "import"]);
    assert.match(everything.warning ?? "", /-A or the like/);
  }));

Deno.test("judgeGrants() names each missing value of a scoped kind, and a kind granted beyond it", () => {
  const judged = judgeGrants(
    { "allow-sys": ["hostname", "uid"], "allow-read": true },
    (d) =>
      d.name === "sys" && d.kind === "hostname"
        ? "granted"
        : d.name === "net"
        ? "granted"
        : "prompt",
  );
  assert.deepEqual(judged.missing, ["read", "sys:uid"]);
  assert.deepEqual(judged.scoped, { sys: ["hostname"] });
  assert.deepEqual(judged.broader, ["net"]);
  assert.equal(judged.everything, false);
});
