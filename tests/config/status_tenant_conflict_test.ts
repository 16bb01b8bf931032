/**
 * An entry with `--tenant-id` in its args and another `THOTH_TENANT_ID` in
 * its `env` names two tenants: `thoth run` uses the flag, what reads the
 * server's environment (`thoth health`, `thoth doctor`) the variable, so its
 * audit records and its health checks name different tenants. `wrap-config`
 * warns about it (`tenant_conflict.ts`); `thoth status` shows it as drift,
 * in the table's notes and in `--json`'s "drift", with the fix. The same
 * tenant in both is no drift.
 */
import assert from "node:assert/strict";
import { planStatus } from "../../src/config/plan_status.ts";
import { inTempDir, THOTH, thoth } from "../cli/_config_cli.ts";

function config(envTenant: string): string {
  return JSON.stringify({
    mcpServers: {
      db: {
        command: THOTH,
        args: [
          "run",
          "--agent-id",
          "db",
          "--tenant-id",
          "acme",
          "--enforcement-mode",
          "block",
          "--",
          "/usr/bin/mcp-clock",
        ],
        env: { THOTH_TENANT_ID: envTenant, THOTH_USER_ID: "ana@example.com" },
      },
    },
  });
}

const isFile = (path: string) => path === THOTH;

Deno.test("planStatus() shows an entry with two tenants as drift, with the fix", () => {
  const report = planStatus(config("globex"), { isFile, label: "c.json" });
  const row = report.servers[0]!;
  assert.equal(row.tenantId, "acme");
  assert.equal(row.tenantIdSource, "--tenant-id");
  assert.deepEqual(row.refusals, []);
  assert.equal(report.summary.drifted, 1);
  assert.deepEqual(row.drift, [
    'two tenants: --tenant-id "acme" in its args, which thoth run uses, and THOTH_TENANT_ID ' +
    '"globex" in its "env", which what reads the server\'s environment uses ("thoth health", ' +
    '"thoth doctor"); keep one: run "thoth wrap-config" with --env ' +
    'THOTH_TENANT_ID="acme" (or --tenant-id "globex"), or remove THOTH_TENANT_ID from its ' +
    '"env" by hand',
  ]);
});

Deno.test("planStatus() shows no tenant drift when both name the same tenant", () => {
  const report = planStatus(config("acme"), { isFile, label: "c.json" });
  assert.deepEqual(report.servers[0]!.drift, []);
  assert.equal(report.summary.drifted, 0);
});

Deno.test("thoth status --json lists two tenants under drift, naming the wrap-config for the file", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, config("globex"));
    const run = await thoth(["status", "--json", "--config", path], { cwd: dir });
    const doc = JSON.parse(run.out) as {
      servers: { drift: string[] }[];
      summary: { drifted: number };
    };
    assert.equal(doc.summary.drifted, 1, run.out);
    const [drift] = doc.servers[0]!.drift;
    assert.match(drift ?? "", /^two tenants: --tenant-id "acme" in its args/);
    assert.ok(
      drift?.includes(`keep one: run "thoth wrap-config ${path}" with --env THOTH_TENANT_ID=`),
      drift,
    );
    const table = await thoth(["status", "--config", path], { cwd: dir });
    assert.match(table.out, /two tenants: --tenant-id "acme"/);
  }));
