/**
 * This build never asks the tenant's enforcer, so an enforcer that cannot be
 * derived (no THOTH_APEX_DOMAIN), resolved or reached is a warning in
 * `thoth doctor`, with its text and remedy, never a failure: doctor exits 0
 * on an endpoint that otherwise works.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { runProgram } from "../../src/cli/program.ts";
import { checkEnforcer } from "../../src/doctor/check_enforcer.ts";
import type { DoctorHost } from "../../src/doctor/doctor_context.ts";
import { fakeIo, testContext, withTempDir } from "./_helpers.ts";

const USER = { THOTH_TENANT_ID: "acme", THOTH_USER_ID: "ana@example.com" };
const WITH_DOMAIN = { ...USER, THOTH_APEX_DOMAIN: "example.com" };
const NOT_USED = /the tenant's enforcer is not used/;

Deno.test("checkEnforcer() warns, not fails, on an enforcer this build does not use", () =>
  withTempDir(async (home) => {
    const cases: [string, Record<string, string>, Partial<DoctorHost>, RegExp, RegExp][] = [
      ["no apex domain", USER, {}, /THOTH_APEX_DOMAIN is not set/, /export THOTH_APEX_DOMAIN=/],
      [
        "unresolvable",
        WITH_DOMAIN,
        { resolveHost: () => Promise.reject(new Error("no A or AAAA records")) },
        /cannot resolve "enforce\.acme\.example\.com": no A or AAAA records/,
        /THOTH_APEX_DOMAIN/,
      ],
      [
        "unreachable",
        WITH_DOMAIN,
        {
          resolveHost: () => Promise.resolve(["203.0.113.7"]),
          probeUrl: () => Promise.resolve({ reachable: false, detail: "connection refused" }),
        },
        /does not answer: connection refused/,
        /network, proxy and firewall/,
      ],
    ];
    for (const [name, env, host, message, hint] of cases) {
      const check = await checkEnforcer(testContext(home, { env, host }));
      assert.equal(check.status, "warn", name);
      assert.match(check.message, message, name);
      assert.match(check.message, NOT_USED, name);
      assert.match(check.hint ?? "", hint, name);
    }
  }));

/** `thoth doctor --json` over a profile with a saved API key; its exit code and checks. */
async function doctorJson(dir: string, env: Record<string, string>) {
  const home = `${dir}/.thoth`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"version":1,"api_key":"aten_key_1"}', {
    mode: 0o600,
  });
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(doctorCommand(io, {
    // The stub host: no DNS answer, no network (an unresolvable enforcer).
    context: (cliIo, plugins) => testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
  }));
  const code = await runProgram("thoth", program, ["doctor", "--json"], io);
  const parsed = JSON.parse(io.stdout.join("")) as {
    ok: boolean;
    checks: { id: string; status: string; message: string }[];
  };
  return { code, parsed };
}

Deno.test("thoth doctor exits 0 with a tenant and no apex domain when nothing else fails", () =>
  withTempDir(async (dir) => {
    const { code, parsed } = await doctorJson(dir, USER);
    const enforcer = parsed.checks.find((c) => c.id === "enforcer")!;
    assert.equal(enforcer.status, "warn");
    assert.match(enforcer.message, /THOTH_APEX_DOMAIN is not set/);
    assert.deepEqual(parsed.checks.filter((c) => c.status === "fail"), []);
    assert.equal(parsed.ok, true);
    assert.equal(code, 0);
  }));

Deno.test("thoth doctor exits 0 when the enforcer's host does not resolve and nothing else fails", () =>
  withTempDir(async (dir) => {
    const { code, parsed } = await doctorJson(dir, WITH_DOMAIN);
    const enforcer = parsed.checks.find((c) => c.id === "enforcer")!;
    assert.equal(enforcer.status, "warn");
    assert.match(enforcer.message, /cannot resolve "enforce\.acme\.example\.com"/);
    assert.deepEqual(parsed.checks.filter((c) => c.status === "fail"), []);
    assert.equal(code, 0);
  }));

Deno.test("thoth doctor still fails on what the calls depend on: a tenant without a user", () =>
  withTempDir(async (dir) => {
    const { code, parsed } = await doctorJson(dir, { THOTH_TENANT_ID: "acme" });
    assert.equal(parsed.checks.find((c) => c.id === "environment")!.status, "fail");
    assert.equal(code, 1);
  }));
