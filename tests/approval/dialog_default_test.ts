/**
 * The default answer of every approval dialog is Deny: Enter (and Escape)
 * must never approve. Where the tool tells them apart (zenity, kdialog),
 * Escape and a closed window read as dismissed, not as a person's Deny. Checked on the argv thoth builds for each tool, and
 * with a real zenity on a private X server (Xvfb) when this machine has them
 * (kdialog: see `kdialog_real_test.ts`).
 */
import assert from "node:assert/strict";
import {
  DIALOG_TITLE,
  dialogCommand,
  readDialogResult,
} from "../../src/approval/dialog_command.ts";
import { localDialogRunner } from "../../src/approval/dialog_runner.ts";
import type { DialogTool } from "../../src/approval/find_dialog_tool.ts";
import { findTools, nameOrSkip, onDesktop, startXvfb } from "./_xvfb.ts";

const TEXT = 'thoth: a tool call needs your approval.\n\nAllow tool "delete_file"?';

Deno.test("dialogCommand() makes Deny what Enter and Escape choose, for every dialog tool", () => {
  const tools: DialogTool[] = ["zenity", "kdialog", "osascript", "powershell"];
  for (const allowSession of [true, false]) {
    for (const tool of tools) {
      const args = dialogCommand(tool, TEXT, 30, allowSession).args;
      switch (tool) {
        case "zenity":
          // A text dialog (its question on stdin) with thoth's buttons, Deny first; its
          // own OK says Close: it answers nothing.
          assert.ok(args.includes("--text-info"));
          assert.ok(args.includes("--ok-label=Close"), "no OK button that reads as a yes");
          assert.deepEqual(args.filter((a) => a.startsWith("--extra-button=")), [
            "--extra-button=Deny",
            "--extra-button=Allow once",
            ...(allowSession ? ["--extra-button=Allow for this session"] : []),
          ]);
          // Deny's label denies; OK (Close), Cancel, Escape, a closed or destroyed window
          // print nothing: dismissed. Never an approval.
          assert.equal(readDialogResult(tool, 1, "Deny\n"), "deny");
          for (const [code, out] of [[1, ""], [0, ""]] as const) {
            assert.equal(readDialogResult(tool, code, out), "dismissed");
          }
          break;
        case "kdialog": {
          // kdialog's yes/no and continue/cancel boxes always default to Yes or Continue.
          for (const box of ["--yesno", "--warningyesno", "--warningcontinuecancel"]) {
            assert.ok(!args.includes(box), `no ${box}`);
          }
          // A list of (tag, label) pairs after the text; Deny is first and preselected.
          const menu = args.indexOf("--menu");
          assert.ok(menu > 0);
          const entries = args.slice(menu + 2);
          assert.deepEqual(entries.slice(0, 4), ["deny", "Deny", "once", "Allow once"]);
          assert.equal(args[args.indexOf("--default") + 1], "Deny", "--default names a label");
          assert.ok(args.indexOf("--default") < menu, "options come before the entries");
          assert.equal(entries.includes("session"), allowSession);
          // Enter prints the preselected entry's tag; Escape and Cancel exit 1 with
          // nothing: dismissed.
          assert.equal(readDialogResult(tool, 0, "deny\n"), "deny");
          assert.equal(readDialogResult(tool, 1, ""), "dismissed");
          break;
        }
        case "osascript": {
          const script = args.filter((_a, i, all) => all[i - 1] === "-e").join("\n");
          assert.match(script, /default button "Deny"/);
          assert.match(script, /cancel button "Deny"/);
          assert.equal(readDialogResult(tool, 1, ""), "deny");
          break;
        }
        case "powershell": {
          // A Yes/No box whose default is its second button, No; only Yes approves.
          const script = args.at(-1)!;
          assert.match(script, /'YesNo', 'Warning', 'Button2'\)/);
          assert.match(script, /if \(\$r -eq 'Yes'\) \{ 'approve' \} else \{ 'deny' \}/);
          assert.equal(readDialogResult(tool, 0, "deny"), "deny");
          break;
        }
      }
    }
  }
});

const { paths, missing } = await findTools(["zenity", "Xvfb", "xdotool"]);

Deno.test({
  name: nameOrSkip(
    "a real zenity never approves on Enter or Space; Escape and a closed window are dismissed",
    missing,
  ),
  ignore: missing.length > 0,
  fn: async () => {
    const desktop = await startXvfb(paths.Xvfb!);
    try {
      const find = ["search", "--sync", "--onlyvisible", "--name", DIALOG_TITLE];
      // Waits for the dialog's window, focuses it, then presses keys as a keyboard
      // would (a key event sent to a window is marked synthetic); or closes it.
      // Enter and Space press whatever has the focus in zenity's text dialog (its
      // text view, or a button): never an allow button, so a deny or dismissed. Space in its
      // text view does nothing: Escape then ends it (dismissed), if Space did not.
      const never = ["deny", "dismissed"];
      const cases: [string, string[][], string[]][] = [
        ["Return", [[...find, "windowfocus", "--sync"], ["key", "Return"]], never],
        ["Space", [[...find, "windowfocus", "--sync"], ["key", "space", "Escape"]], never],
        ["Escape", [[...find, "windowfocus", "--sync"], ["key", "Escape"]], ["dismissed"]],
        // zenity exits 0 when its window is closed: still no approval.
        ["window closed", [[...find, "windowclose"]], ["dismissed"]],
      ];
      for (const [key, steps, readings] of cases) {
        const show = localDialogRunner({ tool: "zenity", path: paths.zenity! }, desktop.env);
        const shown = show(
          { text: TEXT, seconds: 20, allowSession: true },
          new AbortController().signal,
        );
        for (const args of steps) await onDesktop(desktop, paths.xdotool!, args);
        const answered = await shown;
        assert.equal(answered.kind, "answered", key);
        assert.ok(
          answered.kind === "answered" && readings.includes(answered.reading),
          `${key}: ${JSON.stringify(answered)}`,
        );
      }
    } finally {
      await desktop.close();
    }
  },
});
