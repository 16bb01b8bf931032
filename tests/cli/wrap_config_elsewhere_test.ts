/**
 * What wrap-config may not fail on (exit 1) although a server it writes would
 * not start as judged here: a tenant's THOTH_USER_ID that only the client's
 * own environment could supply (a warning, with or without a user id in this
 * shell), and, with --thoth-path-elsewhere, what only this machine's profile
 * refuses (its policy, its intent map, a --policy file missing here): the
 * machines the config is for have their own. Every other refusal still exits
 * 1, and the summary names the file written (the --output file when given).
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

/** A thoth path that is a file only on the machines the config is for. */
const ELSEWHERE = "/srv/fleet/bin/thoth";

/** This machine: the server's command is here, thoth is not at ELSEWHERE. */
const HERE = { isFile: (path: string) => path === "/usr/bin/mcp-clock" };

const BASE = JSON.stringify({
  mcpServers: { everything: { command: "/usr/bin/mcp-clock", args: ["--all"] } },
});

const PROFILE_LINE =
  /^thoth: warning: "everything" would not start with this machine's profile: intent "coding" is not in the policy \(the default policy/m;

Deno.test("--thoth-path-elsewhere: an intent this machine's policy does not define is a warning, exit 0", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    await Deno.writeTextFile(`${dir}/im.json`, '{"everything": "coding"}');
    const flags = ["--thoth-path", ELSEWHERE, "--thoth-path-elsewhere", "--intent-map", "im.json"];
    for (const dryRun of [true, false]) {
      const run = await thoth(
        [
          "wrap-config",
          ...flags,
          ...(dryRun ? ["--dry-run"] : []),
          "--output",
          "out1.json",
          "base.json",
        ],
        { cwd: dir, deps: HERE },
      );
      assert.equal(run.code, 0, run.err);
      assert.doesNotMatch(run.err, /^thoth: error:/m);
      assert.match(run.err, PROFILE_LINE);
      assert.match(
        run.err,
        new RegExp(
          `^thoth: warning: 1 server\\(s\\) ${
            dryRun ? "that would be written" : "written"
          } to \\S*out1\\.json would not start with this machine's profile \\(as each line above says\\): "everything"; with --thoth-path-elsewhere this is no error: they were judged against this machine's profile`,
          "m",
        ),
      );
      assert.match(run.err, /^thoth: hint: check on a machine the config is for/m);
    }
    assert.match(await Deno.readTextFile(`${dir}/out1.json`), /"--intent", "coding"/);
  });
});

Deno.test("--thoth-path-elsewhere: any other refusal still exits 1", async () => {
  await inTempDir(async (dir) => {
    // Already wrapped with a THOTH_* value thoth run refuses on any machine.
    await Deno.writeTextFile(
      `${dir}/base.json`,
      JSON.stringify({
        mcpServers: {
          everything: {
            command: ELSEWHERE,
            args: ["run", "--agent-id", "everything", "--enforcement-mode", "block", "--"]
              .concat(["/usr/bin/mcp-clock"]),
            env: { THOTH_APEX_DOMAIN: "not a domain" },
          },
        },
      }),
    );
    const run = await thoth(
      ["wrap-config", "--thoth-path", ELSEWHERE, "--thoth-path-elsewhere", "base.json"],
      { cwd: dir, deps: HERE },
    );
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /^thoth: error: "everything" will not start: THOTH_APEX_DOMAIN /m);
    assert.doesNotMatch(run.err, /this machine's profile/);
  });
});

Deno.test("a tenant with THOTH_USER_ID only in this shell is a warning, exit 0", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    const run = await thoth(
      ["wrap-config", "--tenant-id", "acme", "--output", "out2.json", "base.json"],
      { cwd: dir, env: { THOTH_USER_ID: "ana@example.com", THOTH_APEX_DOMAIN: "example.com" } },
    );
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.err,
      /^thoth: warning: no THOTH_USER_ID written for tenant "acme": thoth run refuses to start "everything" unless the client's own environment sets THOTH_USER_ID/m,
    );
    assert.doesNotMatch(run.err, /^thoth: error:/m);
    assert.match(await Deno.readTextFile(`${dir}/out2.json`), /"--tenant-id", "acme"/);
  });
});

