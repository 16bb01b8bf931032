/**
 * What `scripts/build.ts` does on the host: run processes with a deadline,
 * find and check the runtime base (`denort`) for a target, read the git
 * commit, hash files, read the release signing key, and check that a fresh
 * binary is what it claims to be. I/O, kept apart from the pure plan in
 * `build_plan.ts`.
 *
 * A base is used only when its header names the target's OS and CPU and it is
 * not the full `deno` CLI (which carries text a denort lacks; see
 * {@linkcode inspectBase}). A cached `denort-<target>.zip` is unpacked here and
 * handed to `deno compile` as `DENORT_BIN`, so the compiler never looks for
 * one itself, let alone downloads it.
 *
 * @example
 * ```ts
 * const { base } = await resolveBase("x86_64-unknown-linux-gnu", Deno.env.get("DENORT_BIN"), undefined);
 * base?.source; // "DENORT_BIN" when that file is a Linux x86_64 denort
 * ```
 */
import { join } from "node:path";
import type { CompileStep } from "./build_plan.ts";
import { type ExecutableTarget, executableTarget } from "./binary_target.ts";
import { sha256Hex } from "./sha256.ts";
import { targetByTriple, type TargetTriple } from "./targets.ts";
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

/** A 4 KiB prefix and its decoder, shared by every base check. */
const HEAD_BYTES = 4096;

/**
 * Text only the full `deno` CLI carries: the code that writes compiled
 * binaries, the language server and the subcommand help. `denort`, the
 * runtime `deno compile` needs as a base, has none of them; a full deno with
 * its header patched for another CPU still has all three.
 */
const FULL_DENO_MARKERS: readonly Uint8Array[] = [
  "Could not find denort at",
  "Start the language server",
  "Run a JavaScript or TypeScript program",
].map((m) => new TextEncoder().encode(m));

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) {
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return ~c >>> 0;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0] as number;
  let at = hay.indexOf(first);
  while (at >= 0 && at + needle.length <= hay.length) {
    let k = 1;
    while (k < needle.length && hay[at + k] === needle[k]) k++;
    if (k === needle.length) return at;
    at = hay.indexOf(first, at + 1);
  }
  return -1;
}

/** What one read of a candidate runtime base found. */
export interface BaseFacts {
  /** The OS and CPU its header names; undefined when it is no executable. */
  readonly target: ExecutableTarget | undefined;
  /** It carries the full deno CLI (see `FULL_DENO_MARKERS`), so it is no denort. */
  readonly fullDeno: boolean;
  readonly size: number;
  readonly crc32: number;
}

/**
 * Reads a candidate base once, chunk by chunk: its header, its size, its
 * CRC-32, and whether it is the full deno CLI rather than a denort.
 *
 * @example
 * ```ts
 * const file = await Deno.open(Deno.execPath());
 * (await inspectBase(file.readable)).fullDeno; // true: deno itself is no denort
 * ```
 */
export async function inspectBase(chunks: AsyncIterable<Uint8Array>): Promise<BaseFacts> {
  const longest = Math.max(...FULL_DENO_MARKERS.map((m) => m.length));
  let head = new Uint8Array(0);
  let tail = new Uint8Array(0);
  let size = 0;
  let crc = 0;
  let fullDeno = false;
  for await (const chunk of chunks) {
    if (head.length < HEAD_BYTES) {
      const more = new Uint8Array(Math.min(HEAD_BYTES, head.length + chunk.length));
      more.set(head);
      more.set(chunk.subarray(0, more.length - head.length), head.length);
      head = more;
    }
    size += chunk.length;
    crc = crc32Update(crc, chunk);
    if (!fullDeno) {
      const window = new Uint8Array(tail.length + chunk.length);
      window.set(tail);
      window.set(chunk, tail.length);
      fullDeno = FULL_DENO_MARKERS.some((m) => indexOfBytes(window, m) >= 0);
      tail = window.slice(Math.max(0, window.length - longest + 1));
    }
  }
  return { target: executableTarget(head), fullDeno, size, crc32: crc };
}

/**
 * Why a base cannot serve `triple`, as the end of a sentence about it; undefined
 * when it can.
 *
 * @example
 * ```ts
 * baseRefusal({ target: { os: "linux", arch: "x86_64" }, fullDeno: true, size: 1, crc32: 0 },
 *   "x86_64-unknown-linux-gnu"); // "is the full deno CLI, not a denort …"
 * ```
 */
