import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";
import {
  readLines,
  sampleLog,
  segmentPath,
  steppingClock,
  writeLines,
} from "../audit/_log_helpers.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";

async function doctor(
  home: string,
  args: string[],
  env: Record<string, string> = {},
  plugins?: (io: CliIo) => Partial<DoctorPlugins>,
) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(
    doctorCommand(io, {
      ...(plugins === undefined ? {} : { plugins: plugins(io) }),
      context: (cliIo, plugins) => testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
    }),
  );
  const code = await runProgram("thoth", program, ["doctor", ...args], io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

Deno.test("thoth doctor bootstraps the profile and exits 0 when nothing fails", () =>
  withTempDir(async (dir) => {
    const home = `${dir}/.thoth`;
    const { code, stdout } = await doctor(home, []);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^✓ runtime +thoth /m);
    assert.match(stdout, /^! client_configs /m);
    assert.match(stdout, /14 checks: \d+ passed, \d+ warnings, 0 failed\n$/);
    assert.ok((await Deno.stat(`${home}/intent_map.json`)).isFile);
  }));

Deno.test("thoth doctor exits 1 and prints ✗ with a hint when a check fails", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await doctor(home, [], { THOTH_TENANT_ID: "acme" });
    assert.equal(code, 1);
    assert.match(stdout, /^✗ environment +THOTH_USER_ID is not set/m);
    assert.match(stdout, /^ +hint: export THOTH_USER_ID=/m);
  }));

Deno.test("thoth doctor --json prints the checks as data", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await doctor(home, ["--json"], { THOTH_ENV: "Prod!" });
    assert.equal(code, 1);
    const parsed = JSON.parse(stdout);
    assert.equal(parsed.ok, false);
    const env = parsed.checks.find((c: { id: string }) => c.id === "environment");
    assert.equal(env.status, "fail");
    assert.match(env.message, /^THOTH_ENV "Prod!" is not valid/);
    for (const check of parsed.checks) {
      assert.deepEqual(Object.keys(check), [
        "id",
        "status",
        "message",
        "hint",
        "hints",
        "details",
      ]);
    }
  }));

Deno.test({
  name: "thoth doctor says once that it tightened proxy_api_key.json",
  ignore: Deno.build.os === "windows",
  fn: () =>
    withTempDir(async (home) => {
      await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"api_key":"k"}', { mode: 0o644 });
      await Deno.chmod(`${home}/proxy_api_key.json`, 0o644);
      const first = await doctor(home, []);
      assert.match(
        first.stderr,
        /thoth: tightened the permissions of ".*proxy_api_key\.json" from 0644 to 0600/,
      );
      const second = await doctor(home, []);
      assert.equal(second.stderr, "");
    }),
});

Deno.test("thoth doctor checks the intent map's intents against the policy thoth run would use", () =>
  withTempDir(async (dir) => {
    const home = `${dir}/.thoth`;
    await Deno.mkdir(home);
    const intentMap = (map: Record<string, string>) =>
      Deno.writeTextFile(`${home}/intent_map.json`, JSON.stringify(map));
    const intentLine = (stdout: string) => stdout.split("\n").find((l) => l.includes("intent_map"));
    // This build's policy validator (the real one), nothing else of the host.
    const policyOnly = (io: CliIo) => ({ validatePolicy: thothDoctorPlugins(io).validatePolicy! });

    // No policy file: thoth run would write and use the default policy.
    await intentMap({ gdrive: "billing_lookup" });
    const unknown = await doctor(home, [], {}, policyOnly);
    assert.equal(unknown.code, 1, unknown.stdout);
    assert.match(
      unknown.stdout,
      /^✗ intent_map +.*"gdrive" → "billing_lookup": not an intent of the default policy; thoth run refuses to start that server under this policy without an --intent of its own$/m,
    );
    assert.match(
      unknown.stdout,
      /^ +hint: map to one of: calendar_management, phi_eligibility_check; or add the intent/m,
    );

    await intentMap({ gdrive: "calendar_management" });
    const known = await doctor(home, [], {}, policyOnly);
    assert.match(
      intentLine(known.stdout) ?? "",
      /^✓ intent_map +.*1 server mapped, each to an intent of the default policy$/,
    );

    // A policy file of the admin's own replaces the default.
    await Deno.writeTextFile(
      `${home}/policy.jsonc`,
      '{ "version": 1, "default": "allow", "intents": { "billing_lookup": { "tools": ["get_invoice"] } } }',
    );
    const own = await doctor(home, [], {}, policyOnly);
    assert.match(
      intentLine(own.stdout) ?? "",
      /^✗ intent_map +.*"calendar_management": not an intent of the policy ".*policy\.jsonc"/,
    );
    assert.match(own.stdout, /hint: map to one of: billing_lookup;/);
    await intentMap({ gdrive: "billing_lookup" });
    const fixed = await doctor(home, [], {}, policyOnly);
    assert.match(
      intentLine(fixed.stdout) ?? "",
      /^✓ intent_map +.*each to an intent of the policy /,
    );
  }));

