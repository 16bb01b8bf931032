/**
 * Doctor check `profile`: the profile exists, is owned by this user, its
 * directories are 0700 and its secrets (`proxy_api_key.json`, session files,
 * `keys/`) are 0600. The hint is one pasteable command that fixes all of it.
 * Modes are not checked on Windows.
 *
 * @example
 * ```ts
 * (await checkProfile(context)).hint; // 'chmod 600 "/home/ana/.thoth/proxy_api_key.json"'
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

const DIRECTORIES = ["sessions", "audit", "approvals", "state", "keys"] as const;

/** Checks the profile's existence, ownership and modes. */
export async function checkProfile(context: DoctorContext): Promise<DoctorCheck> {
  const home = context.thothHome;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(home);
  } catch {
    return {
      id: "profile",
      status: "fail",
      message: `the profile "${home}" does not exist`,
      hint: 'run "thoth doctor" again (it creates the profile), or set THOTH_HOME',
    };
  }
  if (!info.isDirectory) {
    return {
      id: "profile",
      status: "fail",
      message: `the profile "${home}" is not a directory`,
      hint: "move it aside, or set THOTH_HOME to another directory",
    };
  }
  if (context.os === "windows") {
    return {
      id: "profile",
      status: "pass",
      message: `profile "${home}" (modes not checked on Windows)`,
      hint: null,
    };
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  const uid = context.host.uid();
  const inspect = async (path: string, want: 0o700 | 0o600, isDir: boolean) => {
    let entry: Deno.FileInfo;
    try {
      entry = await Deno.lstat(path);
    } catch {
      return;
    }
    if (entry.isSymlink) {
      problems.push(`"${path}" is a symbolic link`);
      fixes.push(`replace "${path}" with a real ${isDir ? "directory" : "file"}`);
      return;
    }
    if (uid !== null && entry.uid !== null && entry.uid !== uid) {
      problems.push(`"${path}" is owned by uid ${entry.uid}, not you (uid ${uid})`);
      fixes.push(`chown ${uid} "${path}"`);
    }
    const mode = (entry.mode ?? 0) & 0o777;
    if ((mode & 0o077) !== 0) {
      problems.push(`"${path}" is ${octal(mode)}; it must be ${octal(want)}`);
      fixes.push(`chmod ${want.toString(8)} "${path}"`);
    }
  };
  await inspect(home, 0o700, true);
  for (const dir of DIRECTORIES) await inspect(joinPath(home, dir), 0o700, true);
  await inspect(joinPath(home, "proxy_api_key.json"), 0o600, false);
  for (const dir of ["sessions", "keys"]) {
    try {
      for await (const entry of Deno.readDir(joinPath(home, dir))) {
        if (!entry.isDirectory) await inspect(joinPath(home, dir, entry.name), 0o600, false);
      }
    } catch {
      // Absent directories were reported above if they matter.
    }
  }
  if (problems.length > 0) {
    return {
      id: "profile",
      status: "fail",
      message: `profile "${home}" is not private: ${problems.join("; ")}`,
      hint: fixes.join(" && "),
    };
  }
  return {
    id: "profile",
    status: "pass",
    message: `profile "${home}" is private (0700/0600)`,
    hint: null,
  };
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
