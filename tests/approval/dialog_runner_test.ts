/**
 * The dialog runner: the part of the dialog channel that starts a program,
 * run outside the proxy core's sandbox. Real stand-in programs, no mocks.
 */
import assert from "node:assert/strict";
import { localDialogRunner } from "../../src/approval/dialog_runner.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";

/**
 * A stand-in zenity that prints `stderr` (and `stdout`: "Deny" is the label
 * zenity prints for that button), records its environment, and exits `code`.
 */
async function standIn(dir: string, code: number, stderr = "", stdout = ""): Promise<string> {
  const path = `${dir}/zenity`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\nenv > '${dir}/env'\nprintf '%s' '${stderr}' >&2\nprintf '%s' '${stdout}'\n` +
      `exit ${code}\n`,
    { mode: 0o755 },
  );
  return path;
}

const request = { text: "thoth: allow?", seconds: 30, allowSession: false };

Deno.test("localDialogRunner() tells a desktop it cannot reach from a person's Deny", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-dialog-" });
  try {
    const signal = new AbortController().signal;
    const env = { DISPLAY: ":0", XAUTHORITY: `${dir}/.Xauthority`, HOME: dir };
    const noDisplay = localDialogRunner(
      {
        tool: "zenity",
        path: await standIn(dir, 1, "(zenity:1): Gtk-WARNING **: cannot open display: :0"),
      },
      env,
    );
    const shown = await noDisplay(request, signal);
    assert.equal(shown.kind, "error");
    assert.match((shown as { message: string }).message, /could not open the desktop display/);
    const recorded = await Deno.readTextFile(`${dir}/env`);
    assert.match(recorded, /^XAUTHORITY=/m, "the dialog gets what it needs to reach the desktop");
    assert.doesNotMatch(recorded, /^THOTH_/m);

    const denied = localDialogRunner(
      { tool: "zenity", path: await standIn(dir, 1, "", "Deny\n") },
      env,
    );
    assert.deepEqual(await denied(request, signal), { kind: "answered", reading: "deny", code: 1 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dialogChannel() asks its runner and never starts a program itself when given one", async () => {
  const asked: string[] = [];
  const channel = dialogChannel({
    env: { DISPLAY: ":0", PATH: "/nonexistent" },
    os: "linux",
    user: "ana",
    lookup: (name) => Promise.resolve(name === "zenity" ? "/nonexistent/zenity" : null),
    runner: (req) => {
      asked.push(req.text);
      return Promise.resolve({ kind: "error", message: "no display here" });
    },
  });
  const ask = {
    question: {
      server: "fs",
      tool: "write_file",
      ruleIds: ["r"],
      reasons: ["why"],
      decisionId: "d-1",
      shape: [],
      digest: "d",
    },
    signal: new AbortController().signal,
    deadline: Date.now() + 5000,
    allowSession: false,
  };
  const answer = await channel.ask(ask as unknown as Parameters<typeof channel.ask>[0]);
  // A dialog that was never shown reached no one: the approver moves on.
  assert.deepEqual(answer, { kind: "unreachable", message: "no display here" });
  assert.equal(asked.length, 1);
  assert.match(asked[0]!, /needs your approval/);
});

Deno.test("localDialogRunner() keeps a person's Deny a deny when a GTK warning mentions a display", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-dialog-" });
  try {
    const warning = "(zenity:7): Gtk-WARNING **: 10:00:00.000: Theme parsing error: " +
      'gtk.css:3:9: "display" is not a valid property name';
    const show = localDialogRunner(
      { tool: "zenity", path: await standIn(dir, 1, warning, "Deny") },
      {
        DISPLAY: ":0",
      },
    );
    // Moving on to another channel after a real Deny would ask again: only the
    // exact "cannot open display" means no one saw the dialog.
    assert.deepEqual(await show(request, new AbortController().signal), {
      kind: "answered",
      reading: "deny",
      code: 1,
    });
    const qt = localDialogRunner(
      {
        tool: "kdialog",
        path: await standIn(
          dir,
          134,
          "qt.qpa.xcb: could not connect to display :0\\nThis application failed to start " +
            "because no Qt platform plugin could be initialized.",
        ),
      },
      { DISPLAY: ":0" },
    );
    assert.equal((await qt(request, new AbortController().signal)).kind, "error");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("localDialogRunner() reads the answer of a zenity that quits without reading its stdin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-dialog-" });
  try {
    // Answers at once and never reads the question: the pipe breaks under a long one.
    const show = localDialogRunner(
      { tool: "zenity", path: await standIn(dir, 1, "", "Deny") },
      { DISPLAY: ":0" },
    );
    const long = { ...request, text: "x".repeat(4 * 1024 * 1024) };
    assert.deepEqual(await show(long, new AbortController().signal), {
      kind: "answered",
      reading: "deny",
      code: 1,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
