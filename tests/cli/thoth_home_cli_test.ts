/**
 * The real `thoth` as a subprocess against a THOTH_HOME that is wrong: not an
 * absolute path here (refused before anything is written; `health` reports it
 * instead, see health_invalid_home_test.ts), or a profile that
 * cannot be set up (doctor and health still report, with the profile as a
 * finding), and a credential whose expiry is out of range (health still
 * prints a report valid against its schema).
 */
import assert from "node:assert/strict";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

const thoth = runThoth;

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test({
  name: "thoth refuses a THOTH_HOME that is not an absolute path here, before writing anything",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const cwd = await tempFolder("thoth-cwd-");
    const home = await tempFolder("thoth-home-");
    for (const value of ["~/.thoth", "C:\\Users\\ana\\.thoth", "relative/.thoth"]) {
      // The four at once: each is refused as it starts, whatever the others do.
      const runs = await Promise.all([
        thoth(["set-api-key", "--api-key", "-"], {
          env: { HOME: home, THOTH_HOME: value },
          cwd,
          stdin: "aten_thoth_agent_prod_k1\n",
        }),
        thoth(["doctor"], { env: { HOME: home, THOTH_HOME: value }, cwd }),
        thoth(["audit", "verify"], { env: { HOME: home, THOTH_HOME: value }, cwd }),
        thoth(["audit", "verify"], {
          env: { HOME: home, THOTH_HOME: value },
          cwd,
          program: "thothctl",
        }),
      ]);
      for (const [i, run] of runs.entries()) {
        // `audit verify` keeps 1 for tampering: a refused profile is 3, "could not run".
        assert.equal(run.code, i >= 2 ? 3 : 1, run.err);
        assert.match(
          run.err,
          new RegExp(
            `^thoth(?:ctl)?: error: THOTH_HOME ${
              JSON.stringify(value).replace(/[\\.^$*+?()[\]{}|]/g, "\\$&")
            } is not valid: it must be an absolute path starting with /`,
            "m",
          ),
        );
        assert.match(run.err, /^thoth(?:ctl)?: hint: set THOTH_HOME to a full path/m);
        assert.ok(!run.err.includes("aten_thoth_agent_prod_k1"));
      }
      assert.deepEqual(await entries(cwd), [], `nothing written under the current folder`);
      assert.deepEqual(await entries(home), [], `nothing written in the real home either`);
    }
  },
});

Deno.test({
  name: "thoth doctor and health report a THOTH_HOME that is a file as the profile's problem",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-file-home-");
    const file = `${dir}/profile-file`;
    await Deno.writeTextFile(file, "");
    const env = { HOME: dir, THOTH_HOME: file };
    const doctor = await thoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1, doctor.err);
    assert.match(
      doctor.out,
      /^✗ profile +THOTH_HOME ".*profile-file" is not a folder: it is a file$/m,
    );
    // Said once: what lives in the profile is not checked, with no OS error about a path in it.
    for (const id of ["credentials", "policy", "intent_map", "audit"]) {
      assert.match(
        doctor.out,
        new RegExp(
          `^! ${id} +not checked: the profile is not a folder \\(see the profile check\\)$`,
          "m",
        ),
      );
    }
    assert.doesNotMatch(doctor.out, /os error|NotADirectory/);
    assert.match(doctor.out, /^✓ runtime /m, "the other checks ran");
    assert.match(doctor.out, /^14 checks: /m);
    assert.doesNotMatch(doctor.out, /"ok":false/);

    const health = await thoth(["health", "--json"], { env, cwd: dir });
    assert.equal(health.code, 0, health.err);
    const report = HealthReportSchema.parse(JSON.parse(health.out));
    assert.equal(report.profile.ok, false);
    assert.match(report.profile.problem ?? "", /is not a folder: it is a file/);
    assert.equal(report.policy.present, false);
    assert.match(health.err, /^thoth: profile: THOTH_HOME ".*" is not a folder: it is a file$/m);
    assert.doesNotMatch(health.out + health.err, /os error|NotADirectory/);

    await Deno.writeTextFile(`${dir}/c.json`, '{"mcpServers": {"a": {"command": "node"}}}\n');
    const status = await thoth(["status", "--config", `${dir}/c.json`], { env, cwd: dir });
    assert.equal(status.code, 1, status.err);
    assert.match(
      status.err,
      /^thoth: error: THOTH_HOME ".*profile-file" is not a folder: it is a file$/m,
    );
    assert.doesNotMatch(status.out + status.err, /os error|policy\.jsonc/);
  },
});

