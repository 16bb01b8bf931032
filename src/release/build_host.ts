/**
 * What `scripts/build.ts` does on the host: run processes with a deadline,
 * read the git commit, hash files, read the release signing key, and check
 * that a fresh binary is what it claims to be. I/O, kept apart from the pure
 * plan in `build_plan.ts`; the runtime base is found in `runtime_base.ts` and
 * unpacked by `zip_entry.ts`.
 *
 * @example
 * ```ts
 * const { commit } = await gitCommit(Deno.cwd());
 * commit; // "abc1234def56", "abc1234def56-dirty" or "unknown"
 * ```
 */
import { join } from "node:path";
import type { CompileStep } from "./build_plan.ts";
import { executableTarget } from "./binary_target.ts";
import { sha256Hex } from "./sha256.ts";
import { targetByTriple } from "./targets.ts";
import { pathExists } from "../platform/path_exists.ts";
import { AppError } from "../errors.ts";
import type { NoteSigner } from "../audit/signed_note.ts";
import { readReleaseSigner } from "./release_signing_key.ts";

const decoder = new TextDecoder();

/** Whether something is at `path` (see `pathExists`). */
export const exists = pathExists;

export async function run(
  cmd: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env, clearEnv: true }),
  }).spawn();
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (options.timeoutMs !== undefined) {
    timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, options.timeoutMs);
  }
  try {
    const out = await child.output();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

export async function tryRun(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<string | undefined> {
  try {
    const out = await run(cmd, args, { cwd });
    return out.code === 0 ? out.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

export async function gitCommit(
  root: string,
): Promise<{ commit: string; time: string | undefined }> {
  const head = await tryRun("git", ["rev-parse", "HEAD"], root);
  if (head === undefined || !/^[0-9a-f]{40}$/.test(head)) {
    return { commit: "unknown", time: undefined };
  }
  const status = await tryRun("git", ["status", "--porcelain", "--untracked-files=no"], root);
  const time = await tryRun("git", ["log", "-1", "--format=%cI"], root);
  const short = head.slice(0, 12);
  return { commit: status === "" ? short : `${short}-dirty`, time };
}

export async function readHead(path: string): Promise<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  try {
    const buf = new Uint8Array(4096);
    const n = await file.read(buf);
    return buf.subarray(0, n ?? 0);
  } finally {
    file.close();
  }
}

export async function denoDir(): Promise<string | undefined> {
  try {
    const out = await run(Deno.execPath(), ["info", "--json"]);
    const info = JSON.parse(out.stdout) as { denoDir?: unknown };
    return typeof info.denoDir === "string" ? info.denoDir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signer named by `THOTH_RELEASE_SIGNING_KEY`, read before anything is
 * built so that a wrong path stops the build instead of leaving unsigned
 * assets behind; undefined when the variable is unset or empty.
 *
 * @example
 * ```ts
 * const signer = await loadReleaseSigner(Deno.env.get("THOTH_RELEASE_SIGNING_KEY"));
 * ```
 */
export async function loadReleaseSigner(
  keyPath: string | undefined,
): Promise<NoteSigner | undefined> {
  if (keyPath === undefined || keyPath === "") return undefined;
  let text: string;
  try {
    text = await Deno.readTextFile(keyPath);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "does not exist"
      : error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ? "cannot be read with the build's permissions"
      : `cannot be read (${(error as Error).message})`;
    throw new AppError(
      "build.signing_key_unreadable",
      `THOTH_RELEASE_SIGNING_KEY names "${keyPath}", which ${why}; nothing was built`,
      {
        hints: [
          "point THOTH_RELEASE_SIGNING_KEY at the release key file",
          "or unset it to build an unsigned release (thoth update refuses to install one)",
        ],
      },
    );
  }
  return await readReleaseSigner(text, keyPath);
}

/**
 * Refuses an output folder the build may not write to under the permissions
 * it runs with (`-P=build` allows only `./dist`), before anything is written.
 *
 * @example
 * ```ts
 * await assertWritable("/srv/out"); // throws usage.out_dir_not_writable under -P=build
 * ```
 */
export async function assertWritable(outDir: string): Promise<void> {
  const status = await Deno.permissions.query({ name: "write", path: outDir });
  if (status.state === "granted") return;
  throw new AppError(
    "usage.out_dir_not_writable",
    `--out-dir "${outDir}" is outside what the build may write: deno task build runs with ` +
      '-P=build, whose "write" (deno.json "permissions.build") covers only ./dist',
    {
      hints: [
        "choose an --out-dir under dist/ (the default is dist), or copy the assets out afterwards",
      ],
    },
  );
}

export async function listFiles(root: string, dir: string, out: string[]): Promise<void> {
  for await (const entry of Deno.readDir(join(root, dir))) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory) await listFiles(root, rel, out);
    else if (entry.isFile) out.push(rel);
  }
}

export async function digestFile(path: string): Promise<string> {
  return await sha256Hex(await Deno.readFile(path));
}

export async function findLipo(): Promise<string | undefined> {
  for (const name of ["lipo", "llvm-lipo"]) {
    try {
      await run(name, ["-version"], { timeoutMs: 10_000 });
      return name;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return name;
    }
  }
  return undefined;
}

/** The names of the files (and links) in `dir`; none when it does not exist. */
export async function fileNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile || entry.isSymlink) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** How a fresh binary was checked: run (`--version` on the host) or only its header read. */
export type OutputCheck =
  | { readonly ok: true; readonly ran: boolean }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks a fresh binary: its format must match the target; on the host it must
 * also run and print its name, version and commit. A binary for another target
 * cannot be run here: it comes back `ran: false`, to be reported as built, not
 * run.
 *
 * @example
 * ```ts
 * const check = await verifyOutput(step, "0.1.0", "abc1234def56");
 * if (check.ok && !check.ran) console.error("built, not run");
 * ```
 */
export async function verifyOutput(
  c: CompileStep,
  version: string,
  commit: string,
): Promise<OutputCheck> {
  const want = targetByTriple(c.target);
  let head: Uint8Array;
  try {
    head = await readHead(c.output);
  } catch {
    return { ok: false, problem: "deno compile reported success but wrote no file" };
  }
  const got = executableTarget(head);
  if (got === undefined || got.os !== want.os || got.arch !== want.arch) {
    return {
      ok: false,
      problem: `the output is not a ${want.os}/${want.arch} executable (found ${
        got === undefined ? "an unknown format" : `${got.os}/${got.arch}`
      }); the runtime base is for another target`,
    };
  }
  if (c.target !== Deno.build.target) return { ok: true, ran: false };
  let out;
  try {
    out = await run(c.output, ["--version"], { timeoutMs: 30_000 });
  } catch (error) {
    return { ok: false, problem: `cannot run the output: ${(error as Error).message}` };
  }
  const line = out.stdout.trim().split("\n")[0] ?? "";
  if (
    out.code !== 0 || !line.startsWith(`${c.binary} ${version} `) ||
    !line.includes(`commit ${commit}`)
  ) {
    return {
      ok: false,
      problem:
        `"${c.asset} --version" printed "${
          line.slice(0, 80)
        }" (exit ${out.code}), not "${c.binary} ${version} (… commit ${commit})"; ` +
        "the runtime base is not a working denort",
    };
  }
  return { ok: true, ran: true };
}
