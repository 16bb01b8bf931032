/**
 * The doctor looks a server entry's commands up on the PATH the client starts
 * it with: the entry's own `env` PATH when it sets one (it replaces the
 * client's), never a relative folder of it, and says which PATH it used.
 */
import assert from "node:assert/strict";
import { checkUpstreamPath } from "../../src/doctor/check_upstream_path.ts";
import type { ClientConfigReport } from "../../src/doctor/doctor_plugins.ts";
import { formatDoctorReport } from "../../src/doctor/format_doctor_report.ts";
import { runDoctor } from "../../src/doctor/run_doctor.ts";
import { inheritedPathName, serverPath, serverPathText } from "../../src/doctor/server_path.ts";
import { verifyThothLaunch } from "../../src/doctor/verify_thoth_launch.ts";
import { testContext, withTempDir } from "./_helpers.ts";

/** One Claude Desktop config holding `server`. */
function desktop(server: ClientConfigReport["servers"][number]): ClientConfigReport[] {
  return [{ client: "claude-desktop", configPath: "/c.json", scope: "user", servers: [server] }];
}

/** An executable check over a list of files, recording every path asked about. */
function files(list: readonly string[]) {
  const asked: string[] = [];
  return {
    asked,
    isExecutable: (path: string) => {
      asked.push(path);
      return Promise.resolve(list.includes(path));
    },
  };
}

