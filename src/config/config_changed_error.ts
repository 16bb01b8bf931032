/**
 * The refusal of a config write because another program wrote the file
 * while thoth worked on it (`config.changed_on_disk`): it changed between
 * thoth's read and its write, so nothing was written; or (`overwritten`) it
 * was replaced right after thoth wrote it, so what thoth wrote may be lost.
 * Either way the command may read the file again, plan again and try again
 * (see `src/cli/retry_changed_config.ts`); `path` names the file. A command
 * that writes several files and had written another one before this failed
 * reports that in an error of its own, not as this class.
 *
 * @example
 * ```ts
 * throw new ConfigChangedError("/home/ana/.claude.json", "changed");
 * // thoth: error: config "/home/ana/.claude.json" changed on disk while thoth was working; nothing was written
 * ```
 */
import { AppError } from "../errors.ts";

/** When the change was seen: before thoth's write, or right after it. */
export type ConfigChangeSeen = "changed" | "overwritten";

/** A config another program wrote while thoth was writing it. */
export class ConfigChangedError extends AppError {
  /** The config, as the command named it. */
  readonly path: string;
  /** Whether thoth's own write had happened (and was replaced). */
  readonly seen: ConfigChangeSeen;

  constructor(path: string, seen: ConfigChangeSeen) {
    super(
      "config.changed_on_disk",
      seen === "changed"
        ? `config "${path}" changed on disk while thoth was working; nothing was written`
        : `config "${path}" was written, but another program replaced it right after; what ` +
          "thoth wrote may be lost",
      { hints: ["quit the client that edits it, then run the command again"] },
    );
    this.path = path;
    this.seen = seen;
  }
}
