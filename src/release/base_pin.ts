/**
 * Whether a runtime base may make a release binary. Only a pin proves a
 * base: the markers `runtime_base.ts` looks for prove nothing (any executable
 * can carry them), and running a host binary with `--version` after it is
 * built shows only that it starts and reports the right version; a denort
 * with a backdoor, or a small program printing that line, passes as well.
 * So a base for another target is not used unless pinned: its binaries are
 * not built, listed, checksummed or signed, and the build exits 1. A signed
 * release needs a pin for every target, host included
 * ({@linkcode unpinnedSigningBase}); an unsigned build may use the host's
 * base unpinned, and says that it is unpinned and unproven. The admin pins
 * the base they trust with `--base-sha256 TARGET=HEX`: the SHA-256 of the
 * base as found (the `DENORT_BIN` file, or the cached `denort-<target>.zip`,
 * whose SHA-256 Deno publishes beside it as `.sha256sum`). A pin is compared
 * with a private copy of the base made before use, and that copy is what
 * `deno compile` gets; a pin that does not match refuses the target, host
 * included. Pure, but for {@linkcode snapshotBase}.
 *
 * @example
 * ```ts
 * const pins = parseBasePins(["linux-arm64=" + "ab".repeat(32)], "x86_64-unknown-linux-gnu");
 * baseVerdict("aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu", pins.get("aarch64-unknown-linux-gnu"), "ab".repeat(32));
 * // { use: true, pinned: true }
 * ```
 */
import { basename, join } from "node:path";
import { AppError } from "../errors.ts";
import { resolveTargetWord, type TargetTriple } from "./targets.ts";
import { sha256Hex } from "./sha256.ts";

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * Reads `--base-sha256 TARGET=HEX` values (TARGET as `--targets` spells one
 * target: `linux-arm64`, a triple, or `host`) into target → lowercase digest.
 * Throws `usage.bad_flag` (exit 2) on anything else.
 *
 * @example
 * ```ts
 * parseBasePins(["linux-arm64=" + "AB".repeat(32)], "x86_64-unknown-linux-gnu");
 * // Map { "aarch64-unknown-linux-gnu" => "abab…" }
 * ```
 */
export function parseBasePins(
  values: readonly string[] | undefined,
  host: string,
): Map<TargetTriple, string> {
  const pins = new Map<TargetTriple, string>();
  for (const value of values ?? []) {
    const eq = value.indexOf("=");
    const word = eq < 0 ? "" : value.slice(0, eq).trim();
    const hex = eq < 0 ? "" : value.slice(eq + 1).trim();
    if (word === "" || !HEX64.test(hex)) {
      throw new AppError(
        "usage.bad_flag",
        `--base-sha256 "${value.slice(0, 100)}" is not TARGET=<64 hex digits>`,
        { hints: ["for example --base-sha256 linux-arm64=<SHA-256 of the base>"], exitCode: 2 },
      );
    }
    let triples: TargetTriple[];
    try {
      triples = resolveTargetWord(word, host);
    } catch (error) {
      throw new AppError("usage.bad_flag", `--base-sha256 names ${(error as Error).message}`, {
        hints: (error as AppError).hints ?? [],
        exitCode: 2,
      });
    }
    if (triples.length !== 1) {
      throw new AppError(
        "usage.bad_flag",
        `--base-sha256 "${word}" names ${triples.length} targets; a pin names one`,
        {
          hints: [
            "pin each target on its own: --base-sha256 macos-arm64=… --base-sha256 macos-x86_64=…",
          ],
          exitCode: 2,
        },
      );
    }
    const triple = triples[0] as TargetTriple;
    const digest = hex.toLowerCase();
    const seen = pins.get(triple);
    if (seen !== undefined && seen !== digest) {
      throw new AppError(
        "usage.bad_flag",
        `--base-sha256 pins ${triple} twice, to different digests`,
        {
          hints: ["keep the one you checked"],
          exitCode: 2,
        },
      );
    }
    pins.set(triple, digest);
  }
  return pins;
}

/**
 * The pins that name a target this build does not build, each with a note
 * naming it: a pin for the wrong target is a typo or a stale command line,
 * and the build says so rather than ignore it.
 *
 * @example
 * ```ts
 * unusedPins(new Map([["x86_64-pc-windows-msvc", "ab".repeat(32)]]), ["x86_64-unknown-linux-gnu"]);
 * // [{ target: "x86_64-pc-windows-msvc", note: "--base-sha256 pins x86_64-pc-windows-msvc, …" }]
 * ```
 */
