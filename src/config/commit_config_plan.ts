/**
 * Applies a planned config text to the output file: nothing when the output
 * already holds it, else a safe write (see {@linkcode writeConfig}). The
 * output is the input unless `--output` named another file; a new output file
 * gets the input's mode; an output that is a directory (or anything else but
 * a regular file) is refused up front (`usage.output_not_file`). The I/O
 * half of `config/`.
 *
 * @example
 * ```ts
 * const input = await readConfigFile("c.json");
 * const plan = planWrap(input.text, { thothCommand: ["/opt/thoth/bin/thoth"] });
 * const outcome = await commitConfigPlan(input, "c.json", plan.text, {});
 * outcome; // null when the output already held the text
 * ```
 */
import { type ConfigFile, readConfigFile } from "./read_config_file.ts";
import { writeConfig, type WriteResult } from "./write_config.ts";
import { isAppError } from "../errors.ts";
import { checkOutputPath } from "./check_output_path.ts";

/** Writes `text` to `outputPath` unless it already holds it; null when it did. */
export async function commitConfigPlan(
  input: ConfigFile,
  outputPath: string,
  text: string,
  hooks: {
    beforeCommit?: () => void | Promise<void>;
    replaceReadOnly?: boolean;
    /** The original holds a secret: its backup is made 0600 (see {@linkcode writeConfig}). */
    privateBackup?: boolean;
    /**
     * The secrets the input holds and `text` drops: kept in a backup when the
     * output is the input (see {@linkcode writeConfig}); else the input keeps them.
     */
    secrets?: readonly string[];
  },
): Promise<WriteResult | null> {
  let original: ConfigFile | null = input;
  if (outputPath !== input.path) {
    await checkOutputPath(outputPath, input.path);
    try {
      original = await readConfigFile(outputPath);
    } catch (error) {
      if (!isAppError(error, "config.not_found")) throw error;
      original = null;
    }
  }
  if (original !== null && original.text === text && original.bom === input.bom) {
    return null;
  }
  const options: Parameters<typeof writeConfig>[2] = { original, bom: input.bom };
  if (input.mode !== undefined) options.modeForNew = input.mode;
  if (hooks.beforeCommit !== undefined) options.beforeCommit = hooks.beforeCommit;
  if (hooks.replaceReadOnly === true) options.replaceReadOnly = true;
  if (hooks.privateBackup === true) options.privateBackup = true;
  if (hooks.secrets !== undefined && outputPath === input.path) options.secrets = hooks.secrets;
  return await writeConfig(outputPath, text, options);
}
