/**
 * thoth behind cmd's own switches (`cmd /d /s /c "…"`, as Node and npm call
 * cmd) or behind more launchers (`setsid`, `runuser`, `su -c`, `arch`,
 * `caffeinate`, `wsl`, `flock`, `time`, `command`, `xargs`, `systemd-run`)
 * is not understood: never wrapped a second time. A word naming thoth counts
 * only where a command stands, so a folder named thoth given as an option's
 * value (`uv --directory /opt/thoth run server.py`) leaves the server
 * wrappable, behind a launcher as without one.
 */
import assert from "node:assert/strict";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planStatus } from "../../src/config/plan_status.ts";

const THOTH = "/opt/thoth/bin/thoth";
const SELF = [THOTH];
const isFile = (path: string) => path === THOTH;

const RUN = ["run", "--agent-id", "a", "--", "npx", "x"];

const THROUGH_CMD: [string, string[]][] = [
  // cmd's own switches before /c, any case, and the outer quotes /s takes off.
  ["cmd", ["/d", "/s", "/c", '"C:\\thoth\\thoth.exe run --agent-id a -- npx x"']],
  ["cmd.exe", ["/D", "/Q", "/E:ON", "/V:OFF", "/C", "thoth run -- npx x"]],
  ["C:\\Windows\\System32\\cmd.exe", ["/d", "/s", "/k", '"C:\\thoth\\thoth.exe" run -- npx']],
  ["cmd", ["/a", "/u", "/f:off", "/t:0a", "/c", "C:\\thoth\\thoth.exe", ...RUN]],
  ["cmd", ["/d", "/c", "npx -y pkg && C:\\thoth\\thoth.exe run -- npx"]],
  // A path with a blank as its own item stays one word, as the C runtime quotes it for cmd.
  ["cmd", ["/c", "C:\\Program Files\\thoth\\thoth.exe", ...RUN]],
  ["cmd", ["/d", "/s", "/c", "C:\\Program Files\\thoth\\thoth.exe", ...RUN]],
  // cmd's call, and @ (no echo) before the command.
  ["cmd", ["/c", "call", "thoth", ...RUN]],
  ["cmd", ["/c", "CALL", "C:\\Program Files\\thoth\\thoth.exe", ...RUN]],
  ["cmd", ["/c", "@thoth run --agent-id a -- npx x"]],
  ["cmd", ["/c", "@call thoth run -- npx x"]],
  ["cmd", ["/c", "set A=1 && @thoth run -- npx x"]],
];

const STARTS_THOTH: [string, string[]][] = [
  ["setsid", ["thoth", ...RUN]],
  ["setsid", ["-w", THOTH, ...RUN]],
  ["runuser", ["-u", "svc", "--", "thoth", ...RUN]],
  ["runuser", ["svc", "-c", "thoth run --agent-id a -- npx x"]],
  ["su", ["svc", "-c", "thoth run --agent-id a -- npx x"]],
  ["su", ["-", "svc", "-s", "/bin/sh", "--command=exec thoth run -- npx x"]],
  ["arch", ["-arm64", "/usr/local/bin/thoth", ...RUN]],
  ["arch", ["-x86_64", "-e", "A=1", "thoth", ...RUN]],
  ["caffeinate", ["-i", "thoth", ...RUN]],
  ["caffeinate", ["-t", "3600", "thoth", ...RUN]],
  ["wsl", ["-e", "thoth", ...RUN]],
  ["wsl.exe", ["thoth", ...RUN]],
  ["wsl", ["-d", "Ubuntu", "--", "thoth", ...RUN]],
  ["flock", ["/tmp/l", "thoth", ...RUN]],
  ["flock", ["-w", "5", "/tmp/l", "-c", "thoth run -- npx x"]],
  ["time", ["thoth", ...RUN]],
  ["/usr/bin/time", ["-o", "/tmp/t", "thoth", ...RUN]],
  ["command", ["thoth", ...RUN]],
  ["xargs", ["thoth", ...RUN]],
  ["xargs", ["-n", "1", "thoth", ...RUN]],
  ["systemd-run", ["--user", "--pipe", "thoth", ...RUN]],
  ["systemd-run", ["--user", "--unit", "mcp", "--pipe", "--wait", "thoth", ...RUN]],
  // Where a command stands in a shell line: after ; && || | ( and keywords.
  ["sh", ["-c", "cd /srv && exec thoth run -- npx x"]],
  ["sh", ["-c", "npx a 2>/dev/null | thoth run -- npx x"]],
  ["sh", ["-c", "if thoth run -- npx x; then :; fi"]],
  ["nice", ["-n", "5", "sudo", "-E", "thoth", ...RUN]],
  ["sudo", ["-u", "svc", "setsid", "nohup", "thoth", ...RUN]],
  // sh -c LINE $0 ARGS…: the line runs its arguments ("$@", "$1"), whatever $0 is.
  ["sh", ["-c", 'exec "$@"', "_", "thoth", ...RUN]],
  ["sh", ["-c", 'exec "$@"', "x", THOTH, ...RUN]],
  ["sh", ["-c", 'exec "$@"', "--", "thoth", ...RUN]],
  ["bash", ["-c", '. /etc/profile; exec "$@"', "--", THOTH, ...RUN]],
  ["dash", ["-c", "$@", "sh", "thoth", ...RUN]],
  ["sh", ["-c", 'exec "${1}" run --agent-id a -- npx x', "_", THOTH]],
  // env -S: the split string goes before the words after it.
  ["env", ["-S", "thoth run --agent-id a", "--", "npx", "x"]],
  ["env", ["-S", "thoth", ...RUN]],
  ["env", ["-iS", "A=1 thoth", ...RUN]],
  ["env", ["--split-string=-i thoth", ...RUN]],
  // wsl ~ (start in the home folder) before its options.
  ["wsl", ["~", "-e", "thoth", ...RUN]],
  ["wsl", ["~", "thoth", ...RUN]],
  ["wsl.exe", ["~", "-d", "Ubuntu", "--exec", THOTH, ...RUN]],
  // Launchers' own flags, and an option no table lists, taken as a flag or with one value.
  ["sudo", ["-E", "-H", "-n", "thoth", ...RUN]],
  ["sudo", ["-EHn", "-u", "svc", "thoth", ...RUN]],
  ["env", ["-i", "-0", "thoth", ...RUN]],
  ["caffeinate", ["-dimsu", "thoth", ...RUN]],
  ["systemd-run", ["--user", "--pty", "--scope", "-G", "-q", "thoth", ...RUN]],
  ["sudo", ["--some-new-option", "thoth", ...RUN]],
  ["sudo", ["--some-new-option", "its-value", "thoth", ...RUN]],
  ["sudo", ["--some-new-option", "its-value", "-u", "svc", "thoth", ...RUN]],
];