Deno.test("thoth doctor fails the audit check when the log's end does not match its state file", async () => {
  const home = await sampleLog(1, 4);
  const auditOnly = (io: CliIo) => ({ auditHealth: thothDoctorPlugins(io).auditHealth! });
  const auditLine = (stdout: string) => stdout.split("\n").find((l) => /^. audit /.test(l)) ?? "";
  const healthy = await doctor(home, [], {}, auditOnly);
  assert.match(
    auditLine(healthy.stdout),
    /^✓ audit +\d+ record\(s\); last checkpoint covers \d+; the audit state's MAC verifies; the log's end matches its state and its last \d+ record\(s\) chain \(not a full verify\); \d+\.\d KiB in 1 segment\(s\) since 2026-03-01$/,
  );

  const path = await segmentPath(home, -1);
  await writeLines(path, (await readLines(path)).slice(0, -3));
  const cut = await doctor(home, [], {}, auditOnly);
  assert.equal(cut.code, 1, cut.stdout);
  assert.match(
    auditLine(cut.stdout),
    /^✗ audit +the audit log does not match its state file: the state file counts \d+ records, but seg-\S+ is \d+ bytes, shorter than the \d+ the state counts: records were cut from its end$/,
  );
  assert.match(cut.stdout, /^ +hint: run "thoth audit verify" to see what was lost or changed$/m);
});

Deno.test("thoth doctor fails client_configs on a governed server thoth run would refuse, with the reason", () =>
  withTempDir(async (dir) => {
    // A real file: a thoth path that is not there is another reason not to start.
    const thothPath = `${dir}/thoth`;
    await Deno.writeTextFile(thothPath, "#!/bin/sh\n", { mode: 0o755 });
    const configDir = `${dir}/.config/Claude`;
    await Deno.mkdir(configDir, { recursive: true });
    const path = `${configDir}/claude_desktop_config.json`;
    const server = (name: string, flags: string[], env: Record<string, string>) => ({
      command: thothPath,
      args: ["run", "--agent-id", name, ...flags, "--enforcement-mode", "block", "--", "/bin/x"],
      env,
    });
    // What the reference's wrap step wrote in a shell without THOTH_USER_ID and THOTH_APEX_DOMAIN.
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          blank: server("blank", ["--tenant-id", "acme"], {
            THOTH_USER_ID: "",
            THOTH_APEX_DOMAIN: "<apex-domain>",
          }),
          chat: server("chat", ["--intent", "team_chat"], {}),
          fine: server("fine", [], {}),
        },
      }),
    );
    const { code, stdout } = await doctor(`${dir}/.thoth`, [], { HOME: dir }, (io) => ({
      validatePolicy: thothDoctorPlugins(io).validatePolicy!,
      discoverClients: thothDoctorPlugins({ ...io, selfCommand: [thothPath] }).discoverClients!,
    }));
    assert.equal(code, 1, stdout);
    const line = stdout.split("\n").find((l) => l.includes("client_configs")) ?? "";
    assert.match(
      line,
      /^✗ client_configs +1 client config, 3 of 3 servers governed \(2 that will not start\); /,
    );
    assert.match(
      line,
      /; blank: thoth run will refuse to start: THOTH_APEX_DOMAIN "<apex-domain>" is not valid: .* \(and 1 more\); /,
    );
    assert.match(
      line,
      /; chat: thoth run will refuse to start: intent "team_chat" is not in the policy \(the default policy, which defines: calendar_management, phi_eligibility_check\); /,
    );
    assert.match(
      stdout,
      new RegExp(
        `^ +hint: see what thoth run refuses in each server and the fix with: thoth status --config "${path}"$`,
        "m",
      ),
    );
  }));

Deno.test("checkClientConfigs() counts a server thoth run would refuse as governed but not starting, and fails it", async () => {
  const { checkClientConfigs } = await import("../../src/doctor/check_client_configs.ts");
  const refusal = 'thoth run will refuse to start: --tenant-id: "Bad_Tenant" is not a DNS label; ' +
    "wrap again with a valid --tenant-id";
  const check = checkClientConfigs([{
    client: "claude-desktop",
    configPath: "/cfg/a.json",
    servers: [
      { name: "ok", governed: true, command: "/t/thoth", upstreamCommand: "/bin/x", refusals: [] },
      {
        name: "bad",
        governed: true,
        command: "/t/thoth",
        upstreamCommand: "/bin/x",
        refusals: [refusal],
      },
    ],
  }]);
  assert.deepEqual(check, {
    id: "client_configs",
    status: "fail",
    message: `1 client config, 2 of 2 servers governed (1 that will not start); bad: ${refusal}`,
    hint: "see what thoth run refuses in each server and the fix with: " +
      'thoth status --config "/cfg/a.json"',
  });
});

Deno.test("thoth doctor fails the audit check after a writer rebuilt its state over a cut log", async () => {
  const home = await sampleLog(3, 8);
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  await writeLines(path, lines.slice(0, 35));
  for await (const entry of Deno.readDir(`${home}/audit/checkpoints`)) {
    if (Number(entry.name.slice(3, 15)) > 35) {
      await Deno.remove(`${home}/audit/checkpoints/${entry.name}`);
    }
  }
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  await log.checkpoint();
  await log.close();
  const r = await doctor(home, [], {}, (io) => ({
    auditHealth: thothDoctorPlugins(io).auditHealth!,
  }));
  assert.equal(r.code, 1, r.stdout);
  assert.match(
    r.stdout,
    new RegExp(
      `^✗ audit +records were lost: a writer found 35 records where its state counted ${lines.length}, and recorded it at seq 35$`,
      "m",
    ),
  );
  assert.match(r.stdout, /^ +hint: run "thoth audit verify" to see what was lost or changed$/m);
});
