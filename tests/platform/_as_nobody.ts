/**
 * Runs a Deno script as another, unprivileged user (uid and gid 65534, no
 * supplementary groups, through util-linux `setpriv`), for the tests that
 * must see what a user who is not root may do. Only as root, where setpriv is.
 *
 * Every such run in a test run shares one Deno cache folder that user owns
 * ({@linkcode nobodyDenoDir}) instead of starting from an empty one: what deno
 * writes there (transpiled modules, its code cache) serves every later run. A
 * run of thoth from an empty cache took 3–5 s on the development machine, a
 * later one under 1.5 s, and the tests that act as that user start it more
 * than a hundred times.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";

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
    const cache = await nobodyDenoDir();
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
      env: { DENO_DIR: cache, HOME: `${dir}/deno`, NO_COLOR: "1", PATH: "/usr/bin:/bin" },
      clearEnv: true,
    }).output();
    const decoder = new TextDecoder();
    assert.equal(output.code, 0, decoder.decode(output.stderr));
    return decoder.decode(output.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The Deno cache of the user running the tests (where `deno install` put the npm packages). */
export const USER_DENO_DIR: string = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

let shared: Promise<string> | undefined;

/**
 * The Deno cache folder every run as {@linkcode NOBODY} shares, made on first
 * use: {@linkcode USER_DENO_DIR}'s npm packages hard-linked (read-only to that
 * user) into a folder that user owns. It sits in the system's temp folder,
 * named for this Deno, this checkout and its lock file, and stays there as a
 * cache does. A folder of that name that is not a real folder owned by that
 * user, or that others may write to, is not used: the test file then gets a
 * folder of its own, removed when it ends.
 */
export function nobodyDenoDir(): Promise<string> {
  shared ??= sharedDenoDir();
  return shared;
}

async function sharedDenoDir(): Promise<string> {
  const root = new URL("../../", import.meta.url).pathname;
  const lock = await Deno.readTextFile(`${root}deno.lock`).catch(() => "");
  const digest = new Uint8Array(
    await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode(`${Deno.version.deno}\n${root}\n${lock}`),
    ),
  );
  const key = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const path = `${Deno.env.get("TMPDIR") || "/tmp"}/thoth-tests-nobody-deno-${key}`;
  if (await ownedByNobody(path)) return path;
  const staging = await withPackages(
    await Deno.makeTempDir({ prefix: "thoth-tests-nobody-deno-" }),
  );
  try {
    await Deno.rename(staging, path);
    return path;
  } catch {
    // Another test file made it meanwhile, or something else holds the name.
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
  if (await ownedByNobody(path)) return path;
  return await withPackages(await tempFolder("thoth-nobody-deno-"));
}

/**
 * Hard-links {@linkcode USER_DENO_DIR}'s npm packages into the Deno cache
 * folder `dir`, so that runs with `DENO_DIR` set to `dir` find them.
 */
export async function linkNpmPackages(dir: string): Promise<void> {
  const linked = await new Deno.Command("cp", {
    args: ["-al", `${USER_DENO_DIR}/npm`, `${dir}/npm`],
  }).output();
  assert.ok(linked.success, new TextDecoder().decode(linked.stderr));
}

/** Links the npm packages into `dir` and hands `dir` to {@linkcode NOBODY}. */
async function withPackages(dir: string): Promise<string> {
  await Deno.chmod(dir, 0o755);
  await linkNpmPackages(dir);
  await Deno.chown(dir, NOBODY.uid, NOBODY.gid);
  return dir;
}

async function ownedByNobody(path: string): Promise<boolean> {
  try {
    const info = await Deno.lstat(path);
    return info.isDirectory && info.uid === NOBODY.uid && ((info.mode ?? 0) & 0o022) === 0 &&
      (await Deno.lstat(`${path}/npm`)).isDirectory;
  } catch {
    return false;
  }
}