export function baseRefusal(facts: BaseFacts, triple: TargetTriple): string | undefined {
  const want = targetByTriple(triple);
  if (facts.target === undefined) return "is not an executable";
  if (facts.target.os !== want.os || facts.target.arch !== want.arch) {
    return `is a ${facts.target.os}/${facts.target.arch} executable, not one for ${triple}`;
  }
  if (facts.fullDeno) {
    return "is the full deno CLI, not a denort (it carries deno's compiler, language server " +
      "and subcommands; a binary built on it does not run as thoth)";
  }
  return undefined;
}

/** Where one target's runtime base comes from, as checked. */
export interface Base {
  readonly source: "DENORT_BIN" | "cache";
  /** `DENORT_BIN`'s file, or the cached `denort-<target>.zip`. */
  readonly path: string;
  /** For a cached zip: the entry holding denort, and its size and CRC-32 as checked. */
  readonly entry?: ZipEntry;
}

/** One file inside a zip archive, from its central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly dataOffset: number;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
}

async function readRange(file: Deno.FsFile, at: number, length: number): Promise<Uint8Array> {
  await file.seek(at, Deno.SeekMode.Start);
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(out.subarray(filled));
    if (n === null || n === 0) throw new Error("the archive ends early");
    filled += n;
  }
  return out;
}

/**
 * Finds one of `names` in a zip archive (stored or deflated, not ZIP64 or
 * encrypted). Throws an `Error` that says what is wrong with the archive.
 *
 * @example
 * ```ts
 * const entry = await findZipEntry("denort-x86_64-unknown-linux-gnu.zip", ["denort"]);
 * entry.size; // bytes once unpacked
 * ```
 */
export async function findZipEntry(path: string, names: readonly string[]): Promise<ZipEntry> {
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = await readRange(file, size - tailLength, tailLength);
    let eocd = -1;
    for (let at = tail.length - 22; at >= 0; at--) {
      if (u32(tail, at) === 0x06054b50) {
        eocd = at;
        break;
      }
    }
    if (eocd < 0) throw new Error("it is not a zip archive");
    const count = u16(tail, eocd + 10);
    const dirSize = u32(tail, eocd + 12);
    const dirOffset = u32(tail, eocd + 16);
    if (dirOffset === 0xffffffff || count === 0xffff) {
      throw new Error("it is a ZIP64 archive, which this build does not read");
    }
    const dir = await readRange(file, dirOffset, dirSize);
    let at = 0;
    for (let k = 0; k < count && at + 46 <= dir.length; k++) {
      if (u32(dir, at) !== 0x02014b50) throw new Error("its central directory is damaged");
      const nameLength = u16(dir, at + 28);
      const name = new TextDecoder().decode(dir.subarray(at + 46, at + 46 + nameLength));
      if (names.includes(name)) {
        if ((u16(dir, at + 8) & 1) !== 0) throw new Error(`"${name}" in it is encrypted`);
        const method = u16(dir, at + 10);
        if (method !== 0 && method !== 8) {
          throw new Error(`"${name}" in it uses compression method ${method}`);
        }
        const local = await readRange(file, u32(dir, at + 42), 30);
        if (u32(local, 0) !== 0x04034b50) throw new Error(`the header of "${name}" is damaged`);
        return {
          name,
          method,
          crc32: u32(dir, at + 16),
          compressedSize: u32(dir, at + 20),
          size: u32(dir, at + 24),
          dataOffset: u32(dir, at + 42) + 30 + u16(local, 26) + u16(local, 28),
        };
      }
      at += 46 + nameLength + u16(dir, at + 30) + u16(dir, at + 32);
    }
    throw new Error(`it holds no ${names.map((n) => `"${n}"`).join(" or ")}`);
  } finally {
    file.close();
  }
}

/** The unpacked bytes of a zip entry, in chunks. */
async function zipEntryStream(path: string, entry: ZipEntry): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  let packed: Uint8Array;
  try {
    packed = await readRange(file, entry.dataOffset, entry.compressedSize);
  } finally {
    file.close();
  }
  const stream = new Blob([packed as Uint8Array<ArrayBuffer>]).stream();
  return entry.method === 8 ? stream.pipeThrough(new DecompressionStream("deflate-raw")) : stream;
}

