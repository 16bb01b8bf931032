/**
 * What `scripts/build.ts` does on the host: run processes with a deadline,
 * find the runtime base (`denort`) for a target, read the git commit, hash
 * files, and check that a fresh binary is what it claims to be. I/O, kept
 * apart from the pure plan in `build_plan.ts`.
 *
 * @example
 * ```ts
 * const base = await resolveBase("x86_64-unknown-linux-gnu", Deno.env.get("DENORT_BIN"), undefined, []);
 * base?.source; // "DENORT_BIN" when that file is a Linux x86_64 executable
 * ```
 */
import { join } from "node:path";
import type { CompileStep } from "./build_plan.ts";
import { executableTarget } from "./binary_target.ts";
import { sha256Hex } from "./sha256.ts";
import { targetByTriple, type TargetTriple } from "./targets.ts";
import { pathExists } from "../platform/path_exists.ts";

const decoder = new TextDecoder();

/** Where one target's runtime base comes from. */
export interface Base {
  source: "DENORT_BIN" | "cache";
  path: string;
}

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

export async function resolveBase(
  triple: TargetTriple,
  denortBin: string | undefined,
  cacheDir: string | undefined,
  notes: string[],
): Promise<Base | undefined> {
  const target = targetByTriple(triple);
  if (denortBin !== undefined) {
    try {
      const found = executableTarget(await readHead(denortBin));
      if (found !== undefined && found.os === target.os && found.arch === target.arch) {
        return { source: "DENORT_BIN", path: denortBin };
      }
    } catch (error) {
      const msg = `DENORT_BIN "${denortBin}" cannot be read: ${(error as Error).message}`;
      if (!notes.includes(msg)) notes.push(msg);
    }
  }
  if (cacheDir !== undefined) {
    const zip = join(cacheDir, "release", `v${Deno.version.deno}`, `denort-${triple}.zip`);
    if (await exists(zip)) return { source: "cache", path: zip };
  }
  return undefined;
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

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Checks a fresh binary: its format matches the target; on the host, `--version` names the stamp. */
export async function verifyOutput(
  c: CompileStep,
  version: string,
  commit: string,
): Promise<string | undefined> {
  const want = targetByTriple(c.target);
  let head: Uint8Array;
  try {
    head = await readHead(c.output);
  } catch {
    return "deno compile reported success but wrote no file";
  }
  const got = executableTarget(head);
  if (got === undefined || got.os !== want.os || got.arch !== want.arch) {
    return `the output is not a ${want.os}/${want.arch} executable (found ${
      got === undefined ? "an unknown format" : `${got.os}/${got.arch}`
    }); the runtime base is for another target`;
  }
  if (c.target !== Deno.build.target) return undefined;
  let out;
  try {
    out = await run(c.output, ["--version"], { timeoutMs: 30_000 });
  } catch (error) {
    return `cannot run the output: ${(error as Error).message}`;
  }
  const line = out.stdout.trim().split("\n")[0] ?? "";
  if (
    out.code !== 0 || !line.startsWith(`${c.binary} ${version} `) ||
    !line.includes(`commit ${commit}`)
  ) {
    return `"${c.asset} --version" printed "${
      line.slice(0, 80)
    }" (exit ${out.code}), not "${c.binary} ${version} (… commit ${commit})"; ` +
      "the runtime base is not a working denort";
  }
  return undefined;
}
