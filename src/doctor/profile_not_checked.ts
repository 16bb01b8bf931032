/**
 * Why what lives in the profile (credentials, policy, intent map, audit,
 * progressive counters) is not read for the health report, as data: a
 * `THOTH_HOME` that is not an absolute path (`~/.thoth`, `rel`) names no
 * profile at all, since it would be read in whatever folder thoth was
 * started in; a profile that is there but is no folder cannot be read
 * either. Either is said once, in `profile`; the parts inside it say they
 * were not checked and point there.
 *
 * @example
 * ```ts
 * await profileNotChecked({ env: { THOTH_HOME: "rel" }, thothHome: "rel", os: "linux" });
 * // "not checked: THOTH_HOME is not an absolute path (see the profile check)"
 * ```
 */
import { thothHomeError } from "../identity/thoth_home_error.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { NOT_CHECKED_PROFILE, profileFolderProblem } from "./profile_folder_problem.ts";

/** What a part inside the profile says when `THOTH_HOME` is not an absolute path. */
export const NOT_CHECKED_INVALID_HOME =
  "not checked: THOTH_HOME is not an absolute path (see the profile check)";

/** What the parts inside `context`'s profile say instead of a finding; null when it can be read. */
export async function profileNotChecked(
  context: Pick<DoctorContext, "env" | "thothHome" | "os">,
): Promise<string | null> {
  if (thothHomeError(context.env, context.os) !== null) return NOT_CHECKED_INVALID_HOME;
  const notFolder = await profileFolderProblem(context).catch(() => null);
  return notFolder === null ? null : NOT_CHECKED_PROFILE;
}
