import assert from "node:assert/strict";
import { runDoctor } from "../../src/doctor/run_doctor.ts";
import type { DoctorCheck, DoctorCheckId } from "../../src/doctor/doctor_check.ts";
import type { DoctorContext } from "../../src/doctor/doctor_context.ts";
import type { ClientConfigReport } from "../../src/doctor/doctor_plugins.ts";
import { formatDoctorReport } from "../../src/doctor/format_doctor_report.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { FIXED_NOW, makeJwt, testContext, withTempDir } from "./_helpers.ts";

const posix = Deno.build.os !== "windows";
const HEALTHY_ENV = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@acme.example.com",
  THOTH_APEX_DOMAIN: "example.com",
  DISPLAY: ":0",
  PATH: "/usr/bin",
};
const CLIENTS: ClientConfigReport[] = [{
  client: "claude_desktop",
  configPath: "/cfg/claude_desktop_config.json",
  servers: [
    { name: "gdrive", governed: true, command: "/opt/thoth/bin/thoth", upstreamCommand: "npx" },
    {
      name: "memory",
      governed: true,
      command: "/opt/thoth/bin/thoth",
      upstreamCommand: "/usr/bin/node",
    },
  ],
}];
const EXECUTABLES = [
  "/opt/thoth/bin/thoth",
  "/usr/local/bin/npx",
  "/usr/bin/node",
  "/usr/bin/zenity",
];

/** A profile that passes every check; `tweak` breaks one thing. */
async function healthy(
  home: string,
  tweak: Partial<Parameters<typeof testContext>[1]> = {},
): Promise<DoctorContext> {
  await bootstrapProfile(home, Deno.build.os);
  await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"version":1,"api_key":"aten_key_1"}', {
    mode: 0o600,
  });
  await Deno.writeTextFile(`${home}/policy.jsonc`, '{\n  // block writes\n  "rules": [],\n}\n');
  return testContext(home, {
    env: tweak.env ?? HEALTHY_ENV,
    ...(tweak.os === undefined ? {} : { os: tweak.os }),
    host: {
      isExecutable: (path) => Promise.resolve(EXECUTABLES.includes(path)),
      resolveHost: () => Promise.resolve(["203.0.113.7"]),
      probeUrl: () => Promise.resolve({ reachable: true, detail: "HTTP 404" }),
      ...tweak.host,
    },
    plugins: {
      discoverClients: () => Promise.resolve(CLIENTS),
      auditHealth: () =>
        Promise.resolve({
          status: "ok",
          lastSequence: 41,
          lastCheckpointAt: "2026-06-01T11:00:00Z",
          verified: true,
          message: "42 records verified",
        }),
      ...tweak.plugins,
    },
  });
}

/**
 * The warning every doctor run with a tenant gives: this build does not
 * register with the fleet or check in. A healthy tenant profile has it too.
 */
function isFleetNotice(check: DoctorCheck): boolean {
  return check.id === "environment" && check.status === "warn" &&
    /this build does not register with the fleet or check in/.test(check.message);
}

function find(checks: DoctorCheck[], id: DoctorCheckId): DoctorCheck {
  const check = checks.find((c) => c.id === id);
  assert.ok(check, `no check ${id}`);
  return check;
}

Deno.test({
  name: "runDoctor() passes every check on a healthy profile",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      const checks = await runDoctor(await healthy(home));
      assert.deepEqual(
        checks.filter((c) => c.status !== "pass" && !isFleetNotice(c)),
        [],
        formatDoctorReport(checks),
      );
      assert.ok(isFleetNotice(find(checks, "environment")), "a tenant is not registered");
      assert.equal(checks.length, 14);
      assert.match(
        find(checks, "credentials").message,
        /API key from the default API key file ".*proxy_api_key\.json" \(fingerprint [0-9a-f]{8}\)$/,
      );
      assert.match(find(checks, "endpoint_identity").message, /from \/etc\/machine-id/);
      assert.match(
        find(checks, "enforcer").message,
        /answers: HTTP 404; this build still decides every call with the local policy/,
        "a reachable enforcer is not taken for one in use",
      );
    }),
});

