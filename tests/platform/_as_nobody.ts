/**
 * Runs a Deno script as another, unprivileged user (uid and gid 65534, no
 * supplementary groups, through util-linux `setpriv`), for the tests that
 * must see what a user who is not root may do. Only as root, where setpriv is.
 */
import assert from "node:assert/strict";

function hasSetpriv(): boolean {
  try {
    return Deno.statSync("/usr/bin/setpriv").isFile;
  } catch {
    return false;
  }
}

/** Whether the tests run as root with setpriv at hand. */
export const ROOT = Deno.build.os !== "windows" && Deno.uid() === 0 && hasSetpriv();

/** The user {@linkcode runAsNobody} runs as. */
export const NOBODY = { uid: 65534, gid: 65534 };

/**
 * Runs `code` (a module, which may import `src/` modules by `file:` URL as
 * long as they need no import map) as uid 65534 with all permissions, in a
 * temp folder of its own; returns its stdout (failing on a non-zero exit).
 */
export async function runAsNobody(code: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "thoth_nobody_" });
  try {
    await Deno.chmod(dir, 0o755);
    await Deno.writeTextFile(`${dir}/driver.ts`, code);
    await Deno.mkdir(`${dir}/deno`);
    await Deno.chown(`${dir}/deno`, NOBODY.uid, NOBODY.gid);
    const output = await new Deno.Command("/usr/bin/setpriv", {
      args: [
        `--reuid=${NOBODY.uid}`,
        `--regid=${NOBODY.gid}`,
        "--clear-groups",
        Deno.execPath(),
        "run",
        "--no-config",
        "--quiet",
        "-A",
        `${dir}/driver.ts`,
      ],
      env: { DENO_DIR: `${dir}/deno`, HOME: `${dir}/deno`, NO_COLOR: "1", PATH: "/usr/bin:/bin" },
      clearEnv: true,
    }).output();
    const decoder = new TextDecoder();
    assert.equal(output.code, 0, decoder.decode(output.stderr));
    return decoder.decode(output.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