export function unusedPins(
  pins: ReadonlyMap<TargetTriple, string>,
  targets: readonly TargetTriple[],
): { target: TargetTriple; note: string }[] {
  const unused: { target: TargetTriple; note: string }[] = [];
  for (const [target, digest] of pins) {
    if (targets.includes(target)) continue;
    unused.push({
      target,
      note: `--base-sha256 pins ${target} (${digest}), which this build does not build ` +
        `(targets: ${targets.join(", ")}); the pin is unused: add the target to --targets, ` +
        "or drop the pin",
    });
  }
  return unused;
}

/** Whether a target's base may be used, and why not. */
export type BaseVerdict =
  | { readonly use: true; readonly pinned: boolean }
  | {
    readonly use: false;
    /** `unverified_base`: another target, no pin; `failed`: a pin that does not match. */
    readonly status: "unverified_base" | "failed";
    readonly note: string;
  };

/**
 * Decides whether the base found for `triple` (whose SHA-256 as found is
 * `found`, at `where`) may be used on a `host` machine, given the admin's pin.
 * When the release is `signed`, an unpinned base is refused for the host too.
 *
 * @example
 * ```ts
 * baseVerdict("aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu", undefined, "ab".repeat(32)).use;
 * // false: built here, it could not be run to check it
 * ```
 */
export function baseVerdict(
  triple: TargetTriple,
  host: string,
  pin: string | undefined,
  found: string,
  where = "the runtime base",
  signed = false,
): BaseVerdict {
  if (pin !== undefined) {
    if (pin === found) return { use: true, pinned: true };
    return {
      use: false,
      status: "failed",
      note: `${where} for ${triple} has SHA-256 ${found}, not the ${pin} that --base-sha256 ` +
        `pins; it is not used: check which file DENORT_BIN or the cache holds, or the pin`,
    };
  }
  if (triple === host && signed) {
    return {
      use: false,
      status: "unverified_base",
      note: unpinnedSigningBase(triple, found, where).message,
    };
  }
  if (triple === host) return { use: true, pinned: false };
  return {
    use: false,
    status: "unverified_base",
    note: `not releasable: this ${host} machine cannot run a binary for ${triple}, so nothing ` +
      `would show that ${where} (SHA-256 ${found}) is a real denort and not an impostor; ` +
      `nothing was compiled for ${triple}. Compare that SHA-256 with the one Deno publishes ` +
      `(denort-${triple}.zip.sha256sum for a cached zip) and pin it: ` +
      `--base-sha256 ${triple}=<that SHA-256>, or build ${triple} on a ${triple} machine`,
  };
}

/**
 * The refusal to sign a release built on a base no `--base-sha256` pins
 * (`build.unpinned_base`): naming the target, the base and its SHA-256 as
 * found, and how to pin it once checked. Running the binary would show only
 * that it starts and reports its version, which a base with a backdoor does
 * as well.
 *
 * @example
 * ```ts
 * throw unpinnedSigningBase("x86_64-unknown-linux-gnu", "ab".repeat(32), 'the DENORT_BIN file "/opt/denort"');
 * ```
 */
export function unpinnedSigningBase(
  triple: TargetTriple,
  found: string,
  where = "the runtime base",
): AppError {
  return new AppError(
    "build.unpinned_base",
    `refusing to sign a release built on an unpinned runtime base: ${where} for ${triple} ` +
      `has SHA-256 ${found}, and no --base-sha256 pins it; running the binary it makes would ` +
      "show only that it starts and reports its version, not that the base is Deno's denort; " +
      "nothing was built",
    {
      hints: [
        `check ${found} against Deno's published checksum: for a cached zip, ` +
        `denort-${triple}.zip.sha256sum beside denort-${triple}.zip in the Deno ` +
        `v${Deno.version.deno} release; for a DENORT_BIN file, the SHA-256 of the denort ` +
        `unpacked from that checked zip`,
        `then pass --base-sha256 ${triple}=<that SHA-256>`,
        "or unset THOTH_RELEASE_SIGNING_KEY for an unsigned test build (it says the base is unpinned)",
      ],
    },
  );
}

/**
 * Copies the base at `path` into `dir` (which only the build writes) and
 * hashes the copy, so that what is compared with a pin is what is used.
 *
 * @example
 * ```ts
 * const { copy, sha256 } = await snapshotBase("/opt/denort", "dist/.stamp", "aarch64-unknown-linux-gnu");
 * ```
 */
export async function snapshotBase(
  path: string,
  dir: string,
  triple: TargetTriple,
): Promise<{ copy: string; sha256: string }> {
  const copy = join(dir, `found-${triple}-${basename(path)}`);
  const bytes = await Deno.readFile(path);
  await Deno.writeFile(copy, bytes, { mode: 0o755 });
  return { copy, sha256: await sha256Hex(bytes) };
}