const broken: {
  name: string;
  id: DoctorCheckId;
  status?: "fail" | "warn";
  hint: RegExp;
  message?: RegExp;
  posixOnly?: boolean;
  /** Checks that depend on the broken one and may change with it. */
  alsoAffected?: DoctorCheckId[];
  setup?: (home: string) => Promise<void>;
  tweak?: Partial<Parameters<typeof testContext>[1]>;
}[] = [
  {
    name: "a profile directory readable by others",
    id: "profile",
    posixOnly: true,
    hint: /^chmod 700 '[^']*'$/,
    message: /is 0755; it must be 0700/,
    setup: (home) => Deno.chmod(home, 0o755),
  },
  {
    name: "an API key file readable by others",
    id: "profile",
    posixOnly: true,
    hint: /^chmod 600 '[^']*proxy_api_key\.json'$/,
    setup: (home) => Deno.chmod(`${home}/proxy_api_key.json`, 0o644),
  },
  {
    name: "an invalid tenant id",
    id: "environment",
    hint: /THOTH_TENANT_ID/,
    message: /THOTH_TENANT_ID "Acme" is not valid/,
    alsoAffected: ["credentials", "enforcer"],
    tweak: { env: { ...HEALTHY_ENV, THOTH_TENANT_ID: "Acme" } },
  },
  {
    name: "a tenant without a user",
    id: "environment",
    hint: /export THOTH_USER_ID=/,
    tweak: { env: { ...HEALTHY_ENV, THOTH_USER_ID: "" } },
  },
  {
    name: "a deprecated THOTH_ENFORCER_URL",
    id: "environment",
    status: "warn",
    hint: /unset THOTH_ENFORCER_URL/,
    tweak: { env: { ...HEALTHY_ENV, THOTH_ENFORCER_URL: "https://old.example.com" } },
  },
  {
    name: "no credentials for the tenant",
    id: "credentials",
    hint: /thoth set-api-key --api-key -/,
    setup: (home) => Deno.remove(`${home}/proxy_api_key.json`),
  },
  {
    name: "an expired session token",
    id: "credentials",
    // "thoth auth login" cannot sign in with this build: the hint names what works.
    hint:
      /^export THOTH_RUNTIME_BEARER_TOKEN with a token from your Thoth admin .*; or remove the session file \(rm '[^']*--admin-token\.jwt'\), which is used before any API key/,
    message: /expired at /,
    setup: (home) =>
      Deno.writeTextFile(
        `${home}/sessions/acme--acme.example.com--admin-token.jwt`,
        makeJwt({ exp: FIXED_NOW.getTime() / 1000 - 1 }),
        { mode: 0o600 },
      ),
  },
  {
    name: "an expired runtime bearer token",
    id: "credentials",
    hint: /^get a new token from your Thoth admin and set THOTH_RUNTIME_BEARER_TOKEN to it/,
    tweak: {
      env: {
        ...HEALTHY_ENV,
        THOTH_RUNTIME_BEARER_TOKEN: makeJwt({ exp: FIXED_NOW.getTime() / 1000 - 1 }),
      },
    },
  },
  {
    name: "a malformed API key file",
    id: "credentials",
    hint: /thoth set-api-key/,
    setup: (home) => Deno.writeTextFile(`${home}/proxy_api_key.json`, "not json", { mode: 0o600 }),
  },
  {
    name: "a policy with a syntax error",
    id: "policy",
    hint: /fix the policy at line 3/,
    message: /line 3 column 3: expected "," or "}"/,
    setup: (home) => Deno.writeTextFile(`${home}/policy.jsonc`, '{\n  "a": 1\n  "b": 2\n}'),
  },
  {
    name: "a policy rejected by a plugged-in validator",
    id: "policy",
    hint: /use "block"/,
    tweak: {
      plugins: {
        validatePolicy: () => ({ ok: false, message: "unknown mode", hint: 'use "block"' }),
      },
    },
  },
  {
    name: "an intent map that is not an object",
    id: "intent_map",
    hint: /server name to intent/,
    setup: (home) => Deno.writeTextFile(`${home}/intent_map.json`, '["gdrive"]'),
  },
  {
    name: "an intent map with a non-string intent",
    id: "intent_map",
    hint: /server name to intent/,
    message: /"gdrive"/,
    setup: (home) => Deno.writeTextFile(`${home}/intent_map.json`, '{"gdrive": 3}'),
  },
  {
    name: "an intent map with an intent name thoth run rejects",
    id: "intent_map",
    hint: /server name to intent/,
    message:
      /the intent of "gdrive" is not an intent name; until it is fixed, thoth run refuses to start every server that has no --intent of its own/,
    setup: (home) => Deno.writeTextFile(`${home}/intent_map.json`, '{"gdrive": "two words"}'),
  },
  {
    name: "an intent map that is a FIFO (read, it would hang)",
    id: "intent_map",
    hint: /^replace it with a JSON file: echo '\{\}' > '/,
    message: /is not a regular file/,
    setup: async (home) => {
      await Deno.remove(`${home}/intent_map.json`).catch(() => {});
      const made = await new Deno.Command("mkfifo", { args: [`${home}/intent_map.json`] })
        .output();
      assert.ok(made.success, "mkfifo");
    },
  },
  {
    name: "an intent map keyed by a server name rather than an agent id",
    id: "intent_map",
    status: "warn",
    hint: /under the agent id "thoth status" shows/,
    message:
      /the entry "My Notes" is a server name, not an agent id: .* a server "My-Notes" \(or a numbered "My-Notes-N"\) started without --intent is refused/,
    setup: (home) =>
      Deno.writeTextFile(`${home}/intent_map.json`, '{"My Notes": "calendar_management"}'),
  },
  {
    name: "an intent map with an entry that looks like another but for an invisible character",
    id: "intent_map",
    status: "warn",
    hint: /under the agent id "thoth status" shows/,
    message: /the entry "gdrive\\u200b" is a server name, not an agent id/,
    setup: (home) =>
      Deno.writeTextFile(
        `${home}/intent_map.json`,
        '{"gdrive": "calendar_management", "gdrive\\u200b": "calendar_management"}',
      ),
  },
  {
    name: "an intent map naming an intent the policy does not define",
    id: "intent_map",
    hint: /^map to one of: calendar_management, support_triage; or add the intent/,
    message:
      /"gdrive" → "billing_lookup": not an intent of the policy ".*policy\.jsonc"; thoth run refuses to start that server under this policy without an --intent of its own/,
    setup: (home) =>
      Deno.writeTextFile(
        `${home}/intent_map.json`,
        '{"gdrive": "billing_lookup", "memory": "calendar_management"}',
      ),
    tweak: {
      plugins: {
        validatePolicy: () => ({
          ok: true,
          message: "0 rule(s)",
          intents: ["calendar_management", "support_triage"],
        }),
      },
    },
  },
  {
    name: "an ungoverned server",
    id: "client_configs",
    status: "fail",
    hint: /thoth wrap-config/,
    message: /1 of 2 servers governed; not governed: slack/,
    tweak: {
      plugins: {
        discoverClients: () =>
          Promise.resolve([{
            client: "claude_desktop",
            configPath: "/cfg/c.json",
            servers: [
              {
                name: "gdrive",
                governed: true,
                command: "/opt/thoth/bin/thoth",
                upstreamCommand: "npx",
              },
              { name: "slack", governed: false, command: "/usr/bin/node", upstreamCommand: null },
            ],
          }]),
      },
    },
  },
  {
    name: "a thoth entry not understood",
    id: "client_configs",
    status: "fail",
    hint: /^fix the thoth entry not understood by hand in "\/cfg\/c\.json" .*thoth status/,
    message:
      /1 of 2 servers governed; odd: thoth entry not understood: its arguments start with "serve", not "run"$/,
    tweak: {
      plugins: {
        discoverClients: () =>
          Promise.resolve([{
            client: "claude_desktop",
            configPath: "/cfg/c.json",
            servers: [
              {
                name: "gdrive",
                governed: true,
                command: "/opt/thoth/bin/thoth",
                upstreamCommand: "npx",
              },
              {
                name: "odd",
                governed: false,
                command: "/opt/thoth/bin/thoth",
                upstreamCommand: null,
                notUnderstood:
                  'thoth entry not understood: its arguments start with "serve", not "run"',
              },
            ],
          }]),
      },
    },
  },
  {
    name: "an upstream command missing from the desktop PATH",
    id: "upstream_path",
    hint: /absolute path \(find it with: command -v uvx\)/,
    message: /"uvx" for server "fetch"/,
    tweak: {
      plugins: {
        discoverClients: () =>
          Promise.resolve([{
            client: "claude_desktop",
            configPath: "/cfg/c.json",
            servers: [{
              name: "fetch",
              governed: true,
              command: "/opt/thoth/bin/thoth",
              upstreamCommand: "uvx",
            }],
          }]),
      },
    },
  },
  {
    name: "client discovery that throws",
    id: "client_configs",
    hint: /thoth status/,
    alsoAffected: ["upstream_path"],
    tweak: { plugins: { discoverClients: () => Promise.reject(new Error("bad JSON in c.json")) } },
  },
  {
    name: "a tampered audit log",
    id: "audit",
    hint: /thoth audit verify/,
    tweak: {
      plugins: {
        auditHealth: () =>
          Promise.resolve({
            status: "degraded",
            lastSequence: 9,
            lastCheckpointAt: null,
            verified: false,
            message: "record 7 was modified",
          }),
      },
    },
  },
  {
    name: "a tenant without an apex domain",
    id: "enforcer",
    // This build does not use the enforcer: a warning, not a failure.
    status: "warn",
    hint: /export THOTH_APEX_DOMAIN=/,
    tweak: { env: { ...HEALTHY_ENV, THOTH_APEX_DOMAIN: "" } },
  },
  {
    name: "an enforcer host that does not resolve",
    id: "enforcer",
    // This build does not use the enforcer: a warning, not a failure.
    status: "warn",
    hint: /check THOTH_TENANT_ID and THOTH_APEX_DOMAIN/,
    message: /cannot resolve "enforce\.acme\.example\.com": NXDOMAIN/,
    tweak: { host: { resolveHost: () => Promise.reject(new Error("NXDOMAIN")) } },
  },
  {
    name: "an enforcer that does not answer",
    id: "enforcer",
    // This build does not use the enforcer: a warning, not a failure.
    status: "warn",
    hint: /network, proxy and firewall/,
    message: /does not answer: connection refused/,
    tweak: {
      host: {
        resolveHost: () => Promise.resolve(["203.0.113.7"]),
        probeUrl: () => Promise.resolve({ reachable: false, detail: "connection refused" }),
      },
    },
  },
  {
    name: "no desktop session for approval dialogs",
    id: "approval_channels",
    status: "warn",
    hint: /zenity|thoth approvals/,
    tweak: { env: { ...HEALTHY_ENV, DISPLAY: "" } },
  },
  {
    name: "no machine id and only a host name",
    id: "endpoint_identity",
    status: "warn",
    hint: /THOTH_INTUNE_DEVICE_ID/,
    tweak: { host: { readMachineId: () => Promise.resolve(null) } },
  },
];