Deno.test("--thoth-path-elsewhere with a tenant and no user id (set system-wide there) is a warning, exit 0", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    const run = await thoth(
      [
        "wrap-config",
        "--thoth-path",
        ELSEWHERE,
        "--thoth-path-elsewhere",
        "--tenant-id",
        "acme",
        "--output",
        "out3.json",
        "base.json",
      ],
      { cwd: dir, deps: HERE },
    );
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /^thoth: warning: no THOTH_USER_ID written for tenant "acme"/m);
    assert.doesNotMatch(run.err, /^thoth: error:/m);
  });
});

Deno.test("--thoth-path-elsewhere: a --policy file that exists only on the targets is a warning, exit 0", async () => {
  await inTempDir(async (dir) => {
    const policy = `${dir}/targets-only/policy.jsonc`;
    await Deno.writeTextFile(
      `${dir}/base.json`,
      JSON.stringify({
        mcpServers: {
          everything: {
            command: ELSEWHERE,
            args: ["run", "--agent-id", "everything", "--enforcement-mode", "block"]
              .concat(["--policy", policy, "--", "/usr/bin/mcp-clock"]),
          },
        },
      }),
    );
    const args = ["--thoth-path", ELSEWHERE, "--output", "out4.json", "base.json"];
    const run = await thoth(["wrap-config", "--thoth-path-elsewhere", ...args], {
      cwd: dir,
      deps: HERE,
    });
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.err,
      /^thoth: warning: "everything" would not start with this machine's profile: cannot read policy ".*targets-only\/policy\.jsonc": no such file/m,
    );
    assert.match(run.err, /^thoth: warning: 1 server\(s\) written to \S*out4\.json would not/m);
    assert.doesNotMatch(run.err, /^thoth: error:/m);

    // Judged for this machine (thoth is here too), it is an error.
    const here = await thoth(["wrap-config", "--replace-output", ...args], {
      cwd: dir,
      deps: { isFile: (path) => path === ELSEWHERE || HERE.isFile(path) },
    });
    assert.equal(here.code, 1, here.err);
    assert.match(here.err, /^thoth: error: "everything" will not start: cannot read policy/m);
  });
});

Deno.test("the summary of servers that will not start names the --output file, not INPUT", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    await Deno.writeTextFile(`${dir}/im.json`, '{"everything": "coding"}');
    for (const dryRun of [true, false]) {
      const run = await thoth(
        [
          "wrap-config",
          "--intent-map",
          "im.json",
          ...(dryRun ? ["--dry-run"] : []),
          "--output",
          "out5.json",
          "base.json",
        ],
        { cwd: dir },
      );
      assert.equal(run.code, 1, run.err);
      assert.match(
        run.err,
        new RegExp(
          `^thoth: error: 1 server\\(s\\) ${
            dryRun ? "that would be written" : "written"
          } to \\S*/out5\\.json will not start, because thoth run refuses them`,
          "m",
        ),
      );
      assert.doesNotMatch(run.err, /to \S*base\.json will not start/);
    }
  });
});

Deno.test("wrap-config --help says which refusals are warnings", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", "--help"], { cwd: dir });
    assert.equal(run.code, 0);
    const text = run.out.replace(/\s+/g, " ");
    assert.match(
      text,
      /unless the client's own environment sets THOTH_USER_ID. Only that environment could still supply it .* never exit 1/,
    );
    assert.match(text, /a line naming the file written \(the --output file when given\)/);
    assert.match(
      text,
      /With --thoth-path-elsewhere, what only this machine's profile makes thoth run refuse .* is a warning that says so, not exit 1/,
    );
    assert.match(text, /--intent-map .* exits 1 \(a warning with --thoth-path-elsewhere\)/);
  });
});
