/**
 * `thoth doctor` starts a governed entry's thoth command only to ask its
 * version, and then only safely: never one a project's config names (a
 * repository can carry one), never `deno` (it runs whatever it is given),
 * with no credentials in its environment, outside the folder doctor runs
 * in, and with nothing it started left running.
 */
import assert from "node:assert/strict";
import { verifyThothLaunch } from "../../src/doctor/verify_thoth_launch.ts";
import { doctorWithDiscovery, withTempDir } from "../doctor/_helpers.ts";
import { processState } from "../e2e/_harness.ts";

const UNIX = Deno.build.os !== "windows";

const doctor = doctorWithDiscovery;

/** A script at `path` that writes `marker` (with its cwd and environment) and prints `line`. */
async function recorder(path: string, marker: string, line = "thoth 0.1.0 (x; commit y)") {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\n{ pwd; env; } > '${marker}'\necho '${line}'\n`,
    { mode: 0o755 },
  );
}

const governed = (command: string, before: string[] = []) => ({
  command,
  args: [...before, "run", "--agent-id", "docs", "--", "npx", "-y", "docs-server"],
});

Deno.test({
  name: "thoth doctor starts nothing a project's config names, even a thoth-named program",
  ignore: !UNIX,
  fn: () =>
    withTempDir(async (dir) => {
      const repo = `${dir}/repo`;
      const marker = `${dir}/ran`;
      await recorder(`${repo}/bin/thoth`, marker);
      await Deno.writeTextFile(
        `${dir}/.claude.json`,
        JSON.stringify({ projects: { [repo]: { hasTrustDialogAccepted: false } } }),
      );
      await Deno.writeTextFile(
        `${repo}/.mcp.json`,
        JSON.stringify({ mcpServers: { docs: governed(`${repo}/bin/thoth`) } }),
      );
      const { line } = await doctor(dir);
      assert.ok(!await Deno.stat(marker).then(() => true, () => false), "the program ran");
      assert.match(line ?? "", /was not started: it is named by a project's config/);
    }),
});

Deno.test({
  name: "thoth doctor does not start a deno command that stands for thoth's source form",
  ignore: !UNIX,
  fn: () =>
    withTempDir(async (dir) => {
      const marker = `${dir}/ran`;
      const code = `Deno.writeTextFileSync(${JSON.stringify(marker)}, "x")`;
      await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
      await Deno.writeTextFile(
        `${dir}/.config/Claude/claude_desktop_config.json`,
        JSON.stringify({
          mcpServers: { docs: governed(Deno.execPath(), ["eval", code, "mod.ts"]) },
        }),
      );
      const { line } = await doctor(dir);
      assert.ok(!await Deno.stat(marker).then(() => true, () => false), "deno eval ran");
      assert.match(line ?? "", /deno runs whatever script and flags it is given/);
    }),
});

Deno.test({
  name:
    "the version probe gets no credentials, runs outside doctor's folder, and leaves nothing running",
  ignore: !UNIX,
  fn: () =>
    withTempDir(async (dir) => {
      const marker = `${dir}/env`;
      const thoth = `${dir}/bin/thoth`;
      await recorder(thoth, marker);
      const check = await verifyThothLaunch([thoth], "/usr/bin:/bin", {
        self: ["/elsewhere/thoth"],
        os: Deno.build.os,
        uid: 1000,
        scope: "user",
        env: { HOME: dir, THOTH_API_KEY: "sk-secret-value-123", AWS_SECRET_ACCESS_KEY: "x" },
      });
      assert.equal(check.outcome, "verified", check.detail);
      const [cwd, ...env] = (await Deno.readTextFile(marker)).trim().split("\n");
      assert.equal(cwd, "/");
      assert.ok(!env.some((l) => /THOTH_API_KEY|AWS_SECRET/.test(l)), env.join("\n"));
      assert.ok(env.includes(`HOME=${dir}`) && env.includes("PATH=/usr/bin:/bin"), env.join("\n"));

      // A program that starts another and never answers: not thoth, and nothing left behind.
      const hanging = `${dir}/bin/hangs`;
      const pidFile = `${dir}/child.pid`;
      await Deno.writeTextFile(
        hanging,
        `#!/bin/sh\nsleep 300 </dev/null >/dev/null 2>&1 &\necho $! > '${pidFile}'\nsleep 300\n`,
        { mode: 0o755 },
      );
      const hung = await verifyThothLaunch([hanging], "/usr/bin:/bin", {
        self: ["/elsewhere/thoth"],
        os: Deno.build.os,
        uid: 1000,
        scope: "user",
        env: {},
        timeoutMs: 500,
      });
      assert.equal(hung.outcome, "not_thoth", hung.detail);
      assert.match(hung.detail, /did not answer within 0\.5 s/);
      const child = Number((await Deno.readTextFile(pidFile)).trim());
      let state = await processState(child);
      for (let i = 0; i < 20 && state !== undefined && state !== "Z"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await processState(child);
      }
      try {
        assert.ok(state === undefined || state === "Z", `process ${child} still runs (${state})`);
      } finally {
        try {
          Deno.kill(child, "SIGKILL");
        } catch {
          // Gone, as it should be.
        }
      }
    }),
});

