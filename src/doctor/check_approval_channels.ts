/**
 * Doctor check `approval_channels`: whether a native approval dialog can be
 * shown (macOS `osascript`; Windows `powershell`/`pwsh`; Linux `zenity` or
 * `kdialog` with `DISPLAY` or `WAYLAND_DISPLAY`). Approving from a terminal
 * with `thoth approvals` always works, so a missing dialog is a warning.
 *
 * @example
 * ```ts
 * (await checkApprovalChannels(context)).message; // "OS dialog (zenity), terminal (thoth approvals)"
 * ```
 */
import { findExecutable } from "../platform/find_executable.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { guiClientPath } from "./gui_client_path.ts";

/** Lists the approval channels this machine offers. */
export async function checkApprovalChannels(context: DoctorContext): Promise<DoctorCheck> {
  const path = [context.env["PATH"] ?? "", guiClientPath(context.os, context.env)]
    .filter((p) => p !== "").join(context.os === "windows" ? ";" : ":");
  const find = (name: string) => findExecutable(name, path, context.os, context.host.isExecutable);
  let dialog: string | null = null;
  let missing: string;
  if (context.os === "darwin") {
    dialog = (await find("osascript")) === null ? null : "osascript";
    missing = "osascript is not on the PATH";
  } else if (context.os === "windows") {
    for (const name of ["powershell", "pwsh"]) {
      if (dialog === null && (await find(name)) !== null) dialog = name;
    }
    missing = "neither powershell nor pwsh is on the PATH";
  } else {
    const display = (context.env["DISPLAY"] ?? "") !== "" ||
      (context.env["WAYLAND_DISPLAY"] ?? "") !== "";
    let tool: string | null = null;
    for (const name of ["zenity", "kdialog"]) {
      if (tool === null && (await find(name)) !== null) tool = name;
    }
    dialog = display ? tool : null;
    missing = !display
      ? "no desktop session (DISPLAY and WAYLAND_DISPLAY are unset)"
      : "neither zenity nor kdialog is installed";
  }
  const terminal = "terminal (thoth approvals)";
  if (dialog === null) {
    return {
      id: "approval_channels",
      status: "warn",
      message: `no OS approval dialog: ${missing}; step-up approvals fall back to ${terminal}`,
      hint: context.os === "linux"
        ? 'install zenity (e.g. "sudo apt install zenity") in a desktop session, or approve with "thoth approvals"'
        : 'approve from a terminal with "thoth approvals"',
    };
  }
  return {
    id: "approval_channels",
    status: "pass",
    message: `OS dialog (${dialog}), ${terminal}`,
    hint: null,
  };
}
