/**
 * A `deno compile` command line the release build would run, as the
 * permission check reads it: the argv and the manifest set the binary must
 * bake in. Types only.
 *
 * @example
 * ```ts
 * const compile: CompileCommand = {
 *   label: "thoth-x86_64-unknown-linux-gnu",
 *   set: "thoth",
 *   argv: ["deno", "compile", "--no-prompt", "--allow-read", "src/cli/thoth.ts"],
 * };
 * ```
 */

/** A `deno compile` command line the build would run, and the set it must bake in. */
export interface CompileCommand {
  /** A label for messages, e.g. the asset name. */
  readonly label: string;
  /** The manifest set this binary is built from (`"thoth"`, `"thothctl"`). */
  readonly set: string;
  /** The full argv, starting with the deno binary. */
  readonly argv: readonly string[];
}
