/**
 * The refusals a multi-file write would meet, checked for every file before
 * the first is written, so that one refusal leaves every file as it was.
 *
 * @example
 * ```ts
 * await checkConfigWrites([{ file, output: file.path, text: plan.text }], { replaceReadOnly: false });
 * ```
 */
import type { ConfigFile } from "../config/read_config_file.ts";
import {
  currentOutput,
  outputExistsError,
  replacesOtherOutput,
} from "../config/commit_config_plan.ts";
import { checkWritable } from "../config/write_config.ts";

/** What one write of a multi-file run is: the file read, where it goes, and the text. */
export interface PlannedWrite {
  file: ConfigFile;
  output: string;
  text: string;
}

/**
 * Checks, before the first file is written, every write a command will make
 * the way the write itself would refuse it: an output that is not a regular
 * file, an `--output` file that holds something else without
 * `replaceOutput` (`usage.output_exists`), a config no one or not this user
 * may write without `replaceReadOnly` (`config.read_only`), a folder that
 * surely does not let this user make the new file in it (`io.write_failed`).
 * A file whose output already holds its text needs no write and is not
 * checked. So one refusal leaves every file as it was; a write that still
 * fails later (a file changed on disk meanwhile) is told by
 * `partialWriteError`. Nothing is written: a dry run (`dryRun`) checks the
 * same, except that an `--output` file with other content is passed over
 * here, as the dry run refuses it after showing the diff against it.
 */
export async function checkConfigWrites(
  writes: readonly PlannedWrite[],
  options: {
    replaceReadOnly?: boolean | undefined;
    replaceOutput?: boolean | undefined;
    dryRun?: boolean | undefined;
  },
): Promise<void> {
  for (const { file, output, text } of writes) {
    const original = await currentOutput(file, output);
    if (original !== null && original.text === text && original.bom === file.bom) continue;
    if (replacesOtherOutput(file, original, text) && !options.replaceOutput) {
      if (options.dryRun) continue;
      throw outputExistsError(output);
    }
    await checkWritable(output, {
      original,
      ...(options.replaceReadOnly ? { replaceReadOnly: true } : {}),
    });
  }
}
