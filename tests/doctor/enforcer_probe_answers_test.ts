/**
 * `doctor`'s enforcer check and `health --probe` against a real loopback
 * HTTP server (and a TLS one with a certificate no one trusts), through the
 * real probe: only an answer of a healthy server passes (2xx, 401, 403, 404,
 * a redirect that stays on the server's origin); a server error or
 * throttling warns with its status; a redirect off the origin is not the
 * enforcer and names where it points (never its query); with nothing
 * listening, the cause is named ("connection refused", the certificate
 * problem), not `fetch failed`.
 */
import assert from "node:assert/strict";
import { checkEnforcer } from "../../src/doctor/check_enforcer.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import type { DoctorContext } from "../../src/doctor/doctor_context.ts";
import { probeUrl } from "../../src/doctor/probe_url.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@example.com",
  THOTH_APEX_DOMAIN: "example.com",
};
const FIXTURES = new URL("../fixtures/doctor/", import.meta.url);

/** A loopback server answering every request with `status` and `headers`. */
function answering(status: number, headers: Record<string, string> = {}, tls = false) {
  return Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
    ...(tls
      ? {
        cert: Deno.readTextFileSync(new URL("untrusted_tls_cert.pem", FIXTURES)),
        key: Deno.readTextFileSync(new URL("untrusted_tls_key.pem", FIXTURES)),
      }
      : {}),
  }, () => new Response(status >= 200 && status !== 304 ? "body" : null, { status, headers }));
}

/** A doctor context whose enforcer resolves and whose probe asks `url` with the real probe. */
function contextProbing(home: string, url: string): DoctorContext {
  return testContext(home, {
    env: TENANT,
    host: {
      resolveHost: () => Promise.resolve(["127.0.0.1"]),
      probeUrl: () => probeUrl(url, 5000),
    },
  });
}

Deno.test("the enforcer check passes only a healthy server's answers, and warns with the status of the others", () =>
  withTempDir(async (home) => {
    const cases: [number, Record<string, string>, "pass" | "warn", RegExp][] = [
      [200, {}, "pass", /and answers: HTTP 200;/],
      [401, {}, "pass", /and answers: HTTP 401;/],
      [403, {}, "pass", /and answers: HTTP 403;/],
      [404, {}, "pass", /and answers: HTTP 404;/],
      [302, { location: "/login" }, "pass", /and answers: HTTP 302 to \/login;/],
      [500, {}, "warn", /answers, but not as a healthy server does: HTTP 500 \(a server error\);/],
      [503, {}, "warn", /not as a healthy server does: HTTP 503 \(a server error\);/],
      [429, {}, "warn", /not as a healthy server does: HTTP 429 \(too many requests/],
    ];
    for (const [status, headers, want, message] of cases) {
      await using server = answering(status, headers);
      const check = await checkEnforcer(
        contextProbing(home, `http://127.0.0.1:${server.addr.port}/`),
      );
      assert.equal(check.status, want, `HTTP ${status}: ${check.message}`);
      assert.match(check.message, message);
      assert.match(check.message, /the tenant's enforcer is not used/);
      if (want === "pass") assert.equal(check.hint, null);
      else assert.match(check.hint ?? "", /try again later/);
    }
  }));

Deno.test("the enforcer check does not pass a redirect to another host, and names where it points", () =>
  withTempDir(async (home) => {
    await using server = answering(302, {
      location: "https://portal.example.net/login?session=SECRET-5",
    });
    const check = await checkEnforcer(
      contextProbing(home, `http://127.0.0.1:${server.addr.port}/`),
    );
    // Not reached: rated as an enforcer that cannot be reached (a warning while it is unused).
    assert.equal(check.status, "warn");
    assert.match(
      check.message,
      /what answers there is not the enforcer: HTTP 302 redirects to another host: https:\/\/portal\.example\.net\/login\?…;/,
    );
    assert.ok(!check.message.includes("SECRET-5"), "the redirect's query is not shown");
    assert.match(check.hint ?? "", /captive portal/);
  }));

Deno.test("the enforcer check names why nothing answers: a refused connection, an untrusted certificate", () =>
  withTempDir(async (home) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const closed = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const refused = await checkEnforcer(contextProbing(home, `http://127.0.0.1:${closed}/`));
    assert.equal(refused.status, "warn");
    assert.match(refused.message, /does not answer: connection refused;/);

    await using tls = answering(200, {}, true);
    const untrusted = await checkEnforcer(
      contextProbing(home, `https://127.0.0.1:${tls.addr.port}/`),
    );
    assert.equal(untrusted.status, "warn");
    assert.match(
      untrusted.message,
      /does not answer: TLS: the certificate is not signed by an authority this machine trusts;/,
    );
  }));

Deno.test("health --probe reports an enforcer whose host redirects elsewhere as unreachable, with where", () =>
  withTempDir(async (home) => {
    await using server = answering(301, { location: "http://parked.example.org/" });
    const report = await buildHealthReport(
      contextProbing(home, `http://127.0.0.1:${server.addr.port}/`),
      { probe: true },
    );
    assert.equal(report.enforcer.reachability, "unreachable");
    assert.equal(
      report.enforcer.detail,
      "HTTP 301 redirects to another host: http://parked.example.org/",
    );
  }));