function denortEntryNames(triple: TargetTriple): string[] {
  return targetByTriple(triple).os === "windows" ? ["denort.exe"] : ["denort"];
}

/** The base chosen for one target, and every candidate passed over, with why. */
export interface ResolvedBase {
  readonly base: Base | undefined;
  /** One sentence per candidate not used: `DENORT_BIN is set to "…", which …; it is not used …`. */
  readonly passedOver: readonly string[];
}

/**
 * The runtime base for `triple`, checked: `DENORT_BIN` when it is a denort
 * for that OS and CPU, else `denort-<triple>.zip` from the cache when it holds
 * one. Every candidate passed over is named, with why it was not used.
 *
 * @example
 * ```ts
 * const { base, passedOver } = await resolveBase("x86_64-unknown-linux-gnu", "/opt/denort", undefined);
 * base?.source; // "DENORT_BIN" when /opt/denort is a Linux x86_64 denort
 * ```
 */
export async function resolveBase(
  triple: TargetTriple,
  denortBin: string | undefined,
  cacheDir: string | undefined,
): Promise<ResolvedBase> {
  const passedOver: string[] = [];
  const note = (text: string) => passedOver.push(text);
  if (denortBin !== undefined) {
    try {
      let refusal = baseRefusal(
        { target: executableTarget(await readHead(denortBin)), fullDeno: false, size: 0, crc32: 0 },
        triple,
      );
      if (refusal === undefined) {
        const file = await Deno.open(denortBin, { read: true });
        refusal = baseRefusal(await inspectBase(file.readable), triple);
      }
      if (refusal === undefined) {
        return { base: { source: "DENORT_BIN", path: denortBin }, passedOver };
      }
      note(`DENORT_BIN is set to "${denortBin}", which ${refusal}; it is not used for ${triple}`);
    } catch (error) {
      note(
        `DENORT_BIN is set to "${denortBin}", which cannot be read (${
          (error as Error).message
        }); it is not used for ${triple}`,
      );
    }
  }
  if (cacheDir !== undefined) {
    const zip = join(cacheDir, "release", `v${Deno.version.deno}`, `denort-${triple}.zip`);
    if (!(await exists(zip))) return { base: undefined, passedOver };
    try {
      const entry = await findZipEntry(zip, denortEntryNames(triple));
      const facts = await inspectBase(await zipEntryStream(zip, entry));
      let refusal = baseRefusal(facts, triple);
      if (refusal === undefined && (facts.crc32 !== entry.crc32 || facts.size !== entry.size)) {
        refusal = "is damaged (its CRC-32 or size does not match the archive)";
      }
      if (refusal === undefined) return { base: { source: "cache", path: zip, entry }, passedOver };
      note(`the cached base "${zip}" holds a "${entry.name}" that ${refusal}; it is not used`);
    } catch (error) {
      note(`the cached base "${zip}" cannot be read: ${(error as Error).message}; it is not used`);
    }
  }
  return { base: undefined, passedOver };
}

/**
 * Makes a checked base usable as `DENORT_BIN`: a `DENORT_BIN` file as it is; a
 * cached zip unpacked into `dir` (its CRC-32 checked again). Returns the file
 * `deno compile` is given, so it never downloads one.
 *
 * @example
 * ```ts
 * const file = await unpackBase(base, "dist/.stamp", "x86_64-unknown-linux-gnu");
 * ```
 */
export async function unpackBase(base: Base, dir: string, triple: TargetTriple): Promise<string> {
  if (base.entry === undefined) return base.path;
  const out = join(
    dir,
    `${base.entry.name.replace(/\.exe$/, "")}-${triple}${
      base.entry.name.endsWith(".exe") ? ".exe" : ""
    }`,
  );
  const file = await Deno.open(out, { write: true, create: true, truncate: true, mode: 0o755 });
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of await zipEntryStream(base.path, base.entry)) {
      crc = crc32Update(crc, chunk);
      size += chunk.length;
      let rest = chunk;
      while (rest.length > 0) rest = rest.subarray(await file.write(rest));
    }
  } finally {
    file.close();
  }
  if (crc !== base.entry.crc32 || size !== base.entry.size) {
    await removeIfPresent(out);
    throw new Error(`"${base.path}" changed after it was checked`);
  }
  return out;
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
