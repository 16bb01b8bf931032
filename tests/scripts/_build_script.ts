/**
 * `scripts/build.ts` as a real subprocess for the release build tests, with
 * what they set up around it: a temp git repository for the build to stamp,
 * a release signing key, and a listing of what the build wrote.
 *
 * @example
 * ```ts
 * const dir = await tempFolder("thoth-build-");
 * const r = await runBuild(["--dry-run", "--json"], `${dir}/dist`, (await tempRepo(dir)).env);
 * ```
 */
import assert from "node:assert/strict";
import { newReleaseKey } from "../../src/release/release_signing_key.ts";
import { tempFolder } from "../_temp_dirs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const dec = new TextDecoder();

/**
 * Runs `scripts/build.ts --out-dir outDir ARGS` with the build's own
 * permissions, in this process's environment without `DENORT_BIN` and
 * `THOTH_RELEASE_SIGNING_KEY`, then with `env` added; no runtime base is
 * downloaded (the cache is an empty folder beside `outDir`).
 */
export async function runBuild(
  args: string[],
  outDir: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const all = Deno.env.toObject();
  delete all["DENORT_BIN"];
  delete all["THOTH_RELEASE_SIGNING_KEY"];
  Object.assign(all, env);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-read",
      `--allow-write=${outDir}`,
      "--allow-run",
      "--allow-env",
      `${ROOT}/scripts/build.ts`,
      "--out-dir",
      outDir,
      "--denort-cache",
      `${outDir}-no-cache`,
      ...args,
    ],
    cwd: ROOT,
    env: all,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * One out-dir path for the builds of a test file: `next()` empties it and
 * gives it again. A build that gets as far as compiling type-checks its
 * binaries with the commit stamped into `<out-dir>/.stamp/version.ts`, and
 * Deno's check cache knows that check again only at the same path with the
 * same stamp: so the file's builds after its first skip a type check of
 * several seconds, and each still starts with nothing in its out-dir.
 *
 * @example
 * ```ts
 * const out = await reusedOutDir("thoth-build-");
 * const r = await runBuild(["--targets", "host"], await out.next());
 * ```
 */
export async function reusedOutDir(prefix: string): Promise<{ next(): Promise<string> }> {
  const out = `${await tempFolder(prefix)}/dist`;
  return {
    next: async () => {
      await Deno.remove(out, { recursive: true }).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
      return out;
    },
  };
}

/** The names in `dir`, sorted; none when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

/** A fixed date for the temp repositories' commits. */
const COMMIT_DATE = "2026-01-01T00:00:00Z";

async function git(dir: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args],
    cwd: dir,
    env: { GIT_AUTHOR_DATE: COMMIT_DATE, GIT_COMMITTER_DATE: COMMIT_DATE },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  return dec.decode(out.stdout).trim();
}

/**
 * A temp git repository in `dir/repo` with one commit (`dirty` leaves an
 * uncommitted edit in it): the environment that points the build at it, and
 * the 12-digit commit the build stamps. The commit's dates are fixed, so it
 * is the same commit in every such repository (see {@linkcode reusedOutDir}).
 */
export async function tempRepo(
  dir: string,
  dirty = false,
): Promise<{ env: Record<string, string>; commit: string }> {
  const work = `${dir}/repo`;
  await Deno.mkdir(work);
  await Deno.writeTextFile(`${work}/file.txt`, "one\n");
  await git(work, "init", "-q");
  await git(work, "add", "file.txt");
  await git(work, "commit", "-q", "-m", "one");
  const head = await git(work, "rev-parse", "HEAD");
  if (dirty) await Deno.writeTextFile(`${work}/file.txt`, "two\n");
  return { env: { GIT_DIR: `${work}/.git`, GIT_WORK_TREE: work }, commit: head.slice(0, 12) };
}

/** A new release signing key written to `dir/release.key`; returns its path. */
export async function signingKey(dir: string): Promise<string> {
  const key = await newReleaseKey("thoth-test-release");
  await Deno.writeTextFile(`${dir}/release.key`, JSON.stringify(key.file));
  return `${dir}/release.key`;
}
