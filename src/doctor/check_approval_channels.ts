/**
 * Doctor check `approval_channels`: whether a native approval dialog can be
 * shown (macOS `osascript`; Windows `powershell`/`pwsh`; Linux `zenity` or
 * `kdialog` with `DISPLAY` or `WAYLAND_DISPLAY`), and whether the approval
 * queue (`THOTH_HOME/approvals`, where `thoth approvals` answers from a
 * terminal) can take a request, as the queue itself judges it. A usable queue
 * makes a missing dialog a warning; a queue with no folder where one must be
 * (a file in its place) fails, with the queue's own remedy: step-up calls that
 * reach it are refused, and `thoth approvals list` fails too. The terminal
 * command is named as it works for how this thoth was started and for its
 * profile (`approvalsCommandFor`: a compiled thoth by its path, thoth from
 * source by its checkout's `deno task`, another profile with its
 * `THOTH_HOME`), as the queue's own note names it.
 *
 * @example
 * ```ts
 * (await checkApprovalChannels(context)).message; // "OS dialog (zenity), terminal (thoth approvals)"
 * ```
 */
import { ApprovalQueue } from "../approval/approval_queue.ts";
import { approvalsCommandFor } from "../approval/create_approver.ts";
import type { AppError } from "../errors.ts";
import { findExecutable } from "../platform/find_executable.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { guiClientPath } from "./gui_client_path.ts";
import { profileFolderProblem } from "./profile_folder_problem.ts";

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
  const home = context.env[context.os === "windows" ? "USERPROFILE" : "HOME"];
  const approvals = approvalsCommandFor(
    context.thothHome,
    home,
    context.os,
    context.host.sandbox?.launch,
  );
  const terminal = `terminal (${approvals})`;
  const queue = await queueProblem(context);
  if (queue !== null) {
    return {
      id: "approval_channels",
      status: "fail",
      message: dialog === null
        ? `${queue.message}; no OS approval dialog either: ${missing}; so a step-up call is ` +
          "refused unless the MCP client asks the person itself (elicitation)"
        : `OS dialog (${dialog}); but ${queue.message}: "${approvals}" cannot answer a ` +
          "step-up call",
      hint: queue.hints[0] ?? null,
    };
  }
  if (dialog === null) {
    return {
      id: "approval_channels",
      status: "warn",
      message: `no OS approval dialog: ${missing}; step-up approvals fall back to ${terminal}`,
      hint: context.os === "linux"
        ? `install zenity (e.g. "sudo apt install zenity") in a desktop session, or approve ` +
          `with "${approvals}"`
        : `approve from a terminal with "${approvals}"`,
    };
  }
  return {
    id: "approval_channels",
    status: "pass",
    message: `OS dialog (${dialog}), ${terminal}`,
    hint: null,
  };
}

/**
 * Why the approval queue cannot take a request (see
 * `ApprovalQueue.folderProblem`); null when it can, or when the profile is
 * itself no folder (the profile check says so, once).
 */
async function queueProblem(context: DoctorContext): Promise<AppError | null> {
  if ((await profileFolderProblem(context).catch(() => null)) !== null) return null;
  return (await ApprovalQueue.forHome(context.thothHome).folderProblem()) ?? null;
}