for (const c of broken) {
  Deno.test({
    name: `runDoctor() reports ${c.name} in the ${c.id} check with a hint`,
    ignore: c.posixOnly === true && !posix,
    fn: () =>
      withTempDir(async (home) => {
        const context = await healthy(home, c.tweak ?? {});
        await c.setup?.(home);
        const checks = await runDoctor(context);
        const check = find(checks, c.id);
        assert.equal(check.status, c.status ?? "fail", check.message);
        assert.match(check.hint ?? "", c.hint);
        if (c.message) assert.match(check.message, c.message);
        const others = checks.filter((x) =>
          x.id !== c.id && x.status !== "pass" && !(c.alsoAffected ?? []).includes(x.id) &&
          !isFleetNotice(x)
        );
        assert.deepEqual(others, [], "only the broken check changes");
      }),
  });
}

Deno.test("runDoctor() fails the runtime check on Deno 1", () =>
  withTempDir(async (home) => {
    const context = { ...await healthy(home), denoVersion: "1.46.3" };
    const check = find(await runDoctor(context), "runtime");
    assert.equal(check.status, "fail");
    assert.match(check.hint ?? "", /deno upgrade/);
  }));

Deno.test("runDoctor() turns a check that throws into a failure of that check only", () =>
  withTempDir(async (home) => {
    const context = await healthy(home, {
      host: { readMachineId: () => Promise.reject(new Error("boom")) },
    });
    const checks = await runDoctor(context);
    const check = find(checks, "endpoint_identity");
    assert.equal(check.status, "fail");
    assert.match(check.message, /could not run: boom/);
    assert.equal(checks.length, 14);
  }));

