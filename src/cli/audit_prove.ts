/**
 * `thoth audit prove`: prints one record with its inclusion proof against a
 * signed checkpoint.
 *
 * @example
 * ```ts
 * const audit = new Command("audit");
 * addProveCommand(audit, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { escapeJsonForDisplay } from "../audit/escape_json_for_display.ts";
import { proveRecord } from "../audit/prove_record.ts";
import { readNumberFlag } from "../config/read_number_flag.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { examples } from "./audit_help.ts";

/** `prove --seq`: a record's sequence number, 0 to 2^53 - 1 (larger ones lose digits). */
function readSeq(value: string): number {
  return readNumberFlag("--seq", value, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    expected: "a record sequence number",
    example: 42,
  });
}

/** Adds `prove` to the `audit` command. */
export function addProveCommand(audit: Command, io: CliIo): void {
  audit.command("prove")
    .summary("print one record with its inclusion proof")
    .description(
      "print one record with its inclusion proof against a signed checkpoint, as JSON:\n" +
        "{seq, record, leafHash, treeSize, rootHash, proof: [hex, …], checkpoint}; exit 0\n" +
        "proved, 1 not (no such record, no signed checkpoint covers it yet, a log that does\n" +
        "not match its checkpoint), 2 a command line it cannot read",
    )
    .requiredOption("--seq <n>", "the record's sequence number", readSeq)
    .option(
      "--json",
      "the proof is printed as JSON either way; with --json a failure is one JSON document " +
        'on stdout too ({"ok":false,"error":{"code",…}})',
    )
    .addHelpText(
      "after",
      examples(`  # record 42 and the proof that a signed checkpoint includes it
  {program} audit prove --seq 42

  # the same for a script, which reads a failure's code from stdout too
  {program} audit prove --seq 42 --json`),
    )
    .action(async (options) => {
      await requireProfileFolder(io.thothHome, io.env);
      const proof = await proveRecord(io.thothHome, options.seq);
      io.out(escapeJsonForDisplay(JSON.stringify(proof, null, 2)) + "\n");
    });
}