Deno.test({
  name: "thoth doctor names the session file it could not make private and still checks the rest",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const home = await tempFolder("thoth-immutable-");
    const file = `${home}/sessions/stuck.jwt`;
    await Deno.mkdir(`${home}/sessions`, { recursive: true, mode: 0o700 });
    await Deno.chmod(home, 0o700);
    await Deno.writeTextFile(file, "tok");
    await Deno.chmod(file, 0o644);
    // An immutable file refuses chmod even to root, as a root-owned file refuses it to a user.
    if (!await chattr("+i", file)) return;
    try {
      const doctor = await thoth(["doctor"], { env: { HOME: home, THOTH_HOME: home }, cwd: home });
      assert.equal(doctor.code, 1);
      assert.match(doctor.out, /^✗ profile +cannot set up the profile .*stuck\.jwt/m);
      assert.match(doctor.out, /^14 checks: /m);
      const health = await thoth(["health", "--json"], {
        env: { HOME: home, THOTH_HOME: home },
        cwd: home,
      });
      assert.equal(health.code, 0, health.err);
      assert.match(HealthReportSchema.parse(JSON.parse(health.out)).profile.problem ?? "", /stuck/);
    } finally {
      await chattr("-i", file);
    }
  },
});

Deno.test("thoth health --json reports a credential that expires after the year 9999", async () => {
  const home = await tempFolder("thoth-expiry-");
  await Deno.writeTextFile(
    `${home}/s.json`,
    '{"access_token":"opaque","expires_at":1893456000000}',
  );
  const run = await thoth(["health", "--json"], {
    env: { HOME: home, THOTH_HOME: `${home}/p`, THOTH_AUTH_TOKEN_FILE: `${home}/s.json` },
    cwd: home,
  });
  assert.equal(run.code, 0, run.err);
  const report = HealthReportSchema.parse(JSON.parse(run.out));
  assert.equal(report.credentials.expires_at, null);
  assert.match(report.credentials.problem ?? "", /it looks like milliseconds \(divide by 1000\)/);
  const doctor = await thoth(["doctor"], {
    env: { HOME: home, THOTH_HOME: `${home}/p`, THOTH_AUTH_TOKEN_FILE: `${home}/s.json` },
    cwd: home,
  });
  assert.match(doctor.out, /^✗ credentials +token file ".*s\.json" is not valid: "expires_at"/m);
  assert.doesNotMatch(doctor.out, /\+061971/);
});

