/**
 * Refuses an `--output` path that names something a config cannot be
 * written to: a directory, or anything else that is not a regular file (a
 * FIFO, a device), or a special file thoth may not open at all (`/dev/stdout`,
 * `/proc/self/fd/1`: Deno lets no program without every permission open
 * them). A path that does not exist yet is fine: the config is created
 * there. The I/O half of `config/`.
 *
 * @example
 * ```ts
 * await checkOutputPath("/home/ana/out", "/home/ana/claude_desktop_config.json");
 * // throws usage.output_not_file: --output "/home/ana/out" is a directory: …
 * ```
 */
import { AppError } from "../errors.ts";

/**
 * Throws `usage.output_not_file` when `output` exists and is not a regular
 * file (or a link to one); inside a directory, the input's file name is
 * suggested.
 */
export async function checkOutputPath(output: string, input: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(output);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw specialFileError(output);
    // Missing (created there), or not reachable: the write itself says why.
    return;
  }
  if (info.isFile) return;
  const sep = output.includes("\\") && !output.includes("/") ? "\\" : "/";
  const name = input.split(/[\\/]/).filter((part) => part !== "").pop() ?? input;
  const inside = `${output.replace(/[\\/]+$/, "")}${sep}${name}`;
  throw new AppError(
    "usage.output_not_file",
    info.isDirectory
      ? `--output "${output}" is a directory; --output needs the path of a file to write`
      : `--output "${output}" is not a regular file; --output needs the path of a file to write`,
    {
      hints: [
        info.isDirectory
          ? `pass a file path, such as --output "${inside}"; nothing was written`
          : "pass the path of a regular file, or of one that does not exist yet; nothing was written",
      ],
    },
  );
}

/** The refusal of an `--output` that names a special file (standard output, a device). */
function specialFileError(output: string): AppError {
  return new AppError(
    "usage.output_not_file",
    `--output "${output}" is a special file thoth does not write (a device, or a process's ` +
      "own file such as /dev/stdout); --output needs the path of a regular file",
    {
      hints: [
        "pass the path of a regular file; or, to see what would be written, leave out " +
        "--output and pass --dry-run (the diff goes to standard output); nothing was written",
      ],
    },
  );
}
