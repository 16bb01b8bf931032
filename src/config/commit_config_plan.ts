/**
 * Applies a planned config text to the output file: nothing when the output
 * already holds it, else a safe write (see {@linkcode writeConfig}). The
 * output is the input unless `--output` named another file; a new output file
 * gets the input's mode; an output that is a directory (or anything else but
 * a regular file) is refused up front (`usage.output_not_file`). An
 * `--output` file that exists and holds something else is not replaced
 * unless `replaceOutput` says so (`usage.output_exists`): its content is not
 * derived from the input, and whatever was edited in it would be lost; when
 * it is replaced, what it held is backed up first, each time. The I/O half
 * of `config/`.
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
import { BACKUP_SUFFIX, writeConfig, type WriteResult } from "./write_config.ts";
import { AppError, isAppError } from "../errors.ts";
import { checkOutputPath } from "./check_output_path.ts";

/**
 * What `outputPath` holds now: the input itself when it is the input, the
 * `--output` file as read, or null when there is none yet.
 */
export async function currentOutput(
  input: ConfigFile,
  outputPath: string,
): Promise<ConfigFile | null> {
  if (outputPath === input.path) return input;
  await checkOutputPath(outputPath, input.path);
  try {
    return await readConfigFile(outputPath);
  } catch (error) {
    if (!isAppError(error, "config.not_found")) throw error;
    return null;
  }
}

/**
 * Whether writing `text` would replace an `--output` file (not the input)
 * that holds something else: that file's content is not derived from the
 * input, so it is refused unless `--replace-output` says so.
 */
export function replacesOtherOutput(
  input: ConfigFile,
  output: ConfigFile | null,
  text: string,
): boolean {
  return output !== null && output.path !== input.path &&
    !(output.text === text && output.bom === input.bom);
}

/** The refusal to replace an `--output` file that holds something else (`usage.output_exists`). */
export function outputExistsError(outputPath: string): AppError {
  return new AppError(
    "usage.output_exists",
    `--output "${outputPath}" exists and holds something else than what would be written; ` +
      "writing would replace it, and whatever was changed in it by hand would be lost",
    {
      hints: [
        "pass --replace-output to replace it: what it holds is backed up first, each time, to " +
        `the first free "${outputPath}${BACKUP_SUFFIX}", "${BACKUP_SUFFIX}.2", …; ` +
        "--dry-run shows the diff against it",
        "or name another --output; nothing was written",
      ],
    },
  );
}

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
    /**
     * Replace an `--output` file that holds something else (`--replace-output`),
     * backing it up each time; refused (`usage.output_exists`) without it.
     */
    replaceOutput?: boolean;
  },
): Promise<WriteResult | null> {
  const original = await currentOutput(input, outputPath);
  if (original !== null && original.text === text && original.bom === input.bom) {
    return null;
  }
  const replacing = replacesOtherOutput(input, original, text);
  if (replacing && hooks.replaceOutput !== true) throw outputExistsError(outputPath);
  const options: Parameters<typeof writeConfig>[2] = { original, bom: input.bom };
  if (replacing) options.backupEachTime = true;
  if (input.mode !== undefined) options.modeForNew = input.mode;
  if (hooks.beforeCommit !== undefined) options.beforeCommit = hooks.beforeCommit;
  if (hooks.replaceReadOnly === true) options.replaceReadOnly = true;
  if (hooks.privateBackup === true) options.privateBackup = true;
  if (hooks.secrets !== undefined && outputPath === input.path) options.secrets = hooks.secrets;
  return await writeConfig(outputPath, text, options);
}
