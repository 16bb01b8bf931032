/**
 * thoth run from source is written into a client config as deno, its launch
 * words and thoth's entry script: a checkout reached through a folder any
 * user may write to lets another user put their own code where the client
 * will run it, ungoverned, as a deno binary there would. `wrap-config`
 * judges the entry script (every folder above it, and the links on the way)
 * and deno's `--config=` file as it judges the binary, and warns once, in
 * the same words, naming the script; the config is written all the same. A
 * checkout no other user can change gets no warning.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const decoder = new TextDecoder();

/** Runs thoth from the checkout at `checkout` (deno as it is) to wrap a fresh config in `dir`. */
async function wrapFrom(dir: string, checkout: string) {
  const config = `${dir}/claude_desktop_config.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({ mcpServers: { cat: { command: "/bin/cat" } } }),
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-P=thoth",
      "--no-prompt",
      "--quiet",
      `--config=${checkout}/deno.json`,
      `${checkout}/src/cli/thoth.ts`,
      "wrap-config",
      config,
    ],
    clearEnv: true,
    env: {
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
  const stderr = decoder.decode(out.stderr);
  assert.equal(out.code, 0, `${decoder.decode(out.stdout)}${stderr}`);
  const entry = JSON.parse(await Deno.readTextFile(config)).mcpServers.cat;
  const warnings = stderr.split("\n").filter((line) => line.includes("can be made to start"));
  return { entry, warnings };
}

Deno.test({
  name:
    "wrap-config warns when thoth's entry script, run from source, is in a folder anyone may write to",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await tempFolder("thoth-open-checkout-");
    await Deno.mkdir(`${dir}/home`);
    await Deno.mkdir(`${dir}/open`);
    await Deno.mkdir(`${dir}/closed`);
    // Any user may replace what is in it (no sticky bit): here, the way to the checkout.
    await Deno.chmod(`${dir}/open`, 0o777);
    await Deno.chmod(`${dir}/closed`, 0o755);
    await Deno.symlink(ROOT, `${dir}/open/thoth`);
    await Deno.symlink(ROOT, `${dir}/closed/thoth`);

    const open = await wrapFrom(dir, `${dir}/open/thoth`);
    const script = `${dir}/open/thoth/src/cli/thoth.ts`;
    assert.equal(open.entry.args.at(open.entry.args.indexOf("run", 1) - 1), script);
    const about = open.warnings.filter((line) => line.includes("entry script"));
    assert.deepEqual(about, [
      `thoth: warning: the thoth entry script written, ${script}, can be made to start another ` +
      `program: ${dir}/open may be written to by users other than its owner (group or others ` +
      "have write permission, and a folder no sticky bit), so another user could put their own " +
      "program there, which the client would start, ungoverned, under its account. It is " +
      "written all the same; pass --thoth-path with an installed thoth no other user can " +
      `change, or make ${dir}/open writable by its owner only (chmod go-w ${dir}/open), and ` +
      "run wrap-config again.",
    ]);
    // deno.json is reached through the same folder: said once, by the script.
    assert.deepEqual(open.warnings.filter((line) => line.includes("deno config")), []);

    const closed = await wrapFrom(dir, `${dir}/closed/thoth`);
    assert.deepEqual(closed.warnings.filter((line) => line.includes(`${dir}/`)), []);
  },
});
