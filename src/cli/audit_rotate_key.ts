/**
 * `thoth audit rotate-key`: replaces the device's audit signing key, on a
 * schedule or after a suspected exposure (see `rotate_audit_key.ts`), and
 * says what to do next: export a fresh anchor and keep it off the device.
 *
 * @example
 * ```ts
 * const audit = new Command("audit");
 * addRotateKeyCommand(audit, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { rotateAuditKey } from "../audit/rotate_audit_key.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { examples } from "./audit_help.ts";

/** Adds `rotate-key` to the `audit` command. */
export function addRotateKeyCommand(audit: Command, io: CliIo): void {
  audit.command("rotate-key")
    .summary("replace the audit signing key (scheduled, or if exposed)")
    .description(
      "replace this device's audit signing key: on your key rotation schedule, or at once\n" +
        "when the key may have been exposed (a lost backup, a copied profile). The log\n" +
        "records the rotation (a key_rotation record the old key signs, endorsing the\n" +
        "new one) and a checkpoint signed by the new key; sessions already running sign\n" +
        "their next checkpoints with the new key. Nothing is re-signed: verify trusts\n" +
        "the new key through the rotation record, so the whole log, bundles exported\n" +
        "later (they carry the rotation) and earlier anchors still verify. An anchor is\n" +
        "what proves the log against someone holding the old key: export a fresh one\n" +
        "now and keep it off this device. Waits for the log's lock as sessions do.",
    )
    .option("--json", "print {ok, oldKey, newKey, seq, checkpoint} as JSON")
    .addHelpText(
      "after",
      examples(`  # rotate, then keep a checkpoint signed by the new key off this device
  {program} audit rotate-key
  {program} audit checkpoint --export /media/usb/thoth-anchor.note

  # later: the log verifies across the rotation, and against the anchor
  {program} audit verify --anchor /media/usb/thoth-anchor.note`),
    )
    .action(async (options) => {
      await requireProfileFolder(io.thothHome, io.env);
      const rotated = await rotateAuditKey(io.thothHome, {
        note: (text) => io.err(`thoth: ${text}\n`),
      });
      if (options.json === true) {
        io.out(`${JSON.stringify({ ok: true, ...rotated })}\n`);
        return;
      }
      const { checkpoint } = rotated;
      const program = audit.parent?.name() ?? "thoth";
      io.out(
        `rotated the audit signing key\n` +
          `  old key: ${rotated.oldKey} (retired; it signed the rotation)\n` +
          `  new key: ${rotated.newKey}\n` +
          `recorded the rotation at seq ${rotated.seq}; the new key signed the checkpoint at size ${checkpoint.size}\n` +
          "sessions already running sign their next checkpoints with the new key\n" +
          "next: export a fresh anchor and keep it off this device:\n" +
          `  ${program} audit checkpoint --export FILE\n`,
      );
    });
}