Deno.test("runDoctor() never shows a credential in any check", () =>
  withTempDir(async (home) => {
    const token = makeJwt({ exp: FIXED_NOW.getTime() / 1000 - 1, sub: "secret-subject" });
    const context = await healthy(home, {
      env: { ...HEALTHY_ENV, THOTH_RUNTIME_BEARER_TOKEN: token },
    });
    const text = JSON.stringify(await runDoctor(context));
    assert.ok(!text.includes(token));
    assert.ok(!text.includes("aten_key_1"));
  }));

Deno.test("runDoctor() reports a missing profile", () =>
  withTempDir(async (dir) => {
    const check = find(await runDoctor(testContext(`${dir}/absent`)), "profile");
    assert.equal(check.status, "fail");
    assert.match(check.message, /does not exist/);
  }));

Deno.test("runDoctor() skips file modes on Windows", () =>
  withTempDir(async (home) => {
    const context = await healthy(home, { os: "windows" });
    if (posix) await Deno.chmod(home, 0o777);
    assert.equal(find(await runDoctor(context), "profile").status, "pass");
  }));

Deno.test("formatDoctorReport() marks each status and prints hints under problems", () => {
  const text = formatDoctorReport([
    { id: "runtime", status: "pass", message: "ok", hint: null },
    { id: "audit", status: "warn", message: "no log", hint: "wait" },
    { id: "policy", status: "fail", message: "broken", hint: "fix it" },
  ]);
  assert.equal(
    text,
    [
      "✓ runtime  ok",
      "! audit    no log",
      "           hint: wait",
      "✗ policy   broken",
      "           hint: fix it",
      "",
      "3 checks: 1 passed, 1 warnings, 1 failed",
      "",
    ].join("\n"),
  );
});

