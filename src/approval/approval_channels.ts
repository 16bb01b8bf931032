/**
 * Which approval channels exist on this machine, for `thoth doctor`:
 * elicitation depends on each client, the dialog on the OS tools and the
 * desktop session, the queue always works, the remote channel is not
 * configured yet. Pure but for the executable lookup passed in.
 *
 * @example
 * ```ts
 * const report = await approvalChannels(Deno.env.toObject(), lookup, Deno.build.os);
 * // [{ channel: "elicitation", available: "per_client", detail: "…" }, …]
 * ```
 */
import { type ExecutableLookup, findDialogTool } from "./find_dialog_tool.ts";

/** One channel's availability. */
export interface ChannelReport {
  channel: "elicitation" | "dialog" | "queue" | "remote";
  available: "yes" | "no" | "per_client";
  detail: string;
}

/** Reports the four channels in the order they are tried. */
export async function approvalChannels(
  env: Readonly<Record<string, string | undefined>>,
  lookupExecutable: ExecutableLookup,
  os: string = Deno.build.os,
): Promise<ChannelReport[]> {
  const dialog = await findDialogTool(env, os, lookupExecutable);
  return [
    {
      channel: "elicitation",
      available: "per_client",
      detail: "used when the client declares MCP elicitation (Claude Desktop's chat does not)",
    },
    dialog.tool === null
      ? { channel: "dialog", available: "no", detail: dialog.why }
      : { channel: "dialog", available: "yes", detail: `${dialog.tool} (${dialog.path})` },
    {
      channel: "queue",
      available: "yes",
      detail: 'answer from any terminal with "thoth approvals list", "approve ID", "deny ID"',
    },
    { channel: "remote", available: "no", detail: "not configured" },
  ];
}
