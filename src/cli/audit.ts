/**
 * `thoth audit`: check, read and export the device's tamper-evident audit
 * log. `verify` exits 0 clean, 1 tampered or records lost, 2 warnings only
 * (an empty log among them), 3 could not run (an unreadable or malformed input,
 * or a command line it cannot read: see `verify_usage.ts`).
 *
 * @example
 * ```sh
 * thoth audit verify --anchor ~/offsite/thoth-checkpoint.note
 * thoth audit show --since 24h --decision block
 * thoth audit show --since 24h --effect blocked
 * thoth audit show --decision-id d-9f2c41aa07e35b18
 * thoth audit export --since 2026-07-01 --until 2026-09-30 --output /media/usb/q3
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { addVerifyCommand } from "./audit_verify.ts";
import { addShowCommand } from "./audit_show.ts";
import { addTailCommand } from "./audit_tail.ts";
import { addExportCommand } from "./audit_export.ts";
import { addProveCommand } from "./audit_prove.ts";
import { addCheckpointCommand } from "./audit_checkpoint.ts";
import { addRotateKeyCommand } from "./audit_rotate_key.ts";
import { AUDIT_EXAMPLES, examples } from "./audit_help.ts";

/** Builds the `audit` command and its subcommands. */
export function auditCommand(io: CliIo): Command {
  const audit = new Command("audit")
    .description("check, read and export the tamper-evident audit log")
    .helpCommand(true)
    .addHelpText("after", examples(AUDIT_EXAMPLES));
  addVerifyCommand(audit, io);
  addShowCommand(audit, io);
  addTailCommand(audit, io);
  addExportCommand(audit, io);
  addProveCommand(audit, io);
  addCheckpointCommand(audit, io);
  addRotateKeyCommand(audit, io);
  return audit;
}