Deno.test("checkUpstreamPath() finds a command on the PATH the entry's env sets, and says so", async () => {
  const host = files(["/opt/node/bin/npx"]);
  const context = testContext("/nowhere", { os: "darwin", host });
  const check = await checkUpstreamPath(
    context,
    desktop({
      name: "fs",
      governed: false,
      command: "npx",
      upstreamCommand: null,
      envPath: [["PATH", "/opt/node/bin:/usr/bin"]],
    }),
  );
  assert.equal(check.status, "pass", check.message);
  assert.match(check.message, /on the PATH its server's "env" block sets, which replaces/);
});

Deno.test("checkUpstreamPath() does not find on the client's PATH a command the entry's PATH lacks", async () => {
  // The client starts the server with the entry's PATH only: /usr/bin is not on it.
  const host = files(["/usr/bin/npx"]);
  const context = testContext("/nowhere", { os: "darwin", host });
  const check = await checkUpstreamPath(
    context,
    desktop({
      name: "fs",
      governed: true,
      command: "/usr/local/bin/thoth",
      upstreamCommand: "npx",
      envPath: [["PATH", "/opt/node/bin"]],
    }),
  );
  assert.equal(check.status, "fail", check.message);
  assert.match(
    check.message,
    /not found on the PATH its "env" block sets \(\/opt\/node\/bin\): "npx" for server "fs"/,
  );
  // An absolute command is looked up on no PATH: it is there, or it is not.
  assert.match(check.message, /no executable file at: "\/usr\/local\/bin\/thoth" for server "fs"/);
  assert.ok(!host.asked.includes("/usr/bin/npx"), host.asked.join(", "));
});

Deno.test("checkUpstreamPath() reads a Windows entry's PATH as the client's merge leaves it", async () => {
  const host = files(["C:\\node\\npx.cmd"]);
  const context = testContext("/nowhere", {
    os: "windows",
    env: { Path: "C:\\Windows\\system32" },
    host,
  });
  const check = await checkUpstreamPath(
    context,
    desktop({
      name: "fs",
      governed: false,
      command: "npx",
      upstreamCommand: null,
      // The MCP SDK passes on "PATH": the same name replaces it.
      envPath: [["PATH", "C:\\node;C:\\Windows\\system32"]],
    }),
  );
  assert.equal(check.status, "pass", check.message);
  // On Linux and macOS a variable named "Path" is not PATH: the client's own PATH counts.
  const linux = await checkUpstreamPath(
    testContext("/nowhere", { host: files(["/usr/bin/npx"]) }),
    desktop({
      name: "fs",
      governed: false,
      command: "npx",
      upstreamCommand: null,
      envPath: [["Path", "/opt/node/bin"]],
    }),
  );
  assert.equal(linux.status, "pass", linux.message);
  assert.equal(linux.message, "1 command found on the desktop client's PATH");
});

Deno.test("serverPath() on Windows: the inherited name sorts first unless the entry spells it so", () => {
  const env = { Path: "C:\\Windows\\system32" };
  const entry = (...envPath: [string, string][]) => ({ envPath });
  // Claude Code passes its own environment on: "Path", as Windows spells it.
  const code = (...given: [string, string][]) =>
    serverPath("claude-code", "windows", env, entry(...given));
  // "path" sorts after "Path": Node keeps the inherited one.
  assert.equal(code(["path", "C:\\tools"]).source, "client");
  assert.equal(code(["path", "C:\\tools"]).path, "C:\\Windows\\system32");
  // The same name replaces it; "PATH" sorts before "Path".
  assert.deepEqual(
    [code(["Path", "C:\\tools"]).path, code(["Path", "C:\\tools"]).name],
    ["C:\\tools", "Path"],
  );
  assert.equal(code(["PATH", "C:\\tools"]).path, "C:\\tools");
  // Several spellings in one entry: the first in sort order among them and the inherited one.
  assert.equal(code(["path", "C:\\a"], ["PATH", "C:\\b"]).path, "C:\\b");
  // The desktop clients start servers with the MCP SDK's "PATH": only "PATH" replaces it.
  const desktopPath = (...given: [string, string][]) =>
    serverPath("claude-desktop", "windows", env, entry(...given));
  assert.equal(desktopPath(["Path", "C:\\tools"]).source, "client");
  assert.equal(desktopPath(["path", "C:\\tools"]).source, "client");
  assert.equal(desktopPath(["PATH", "C:\\tools"]).path, "C:\\tools");
  assert.equal(inheritedPathName("claude-desktop"), "PATH");
  // Elsewhere names have case: only "PATH" is PATH, the last one given kept.
  const linux = serverPath(
    "claude-code",
    "linux",
    { PATH: "/usr/bin" },
    entry(["PATH", "/a"], ["PATH", "/b"]),
  );
  assert.equal(linux.path, "/b");
});

Deno.test("checkUpstreamPath() searches no relative folder of the entry's PATH, nor doctor's folder for a relative command", async () => {
  const host = files([]);
  const context = testContext("/nowhere", { host });
  const check = await checkUpstreamPath(
    context,
    desktop({
      name: "fs",
      governed: true,
      command: "/opt/thoth/thoth",
      upstreamCommand: "./server.js",
      envPath: [["PATH", "/opt/thoth:bin:/usr/bin"]],
    }),
  );
  assert.ok(host.asked.every((path) => path.startsWith("/")), host.asked.join(", "));
  assert.ok(!host.asked.includes("/usr/bin/server.js"));
  assert.equal(check.status, "fail", check.message);
  assert.match(check.message, /no executable file at: "\/opt\/thoth\/thoth" for server "fs"/);
  assert.match(
    check.message,
    /"\.\/server\.js" for server "fs" not checked on the PATH its "env" block sets \(\/opt\/thoth:bin:\/usr\/bin\): a relative path/,
  );

  const bare = await checkUpstreamPath(
    context,
    desktop({
      name: "fs",
      governed: false,
      command: "npx",
      upstreamCommand: null,
      envPath: [["PATH", "/opt/node/bin::/usr/bin"]],
    }),
  );
  assert.equal(bare.status, "warn", bare.message);
  assert.match(bare.message, /not found before an empty folder on that PATH/);
  assert.ok(
    !host.asked.includes("/usr/bin/npx"),
    "a folder after the relative one is not searched",
  );
});

Deno.test("checkUpstreamPath() report text stays sanitized with a PATH from a config", async () => {
  const context = testContext("/nowhere", { host: files([]) });
  const check = await checkUpstreamPath(
    context,
    desktop({
      name: "fs",
      governed: false,
      command: "npx",
      upstreamCommand: null,
      envPath: [["PATH", "/opt/\u001b[2Jbin"]],
    }),
  );
  const text = formatDoctorReport([check]);
  assert.ok(!text.includes("\u001b"), text);
});

Deno.test("runDoctor() checks a governed entry's thoth on the PATH its env sets, with a real probe", () =>
  withTempDir(async (dir) => {
    if (Deno.build.os === "windows") return;
    // On the entry's PATH only: the desktop client's minimal PATH has no such thoth.
    const bin = `${dir}/own-bin`;
    await Deno.mkdir(bin);
    await Deno.writeTextFile(`${bin}/thoth-x`, "#!/bin/sh\necho 'not thoth 1.0'\n", {
      mode: 0o755,
    });
    const context = testContext(`${dir}/.thoth`, {
      env: { HOME: dir },
      host: {
        isExecutable: async (path) => {
          try {
            const info = await Deno.stat(path);
            return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
          } catch {
            return false;
          }
        },
      },
      plugins: {
        discoverClients: () =>
          Promise.resolve(desktop({
            name: "fs",
            governed: true,
            command: "thoth-x",
            upstreamCommand: "/bin/sh",
            thothLaunch: ["thoth-x"],
            envPath: [["PATH", bin]],
          })),
        verifyThoth: (launch, path, pluginContext, _configPath, scope) =>
          verifyThothLaunch(launch, path, {
            scope,
            self: ["/nonexistent/thoth"],
            os: pluginContext.os,
            uid: 1000,
            env: pluginContext.env,
          }),
      },
    });
    const checks = await runDoctor(context);
    const configs = checks.find((c) => c.id === "client_configs")!;
    // Started from the entry's PATH, it answers as something else: not governed.
    assert.equal(configs.status, "fail", configs.message);
    assert.match(configs.message, /fs: not governed: .*printed "not thoth 1\.0"/);
  }));

Deno.test("runDoctor() does not call a thoth missing when a relative folder of the entry's PATH may hold it", async () => {
  const host = files([]);
  const context = testContext("/nowhere", {
    host,
    plugins: {
      discoverClients: () =>
        Promise.resolve(desktop({
          name: "fs",
          governed: true,
          command: "thoth",
          upstreamCommand: "/bin/sh",
          thothLaunch: ["thoth"],
          envPath: [["PATH", "/opt/none:.:/usr/bin"]],
        })),
      verifyThoth: (launch, path, pluginContext, _configPath, scope) =>
        verifyThothLaunch(launch, path, {
          scope,
          self: ["/nonexistent/thoth"],
          os: pluginContext.os,
          uid: 1000,
          env: pluginContext.env,
          isExecutable: host.isExecutable,
        }),
    },
  });
  const configs = (await runDoctor(context)).find((c) => c.id === "client_configs")!;
  assert.equal(configs.status, "warn", configs.message);
  assert.match(
    configs.message,
    /thoth command not checked: "thoth" was not started: not found before the relative folder "\."/,
  );
  assert.ok(host.asked.every((path) => path.startsWith("/")), host.asked.join(", "));
});

Deno.test("serverPath() for VS Code adds the entry's PATH after VS Code's own, as VS Code does", () => {
  const entry = (...envPath: [string, string][]) => ({ envPath });
  // Elsewhere: the entry's PATH comes after the inherited one, it does not replace it.
  const linux = serverPath("vscode", "linux", {}, entry(["PATH", "/opt/node/bin"]));
  const inherited = serverPath("vscode", "linux", {}, entry()).path;
  assert.equal(linux.source, "entry");
  assert.equal(linux.appended, true);
  assert.equal(linux.path, `${inherited}:/opt/node/bin`);
  assert.equal(linux.searched, `${inherited}:/opt/node/bin`);
  assert.match(serverPathText(linux, "vscode"), /the PATH its "env" block adds to VS Code's/);
  // "Path" is another variable there: the inherited PATH is used as it is.
  assert.equal(serverPath("vscode", "darwin", {}, entry(["Path", "/opt"])).source, "client");
  // On Windows VS Code passes its own environment on, where the name is "Path".
  const env = { Path: "C:\\Windows\\system32" };
  const windows = (...given: [string, string][]) =>
    serverPath("vscode", "windows", env, entry(...given));
  const own = windows().path;
  assert.equal(inheritedPathName("vscode"), "Path");
  assert.deepEqual(
    [windows(["Path", "C:\\tools"]).path, windows(["Path", "C:\\tools"]).appended],
    [`${own};C:\\tools`, true],
  );
  // "PATH" is a name of its own in VS Code's copy, set alone, and sorts before "Path".
  assert.deepEqual(
    [windows(["PATH", "C:\\tools"]).path, windows(["PATH", "C:\\tools"]).appended],
    ["C:\\tools", false],
  );
  // "path" sorts after "Path": Node keeps the inherited one.
  assert.equal(windows(["path", "C:\\tools"]).source, "client");
  assert.equal(windows(["path", "C:\\tools"]).path, own);
  // The other clients are unchanged: the entry's PATH replaces theirs.
  const desktop = serverPath("claude-desktop", "linux", {}, entry(["PATH", "/opt/node/bin"]));
  assert.deepEqual([desktop.path, desktop.appended], ["/opt/node/bin", false]);
});

Deno.test("checkUpstreamPath() for VS Code finds a command on VS Code's PATH before the entry's", async () => {
  const inherited = serverPath("vscode", "linux", {}, { envPath: [] }).path.split(":")[0]!;
  const host = files([`${inherited}/npx`]);
  const context = testContext("/nowhere", { os: "linux", host });
  const check = await checkUpstreamPath(context, [{
    client: "vscode",
    configPath: "/c.json",
    scope: "user",
    servers: [{
      name: "fs",
      governed: false,
      command: "npx",
      upstreamCommand: null,
      envPath: [["PATH", "/opt/node/bin"]],
    }],
  }]);
  assert.equal(check.status, "pass", check.message);
  // It says how VS Code uses the entry's PATH, not that it replaces VS Code's.
  assert.match(
    check.message,
    /on the PATH its server's "env" block sets, which VS Code puts after its own/,
  );
  assert.doesNotMatch(check.message, /replaces/);
});
