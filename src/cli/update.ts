/**
 * `thoth update` (alias `self-update`): replace this compiled thoth with the
 * latest release after verifying its signature and SHA-256; see
 * `src/release/self_update.ts` for the steps, the lock and the rollback.
 *
 * `--check` prints "available" only for a release it verified. A newer
 * version it could not verify is printed as such, with the reason (and, under
 * `--json`, `"status":"unverified"` and a `reason` object with `code`,
 * `message` and `hints`), and the command exits 1.
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
import { DEFAULT_RELEASE_MANIFEST_URL } from "../release/release_manifest.ts";
import { selfUpdate, type UpdateDeps } from "../release/self_update.ts";
import { releaseVerifierKeys } from "../release/release_keys.ts";
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
        "the lock file .thoth.update-lock beside the binary",
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
        "release manifest URL (https; default $THOTH_RELEASE_MANIFEST_URL)",
      ),
    )
    .addOption(new Option("--json", "print the result as JSON on stdout"))
    .addHelpText(
      "after",
      `
Examples:
  thoth update --check
  thoth update --manifest-url https://releases.example/thoth/latest.json
  thoth self-update --force`,
    )
    .action(async (options) => {
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
          ...(deps.maxAssetBytes === undefined ? {} : { maxAssetBytes: deps.maxAssetBytes }),
          progress: deps.progress ?? ((line) => io.err(`thoth: ${line}\n`)),
          verifierKeys: deps.verifierKeys ?? releaseVerifierKeys(io.env),
          ...(deps.stallMs === undefined ? {} : { stallMs: deps.stallMs }),
        },
      );
      if (result.status === "unverified") io.exitCode = 1;
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
        case "updated":
          io.out(`updated ${result.path} from ${result.current} to ${result.latest}\n`);
          break;
      }
    });
}
