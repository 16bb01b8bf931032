/**
 * The enforcer's DNS lookup (doctor's enforcer check, `health --probe`) keeps
 * to the probe's budget: against a real DNS server that reads queries and
 * never answers (a loopback UDP port, as a server that drops queries), the
 * real resolver gives up when the budget runs out (set small here, 3 s in
 * thoth) and says so plainly, naming the host and the budget, rather than
 * waiting out the resolver's own retries (about 30 s) and showing its raw
 * text ("proto error: request timed out").
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkEnforcer } from "../../src/doctor/check_enforcer.ts";
import { denoDoctorContext } from "../../src/doctor/deno_doctor_context.ts";
import type { DoctorContext } from "../../src/doctor/doctor_context.ts";
import { asBuiltSandbox, withTempDir } from "./_helpers.ts";

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@example.com",
  THOTH_APEX_DOMAIN: "example.com",
};

/** Runs `fn` with the port of a loopback DNS server that never answers; stops it after. */
async function withSilentDns(fn: (port: number) => Promise<void>): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-net",
      "--allow-net=127.0.0.1",
      "--no-prompt",
      new URL("../fixtures/doctor/silent_dns_server.ts", import.meta.url).pathname,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
    env: { DENO_NO_UPDATE_CHECK: "1" },
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`the silent DNS server did not start: ${text}`);
      text += value;
    }
    await fn(Number(text.trim()));
  } finally {
    child.kill();
    await lines.cancel();
    await child.status;
  }
}

/** The real context, its lookup sent to `port` with a 200 ms budget; the sandbox not started. */
function silentDnsContext(home: string, port: number): DoctorContext {
  const real = denoDoctorContext({
    env: TENANT,
    thothHome: home,
    probeBudgetMs: 200,
    nameServer: { ipAddr: "127.0.0.1", port },
  });
  return { ...real, host: { ...real.host, sandbox: asBuiltSandbox } };
}

Deno.test("health --probe reports an enforcer whose DNS lookup times out as unresolvable, in plain words", () =>
  withTempDir((home) =>
    withSilentDns(async (port) => {
      const report = await buildHealthReport(silentDnsContext(home, port), { probe: true });
      assert.equal(report.enforcer.reachability, "unresolvable");
      assert.equal(
        report.enforcer.detail,
        "DNS lookup of enforce.acme.example.com timed out after 200 ms",
      );
    })
  ));

Deno.test("the enforcer check says the DNS lookup timed out after the budget, without the resolver's text", () =>
  withTempDir((home) =>
    withSilentDns(async (port) => {
      const check = await checkEnforcer(silentDnsContext(home, port));
      assert.equal(check.status, "warn");
      assert.match(
        check.message,
        /^cannot resolve "enforce\.acme\.example\.com": the DNS lookup timed out after 200 ms; /,
      );
      assert.doesNotMatch(check.message, /proto error/);
    })
  ));