/** Runs chattr; false when this system or user cannot (the test then proves nothing and passes). */
async function chattr(flag: "+i" | "-i", path: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("chattr", { args: [flag, path], stderr: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}

Deno.test("thoth status only reads: it does not create the profile", async () => {
  const dir = await tempFolder("thoth-status-home-");
  const config = `${dir}/claude_desktop_config.json`;
  await Deno.writeTextFile(config, '{"mcpServers": {"a": {"command": "node"}}}\n');
  const home = `${dir}/profile`;
  const run = await thoth(["status", "--json", "--config", config], {
    env: { HOME: dir, THOTH_HOME: home },
    cwd: dir,
  });
  assert.equal(run.code, 0, run.err);
  assert.ok(JSON.parse(run.out), run.out);
  assert.deepEqual(await entries(dir), ["claude_desktop_config.json"]);
});

Deno.test({
  name:
    "as root, thoth approves nothing in a user's queue, and thothctl still reads the user's profile",
  ignore: Deno.build.os === "windows" || Deno.uid() !== 0,
  fn: async () => {
    const { ApprovalQueue } = await import("../../src/approval/approval_queue.ts");
    const dir = await tempFolder("thoth-root-queue-");
    const home = `${dir}/ana/.thoth`;
    await Deno.mkdir(`${home}/approvals`, { recursive: true, mode: 0o700 });
    const entry = await ApprovalQueue.forHome(home).submit({
      expiresAt: Date.now() + 60_000,
      server: "fs",
      tool: "write_file",
      ruleIds: ["w"],
      reasons: [],
      decisionId: "d-1",
      shape: [],
      digest: "a".repeat(64),
      allowSession: false,
      pid: 1,
    });
    // The user's profile, as their own session left it.
    const chown = await new Deno.Command("chown", { args: ["-R", "65534:65534", `${dir}/ana`] })
      .output();
    assert.ok(chown.success);
    const approve = await thoth(["approvals", "approve", entry.id], {
      env: { HOME: `${dir}/ana`, THOTH_HOME: home },
      cwd: dir,
    });
    assert.equal(approve.code, 1, approve.err);
    assert.match(approve.err, /thoth runs as root, and the approval queue .* belongs to uid 65534/);
    assert.match(approve.err, /hint: run the same command as that user instead \(sudo -u '#65534'/);
    await assert.rejects(
      Deno.lstat(`${home}/approvals/${entry.id}.answer.json`),
      Deno.errors.NotFound,
    );
    const list = await thoth(["approvals", "list", "--json"], {
      env: { HOME: `${dir}/ana`, THOTH_HOME: home },
      cwd: dir,
      program: "thothctl",
    });
    assert.equal(list.code, 0, list.err);
    assert.equal(JSON.parse(list.out)[0].id, entry.id);
  },
});

Deno.test("thoth status --check and doctor fail a server the intent map names only by a server name", async () => {
  const dir = await tempFolder("thoth-inexact-");
  const home = `${dir}/profile`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/intent_map.json`, '{"Notes Café": "calendar_management"}');
  await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
  const config = `${dir}/.config/Claude/claude_desktop_config.json`;
  // A thoth the client can start, which doctor checks answers as thoth does.
  const thothBinary = `${dir}/bin/thoth`;
  await Deno.mkdir(`${dir}/bin`);
  await Deno.writeTextFile(
    thothBinary,
    "#!/bin/sh\necho 'thoth 0.1.0 (x86_64-unknown-linux-gnu; commit abc123)'\n",
    { mode: 0o755 },
  );
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      mcpServers: {
        "Notes Café": {
          command: thothBinary,
          args: ["run", "--agent-id", "Notes-Cafe", "--enforcement-mode", "block", "--", "node"],
        },
      },
    }),
  );
  const env = { HOME: dir, THOTH_HOME: home };
  const status = await thoth(["status", "--check", "--json", "--config", config], {
    env,
    cwd: dir,
  });
  assert.equal(status.code, 1, status.err);
  const report = JSON.parse(status.out);
  assert.equal(report.summary.refused, 1);
  assert.match(JSON.stringify(report), /no entry for agent id \\"Notes-Cafe\\"/);
  // Without --agent-id, thoth run derives the id from the command, and reads the map the same way.
  await Deno.writeTextFile(`${home}/intent_map.json`, '{"server gdrive": "calendar_management"}');
  const derivedConfig = `${dir}/derived.json`;
  await Deno.writeTextFile(
    derivedConfig,
    JSON.stringify({
      mcpServers: {
        gdrive: {
          command: thothBinary,
          args: ["run", "--enforcement-mode", "block", "--", "npx", "-y", "@x/server-gdrive"],
        },
      },
    }),
  );
  const derived = await thoth(["status", "--check", "--json", "--config", derivedConfig], {
    env,
    cwd: dir,
  });
  assert.equal(derived.code, 1, derived.err);
  assert.match(derived.out, /no entry for agent id \\"server-gdrive\\"/);
  // A map only the full parser reads (a "__proto__" key) is read the same way.
  await Deno.writeTextFile(
    `${home}/intent_map.json`,
    '{"__proto__": "calendar_management", "server gdrive": "calendar_management"}',
  );
  const full = await thoth(["status", "--check", "--json", "--config", derivedConfig], {
    env,
    cwd: dir,
  });
  assert.equal(full.code, 1, full.err);
  assert.match(full.out, /no entry for agent id \\"server-gdrive\\"/);
  await Deno.writeTextFile(`${home}/intent_map.json`, '{"Notes Café": "calendar_management"}');
  if (Deno.build.os === "linux") {
    const doctor = await thoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1);
    assert.match(doctor.out, /^✗ client_configs .*Notes Café: thoth run will refuse to start/m);
    const health = await thoth(["health", "--json"], { env, cwd: dir });
    const clients = HealthReportSchema.parse(JSON.parse(health.out)).clients ?? [];
    assert.deepEqual(clients[0]?.refused.map((r) => r.name), ["Notes Café"]);
  }
});
