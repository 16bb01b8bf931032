/**
 * The command line of the release build: its help ({@linkcode USAGE}) and
 * its parser ({@linkcode parseBuildArgs}), which refuses an unknown or
 * malformed flag as a usage error (exit 2).
 *
 * @example
 * ```ts
 * const opts = parseBuildArgs(["--targets", "host", "--dry-run"]);
 * opts["dry-run"]; // true
 * ```
 */
import { parseArgs } from "node:util";
import { AppError } from "../../src/errors.ts";
import { RELEASE_BINARIES } from "../../src/release/build_plan.ts";
import { RELEASE_TARGETS } from "../../src/release/targets.ts";

/** What `deno task build --help` prints. */
export const USAGE = `usage: deno task build [options]

  --targets LIST     comma-separated: host, all, macos, ${
  RELEASE_TARGETS.map((t) => t.suffix.replace(/\.exe$/, "")).join(", ")
} (default all)
  --binaries LIST    comma-separated: ${
  RELEASE_BINARIES.map((b) => b.name).join(", ")
} (default all)
  --out-dir DIR      where assets go (default dist)
  --denort-cache DIR Deno's download cache holding release/v${Deno.version.deno}/denort-<target>.zip
                     (default <DENO_DIR>/dl)
  --base-sha256 TARGET=HEX
                     trust this runtime base for TARGET (repeatable): HEX is the SHA-256
                     of the DENORT_BIN file or of the cached denort-<target>.zip
  --sign-uncommitted sign even though the tree has uncommitted changes (commit …-dirty)
                     or is no git checkout (commit unknown)
  --dry-run          run every check, say what would be built, build nothing
  --json             print a JSON summary on stdout (an error object when the build stops)
  --verbose          on an unexpected error, print its stack and causes

  DENORT_BIN=FILE    a denort for one target, used for that target before the cache
  THOTH_RELEASE_SIGNING_KEY=FILE
                     sign checksums.sha256 (version, commit and checksums)

Runtime bases:
  Only a pin proves a base is Deno's denort: check the base's SHA-256 against
  the one Deno publishes and pass --base-sha256 TARGET=HEX; the base is copied,
  the copy compared with the pin, and only the copy is used. A pin that does
  not match refuses its target.
  A binary built for this machine is run (--version) before it is released.
  That shows it starts and reports the right name, version and commit; it does
  not show that its base is Deno's denort (one with a backdoor passes too).
  Without a pin, an unsigned build uses this machine's base and says it is
  unpinned and unproven, in its output and in provenance.json.
  A binary for another target cannot be run here, so without a pin it is not
  built: not listed in checksums.sha256 or release-manifest.json, not signed,
  and the build exits 1.

Signing:
  With THOTH_RELEASE_SIGNING_KEY set, a tree with uncommitted changes (or no
  git commit) is refused before anything is built, unless --sign-uncommitted,
  and so is a base no --base-sha256 pins, this machine's included.

Exit status:
  0  every planned binary was built (with --dry-run: would be)
  1  at least one was not, or a check (permissions, types, signing key,
     uncommitted tree) failed
  2  usage: a bad flag or target, a bad --base-sha256, an --out-dir the build
     may not write
`;

/** Reads the build's flags (`args`); a flag the parser refuses is thrown as a usage error. */
export function parseBuildArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        targets: { type: "string" },
        binaries: { type: "string" },
        "out-dir": { type: "string" },
        "denort-cache": { type: "string" },
        "base-sha256": { type: "string", multiple: true },
        "sign-uncommitted": { type: "boolean" },
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    // Thrown, not printed here: build.ts's handler says it, with the usage, and under --json
    // prints the error object as for any build that stops.
    throw new AppError(
      (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? "usage.unknown_option"
        : "usage.bad_flag",
      (error as Error).message.replace(/\.$/, ""),
      { hints: ['run "deno task build --help" for the options'], exitCode: 2, cause: error },
    );
  }
}

/** The build's flags, as {@linkcode parseBuildArgs} reads them. */
export type BuildFlags = ReturnType<typeof parseBuildArgs>;
