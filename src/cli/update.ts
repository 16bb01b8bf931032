/**
 * `thoth update` (alias `self-update`): replace this compiled thoth with the
 * latest release after verifying its signature and SHA-256; see
 * `src/release/self_update.ts` for the steps, the lock and the rollback. A
 * `thothctl` installed beside thoth is brought to the same release with the
 * same checks under the same lock (thothctl itself has no network
 * permission, so it has no update command of its own); each is reported.
 *
 * `--check` prints "available" only for a release it verified. A newer
 * version it could not verify is printed as such, with the reason (and, under
 * `--json`, `"status":"unverified"` and a `reason` object with `code`,
 * `message` and `hints`), and the command exits 1. A manifest that offers an
 * older release than the one installed is printed as such, with a warning
 * that the mirror may be stale or rolled back (`"status":"older_offered"`),
 * and the command exits 1.
 *
 * Exit status: 0 updated, current, or (`--check`) a verified update is
 * available; 1 any other failure, an unverified newer release (`--check`) or
 * an older release offered; 2 configuration to fix (no manifest URL, no
 * trusted key, a malformed `THOTH_RELEASE_VERIFIER_KEY`, a bad flag).
 *
 * A build with no default release channel (no manifest URL and no release key
 * built in) says so in `--help` and in the errors for a missing URL or key,
 * naming both `THOTH_RELEASE_MANIFEST_URL` and `THOTH_RELEASE_VERIFIER_KEY`.
 *
 * @example
 * ```sh
 * thoth update --check
 * thoth update --manifest-url https://releases.example/thoth/latest.json
 * thoth self-update --force
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { VERSION } from "../version.ts";
import { DEFAULT_RELEASE_MANIFEST_URL, releaseChannelHint } from "../release/release_manifest.ts";
import {
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  DEFAULT_MAX_ASSET_BYTES,
  selfUpdate,
  type UpdateDeps,
} from "../release/self_update.ts";
import { AppError } from "../errors.ts";
import { RELEASE_VERIFIER_KEYS, releaseVerifierKeys } from "../release/release_keys.ts";
import { displayText } from "../approval/display_text.ts";

/** What the command may be pointed at instead of the running process (tests). */
export type UpdateCommandDeps = Partial<UpdateDeps>;

