/**
 * Which release of a binary is installed, as the binary itself says it
 * (`--version`): what `thoth update` decides against under its lock.
 */
import { AppError } from "../errors.ts";
import { parseVersion } from "./semver.ts";
import { runVersion } from "./install_binary.ts";

/**
 * The version the binary at `path` says it is (`<binary> <version> …` on the
 * first line of `--version`). Throws `release.installed_unknown` when it does
 * not say.
 *
 * @example
 * ```ts
 * await installedVersion("/usr/local/bin/thoth", "thoth", 30_000); // "0.1.0"
 * ```
 */
export async function installedVersion(
  path: string,
  binary: string,
  timeoutMs: number,
): Promise<string> {
  const check = await runVersion(path, timeoutMs);
  const words = check.line.split(" ");
  const version = words[0] === binary ? words[1] ?? "" : "";
  if (check.ok && version !== "") {
    try {
      parseVersion(version);
      return version;
    } catch { /* reported below */ }
  }
  throw new AppError(
    "release.installed_unknown",
    `cannot tell which ${binary} is installed at "${path}": "--version" printed "${
      check.line.slice(0, 120) || "nothing"
    }"`,
    {
      hints: [
        `nothing was changed; check that "${path}" is a working ${binary} binary, or install ` +
        "the release by hand",
      ],
    },
  );
}
