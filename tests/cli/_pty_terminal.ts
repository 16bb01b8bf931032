/**
 * What the tests that run thoth at a real terminal share: a pseudo-terminal
 * that a small Python program holds, as a shell would. The program reads a
 * JSON spec on its standard input (`argv` and `env` of the command to start),
 * starts the command on a new pseudo-terminal and reads what it shows with
 * `pump`; each test's program goes on from there and prints a JSON report.
 */
import assert from "node:assert/strict";

/**
 * The start of a terminal program (after its `import` line, which must
 * import fcntl, json, os, pty, select, signal, sys, termios and time):
 * `spec`, the pseudo-terminal's `master` and `slave`, the command's `pid`,
 * what it has `shown`; `pump(seconds, until=None)`, which reads what the
 * command shows for `seconds` or until `until` is shown (then true); and
 * `wait_for_end(seconds)`, which pumps until the command ends (killing it
 * after `seconds`), pumps a little more and gives its wait status (None if
 * it was killed).
 */
export const PTY_START = `spec = json.loads(sys.stdin.read())
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    os.close(master)
    os.execve(spec["argv"][0], spec["argv"], spec["env"])
shown = b""
def pump(seconds, until=None):
    global shown
    end = time.time() + seconds
    while time.time() < end:
        if until is not None and until in shown:
            return True
        ready, _, _ = select.select([master], [], [], 0.02)
        if ready:
            try:
                shown += os.read(master, 65536)
            except OSError:
                return False
    return until is not None and until in shown
def wait_for_end(seconds):
    status = None
    end = time.time() + seconds
    while status is None and time.time() < end:
        pump(0.05)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    pump(0.2)
    return status
`;

/** Whether python3 with its pty module is here to hold a pseudo-terminal (never on Windows). */
function ptyAvailable(): boolean {
  if (Deno.build.os === "windows") return false;
  try {
    return new Deno.Command("python3", {
      args: ["-c", "import pty"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/** Whether the terminal tests can run here: without a pseudo-terminal they say so and skip. */
export const PTY_TESTS: boolean = ptyAvailable();

/** Said in the name of each terminal test when it cannot run here. */
export const PTY_SKIPPED = PTY_TESTS
  ? ""
  : ": skipped because python3 with its pty module is missing";

/** `text`'s UTF-8 bytes in hex, as a terminal program takes what it types. */
export const hex = (text: string) =>
  [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Runs the terminal `program` with `spec`: the report it printed (it must exit 0). */
export async function runTerminal<T>(program: string, spec: unknown): Promise<T> {
  const child = new Deno.Command("python3", {
    args: ["-c", program],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(spec)));
  await writer.close();
  const output = await child.output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout)) as T;
}

/** The terminal is as it was: shows what is typed, reads whole lines. */
export function assertRestored(run: { echo: boolean; canonical: boolean; shown: string }) {
  assert.ok(run.echo, `echo left off: ${run.shown}`);
  assert.ok(run.canonical, `left in raw mode: ${run.shown}`);
}