const NOT_THOTH: [string, string[]][] = [
  // A folder named thoth as an option's value, behind a launcher or not.
  ["sh", ["-c", "uv --directory /opt/thoth run server.py"]],
  ["sh", ["-c", "uv --directory thoth run server.py"]],
  ["nice", ["-n", "5", "uv", "--project", "thoth", "run", "mcp"]],
  ["uv", ["--project", "thoth", "run", "mcp"]],
  ["bash", ["-lc", "cd ~/thoth && npm run start"]],
  ["sudo", ["-u", "thoth", "/usr/local/bin/mcp-x", "run"]],
  ["bash", ["-c", "exec -a thoth run-server"]],
  ["env", ["HOME=/home/thoth", "npx", "run"]],
  ["sh", ["-c", "echo thoth run; npx foo"]],
  ["cmd", ["/d", "/s", "/c", '"npx -y pkg"']],
  ["setsid", ["npx", "-y", "pkg"]],
  ["xargs", ["-n", "1", "uv", "--directory", "thoth", "run", "x"]],
  ["wsl", ["uv", "--directory", "thoth", "run", "x"]],
  ["flock", ["/tmp/thoth", "npx", "run"]],
  // A launcher's own flags are no reason to read the server's options as the launcher's.
  ["sudo", ["-E", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["sudo", ["-n", "-H", "uv", "--directory", "/home/me/thoth", "run", "server.py"]],
  ["sudo", ["-EHn", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["env", ["-i", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["env", ["-i", "PATH=/usr/bin", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["setsid", ["-w", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["caffeinate", ["-i", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["caffeinate", ["-dimsu", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["systemd-run", ["--user", "--pty", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["systemd-run", ["--user", "--unit", "thoth", "--pty", "make", "-C", "thoth", "run"]],
  ["systemd-run", ["--user", "-G", "git", "-C", "thoth", "run"]],
  ["timeout", ["--foreground", "1h", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  // An option no table lists takes at most one word; the command's options are its own.
  ["sudo", ["--some-new-option", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["env", ["--some-new-option", "x", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  // "$@" as a command's arguments, not as a command.
  ["sh", ["-c", 'exec npx -y pkg "$@"', "_", "thoth", "run"]],
  ["cmd", ["/c", "C:\\Program Files\\acme\\server.exe", "--dir", "C:\\thoth", "run"]],
];

function assertNotUnderstood(forms: [string, string[]][]): void {
  for (const [command, args] of forms) {
    const what = JSON.stringify([command, ...args]);
    assert.equal(readThothInvocation(command, args, SELF)?.kind, "not_understood", what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    const status = planStatus(text, { isFile, thothCommand: SELF });
    assert.equal(status.servers[0]!.state, "not_understood", what);
    const plan = planWrap(text, { thothCommand: SELF });
    assert.equal(plan.servers[0]!.action, "skipped", what);
    assert.deepEqual(JSON.parse(plan.text).mcpServers.w, { command, args }, `${what}: left alone`);
  }
}

Deno.test("thoth behind cmd's own switches is not understood, never wrapped again", () => {
  assertNotUnderstood(THROUGH_CMD);
});

Deno.test("thoth behind more launchers is not understood, never wrapped again", () => {
  assertNotUnderstood(STARTS_THOTH);
});

Deno.test("cmd /d /s /c names the /c switch in its note", () => {
  const found = readThothInvocation("cmd", ["/d", "/s", "/c", '"C:\\thoth\\thoth.exe run -- x"']);
  assert.match(
    found?.kind === "not_understood" ? found.reason : "",
    /it starts thoth \("C:\\\\thoth\\\\thoth\.exe"\) through "cmd \/c"/,
  );
});

Deno.test("a folder named thoth where no command stands is not thoth: wrapped, governed after", () => {
  for (const [command, args] of NOT_THOTH) {
    const what = JSON.stringify([command, ...args]);
    assert.equal(readThothInvocation(command, args, SELF), undefined, what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    assert.equal(planStatus(text, { isFile }).servers[0]!.state, "ungoverned", what);
    const plan = planWrap(text, { thothCommand: SELF });
    assert.equal(plan.servers[0]!.action, "wrapped", what);
    const after = planStatus(plan.text, { isFile, thothCommand: SELF });
    assert.equal(after.servers[0]!.state, "governed", what);
    assert.equal(after.summary.ungoverned + after.summary.notUnderstood, 0, what);
  }
});