/** Builds the `update` subcommand. */
export function updateCommand(io: CliIo, deps: UpdateCommandDeps = {}) {
  return new Command("update")
    .alias("self-update")
    .description(
      "install the latest thoth release over this binary, after verifying that a\n" +
        "trusted release key signed it ($THOTH_RELEASE_VERIFIER_KEY adds one) and its\n" +
        "SHA-256; the old binary is kept until the new one runs --version; never\n" +
        "downgrades; one update at a time: a second one fails while the first holds\n" +
        "the lock file .thoth.update-lock beside the binary; a thothctl installed\n" +
        "beside thoth is updated with it, with the same checks",
    )
    .addOption(new Option("--force", "reinstall when this version is current (never an older one)"))
    .addOption(
      new Option(
        "--check",
        "report whether a verified update is available (exit 1 if a newer one does not verify); " +
          "change nothing",
      ),
    )
    .addOption(
      new Option(
        "--manifest-url <url>",
        "release manifest URL (https; default $THOTH_RELEASE_MANIFEST_URL" +
          (DEFAULT_RELEASE_MANIFEST_URL === "" ? ", else none: see Release channel below)" : ")"),
      ),
    )
    .addOption(
      new Option(
        "--download-timeout <seconds>",
        `give up a download that has not finished after this long (default ${
          DEFAULT_DOWNLOAD_TIMEOUT_MS / 1000
        })`,
      ),
    )
    .addOption(
      new Option(
        "--max-asset-size <MiB>",
        `refuse a binary larger than this (default ${DEFAULT_MAX_ASSET_BYTES / 1024 / 1024})`,
      ),
    )
    .addOption(new Option("--json", "print the result as JSON on stdout"))
    .addHelpText(
      "after",
      `
Exit status:
  0  updated, already current, or (--check) a verified update is available
     (for thoth and a thothctl beside it)
  1  the update failed (nothing was changed unless it says otherwise), a newer
     release could not be verified (--check), the manifest offers an older
     release than the one installed (a stale or rolled-back mirror), or thoth
     was updated but the thothctl beside it was not
  2  configuration to fix: no manifest URL, no trusted release key, a malformed
     THOTH_RELEASE_VERIFIER_KEY, a bad flag

Release channel:
  ${wrapHelp(releaseChannelHint(BUILT_IN_CHANNEL), "  ")}

Examples:
  thoth update --check
  thoth update --manifest-url https://releases.example/thoth/latest.json
  thoth self-update --force`,
    )
    .action(async (options) => {
      const downloadTimeoutMs = positiveNumber(
        "--download-timeout",
        options.downloadTimeout,
        1000,
      );
      const maxAssetBytes = positiveNumber("--max-asset-size", options.maxAssetSize, 1024 * 1024);
      const manifestUrl = options.manifestUrl ?? io.env["THOTH_RELEASE_MANIFEST_URL"] ??
        DEFAULT_RELEASE_MANIFEST_URL;
      const result = await selfUpdate(
        { manifestUrl, force: options.force === true, checkOnly: options.check === true },
        {
          execPath: deps.execPath ?? Deno.execPath(),
          os: deps.os ?? Deno.build.os,
          arch: deps.arch ?? Deno.build.arch,
          currentVersion: deps.currentVersion ?? VERSION,
          ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
          ...(deps.binary === undefined ? {} : { binary: deps.binary }),
          ...(deps.versionTimeoutMs === undefined
            ? {}
            : { versionTimeoutMs: deps.versionTimeoutMs }),
          ...(maxAssetBytes !== undefined
            ? { maxAssetBytes }
            : deps.maxAssetBytes === undefined
            ? {}
            : { maxAssetBytes: deps.maxAssetBytes }),
          ...(downloadTimeoutMs !== undefined
            ? { downloadTimeoutMs }
            : deps.downloadTimeoutMs === undefined
            ? {}
            : { downloadTimeoutMs: deps.downloadTimeoutMs }),
          progress: deps.progress ?? ((line) => io.err(`thoth: ${line}\n`)),
          verifierKeys: deps.verifierKeys ?? releaseVerifierKeys(io.env),
          ...(deps.stallMs === undefined ? {} : { stallMs: deps.stallMs }),
          companions: deps.companions ??
            ((deps.binary ?? "thoth") === "thoth" ? ["thothctl"] : []),
        },
      );
      const companions = result.companions ?? [];
      if (
        companions.some((c) =>
          c.status !== "updated" && c.status !== "current" && c.status !== "available"
        )
      ) {
        io.exitCode = 1;
      }
      if (result.status === "unverified" || result.status === "older_offered") io.exitCode = 1;
      if (options.json === true) {
        io.out(JSON.stringify(result) + "\n");
        return;
      }
      switch (result.status) {
        case "current":
          io.out(`thoth ${result.current} is current (latest release ${result.latest})\n`);
          break;
        case "available":
          io.out(
            `thoth ${result.latest} is available (installed ${result.current}; asset ${result.asset}); ` +
              `run "thoth update" to install it\n`,
          );
          break;
        case "unverified":
          io.out(
            `thoth ${result.latest} is offered (installed ${result.current}) but could not be ` +
              `verified: ${displayText(result.reason?.message ?? "unknown reason", 500)}\n`,
          );
          for (const hint of result.reason?.hints ?? []) {
            io.err(`thoth: hint: ${displayText(hint, 500)}\n`);
          }
          break;
        case "older_offered":
          io.out(
            `thoth ${result.current} is installed; the release manifest offers the older ` +
              `${result.latest}: nothing was changed\n`,
          );
          break;
        case "updated":
          io.out(`updated ${result.path} from ${result.current} to ${result.latest}\n`);
          break;
      }
      for (const c of companions) {
        switch (c.status) {
          case "updated":
            io.out(`updated ${c.path} from ${c.current} to ${c.latest}\n`);
            break;
          case "current":
            io.out(`${c.binary} ${c.current} is current (${c.path})\n`);
            break;
          case "available":
            io.out(`${c.binary} ${c.latest} is available (installed ${c.current}; ${c.path})\n`);
            break;
          case "older_offered":
            io.out(
              `${c.binary} ${c.current} is installed (${c.path}); the release manifest offers ` +
                `the older ${c.latest}: nothing was changed\n`,
            );
            break;
          default:
            io.out(
              `${c.binary} at ${c.path} was not updated: ${
                displayText(c.reason?.message ?? "unknown reason", 500)
              }\n`,
            );
            for (const hint of c.reason?.hints ?? []) {
              io.err(`thoth: hint: ${displayText(hint, 500)}\n`);
            }
        }
      }
    });
}

/** The release channel built into this binary, as --help describes it. */
const BUILT_IN_CHANNEL = { manifestUrl: DEFAULT_RELEASE_MANIFEST_URL, keys: RELEASE_VERIFIER_KEYS };

/** `text` in lines of at most 78 characters, each after the first indented by `indent`. */
function wrapHelp(text: string, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > 78 - indent.length) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/** A positive number flag, times `unit`; undefined when not given; `usage.bad_flag` otherwise. */
function positiveNumber(flag: string, value: string | undefined, unit: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n) || n <= 0) {
    throw new AppError("usage.bad_flag", `${flag} "${value}" is not a positive number`, {
      hints: [`for example ${flag} 600`],
      exitCode: 2,
    });
  }
  return Math.round(n * unit);
}
