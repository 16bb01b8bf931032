/**
 * A profile that is the root of the file system (`THOTH_HOME=/`, or a link
 * to it, as `THOTH_HOME="$DIR/"` with an empty `$DIR` gives), which every
 * command refuses (`io.profile_is_root`): the doctor's profile check says so
 * with the set-up hint alone, and the checks of what lives in a profile
 * (policy, intent map) are not run. Their remedies would have root change
 * `/` itself (`chmod 700 '/'`, `echo '{}' > '/intent_map.json'`).
 *
 * @example
 * ```ts
 * if (await profileIsFileSystemRoot(context)) return notCheckedForRootProfile("policy");
 * ```
 */
import { isFileSystemRoot } from "../platform/file_system_root.ts";
import type { DoctorCheck, DoctorCheckId } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** Whether `context`'s profile is, or leads to, the root of a file system. */
export async function profileIsFileSystemRoot(
  context: Pick<DoctorContext, "thothHome" | "os">,
): Promise<boolean> {
  if (isFileSystemRoot(context.thothHome, context.os)) return true;
  const real = await Deno.realPath(context.thothHome).catch(() => undefined);
  return real !== undefined && isFileSystemRoot(real, context.os);
}

/** What a check of something inside the profile says when the profile is the file system's root. */
export const NOT_CHECKED_ROOT_PROFILE =
  "not checked: the profile is the root of the file system (see the profile check)";

/** The check `id`, not run because the profile is the root of the file system. */
export function notCheckedForRootProfile(id: DoctorCheckId): DoctorCheck {
  return {
    id,
    status: "warn",
    message: NOT_CHECKED_ROOT_PROFILE,
    hint: 'fix the "profile" check first',
  };
}