/** Runs a doctor hint in a real POSIX shell, as a person pasting it would. */
async function paste(hint: string): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command("sh", { args: ["-c", hint], stdout: "null", stderr: "piped" })
    .output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test({
  name: "runDoctor()'s profile hint quotes a planted file name so pasting it runs nothing",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      const context = await healthy(home);
      const planted = `${home}/sessions/x$(echo INJECTED>&2).jwt`;
      await Deno.writeTextFile(planted, "t");
      await Deno.chmod(planted, 0o644);
      const check = find(await runDoctor(context), "profile");
      assert.equal(check.status, "fail");
      assert.equal(check.hint, `chmod 600 '${planted}'`);
      const pasted = await paste(check.hint ?? "");
      assert.equal(pasted.code, 0, pasted.stderr);
      assert.doesNotMatch(pasted.stderr, /INJECTED/);
      assert.equal((await Deno.stat(planted)).mode! & 0o777, 0o600);
      const quote = `${home}/sessions/it's.jwt`;
      await Deno.remove(planted);
      await Deno.writeTextFile(quote, "t");
      await Deno.chmod(quote, 0o640);
      const again = find(await runDoctor(context), "profile");
      assert.equal(again.hint, `chmod 600 '${home}/sessions/it'\\''s.jwt'`);
      assert.equal((await paste(again.hint ?? "")).code, 0);
      assert.equal((await Deno.stat(quote)).mode! & 0o777, 0o600);
    }),
});

Deno.test({
  name: "runDoctor() advises removing a credential file another user owns, not adopting it",
  ignore: !posix || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (home) => {
      const context = await healthy(home);
      const foreign = `${home}/sessions/acme--acme.example.com--admin-token.jwt`;
      await Deno.writeTextFile(foreign, makeJwt({ exp: FIXED_NOW.getTime() / 1000 + 3600 }));
      await Deno.chmod(foreign, 0o644);
      await Deno.chown(foreign, 65534, 65534);
      const check = find(await runDoctor(context), "profile");
      assert.equal(check.status, "fail");
      assert.match(
        check.message,
        /is owned by uid 65534, not you \(uid 0\): another user wrote it/,
      );
      assert.equal(check.hint, `rm -f '${foreign}'`);
      assert.doesNotMatch(check.hint ?? "", /chown|chmod/);
    }),
});

