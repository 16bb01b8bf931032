/**
 * `wrap-config` (`upstreamPathWarning`) and `thoth doctor` (`guiClientPath`,
 * the `upstream_path` check) judge an upstream command against one model of
 * the PATH a GUI client gives its servers, on every OS.
 */
import assert from "node:assert/strict";
import { guiClientFolders, upstreamPathWarning } from "../../src/config/upstream_path_warning.ts";
import { guiClientPath } from "../../src/doctor/gui_client_path.ts";
import { findExecutable } from "../../src/platform/find_executable.ts";
import { runDoctor } from "../../src/doctor/run_doctor.ts";
import { testContext, withTempDir } from "../doctor/_helpers.ts";

/** Whether doctor finds `command` on the GUI PATH, and whether wrap-config is silent about it. */
async function bothFind(
  command: string,
  os: string,
  env: Record<string, string>,
  files: readonly string[],
): Promise<[boolean, boolean]> {
  const isFile = (path: string) => files.includes(path);
  const doctor = await findExecutable(
    command,
    guiClientPath(os, env),
    os,
    (path) => Promise.resolve(isFile(path)),
  );
  const userPath = env["PATH"] ?? env["Path"] ?? "";
  const wrap = upstreamPathWarning(command, { os, isFile, userPath });
  return [doctor !== null, wrap === undefined];
}

Deno.test("guiClientPath() is wrap-config's model of the GUI client's PATH on macOS and Linux", () => {
  for (const os of ["darwin", "linux"]) {
    assert.deepEqual(
      guiClientPath(os, { PATH: "/opt/homebrew/bin" }).split(":"),
      guiClientFolders(os, {}),
    );
    const warning = upstreamPathWarning("uvx", { os, isFile: () => false }) ?? "";
    assert.ok(warning.includes(`(${guiClientPath(os, {})})`), warning);
  }
  assert.equal(guiClientPath("darwin", {}), "/usr/bin:/bin:/usr/sbin:/sbin");
  assert.equal(
    guiClientPath("linux", {}),
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  );
});

Deno.test("doctor and wrap-config agree on which commands a GUI client finds", async () => {
  // Linux: /sbin and /usr/local/sbin are on a desktop session's PATH.
  assert.deepEqual(await bothFind("mcp-x", "linux", {}, ["/sbin/mcp-x"]), [true, true]);
  assert.deepEqual(
    await bothFind("npx", "linux", { PATH: "/home/a/.nvm/bin" }, [
      "/home/a/.nvm/bin/npx",
    ]),
    [false, false],
  );
  // macOS: Homebrew is not on launchd's PATH.
  assert.deepEqual(
    await bothFind("npx", "darwin", { PATH: "/opt/homebrew/bin" }, ["/opt/homebrew/bin/npx"]),
    [false, false],
  );
  // Windows: a GUI app gets the PATH Windows keeps for the user, so npx.cmd under
  // Program Files\nodejs is found; a command on no folder of it is not.
  const windows = { Path: "C:\\Windows\\system32;C:\\Program Files\\nodejs" };
  const npx = ["C:\\Program Files\\nodejs\\npx.cmd"];
  assert.deepEqual(await bothFind("npx", "windows", windows, npx), [true, true]);
  assert.deepEqual(await bothFind("uvx", "windows", windows, npx), [false, false]);
  assert.match(
    upstreamPathWarning("uvx", { os: "windows", isFile: () => false, userPath: windows.Path }) ??
      "",
    /^"uvx" is not on the PATH a GUI client gives its servers .*"where\.exe uvx"/,
  );
  assert.match(
    upstreamPathWarning(".\\s.js", { os: "windows", isFile: () => false }) ?? "",
    /relative path/,
  );
  assert.equal(
    upstreamPathWarning("C:\\tools\\mcp.exe", {
      os: "windows",
      isFile: (p) => p === "C:\\tools\\mcp.exe",
    }),
    undefined,
  );
  // Without a PATH at all, the system folders every Windows PATH starts with.
  assert.equal(
    guiClientPath("windows", { SystemRoot: "D:\\Win" }),
    "D:\\Win\\system32;D:\\Win;D:\\Win\\System32\\Wbem;D:\\Win\\System32\\WindowsPowerShell\\v1.0",
  );
});

Deno.test("runDoctor() finds on Windows an upstream command on the user's PATH, as wrap-config does", () =>
  withTempDir(async (home) => {
    const executables = ["C:\\thoth\\thoth.exe", "C:\\Program Files\\nodejs\\npx.cmd"];
    const context = testContext(home, {
      os: "windows",
      env: { Path: "C:\\Windows\\system32;C:\\Program Files\\nodejs" },
      host: { isExecutable: (path) => Promise.resolve(executables.includes(path)) },
      plugins: {
        discoverClients: () =>
          Promise.resolve([{
            client: "claude-desktop",
            configPath: "C:\\cfg.json",
            servers: [{
              name: "fs",
              governed: true,
              command: "C:\\thoth\\thoth.exe",
              upstreamCommand: "npx",
            }],
          }]),
      },
    });
    const check = (await runDoctor(context)).find((c) => c.id === "upstream_path");
    assert.equal(check?.status, "pass", check?.message);
  }));
