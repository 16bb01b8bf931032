/**
 * A private X server (Xvfb) for the tests that run a real dialog tool, and
 * xdotool to press its keys as a keyboard would: never the desktop a person
 * uses. The tools are looked up on PATH (Linux only); a test that misses one
 * is skipped, and its name says which.
 */
import assert from "node:assert/strict";
import { findExecutable } from "../../src/platform/find_executable.ts";
import { removeOnUnload, tempFolder } from "../_temp_dirs.ts";

/** The paths of `names` on PATH (Linux only), and the names of those missing. */
export async function findTools(
  names: readonly string[],
): Promise<{ paths: Record<string, string>; missing: string[] }> {
  const path = Deno.env.get("PATH") ?? "";
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const found = Deno.build.os === "linux" ? await findExecutable(name, path, "linux") : null;
    if (found === null) missing.push(name);
    else paths[name] = found;
  }
  return { paths, missing };
}

/** `name`, or `name` with why it is skipped when tools are missing. */
export function nameOrSkip(name: string, missing: readonly string[]): string {
  return missing.length === 0
    ? name
    : `${name} (skipped: ${missing.join(", ")} not installed${
      Deno.build.os === "linux" ? "" : "; Linux only"
    })`;
}

/**
 * How long a test waits for a window, a key's effect or a helper: long, as
 * a KDE or GTK program may take seconds to start on a busy machine; a test
 * that passes waits only as long as the dialog takes.
 */
export const DESKTOP_WAIT_MS = 30_000;

/** A running Xvfb: the environment a dialog on it gets (its display, a temp home). */
export interface Desktop {
  env: { DISPLAY: string; HOME: string };
  close(): Promise<void>;
}

/** Whether display `n` has a lock file or a socket here (some X server may use it). */
async function taken(n: number): Promise<boolean> {
  const paths = [`/tmp/.X11-unix/X${n}`, `/tmp/.X${n}-lock`];
  const found = await Promise.all(paths.map((p) => Deno.stat(p).then(() => true, () => false)));
  return found.includes(true);
}

/**
 * Claims display `n` for this test process, atomically (a file only one
 * process can create): two Xvfbs started on one number at once break the
 * first (the second removes its socket file before it finds the display
 * taken, and the first's clients then cannot connect). The claim's path,
 * or undefined if another test holds it.
 */
async function claim(n: number): Promise<string | undefined> {
  // Beside the X servers' own locks, so every test process on this machine sees it.
  const path = `/tmp/thoth-test-display-${n}.claim`;
  try {
    (await Deno.open(path, { createNew: true, write: true })).close();
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return undefined;
    throw error;
  }
  removeOnUnload(path);
  return path;
}

/** The first line `stream` gives (empty if it ends first), at most `DESKTOP_WAIT_MS`. */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => reader.cancel(), DESKTOP_WAIT_MS);
  let said = "";
  try {
    while (!said.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      said += value;
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  return said.split("\n")[0]!;
}

/**
 * Starts Xvfb (at `xvfb`) on a display numbered from 140 up that no X
 * server here uses and no other test claimed (see `claim`), and waits until
 * it is ready: it says so by writing its number (`-displayfd`). One that
 * exits without it (its display was taken meanwhile) gives the next number
 * a try.
 */
export async function startXvfb(xvfb: string): Promise<Desktop> {
  const home = await tempFolder("thoth-dialog-home-");
  for (let n = 140; n < 200; n++) {
    if (await taken(n)) continue;
    const claimed = await claim(n);
    if (claimed === undefined) continue;
    const server = new Deno.Command(xvfb, {
      args: [`:${n}`, "-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1024x768x24"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const close = async () => {
      try {
        server.kill("SIGTERM");
      } catch {
        // It exited already.
      }
      await server.status;
      await Deno.remove(claimed).catch(() => {});
    };
    if ((await firstLine(server.stdout)) === String(n)) {
      return { env: { DISPLAY: `:${n}`, HOME: home }, close };
    }
    await close();
  }
  assert.fail("no free X display from :140 to :199");
}

/** Runs `program` with `args` on the desktop (at most `DESKTOP_WAIT_MS`); fails unless it exits 0. Its stdout. */
export async function onDesktop(
  desktop: Desktop,
  program: string,
  args: string[],
): Promise<string> {
  const done = await new Deno.Command(program, {
    args,
    // Only the private display's variables: nothing of the real desktop's session.
    clearEnv: true,
    env: { ...desktop.env, PATH: Deno.env.get("PATH") ?? "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(DESKTOP_WAIT_MS),
  }).output();
  assert.equal(done.code, 0, `${args.join(" ")}: ${new TextDecoder().decode(done.stderr)}`);
  return new TextDecoder().decode(done.stdout);
}

/** The ids of the visible windows titled `title`. */
async function visibleWindows(desktop: Desktop, xdotool: string, title: string): Promise<string[]> {
  const found = await new Deno.Command(xdotool, {
    args: ["search", "--onlyvisible", "--name", title],
    // Only the private display's variables: nothing of the real desktop's session.
    clearEnv: true,
    env: { ...desktop.env, PATH: Deno.env.get("PATH") ?? "" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    signal: AbortSignal.timeout(DESKTOP_WAIT_MS),
  }).output();
  return new TextDecoder().decode(found.stdout).split("\n").filter((id) => id !== "");
}

/**
 * Waits (at most `DESKTOP_WAIT_MS`) for the one visible window titled `title`, focuses
 * it, and presses `keys` (if any) in it as a keyboard would (a key event sent to a
 * window is marked synthetic, and Qt and GTK may ignore it). Its id.
 */
export async function pressIn(
  desktop: Desktop,
  xdotool: string,
  title: string,
  keys: string[],
): Promise<string> {
  for (const end = Date.now() + DESKTOP_WAIT_MS; Date.now() < end;) {
    const [window, ...more] = await visibleWindows(desktop, xdotool, title);
    assert.deepEqual(more, [], `more than one window titled "${title}"`);
    if (window !== undefined) {
      const press = keys.length === 0 ? [] : ["key", ...keys];
      await onDesktop(desktop, xdotool, ["windowfocus", "--sync", window, ...press]);
      return window;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`no window titled "${title}" within ${DESKTOP_WAIT_MS / 1000} s`);
}

/**
 * Waits (at most `DESKTOP_WAIT_MS`) until window `window` titled `title` is no longer
 * shown: the next window a dialog opens is then told from it, even when the
 * X server gives it the same id.
 */
export async function closed(
  desktop: Desktop,
  xdotool: string,
  title: string,
  window: string,
): Promise<void> {
  for (const end = Date.now() + DESKTOP_WAIT_MS; Date.now() < end;) {
    if (!(await visibleWindows(desktop, xdotool, title)).includes(window)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`window ${window} titled "${title}" still shown after ${DESKTOP_WAIT_MS / 1000} s`);
}