Deno.test("thoth doctor tells apart one server name in two Claude Code scopes of one file", () =>
  withTempDir(async (dir) => {
    const server = { command: "/usr/bin/env", args: ["true"] };
    await Deno.writeTextFile(
      `${dir}/.claude.json`,
      JSON.stringify({
        mcpServers: { cc1: server },
        projects: { [`${dir}/proj`]: { mcpServers: { cc1: server } } },
      }),
    );
    const { line } = await doctor(dir);
    assert.match(line ?? "", /not governed: cc1, cc1 \([^)]*\/proj\)/, line);
  }));

Deno.test("the thoth check starts nothing as root, nothing relative, no deno.cmd, and quotes what a config says", async () => {
  await withTempDir(async (dir) => {
    const thoth = `${dir}/bin/thoth`;
    const marker = `${dir}/ran`;
    await recorder(thoth, marker);
    const base = { self: ["/elsewhere/thoth"], os: Deno.build.os, env: {}, scope: "user" as const };
    // Root, even for a config root owns: its owner may change before the program starts.
    const root = await verifyThothLaunch([thoth], "/usr/bin:/bin", {
      ...base,
      uid: 0,
      configOwner: 0,
    });
    assert.equal(root.outcome, "unverified");
    assert.match(root.detail, /thoth runs as root here and starts no program a config names/);
    // A relative path is the client's to resolve, from a folder doctor does not know.
    const relative = await verifyThothLaunch(["bin/thoth"], "/usr/bin:/bin", {
      ...base,
      uid: 1000,
    });
    assert.equal(relative.outcome, "unverified");
    assert.match(
      relative.detail,
      /a relative path is resolved against the client's working folder/,
    );
    assert.ok(!await Deno.stat(marker).then(() => true, () => false), "nothing ran");
    // Windows' command files for deno run whatever they are given too.
    const cmd = await verifyThothLaunch(["deno", "eval", "x", "thoth.ts"], "C:\\tools", {
      ...base,
      os: "windows",
      uid: null,
      isExecutable: (path) => Promise.resolve(/deno\.cmd$/i.test(path)),
    });
    assert.equal(cmd.outcome, "unverified", cmd.detail);
    assert.match(cmd.detail, /deno runs whatever script and flags it is given/);
    // Escape sequences in a config's command reach no terminal.
    const evil = `${dir}/\u001b[2J\u001b[32m✓ all governed/thoth`;
    const shown = await verifyThothLaunch([evil], "/usr/bin:/bin", { ...base, uid: 1000 });
    assert.ok(!shown.detail.includes("\u001b"), JSON.stringify(shown.detail));
  });
});

Deno.test("thoth doctor prints no escape sequence a config's server name carries", () =>
  withTempDir(async (dir) => {
    const repo = `${dir}/evilrepo`;
    await Deno.mkdir(repo);
    await Deno.writeTextFile(
      `${dir}/.claude.json`,
      JSON.stringify({ projects: { [repo]: {} } }),
    );
    await Deno.writeTextFile(
      `${repo}/.mcp.json`,
      JSON.stringify({
        mcpServers: { "x\u001b[2J\u001b[32m✓ all governed": { command: "/usr/bin/env" } },
      }),
    );
    const { stdout } = await doctor(dir);
    assert.ok(!stdout.includes("\u001b"), JSON.stringify(stdout));
    assert.match(stdout, /x\?\[2J\?\[32m✓ all governed/);
  }));