Deno.test({
  name: "runDoctor() checks the modes of the key and token files the environment names",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/home`;
      const shared = `${dir}/shared`;
      await Deno.mkdir(shared);
      await Deno.chmod(shared, 0o777);
      const keyFile = `${shared}/key.json`;
      const tokenFile = `${shared}/token`;
      await Deno.writeTextFile(keyFile, '{"version":1,"api_key":"aten_key_2"}');
      await Deno.chmod(keyFile, 0o666);
      await Deno.writeTextFile(tokenFile, makeJwt({ exp: FIXED_NOW.getTime() / 1000 + 7200 }));
      await Deno.chmod(tokenFile, 0o600);
      await Deno.mkdir(home, { mode: 0o700 });
      await Deno.chmod(home, 0o700);
      const context = await healthy(home, {
        env: { ...HEALTHY_ENV, THOTH_API_KEY_FILE: keyFile, THOTH_AUTH_TOKEN_FILE: tokenFile },
      });
      const check = find(await runDoctor(context), "profile");
      assert.equal(check.status, "fail");
      assert.match(check.message, /THOTH_API_KEY_FILE ".*key\.json" is 0666; it holds a secret/);
      assert.match(check.message, /the folder of THOTH_API_KEY_FILE, ".*shared", is 0777/);
      assert.doesNotMatch(check.message, /THOTH_AUTH_TOKEN_FILE ".*token" is 0/);
      assert.equal(
        check.hint,
        `chmod 600 '${keyFile}' && chmod go-w '${shared}'`,
      );
      assert.equal((await paste(check.hint ?? "")).code, 0);
      assert.equal(find(await runDoctor(context), "profile").status, "pass");
    }),
});

Deno.test("runDoctor() reports a profile that could not be set up, and runs the other checks", () =>
  withTempDir(async (home) => {
    const context = {
      ...await healthy(home),
      profileSetupProblem: {
        message: `cannot set up the profile "${home}" (at "${home}/sessions"): permission denied`,
        hint:
          `make "${home}/sessions" yours (or remove it if you did not put it there), then run again`,
      },
    };
    const checks = await runDoctor(context);
    const check = find(checks, "profile");
    assert.equal(check.status, "fail");
    assert.match(check.message, /^cannot set up the profile ".*" \(at ".*\/sessions"\)/);
    assert.match(check.hint ?? "", /make ".*\/sessions" yours/);
    assert.equal(checks.length, 14);
  }));

Deno.test({
  name: "runDoctor() run as root judges a user's profile against that user, not root",
  ignore: !posix || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (home) => {
      const context = await healthy(home);
      // The profile as its user keeps it: everything theirs (what a management
      // tool polling as root finds on a user's machine).
      for (const entry of Deno.readDirSync(home)) {
        await Deno.chown(`${home}/${entry.name}`, 65534, 65534);
      }
      await Deno.chown(home, 65534, 65534);
      assert.equal(find(await runDoctor(context), "profile").status, "pass");
      // A key root left in it, private to root: trusted, as thoth run trusts it.
      await Deno.chown(`${home}/proxy_api_key.json`, 0, 0);
      assert.equal(find(await runDoctor(context), "profile").status, "pass");
      // Readable by others, it is judged against the user, who cannot make it 0600.
      await Deno.chmod(`${home}/proxy_api_key.json`, 0o644);
      const check = find(await runDoctor(context), "profile");
      assert.equal(check.status, "fail");
      assert.match(
        check.message,
        /owned by root, so the profile's owner \(uid 65534\) cannot make it 0600/,
      );
    }),
});

Deno.test({
  name: "runDoctor()'s fix for a symbolic link in the profile is a command that works when pasted",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/home`;
      const context = await healthy(home);
      await Deno.mkdir(`${dir}/elsewhere`);
      await Deno.writeTextFile(`${dir}/elsewhere/segment`, "kept");
      await Deno.remove(`${home}/audit`, { recursive: true }).catch(() => {});
      await Deno.symlink(`${dir}/elsewhere`, `${home}/audit`);
      await Deno.chmod(`${home}/proxy_api_key.json`, 0o644);
      const before = find(await runDoctor(context), "profile");
      assert.equal(before.status, "fail");
      const pasted = await new Deno.Command("sh", { args: ["-c", before.hint ?? "false"] })
        .output();
      assert.ok(pasted.success, new TextDecoder().decode(pasted.stderr));
      assert.equal((await Deno.lstat(`${home}/audit`)).isDirectory, true);
      assert.equal(await Deno.readTextFile(`${home}/audit/segment`), "kept");
      assert.equal(find(await runDoctor(context), "profile").status, "pass");
    }),
});

