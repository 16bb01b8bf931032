/**
 * Three launcher forms status once showed as "runs without thoth", so that
 * wrap-config would wrap thoth inside thoth: bash's `$'…'` quoting in a
 * shell line, a command a variable chooses (`"${THOTH:-thoth}" run …`), and
 * a path with a blank left unquoted in a `cmd /c` line. Each is read now:
 * not understood ("?"), with a fix, and left alone by wrap-config. Servers
 * that only look alike stay wrappable.
 */
import assert from "node:assert/strict";
import { type InvocationRead, readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { inTempDir, thoth } from "../cli/_config_cli.ts";
import { threadCpu } from "../_thread_cpu.ts";

const SELF = ["/usr/local/bin/thoth"];
const RUN = "run --agent-id a -- npx srv";

function reason(found: InvocationRead): string {
  assert.equal(found?.kind, "not_understood");
  return found?.kind === "not_understood" ? found.reason : "";
}

/** [command, args, what the reason says]. */
const NOT_UNDERSTOOD: [string, string[], RegExp][] = [
  // 1. $'…' as bash decodes it, and $"…" as "…".
  ["bash", ["-c", `$'thoth' ${RUN}`], /starts thoth \("thoth"\) through "bash"/],
  ["bash", ["-c", `exec $'\\x74h\\157th' ${RUN}`], /starts thoth \("thoth"\)/],
  ["bash", ["-c", `$'/opt/thoth/bin/th\\u006fth' ${RUN}`], /"\/opt\/thoth\/bin\/thoth"/],
  ["sh", ["-c", `cd /srv && $'thoth\\x2Eexe' ${RUN}`], /starts thoth \("thoth.exe"\)/],
  ["bash", ["-c", `$"thoth" ${RUN}`], /starts thoth \("thoth"\)/],
  ["zsh", ["-lc", `exec $"/opt/thoth/bin/thoth" ${RUN}`], /through "zsh"/],
  ["bash", ["-c", `eval $'thoth run' -- npx`], /starts thoth/],
  // What cannot be decoded exactly in command position: not understood, never "runs without thoth".
  ["bash", ["-c", `$'th\\xffoth' ${RUN}`], /cannot decode exactly/],
  ["bash", ["-c", `$'tho\\u00f0th' ${RUN}`], /cannot decode exactly/],
  ["bash", ["-c", `$'thoth\\0x' ${RUN}`], /cannot decode exactly/],
  // 2. A command a variable chooses, meant to be thoth.
  [
    "bash",
    ["-c", `"\${THOTH:-thoth}" ${RUN}`],
    /default names thoth: "thoth".*chosen by the variable THOTH/,
  ],
  [
    "bash",
    ["-c", `$THOTH ${RUN}`],
    /thoth run.s: "run … -- <command>".*chosen by the variable THOTH/,
  ],
  ["bash", ["-c", `\${THOTH} run -- npx`], /variable THOTH/],
  ["sh", ["-c", `exec "\${THOTH-/usr/bin/thoth}" serve`], /default names thoth/],
  ["sh", ["-c", `"\${X:=thoth}" ${RUN}`], /variable X/],
  ["sh", ["-c", `\${BIN:-\${ALT:-/opt/thoth}/thoth} --verbose ${RUN}`], /variable BIN/],
  ["sudo", ["-u", "svc", "sh", "-c", `exec "$THOTH" ${RUN}`], /through "sudo".*variable/],
  ["cmd", ["/c", `%THOTH% ${RUN}`], /variable THOTH/],
  ["${THOTH:-thoth}", ["run", "--agent-id", "a", "--", "npx"], /command "\$\{THOTH:-thoth\}"/],
  ["$THOTH", ["run", "--", "npx", "srv"], /chosen by the variable THOTH/],
  // 3. A path with a blank cmd would split.
  [
    "cmd",
    ["/d", "/s", "/c", `C:\\Program Files\\thoth\\thoth.exe ${RUN}`],
    /runs "C:\\\\Program".*quote the path \("\\"C:\\\\Program Files\\\\thoth\\\\thoth.exe\\" run …"\)/,
  ],
  ["cmd.exe", ["/c", "C:\\Program", "Files\\thoth\\thoth.exe", "run", "--", "npx"], /not quoted/],
  ["cmd", ["/c", `@C:\\My Tools\\thoth\\thoth.exe ${RUN}`], /not quoted/],
];

Deno.test("thoth behind $'…', a variable or an unquoted cmd path is not understood", () => {
  for (const [command, args, says] of NOT_UNDERSTOOD) {
    const what = JSON.stringify([command, ...args]);
    assert.match(reason(readThothInvocation(command, args, SELF)), says, what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    const plan = planWrap(text, { thothCommand: SELF });
    assert.equal(plan.servers[0]!.action, "skipped", what);
    assert.deepEqual(JSON.parse(plan.text).mcpServers.w, { command, args }, `${what}: left alone`);
  }
});

Deno.test("the fixes name what to write instead", () => {
  const variable = reason(readThothInvocation("bash", ["-c", `"\${THOTH:-thoth}" ${RUN}`]));
  assert.match(variable, /write thoth's absolute path plainly as "command"/);
  assert.match(variable, /run "thoth wrap-config"/);
  const split = reason(
    readThothInvocation("cmd", ["/d", "/s", "/c", `C:\\Program Files\\thoth\\thoth.exe ${RUN}`]),
  );
  assert.match(split, /but the path is not quoted/);
});

/** Servers that only look like the forms above: still wrapped. */
const NOT_THOTH: [string, string[]][] = [
  ["bash", ["-c", `$'npx' -y srv`]],
  ["bash", ["-c", `printf $'\\u00e9\\xff\\0'; npx srv`]],
  ["bash", ["-c", `$'uv' --directory $'/opt/thoth' run server.py`]],
  ["bash", ["-c", `echo $'thoth run'; npx srv`]],
  ["bash", ["-c", `echo $$'thoth' run; npx srv`]],
  ["sh", ["-c", `"$SERVER" --port 1`]],
  ["sh", ["-c", `exec \${NODE:-node} server.js`]],
  ["sh", ["-c", `\${PYTHON:-python3} -m srv run`]],
  ["$SERVER", ["--port", "1"]],
  ["${NODE:-node}", ["server.js", "run"]],
  ["cmd", ["/c", "C:\\Tools\\server.exe --dir C:\\thoth run"]],
  ["cmd", ["/c", "C:\\Tools\\server --dir C:\\thoth run"]],
  ["cmd", ["/c", "C:\\Program Files\\acme\\server.exe", "--dir", "C:\\thoth", "run"]],
  ["cmd", ["/c", '"C:\\Program Files\\nodejs\\npx.cmd" -y srv']],
];

Deno.test("servers that only look like these forms are still wrapped", () => {
  for (const [command, args] of NOT_THOTH) {
    const what = JSON.stringify([command, ...args]);
    assert.equal(readThothInvocation(command, args, SELF), undefined, what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    assert.equal(planWrap(text, { thothCommand: SELF }).servers[0]!.action, "wrapped", what);
  }
});

Deno.test("long $'…', variable and cmd lines are read promptly", () => {
  const long: [string, string[], boolean][] = [
    ["bash", ["-c", `$'${"\\x41".repeat(200_000)}' srv; $'thoth' ${RUN}`], true],
    ["bash", ["-c", `$'${"\\x41".repeat(200_000)}' ${RUN}`], false],
    ["bash", ["-c", `printf ${"$'\\u00e9' ".repeat(50_000)}; npx srv`], false],
    ["bash", ["-c", `${"$'a".repeat(100_000)}`], false],
    ["bash", ["-c", `${"${A:-".repeat(50_000)}thoth${"}".repeat(50_000)} ${RUN}`], true],
    ["cmd", ["/c", `C:\\a ${"b ".repeat(200_000)}thoth.exe run -- npx`], false],
    ["cmd", ["/c", `${"C:\\a b c d e & ".repeat(50_000)}npx srv`], false],
  ];
  for (const [command, args, starts] of long) {
    const what = `${command} ${args.join(" ").slice(0, 40)}…`;
    // The CPU this thread spends, not the wall clock (which a busy machine stretches).
    const { value: found, cpuMs } = threadCpu(() => readThothInvocation(command, args, SELF));
    assert.equal(found?.kind, starts ? "not_understood" : undefined, what);
    assert.ok(cpuMs < 5_000, `${what}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
});

Deno.test("thoth status --config shows the three forms as not understood, not as without thoth", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          a: { command: "bash", args: ["-c", `$'thoth' ${RUN}`] },
          b: { command: "bash", args: ["-c", `"\${THOTH:-thoth}" ${RUN}`] },
          c: {
            command: "cmd",
            args: ["/d", "/s", "/c", `C:\\Program Files\\thoth\\thoth.exe ${RUN}`],
          },
          plain: { command: "npx", args: ["srv"] },
        },
      }),
    );
    const run = await thoth(["status", "--config", path], { cwd: dir });
    for (const name of ["a", "b", "c"]) {
      assert.match(run.out, new RegExp(`^${name} +\\? .*not understood`, "m"), run.out + run.err);
    }
    assert.match(run.out, /^plain +✗ /m, run.out + run.err);
  });
});
