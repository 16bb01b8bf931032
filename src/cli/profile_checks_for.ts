/**
 * The profile checks a command runs before its action, the `audit verify`
 * way: `audit verify --bundle` reads only the bundle, so it skips them, and
 * for `audit verify` a refusal exits 3, "could not run", as its help says (1
 * is kept for tampering). Shared by `thoth` and `thothctl`.
 *
 * @example
 * ```ts
 * program.hook("preAction", async (_program, action) => {
 *   await profileChecksFor(action, async () => {
 *     await requireProfileFolder(io.thothHome, io.env);
 *   });
 * });
 * ```
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { AppError, isAppError } from "../errors.ts";

/**
 * Runs a `preAction` hook's profile checks (`setup`: THOTH_HOME must be an
 * absolute path, the profile a folder) for `action`. `audit verify --bundle`
 * reads only the bundle, so it skips them; for `audit verify` a refusal
 * exits 3, "could not run", as its help says (1 is kept for tampering).
 */
export async function profileChecksFor(
  action: CommandUnknownOpts,
  setup: () => Promise<void>,
): Promise<void> {
  const verify = action.name() === "verify" && action.parent?.name() === "audit";
  if (verify && (action.opts() as { bundle?: unknown }).bundle !== undefined) return;
  try {
    await setup();
  } catch (error) {
    if (!verify || !isAppError(error) || error.exitCode === 3) throw error;
    throw new AppError(error.code, error.message, {
      hints: error.hints,
      exitCode: 3,
      cause: error,
    });
  }
}