Deno.test({
  name: "runDoctor() run as root fails root's own profile in a place thoth run as root refuses",
  ignore: !posix || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/user/thoth`;
      const context = await healthy(home);
      // root's profile, under a folder a user owns (who could swap it between steps)
      await Deno.chown(`${dir}/user`, 65534, 65534);
      const check = find(await runDoctor(context), "profile");
      assert.equal(check.status, "fail");
      assert.match(check.message, /thoth runs as root, and the profile .* belongs to uid 65534/);
    }),
});

Deno.test({
  name: "runDoctor()'s fix for a missing intent map is quoted for the shell",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/it's $(home)`;
      const context = await healthy(home);
      await Deno.remove(`${home}/intent_map.json`);
      const check = find(await runDoctor(context), "intent_map");
      assert.equal(check.status, "warn");
      const pasted = await new Deno.Command("sh", {
        args: ["-c", check.hint!.replace(/^create it with: /, "")],
      })
        .output();
      assert.ok(pasted.success, new TextDecoder().decode(pasted.stderr));
      assert.equal(await Deno.readTextFile(`${home}/intent_map.json`), "{}\n");
    }),
});

Deno.test({
  name: "runDoctor() fails a key or token file, or its folder, that another user owns",
  ignore: !posix || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/home`;
      const theirs = `${dir}/theirs`;
      const mine = `${dir}/mine`;
      await Deno.mkdir(theirs, { mode: 0o755 });
      await Deno.chmod(theirs, 0o755);
      await Deno.chown(theirs, 65534, 65534);
      await Deno.mkdir(mine, { mode: 0o755 });
      await Deno.chmod(mine, 0o755);
      const keyFile = `${mine}/key.json`;
      const tokenFile = `${theirs}/token`;
      await Deno.writeTextFile(keyFile, '{"version":1,"api_key":"aten_key_3"}');
      await Deno.chmod(keyFile, 0o600);
      await Deno.chown(keyFile, 65534, 65534);
      await Deno.writeTextFile(tokenFile, makeJwt({ exp: FIXED_NOW.getTime() / 1000 + 7200 }));
      await Deno.chmod(tokenFile, 0o600);
      await Deno.mkdir(home, { mode: 0o700 });
      await Deno.chmod(home, 0o700);
      const env = { ...HEALTHY_ENV, THOTH_API_KEY_FILE: keyFile, THOTH_AUTH_TOKEN_FILE: tokenFile };
      const check = find(await runDoctor(await healthy(home, { env })), "profile");
      assert.equal(check.status, "fail");
      assert.match(
        check.message,
        /THOTH_API_KEY_FILE ".*key\.json" is owned by uid 65534, not you \(uid 0\) or root: that user can change the credential/,
      );
      assert.match(
        check.message,
        /the folder of THOTH_AUTH_TOKEN_FILE, ".*theirs", is owned by uid 65534, not you \(uid 0\) or root: that user can replace the file/,
      );
      const copy = `${home}/thoth_api_key_file.own`;
      const tokenCopy = `${home}/thoth_auth_token_file.own`;
      assert.equal(
        check.hint,
        `install -m 600 '${keyFile}' '${copy}' && install -m 600 '${tokenFile}' '${tokenCopy}'`,
      );
      assert.equal((await paste(check.hint ?? "")).code, 0);
      assert.equal((await Deno.stat(copy)).mode! & 0o777, 0o600);
      const fixed = { ...HEALTHY_ENV, THOTH_API_KEY_FILE: copy, THOTH_AUTH_TOKEN_FILE: tokenCopy };
      assert.equal(
        find(await runDoctor(await healthy(home, { env: fixed })), "profile").status,
        "pass",
      );
      // Judged where it really is: not by a path that only looks inside the profile.
      const sneaky = { ...HEALTHY_ENV, THOTH_API_KEY_FILE: `${home}/../mine/key.json` };
      const through = find(await runDoctor(await healthy(home, { env: sneaky })), "profile");
      assert.match(
        through.message,
        /home\/\.\.\/mine\/key\.json" \(.*\/mine\/key\.json\) is owned by uid 65534/,
      );
      // A file in the profile that the profile check does not inspect itself is judged too.
      await Deno.chown(copy, 65534, 65534);
      const inside = find(await runDoctor(await healthy(home, { env: fixed })), "profile");
      assert.match(inside.message, /thoth_api_key_file\.own" is owned by uid 65534/);
    }),
});

Deno.test({
  name: "runDoctor() as root for a user's profile makes the user's own copy of a foreign key file",
  ignore: !posix || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/home`;
      await Deno.mkdir(home, { mode: 0o700 });
      await Deno.chmod(home, 0o700);
      const keyFile = `${dir}/key.json`;
      await Deno.writeTextFile(keyFile, '{"version":1,"api_key":"aten_key_4"}');
      await Deno.chmod(keyFile, 0o600);
      await Deno.chown(keyFile, 65534, 65534);
      const env = { ...HEALTHY_ENV, THOTH_API_KEY_FILE: keyFile };
      const context = await healthy(home, { env });
      await new Deno.Command("chown", { args: ["-R", "1000:1000", home] }).output();
      const check = find(await runDoctor(context), "profile");
      assert.match(
        check.message,
        /owned by uid 65534, not the profile's owner \(uid 1000\) or root/,
      );
      const copy = `${home}/thoth_api_key_file.own`;
      assert.equal(check.hint, `install -m 600 -o 1000 '${keyFile}' '${copy}'`);
      assert.equal((await paste(check.hint ?? "")).code, 0);
      assert.equal((await Deno.stat(copy)).uid, 1000, "the copy is the user's, readable by them");
    }),
});

