/**
 * Review findings on `thoth doctor`: a governed entry's thoth command is
 * checked to be thoth (the same file as this thoth, or a real process that
 * answers `--version` as thoth does), not taken on its name; and Claude
 * Code's servers are judged against the user's PATH, not a desktop app's.
 */
import assert from "node:assert/strict";
import { checkUpstreamPath } from "../../src/doctor/check_upstream_path.ts";
import { readThothVersion, verifyThothLaunch } from "../../src/doctor/verify_thoth_launch.ts";
import { doctorWithDiscovery, testContext, withTempDir } from "../doctor/_helpers.ts";

const UNIX = Deno.build.os !== "windows";

/** A shell script at `path` that prints `line` and exits. */
async function script(path: string, line: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, `#!/bin/sh\necho '${line}'\n`, { mode: 0o755 });
}

/** A Claude Desktop config under `dir` whose one server is wrapped with `thoth`. */
async function wrappedWith(dir: string, thoth: string): Promise<string> {
  const path = `${dir}/.config/Claude/claude_desktop_config.json`;
  await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      mcpServers: {
        fs: {
          command: thoth,
          args: ["run", "--agent-id", "fs", "--enforcement-mode", "block", "--", "/bin/cat"],
        },
      },
    }),
  );
  return path;
}

const doctor = doctorWithDiscovery;

Deno.test({
  name: "thoth doctor does not count a binary named thoth that answers otherwise as governed",
  ignore: !UNIX,
  fn: () =>
    withTempDir(async (dir) => {
      const fake = `${dir}/bin/thoth`;
      await script(fake, "not thoth at all");
      await wrappedWith(dir, fake);
      const { code, stdout, line } = await doctor(dir);
      assert.equal(code, 1, stdout);
      assert.match(
        line ?? "",
        new RegExp(
          `^✗ client_configs +1 client config, 0 of 1 servers governed; fs: not governed: ` +
            `"${fake} --version" printed "not thoth at all" \\(exit code 0\\), where thoth prints`,
        ),
      );
      assert.match(line ?? "", /not checked: that it is an unmodified thoth release/);
    }),
});

Deno.test({
  name:
    "thoth doctor counts a binary that answers --version as thoth as governed, and says what it checked",
  ignore: !UNIX,
  fn: () =>
    withTempDir(async (dir) => {
      const thoth = `${dir}/bin/thoth`;
      await script(thoth, "thoth 0.1.0 (x86_64-unknown-linux-gnu; commit abc123)");
      await wrappedWith(dir, thoth);
      const { line } = await doctor(dir);
      assert.match(
        line ?? "",
        /^✓ client_configs +1 client config, 1 of 1 servers governed; thoth command checked for 1 of 1 entry written as thoth run \(it is the same file as this thoth, or "--version" answers like thoth\); not checked: that it is an unmodified thoth release$/,
      );
    }),
});

Deno.test("verifyThothLaunch() knows this thoth by its file, a missing one, and starts nothing as root from a config root does not own", () =>
  withTempDir(async (dir) => {
    const thoth = `${dir}/thoth`;
    await script(thoth, "anything");
    const link = `${dir}/link-to-thoth`;
    await Deno.symlink(thoth, link);
    const base = { os: Deno.build.os, uid: 1000, env: {} };
    assert.deepEqual(await verifyThothLaunch([link], "", { ...base, self: [thoth] }), {
      outcome: "verified",
      detail: "the same file as this thoth",
    });
    const missing = await verifyThothLaunch([`${dir}/thoht`], "", { ...base, self: [thoth] });
    assert.equal(missing.outcome, "missing");
    assert.match(missing.detail, /is not an executable file: the client cannot start this server/);
    const root = await verifyThothLaunch([thoth], "", {
      ...base,
      uid: 0,
      configOwner: 1000,
      self: ["/elsewhere/thoth"],
    });
    assert.equal(root.outcome, "unverified");
    assert.match(root.detail, /was not started: thoth runs as root here/);
  }));

Deno.test("readThothVersion() takes thoth's own version line only", () => {
  assert.equal(
    readThothVersion("thoth 0.1.0 (aarch64-apple-darwin; commit 1a2b3c)\n"),
    "thoth 0.1.0 (aarch64-apple-darwin; commit 1a2b3c)",
  );
  assert.equal(readThothVersion("thothctl 0.1.0 (x; commit y)\n"), null);
  assert.equal(readThothVersion("true (GNU coreutils) 9.1\n"), null);
  assert.equal(readThothVersion(""), null);
});

Deno.test("upstream_path judges Claude Code's servers on the user's PATH and Claude Desktop's on the minimal one", async () => {
  const userBin = "/home/ana/.local/bin";
  const executables = [`${userBin}/mymcp`];
  const report = (client: string) => ({
    client,
    configPath: "/c.json",
    servers: [{ name: "mine", governed: false, command: "mymcp", upstreamCommand: null }],
  });
  const context = testContext("/nowhere", {
    env: { PATH: `${userBin}:/usr/bin` },
    host: { isExecutable: (path) => Promise.resolve(executables.includes(path)) },
  });
  const code = await checkUpstreamPath(context, [report("claude-code")]);
  assert.equal(code.status, "pass", code.message);
  assert.equal(code.message, "1 command found on Claude Code's PATH (your PATH)");
  const desktop = await checkUpstreamPath(context, [report("claude-desktop")]);
  assert.equal(desktop.status, "fail");
  assert.match(desktop.message, /^not found on the desktop client's PATH \(/);
});
