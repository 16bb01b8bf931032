/**
 * thoth started through a launcher with its options before `run`, across a
 * shell line continuation, or through a prefix command (`nice`, `sudo`, …)
 * or PowerShell is not understood: never taken for a server without thoth
 * and wrapped a second time. Servers that do not start thoth stay wrappable.
 */
import assert from "node:assert/strict";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";

const THOTH = "/opt/thoth/bin/thoth";
const SELF = ["/usr/local/bin/thoth"];

const STARTS_THOTH: [string, string[]][] = [
  ["env", [THOTH, "--verbose", "run", "--", "npx", "y"]],
  ["sh", ["-c", `exec ${THOTH} --verbose run --agent-id a -- npx y`]],
  ["sh", ["-c", `exec ${THOTH} \\\nrun --agent-id a -- npx y`]],
  ["bash", ["-c", `exec "${THOTH}" "--verbose" \\\n  run -- npx y`]],
  ["nice", [THOTH, "run", "--", "npx"]],
  ["nice", ["-n", "10", "thoth", "--verbose", "run", "--", "npx"]],
  ["/usr/bin/nohup", ["thoth", "run", "--", "npx"]],
  ["sudo", ["-u", "svc", THOTH, "run", "--", "npx"]],
  ["doas", ["thoth", "run", "--", "npx"]],
  ["timeout", ["10", "thoth", "run", "--", "npx"]],
  ["stdbuf", ["-o0", "thoth", "run", "--", "npx"]],
  ["ionice", ["-c3", "thoth", "run", "--", "npx"]],
  ["chrt", ["-b", "0", "thoth", "run", "--", "npx"]],
  ["taskset", ["-c", "0", "thoth", "run", "--", "npx"]],
  ["pwsh", ["-c", "thoth run -- npx"]],
  ["pwsh.exe", ["-NoProfile", "-Command", "& 'C:\\Program Files\\thoth\\thoth.exe' run -- npx"]],
  ["powershell.exe", ["-Command", "C:\\thoth\\thoth.exe --verbose run -- npx"]],
  ["sh", ["-c", 'exec "$@"', "_", THOTH, "run", "--", "npx"]],
  ["env", ["-S", THOTH, "run", "--", "npx"]],
  ["cmd", ["/c", "call", THOTH, "run", "--", "npx"]],
  ["cmd", ["/c", `@${THOTH} run -- npx`]],
  ["cmd", ["/c", "C:\\Program Files\\thoth\\thoth.exe", "run", "--", "npx"]],
  ["wsl", ["~", "-e", THOTH, "run", "--", "npx"]],
];

const NOT_THOTH: [string, string[]][] = [
  ["nice", ["-n", "10", "npx", "-y", "server"]],
  ["sudo", ["-u", "thoth", "docker", "run", "-i", "img"]],
  ["timeout", ["10", "uvx", "thoth-tools"]],
  ["bash", ["-c", "cd /opt/thoth && docker run -i --rm img"]],
  ["sh", ["-c", "npx -y thoth run-server"]],
  ["pwsh", ["-c", "npx my-server"]],
  ["pwsh", ["-File", "C:\\srv\\start.ps1"]],
  ["sudo", ["-E", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["env", ["-i", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["setsid", ["-w", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["caffeinate", ["-i", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
  ["systemd-run", ["--user", "--pty", "uv", "--directory", "/opt/thoth", "run", "server.py"]],
];

Deno.test("thoth behind a launcher, options before run, or a line continuation is not understood", () => {
  for (const [command, args] of STARTS_THOTH) {
    const what = JSON.stringify([command, ...args]);
    assert.equal(readThothInvocation(command, args, SELF)?.kind, "not_understood", what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    const plan = planWrap(text, { thothCommand: SELF });
    assert.equal(plan.servers[0]!.action, "skipped", what);
    assert.deepEqual(JSON.parse(plan.text).mcpServers.w, { command, args }, `${what}: left alone`);
  }
});

Deno.test("a prefix command's fix names it", () => {
  const found = readThothInvocation("nice", [THOTH, "run", "--", "npx"], SELF);
  assert.equal(found?.kind, "not_understood");
  assert.match(
    found?.kind === "not_understood" ? found.reason : "",
    /through "nice".*without nice/,
  );
});

Deno.test("a launcher that starts no thoth is not taken for thoth", () => {
  for (const [command, args] of NOT_THOTH) {
    const what = JSON.stringify([command, ...args]);
    assert.equal(readThothInvocation(command, args, SELF), undefined, what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    assert.equal(planWrap(text, { thothCommand: SELF }).servers[0]!.action, "wrapped", what);
  }
});
