/**
 * A thoth (here deno, running thoth from source) started from a folder any
 * user may write to, with no PATH entry leading to it, is written into the
 * client config as it was before, but with one warning on stderr naming the
 * folder, why, and the remedies; with --json too (the document has no
 * warnings list: stdout holds the document alone). A --thoth-path in such a
 * folder is written with the same warning; one no other user can change is
 * written without it, and a --thoth-path-elsewhere is not judged here.
 */
import assert from "node:assert/strict";
import { selfCommandFor } from "../../src/cli/cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
/** deno's launch words and thoth's script, after the binary. */
const LAUNCH = selfCommandFor(
  Deno.execPath(),
  new URL("../../src/cli/thoth.ts", import.meta.url).href,
  `${ROOT}/deno.json`,
).slice(1);
const decoder = new TextDecoder();

/**
 * deno as a file of `folder`: a hard link, which the kernel reports as the
 * running binary's path (a symbolic link is followed, and the real file
 * would be the running one), else a copy.
 */
async function denoIn(folder: string): Promise<string> {
  const real = await Deno.realPath(Deno.execPath());
  const path = `${folder}/deno`;
  try {
    await Deno.link(real, path);
  } catch {
    // Another file system, or a file this user may not link: a copy.
    await Deno.copyFile(real, path);
    await Deno.chmod(path, 0o755);
  }
  return path;
}

/** Runs `deno` (thoth from source) with `args` on a fresh config in `dir`; the entry and outputs. */
async function wrap(dir: string, deno: string, args: string[]) {
  const config = `${dir}/claude_desktop_config.json`;
  const output = `${dir}/out.json`;
  await Deno.remove(output).catch(() => {});
  await Deno.writeTextFile(
    config,
    JSON.stringify({ mcpServers: { cat: { command: "/bin/cat" } } }),
  );
  const out = await new Deno.Command(deno, {
    args: [...LAUNCH, "wrap-config", "--output", output, ...args, config],
    clearEnv: true,
    env: {
      // No entry leads to `deno`: its own path is written.
      PATH: "/usr/bin:/bin",
      HOME: `${dir}/home`,
      THOTH_HOME: `${dir}/home/.thoth`,
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`,
      DENO_NO_UPDATE_CHECK: "1",
    },
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = decoder.decode(out.stdout);
  const stderr = decoder.decode(out.stderr);
  assert.equal(out.code, 0, `${args.join(" ")}: ${stdout}${stderr}`);
  const entry = JSON.parse(await Deno.readTextFile(output)).mcpServers.cat;
  const warnings = stderr.split("\n").filter((line) => line.includes("can be made to start"));
  return { entry, stdout, warnings };
}

Deno.test({
  name: "wrap-config warns when the thoth path it writes is in a folder anyone may write to",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await tempFolder("thoth-open-folder-");
    await Deno.mkdir(`${dir}/home`);
    await Deno.mkdir(`${dir}/open`);
    await Deno.mkdir(`${dir}/closed`);
    // Any user may replace what is in it (no sticky bit).
    await Deno.chmod(`${dir}/open`, 0o777);
    await Deno.chmod(`${dir}/closed`, 0o755);
    const deno = await denoIn(`${dir}/open`);

    // The running binary's own path: written, with one warning.
    const own = await wrap(dir, deno, []);
    assert.equal(own.entry.command, deno);
    assert.deepEqual(own.entry.args.slice(0, LAUNCH.length), LAUNCH);
    assert.equal(own.warnings.length, 1, own.warnings.join("\n"));
    assert.equal(
      own.warnings[0],
      `thoth: warning: the thoth path written, ${deno}, can be made to start another program: ` +
        `${dir}/open may be written to by users other than its owner (group or others have ` +
        "write permission, and a folder no sticky bit), so another user could put their own " +
        "program there, which the client would start, ungoverned, under its account. It is " +
        "written all the same; pass --thoth-path with an installed thoth no other user can " +
        `change, or make ${dir}/open writable by its owner only (chmod go-w ${dir}/open), and ` +
        "run wrap-config again.",
    );

    // --json: the document alone on stdout, the warning on stderr.
    const json = await wrap(dir, deno, ["--json"]);
    assert.equal(JSON.parse(json.stdout).ok, true);
    assert.equal(json.warnings.length, 1);
    assert.equal(json.entry.command, deno);

    // A --thoth-path in that folder: written, with the warning naming it.
    await Deno.writeTextFile(`${dir}/open/thoth`, "#!/bin/sh\n", { mode: 0o755 });
    const given = await wrap(dir, deno, ["--thoth-path", `${dir}/open/thoth`]);
    assert.equal(given.entry.command, `${dir}/open/thoth`);
    assert.equal(given.warnings.length, 1);
    assert.ok(
      given.warnings[0]!.startsWith(
        `thoth: warning: the --thoth-path written, ${dir}/open/thoth, can be made`,
      ),
      given.warnings[0],
    );

    // One no other user can change: no warning; nor for a path on other machines.
    await Deno.writeTextFile(`${dir}/closed/thoth`, "#!/bin/sh\n", { mode: 0o755 });
    const safe = await wrap(dir, deno, ["--thoth-path", `${dir}/closed/thoth`]);
    assert.equal(safe.entry.command, `${dir}/closed/thoth`);
    assert.deepEqual(safe.warnings, []);
    const elsewhere = await wrap(dir, deno, [
      "--thoth-path",
      `${dir}/open/thoth`,
      "--thoth-path-elsewhere",
    ]);
    assert.deepEqual(elsewhere.warnings, []);
  },
});