Deno.test({
  name: "runDoctor() judges the folder a key file is named in too: a link there can be swapped",
  ignore: !posix || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/home`;
      const shared = `${dir}/shared`;
      const privateDir = `${dir}/private`;
      const theirs = `${dir}/theirs`;
      for (
        const [folder, mode] of [[shared, 0o777], [privateDir, 0o700], [theirs, 0o755]] as const
      ) {
        await Deno.mkdir(folder);
        await Deno.chmod(folder, mode);
      }
      await Deno.chown(theirs, 65534, 65534);
      await Deno.writeTextFile(`${privateDir}/key.json`, '{"version":1,"api_key":"aten_key_5"}');
      await Deno.chmod(`${privateDir}/key.json`, 0o600);
      await Deno.symlink(`${privateDir}/key.json`, `${shared}/key.json`);
      const tokenFile = `${theirs}/token`;
      await Deno.writeTextFile(tokenFile, makeJwt({ exp: FIXED_NOW.getTime() / 1000 + 7200 }));
      await Deno.chmod(tokenFile, 0o600);
      await Deno.mkdir(home, { mode: 0o700 });
      await Deno.chmod(home, 0o700);
      const env = {
        ...HEALTHY_ENV,
        THOTH_API_KEY_FILE: `${shared}/key.json`,
        THOTH_AUTH_TOKEN_FILE: tokenFile,
      };
      const check = find(await runDoctor(await healthy(home, { env })), "profile");
      assert.equal(check.status, "fail");
      assert.match(check.message, /the folder of THOTH_API_KEY_FILE, ".*shared", is 0777/);
      assert.match(
        check.message,
        /the folder of THOTH_AUTH_TOKEN_FILE, ".*theirs", is owned by uid 65534.*set THOTH_AUTH_TOKEN_FILE to a copy/,
      );
      assert.match(check.hint ?? "", /chmod go-w '.*shared'/);
      assert.match(
        check.hint ?? "",
        /install -m 600 '.*theirs\/token' '.*thoth_auth_token_file\.own'/,
      );
    }),
});
