/**
 * `health --probe --json` tells an enforcer that answers as a failing or
 * throttling server does (5xx, 429) from a healthy one with a value of its
 * own, `"unhealthy"`, where `doctor` warns: a dashboard need not parse
 * `detail`. A healthy answer (2xx, a same-origin redirect, a 4xx other than
 * 429) stays `"reachable"`. Against a real loopback HTTP server, through the
 * real probe.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { probeUrl } from "../../src/doctor/probe_url.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@example.com",
  THOTH_APEX_DOMAIN: "example.com",
};

Deno.test("health --probe reports a 5xx or 429 enforcer as unhealthy, and keeps reachable for healthy answers", () =>
  withTempDir(async (home) => {
    const cases: [number, Record<string, string>, string, RegExp][] = [
      [500, {}, "unhealthy", /^HTTP 500 \(a server error\)$/],
      [503, {}, "unhealthy", /^HTTP 503 \(a server error\)$/],
      [429, {}, "unhealthy", /^HTTP 429 \(too many requests/],
      [200, {}, "reachable", /^HTTP 200$/],
      [302, { location: "/login" }, "reachable", /^HTTP 302 to \/login$/],
      [401, {}, "reachable", /^HTTP 401$/],
      [404, {}, "reachable", /^HTTP 404$/],
    ];
    for (const [status, headers, want, detail] of cases) {
      await using server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen: () => {} },
        () => new Response(null, { status, headers }),
      );
      const url = `http://127.0.0.1:${server.addr.port}/`;
      const report = await buildHealthReport(
        testContext(home, {
          env: TENANT,
          host: {
            resolveHost: () => Promise.resolve(["127.0.0.1"]),
            probeUrl: () => probeUrl(url, 5000),
          },
        }),
        { probe: true },
      );
      // The value is in the published schema: the CLI checks the report against it.
      HealthReportSchema.parse(report);
      assert.equal(report.enforcer.reachability, want, `HTTP ${status}: ${report.enforcer.detail}`);
      assert.match(report.enforcer.detail ?? "", detail);
    }
  }));

Deno.test("the committed health schema lists unhealthy among the enforcer's reachability values", async () => {
  const schema = JSON.parse(
    await Deno.readTextFile(new URL("../../schemas/health.schema.json", import.meta.url)),
  );
  const values: string[] = schema.properties.enforcer.properties.reachability.enum;
  assert.ok(values.includes("unhealthy"), values.join(", "));
  assert.ok(values.includes("reachable"), values.join(", "));
});
