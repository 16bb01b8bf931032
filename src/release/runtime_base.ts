/**
 * Finds and checks the runtime base (`denort`) `deno compile` needs for a
 * target. A base is used only when its header names the target's OS and CPU,
 * it is not the full `deno` CLI (which carries text a denort lacks), it
 * carries a Deno runtime, and that runtime is the Deno doing the compile
 * (see {@linkcode inspectBase}); any other executable is refused, whatever
 * its header says. The candidates are `DENORT_BIN` and a cached
 * `denort-<target>.zip`, whose entry is read with `zip_entry.ts`; every
 * candidate passed over is named, with why.
 *
 * @example
 * ```ts
 * const { base } = await resolveBase("x86_64-unknown-linux-gnu", Deno.env.get("DENORT_BIN"), undefined);
 * base?.source; // "DENORT_BIN" when that file is a Linux x86_64 denort
 * ```
 */
import { join } from "node:path";
import { type ExecutableTarget, executableTarget } from "./binary_target.ts";
import { targetByTriple, type TargetTriple } from "./targets.ts";
import { exists, readHead } from "./build_host.ts";
import { crc32Update, findZipEntry, type ZipEntry, zipEntryStream } from "./zip_entry.ts";

/** A 4 KiB prefix and its decoder, shared by every base check. */
const HEAD_BYTES = 4096;

const encoder = new TextEncoder();

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
].map((m) => encoder.encode(m));

/**
 * Text every Deno runtime carries, denort included, as plain bytes on every
 * OS and CPU: the runtime's own JavaScript asks whether it runs compiled.
 * (The section name `d3n0l4nd` is no such marker: on Linux denort never
 * reads it, and where it compares the magic bytes the compiler may build
 * them from immediates, split on arm64.)
 */
const RUNTIME_MARKER = encoder.encode("Deno.build.standalone");

/**
 * The user agent every Deno of `version` carries (`Deno/2.9.6`, in a
 * canary `Deno/2.9.6+abc1234`): a base without it is not that Deno's denort.
 */
function versionMarker(version: string): Uint8Array {
  return encoder.encode(`Deno/${version}`);
}

/** Bytes that would continue a version number: `Deno/2.9.6` is not `Deno/2.9.60` or `-rc.1`. */
function continuesVersion(byte: number | undefined): boolean {
  return byte !== undefined && (byte === 0x2e || byte === 0x2d || (byte >= 0x30 && byte <= 0x39));
}

/**
 * Where `needle` starts in `hay` at or after `from` with no version digit
 * after it (when `exact`), or -1; an occurrence touching the end of `hay`
 * counts only when `atEnd` says nothing follows.
 */
function indexOfBytes(
  hay: Uint8Array,
  needle: Uint8Array,
  exact = false,
  atEnd = true,
): number {
  const first = needle[0] as number;
  let at = hay.indexOf(first);
  while (at >= 0 && at + needle.length <= hay.length) {
    let k = 1;
    while (k < needle.length && hay[at + k] === needle[k]) k++;
    if (k === needle.length) {
      const after = at + needle.length;
      if (!exact || (after < hay.length ? !continuesVersion(hay[after]) : atEnd)) return at;
    }
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
  /** It carries a Deno runtime (see `RUNTIME_MARKER`); `/bin/true` does not. */
  readonly runtime: boolean;
  /** It carries `Deno/<version>` of the Deno that inspected it, which compiles with it. */
  readonly sameVersion: boolean;
  readonly size: number;
  readonly crc32: number;
}

/**
 * Reads a candidate base once, chunk by chunk: its header, its size, its
 * CRC-32, whether it is the full deno CLI rather than a denort, whether it
 * carries a Deno runtime, and whether that runtime is Deno `version` (by
 * default the Deno running this, which compiles with the base).
 *
 * @example
 * ```ts
 * const file = await Deno.open(Deno.execPath());
 * (await inspectBase(file.readable)).fullDeno; // true: deno itself is no denort
 * ```
 */
export async function inspectBase(
  chunks: AsyncIterable<Uint8Array>,
  version: string = Deno.version.deno,
): Promise<BaseFacts> {
  const wanted = versionMarker(version);
  const longest = Math.max(
    RUNTIME_MARKER.length,
    wanted.length + 1,
    ...FULL_DENO_MARKERS.map((m) => m.length),
  );
  let head = new Uint8Array(0);
  let tail = new Uint8Array(0);
  let size = 0;
  let crc = 0;
  let fullDeno = false;
  let runtime = false;
  let sameVersion = false;
  for await (const chunk of chunks) {
    if (head.length < HEAD_BYTES) {
      const more = new Uint8Array(Math.min(HEAD_BYTES, head.length + chunk.length));
      more.set(head);
      more.set(chunk.subarray(0, more.length - head.length), head.length);
      head = more;
    }
    size += chunk.length;
    crc = crc32Update(crc, chunk);
    if (fullDeno && runtime && sameVersion) continue;
    const window = new Uint8Array(tail.length + chunk.length);
    window.set(tail);
    window.set(chunk, tail.length);
    fullDeno ||= FULL_DENO_MARKERS.some((m) => indexOfBytes(window, m) >= 0);
    runtime ||= indexOfBytes(window, RUNTIME_MARKER) >= 0;
    // A version at the very end of this window is judged with the next chunk.
    sameVersion ||= indexOfBytes(window, wanted, true, false) >= 0;
    tail = window.slice(Math.max(0, window.length - longest + 1));
  }
  sameVersion ||= indexOfBytes(tail, wanted, true, true) >= 0;
  return { target: executableTarget(head), fullDeno, runtime, sameVersion, size, crc32: crc };
}

/**
 * Why a base cannot serve `triple` for Deno `version` (by default this one),
 * as the end of a sentence about it; undefined when it can.
 *
 * @example
 * ```ts
 * baseRefusal({ target: { os: "linux", arch: "x86_64" }, fullDeno: true, runtime: true,
 *   sameVersion: true, size: 1, crc32: 0 }, "x86_64-unknown-linux-gnu");
 * // "is the full deno CLI, not a denort …"
 * ```
 */
export function baseRefusal(
  facts: BaseFacts,
  triple: TargetTriple,
  version: string = Deno.version.deno,
): string | undefined {
  const want = targetByTriple(triple);
  if (facts.target === undefined) return "is not an executable";
  if (facts.target.os !== want.os || facts.target.arch !== want.arch) {
    return `is a ${facts.target.os}/${facts.target.arch} executable, not one for ${triple}`;
  }
  if (facts.fullDeno) {
    return "is the full deno CLI, not a denort (it carries deno's compiler, language server " +
      "and subcommands; a binary built on it does not run as thoth)";
  }
  const expected = `the denort of Deno ${version} for ${triple} (denort-${triple}.zip of ` +
    `the v${version} release)`;
  if (!facts.runtime) {
    return `is not a denort: it carries no Deno runtime (no "${
      new TextDecoder().decode(RUNTIME_MARKER)
    }"); expected ${expected}`;
  }
  if (!facts.sameVersion) {
    return `is not a denort of Deno ${version}, which compiles with it (it does not carry ` +
      `"Deno/${version}"); expected ${expected}`;
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
      const head = {
        target: executableTarget(await readHead(denortBin)),
        fullDeno: false,
        runtime: true,
        sameVersion: true,
        size: 0,
        crc32: 0,
      };
      let refusal = baseRefusal(head, triple);
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
