/**
 * `wrap-config` writes the binary that starts thoth as the PATH names it: a
 * link on PATH that leads to the running binary is written, not the
 * (versioned) file it leads to, which a package manager's upgrade removes.
 * Without such a link, the binary's own path; `--thoth-path` still wins.
 * Runs the real thoth from source, with deno reached through a link in a
 * temp folder on PATH, and `thoth status` from the same PATH agrees. A link
 * another user could swap (in a folder anyone may write to, or reached
 * through one) is not written: the binary's own path is, or a later safe link.
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
const UPSTREAM = ["run", "--agent-id", "cat", "--enforcement-mode", "block", "--", "/bin/cat"];

/** Wraps a fresh config with thoth from source started as `Deno.execPath()`, on `path`. */
async function wrapOn(dir: string, path: string, extra: string[] = []) {
  const config = `${dir}/claude_desktop_config.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({ mcpServers: { cat: { command: "/bin/cat" } } }),
  );
  const env = {
    PATH: path,
    HOME: `${dir}/home`,
    THOTH_HOME: `${dir}/home/.thoth`,
    DENO_DIR: Deno.env.get("DENO_DIR") ??
      `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`,
    DENO_NO_UPDATE_CHECK: "1",
  };
  const run = async (args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [...LAUNCH, ...args],
      clearEnv: true,
      env,
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, `${args.join(" ")}: ${text}${new TextDecoder().decode(out.stderr)}`);
    return text;
  };
  await run(["wrap-config", ...extra, config]);
  const entry = JSON.parse(await Deno.readTextFile(config)).mcpServers.cat;
  const status = JSON.parse(await run(["status", "--json", "--config", config]));
  return { entry, status };
}

Deno.test({
  name: "wrap-config writes the PATH link that leads to the running deno, not the file it leads to",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await tempFolder("thoth-path-link-");
    await Deno.mkdir(`${dir}/bin`);
    await Deno.mkdir(`${dir}/empty`);
    await Deno.mkdir(`${dir}/home`);
    const real = await Deno.realPath(Deno.execPath());
    await Deno.symlink(real, `${dir}/bin/deno`);

    // The link is on PATH, after a folder without deno: written as the link.
    const linked = await wrapOn(dir, `${dir}/empty:${dir}/bin`);
    assert.equal(linked.entry.command, `${dir}/bin/deno`);
    assert.deepEqual(linked.entry.args, [...LAUNCH, ...UPSTREAM]);
    const row = linked.status.servers.find((s: { name: string }) => s.name === "cat");
    assert.equal(row?.state, "governed", JSON.stringify(linked.status));
    assert.deepEqual(row?.drift, []);

    // No PATH entry leads to it: the binary's own path, as before.
    const unlinked = await wrapOn(dir, `${dir}/empty`);
    assert.equal(unlinked.entry.command, real);

    // --thoth-path wins over the link.
    await Deno.writeTextFile(`${dir}/thoth`, "#!/bin/sh\n", { mode: 0o755 });
    const given = await wrapOn(dir, `${dir}/bin`, ["--thoth-path", `${dir}/thoth`]);
    assert.equal(given.entry.command, `${dir}/thoth`);
  },
});

Deno.test({
  name: "wrap-config does not write a PATH link in a folder anyone may write to",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await tempFolder("thoth-path-link-");
    for (const folder of ["ww", "bin", "chain", "home"]) await Deno.mkdir(`${dir}/${folder}`);
    // Any user may replace what is in it (no sticky bit), such as the link.
    await Deno.chmod(`${dir}/ww`, 0o777);
    const real = await Deno.realPath(Deno.execPath());
    await Deno.symlink(real, `${dir}/ww/deno`);
    await Deno.symlink(real, `${dir}/bin/deno`);
    // A link in a safe folder that leads through the writable one.
    await Deno.symlink(`${dir}/ww/deno`, `${dir}/chain/deno`);

    const swappable = await wrapOn(dir, `${dir}/ww`);
    assert.equal(swappable.entry.command, real);
    assert.deepEqual(swappable.entry.args, [...LAUNCH, ...UPSTREAM]);
    const row = swappable.status.servers.find((s: { name: string }) => s.name === "cat");
    assert.equal(row?.state, "governed", JSON.stringify(swappable.status));
    assert.deepEqual(row?.drift, []);

    const chained = await wrapOn(dir, `${dir}/chain`);
    assert.equal(chained.entry.command, real);

    // A later entry no other user can change is written instead.
    const later = await wrapOn(dir, `${dir}/ww:${dir}/bin`);
    assert.equal(later.entry.command, `${dir}/bin/deno`);
  },
});
