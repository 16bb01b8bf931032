/**
 * `thoth audit checkpoint`: signs a checkpoint now, or (`--export`) copies
 * the latest signed one off the device, for `thoth audit verify --anchor`.
 *
 * @example
 * ```ts
 * const audit = new Command("audit");
 * addCheckpointCommand(audit, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { AppError } from "../errors.ts";
import { openAuditLog } from "../audit/audit_log.ts";
import { writeAnchorFile } from "../audit/anchor_file.ts";
import { withAnchorKey } from "../audit/anchor_key.ts";
import { readDeviceSigner } from "../audit/device_keys.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { readCheckpointNotes } from "../audit/log_files.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { examples } from "./audit_help.ts";

/** Adds `checkpoint` to the `audit` command. */
export function addCheckpointCommand(audit: Command, io: CliIo): void {
  audit.command("checkpoint")
    .summary("sign a checkpoint now, or export one (--export)")
    .description("sign a checkpoint now; --export copies it off the device as a verify --anchor")
    .option(
      "--export <file>",
      "write the latest signed checkpoint to this file (an existing one only if this log extends it and it is no later)",
    )
    .option("--replace", "with --export: overwrite the file even if this log does not extend it")
    .addHelpText(
      "after",
      examples(`  # sign one now
  {program} audit checkpoint

  # write the latest to a file to keep off this device, for "verify --anchor" later
  {program} audit checkpoint --export anchor.note`),
    )
    .action(async (options) => {
      if (options.replace && options.export === undefined) {
        throw new AppError("usage.bad_flag", "--replace goes with --export FILE", {
          hints: ['run "thoth audit checkpoint --export FILE --replace"'],
        });
      }
      await requireProfileFolder(io.thothHome, io.env);
      const log = await openAuditLog({ thothHome: io.thothHome });
      await log.close();
      const notes = await readCheckpointNotes(auditPaths(io.thothHome).checkpoints);
      const latest = notes[notes.length - 1];
      if (latest === undefined) {
        throw new AppError(
          "audit.no_checkpoint",
          "the audit log has no records to checkpoint yet",
          {
            hints: ["run thoth with a server first; every session writes records"],
          },
        );
      }
      const size = latest.note.split("\n")[1];
      if (options.export !== undefined) {
        // The anchor carries the key that signed it (see anchor_key.ts).
        const signer = await readDeviceSigner(auditPaths(io.thothHome), "sign the anchor");
        const anchor = await withAnchorKey(latest.note, signer);
        if (anchor === undefined) {
          io.err(
            `thoth: warning: the newest checkpoint (size ${size}) is not signed by this device's current audit key, so the anchor does not carry its key: verify --anchor trusts it only while the keys file lists the key that signed it\n`,
          );
        }
        const written = await writeAnchorFile(options.export, anchor ?? latest.note, {
          logDir: auditPaths(io.thothHome).dir,
          replace: options.replace === true,
        });
        io.out(
          written === "same"
            ? `${options.export} holds the checkpoint at size ${size} already\n`
            : written === "replaced"
            ? `replaced the checkpoint in ${options.export} with the one at size ${size}\n`
            : `wrote the checkpoint at size ${size} to ${options.export}\n`,
        );
        io.out(
          `keep it off this device; later run: thoth audit verify --anchor ${options.export}\n`,
        );
      } else {
        io.out(latest.note);
      }
    });
}
