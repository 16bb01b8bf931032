/**
 * What a config command's `--dry-run` needs to know of the file it would
 * write: whether it would change it ({@linkcode wouldChange}), and which
 * secrets its diff must show by fingerprint only ({@linkcode diffSecrets}).
 *
 * @example
 * ```ts
 * const changed = await wouldChange(file, output, plan.text);
 * const secrets = await diffSecrets(file, output, plan.text, plan.removedSecrets ?? []);
 * ```
 */
import { AppError } from "../errors.ts";
import { currentOutput } from "../config/commit_config_plan.ts";
import type { ConfigFile } from "../config/read_config_file.ts";
import { diffSecretValues } from "../config/diff_secret_values.ts";
import { maskSecrets } from "./apply_config_plan.ts";

/** Whether writing `text` to `output` (the input when it is the input) would change it. */
export async function wouldChange(
  file: ConfigFile,
  output: string,
  text: string,
): Promise<boolean> {
  const current = await currentOutput(file, output);
  return current === null || current.text !== text || current.bom !== file.bom;
}

/**
 * The secrets (see `diffSecretValues`: `"env"` values, URL
 * passwords, tokens in args, credential headers) of each text a dry run's
 * diff shows: the input, what `output` holds when it is another file, and the
 * planned text. A value the removed keys (`removed`) already mask where they
 * stand in it (`"Bearer KEY"`) is left to them, so it shows as `"Bearer <api
 * key, fingerprint …>"`, as before.
 */
export async function diffSecrets(
  file: ConfigFile,
  output: string,
  planned: string,
  removed: readonly string[],
): Promise<string[]> {
  const current = await currentOutput(file, output);
  const texts = [
    file.text,
    planned,
    ...(current === null || current === file ? [] : [current.text]),
  ];
  const masked = (value: string) =>
    maskSecrets(JSON.stringify(value), removed) !== JSON.stringify(value);
  const found = texts.flatMap((text) => {
    try {
      return diffSecretValues(text);
    } catch (error) {
      // Only an --output file's text is not parsed before: one nested deeper than the parser's
      // stack reaches cannot be searched for secrets, so its diff is not shown.
      if (!(error instanceof RangeError)) throw error;
      throw new AppError(
        "config.invalid",
        `cannot show the diff against --output "${output}": it is nested too deeply to read ` +
          "(thousands of objects and arrays inside one another)",
        {
          cause: error,
          hints: [
            "it is no client config: name another --output, or replace it with " +
            "--replace-output (what it holds is backed up first); nothing was written",
          ],
        },
      );
    }
  });
  return [...new Set(found)].filter((value) => !masked(value));
}
