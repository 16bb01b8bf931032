/**
 * A command chosen where the server starts, in forms a variable check alone
 * misses: a command substitution where a command stands (`"$(command -v
 * thoth)" run …`, `` `which thoth` run … ``, PowerShell's `(Get-Command
 * thoth).Source`), PowerShell's `${env:THOTH}`, bash's `${!T}`, `$IFS`
 * splitting one word into thoth and `run`, and zsh's `=thoth`: never wrapped
 * a second time, never counted as governed. A variable that only picks the
 * folder of a program named by a literal last path segment (`$HOME/bin/server
 * run -- x`) does not choose the program: such a server stays wrappable.
 */
import assert from "node:assert/strict";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { powershellCommands, shellCommands } from "../../src/config/command_line_words.ts";
import { expandedCommand } from "../../src/config/expanded_command.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planStatus } from "../../src/config/plan_status.ts";
import { threadCpu } from "../_thread_cpu.ts";

const THOTH = "/opt/thoth/bin/thoth";
const SELF = [THOTH];
const isFile = (path: string) => path === THOTH;

/** Commands a substitution, a variable or zsh's `=` picks, which may be thoth. */
const MAY_BE_THOTH: [string, string[]][] = [
  ["sh", ["-c", '"$(command -v thoth)" run --agent-id fs -- npx -y pkg']],
  ["bash", ["-c", "exec $(which thoth) run --agent-id a -- npx"]],
  ["sh", ["-c", "`which thoth` run -- npx"]],
  ["sh", ["-c", 'cd /srv && exec "`command -v thoth`" run --agent-id a -- npx']],
  // No name in the substitution, but the words after it are thoth run's.
  ["sh", ["-c", '"$(cat /etc/mcp/launcher-path)" run --agent-id a -- npx']],
  ["bash", ["-c", "$(printf '%s' \"$X\") run -- npx"]],
  ["nice", ["-n", "5", "$(which thoth)", "run", "--", "npx"]],
  // PowerShell: ${env:…} and a grouping expression as the command.
  ["pwsh", ["-c", "& ${env:THOTH} run --agent-id fs -- npx -y pkg"]],
  ["pwsh", ["-Command", "& (Get-Command thoth).Source run --agent-id a -- npx"]],
  ["pwsh", ["-c", "& $(Get-Command thoth.exe).Path run -- npx"]],
  // bash's indirection, $IFS splitting a word, a variable for the last path segment.
  ["bash", ["-c", "${!T} run --agent-id fs -- npx -y pkg"]],
  ["bash", ["-c", "thoth${IFS}run --agent-id a -- npx"]],
  ["bash", ["-c", "thoth$IFS run -- npx"]],
  ["sh", ["-c", "$HOME/bin/$PROG run -- x"]],
  ["sh", ["-c", "th${X}oth run -- npx"]],
  // zsh's =thoth is the path of the command thoth.
  ["zsh", ["-c", "=thoth run --agent-id a -- npx"]],
  // A command inside a substitution runs: thoth there is thoth.
  ["sh", ["-c", 'echo "$(thoth run --agent-id a -- npx)"']],
  ["sh", ["-c", "x=`thoth run -- npx`"]],
  ["pwsh", ["-c", "$out = (thoth run -- npx)"]],
  // A literal base name that is thoth's, behind a variable folder: read as thoth.
  ["sh", ["-c", "$HOME/bin/thoth run --agent-id a -- npx"]],
  ["sh", ["-c", "exec ${BIN:-/usr/bin}/thoth run -- npx"]],
];

/** Servers whose program a literal name fixes, or that use a substitution only as an argument. */
const NOT_THOTH: [string, string[]][] = [
  ["sh", ["-c", "$HOME/bin/server run -- x"]],
  ["sh", ["-c", "exec $HOME/.cargo/bin/cargo run --release -- serve"]],
  ["sh", ["-c", "${BIN:-/usr/bin}/uv run -- python server.py"]],
  ["bash", ["-c", '"${HOME}/.local/bin/uv" run --directory /srv -- python server.py']],
  ["sh", ["-c", '"$(dirname "$0")/server" run -- x']],
  ["sh", ["-c", 'exec node "$(npm root -g)/pkg/index.js" --stdio']],
  ["sh", ["-c", "cd $(mktemp -d) && npx -y pkg"]],
  ["bash", ["-c", "exec uv run --directory $(pwd) -- python server.py"]],
  ["pwsh", ["-c", "& (Join-Path $PSScriptRoot server.exe) --stdio"]],
  ["pwsh", ["-c", "& ${env:ProgramFiles}\\nodejs\\node.exe server.js"]],
  ["cmd", ["/c", "%USERPROFILE%\\bin\\server.exe run -- x"]],
  ["$HOME/bin/server", ["run", "--", "x"]],
  ["${BIN:-/usr/bin}/uv", ["run", "--", "python", "server.py"]],
  ["sh", ["-c", "node$(echo) server.js"]],
  ["sh", ["-c", "echo $(thoth --version)"]],
];

Deno.test("a substitution, ${env:…}, ${!T}, $IFS or =thoth that may start thoth is never wrapped again", () => {
  for (const [command, args] of MAY_BE_THOTH) {
    const what = JSON.stringify([command, ...args]);
    assert.equal(readThothInvocation(command, args, SELF)?.kind, "not_understood", what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    const status = planStatus(text, { isFile, thothCommand: SELF });
    assert.equal(status.servers[0]!.state, "not_understood", what);
    const plan = planWrap(text, { thothCommand: SELF });
    assert.equal(plan.servers[0]!.action, "skipped", what);
    assert.deepEqual(JSON.parse(plan.text).mcpServers.w, { command, args }, `${what}: left alone`);
  }
});

Deno.test("a variable folder before a literal program name leaves the server wrappable", () => {
  for (const [command, args] of NOT_THOTH) {
    const what = JSON.stringify([command, ...args]);
    assert.equal(readThothInvocation(command, args, SELF), undefined, what);
    const text = JSON.stringify({ mcpServers: { w: { command, args } } });
    assert.equal(planStatus(text, { isFile }).servers[0]!.state, "ungoverned", what);
    const plan = planWrap(text, { thothCommand: SELF });
    assert.equal(plan.servers[0]!.action, "wrapped", what);
    const after = planStatus(plan.text, { isFile, thothCommand: SELF });
    assert.equal(after.servers[0]!.state, "governed", what);
  }
});

Deno.test("the reason names the substitution, and what to write instead", () => {
  const found = readThothInvocation("sh", ["-c", '"$(command -v thoth)" run --agent-id fs -- x']);
  const reason = found?.kind === "not_understood" ? found.reason : "";
  assert.match(reason, /starts "\$\(command -v thoth\)" \(its command substitution names thoth/);
  assert.match(reason, /what that command substitution prints when the server starts/);
  assert.match(reason, /write thoth's absolute path plainly as "command"/);
  const top = readThothInvocation("$(which thoth)", ["run", "--", "npx"]);
  assert.match(
    top?.kind === "not_understood" ? top.reason : "",
    /is what its command substitution prints/,
  );
  const ifs = readThothInvocation("bash", ["-c", "thoth${IFS}run -- npx"]);
  assert.match(
    ifs?.kind === "not_understood" ? ifs.reason : "",
    /\$IFS splits it into "thoth run"/,
  );
});

Deno.test("a variable folder before a program named thoth is read as thoth by its base name", () => {
  const found = readThothInvocation("sh", ["-c", "$HOME/bin/thoth run --agent-id a -- npx"]);
  assert.match(
    found?.kind === "not_understood" ? found.reason : "",
    /it starts thoth \("\$HOME\/bin\/thoth"\) through "sh"/,
  );
  // Without "run" it is no thoth run: not thoth's, as /usr/bin/thoth serve is not.
  assert.equal(readThothInvocation("sh", ["-c", "$HOME/bin/thoth serve"]), undefined);
});

Deno.test("shellCommands keeps a substitution whole in its word and reads the commands in it", () => {
  assert.deepEqual(shellCommands('"$(command -v thoth)" run -- x'), [
    ["command", "-v", "thoth"],
    ["$(command -v thoth)", "run", "--", "x"],
  ]);
  assert.deepEqual(shellCommands("exec $(which thoth) run"), [
    ["which", "thoth"],
    ["exec", "$(which thoth)", "run"],
  ]);
  assert.deepEqual(shellCommands("`which thoth` run; b"), [
    ["which", "thoth"],
    ["`which thoth`", "run"],
    ["b"],
  ]);
  // Quotes, a subshell and arithmetic inside; a ")" in quotes does not end it.
  assert.deepEqual(shellCommands(`"$(echo ')' "a b")/x" y`), [
    ["echo", ")", "a b"],
    [`$(echo ')' "a b")/x`, "y"],
  ]);
  assert.deepEqual(shellCommands("a $((1 + (2))) b").at(-1), ["a", "$((1 + (2)))", "b"]);
  assert.deepEqual(shellCommands("a $(b $(c) d) e").map((c) => c[0]), ["c", "b", "a"]);
  assert.deepEqual(shellCommands("a $(b").at(-1), ["a", "$(b"]);
});

Deno.test("powershellCommands keeps ${env:…} and a grouping whole in its word", () => {
  assert.deepEqual(powershellCommands("& ${env:THOTH} run -- x"), [[
    "${env:THOTH}",
    "run",
    "--",
    "x",
  ]]);
  assert.deepEqual(powershellCommands("& (Get-Command thoth).Source run"), [
    ["Get-Command", "thoth"],
    ["(Get-Command thoth).Source", "run"],
  ]);
});

Deno.test("expandedCommand: a literal last segment fixes the program; substitutions and ${!T}", () => {
  assert.equal(expandedCommand("$HOME/bin/server")?.base, "server");
  assert.equal(expandedCommand("${BIN:-/usr/bin}/uv")?.base, "uv");
  assert.equal(expandedCommand("%USERPROFILE%\\bin\\server.exe")?.base, "server.exe");
  assert.equal(expandedCommand("$HOME/bin/$PROG")?.base, undefined);
  assert.equal(expandedCommand("${X:-/usr/bin/thoth}")?.base, undefined);
  assert.equal(expandedCommand("$(command -v thoth)")?.substitution, true);
  assert.equal(expandedCommand("`which thoth`")?.substitution, true);
  assert.equal(expandedCommand("${!T}")?.name, "T");
  assert.equal(expandedCommand("${env:THOTH}")?.name, "env:THOTH");
  assert.deepEqual(expandedCommand("thoth${IFS}run")?.split, ["thoth", "run"]);
  assert.deepEqual(expandedCommand("th${X:-o}th")?.values, ["thoth"]);
  assert.equal(expandedCommand("/usr/bin/node"), undefined);
});

Deno.test("long lines of substitutions are read in linear time", () => {
  const lines = [
    // Many substitutions side by side, then thoth.
    "echo " + "$(a) `b` ".repeat(25_000) + "; exec thoth run -- npx",
    // Substitutions inside one another, quoted and not.
    '"$('.repeat(50_000) + "thoth run -- npx" + ')"'.repeat(50_000),
    "$(".repeat(100_000),
    "`".repeat(200_000),
    "echo $(" + "x ".repeat(100_000) + ") run -- npx",
    // Then thoth chosen by a substitution, quoted.
    "echo " + '"$(a)" '.repeat(40_000) + '; "$(command -v thoth)" run -- npx',
  ];
  // Bounded is the CPU this thread spends (tens of milliseconds a line; minutes when each
  // substitution rescans the rest of the line), not the wall clock, which a machine busy with
  // other tests stretches.
  for (const line of lines) {
    assert.ok(line.length >= 200_000, "long enough");
    const read = threadCpu(() => readThothInvocation("sh", ["-c", line], SELF));
    assert.ok(read.cpuMs < 2_000, `read in ${read.cpuMs.toFixed(0)} ms of CPU`);
    if (/thoth(\)")? run/.test(line)) {
      assert.equal(read.value?.kind, "not_understood", line.slice(-40));
    }
    const split = threadCpu(() => {
      shellCommands(line);
      powershellCommands(line.replaceAll("`", "("));
    });
    assert.ok(split.cpuMs < 1_000, `split in ${split.cpuMs.toFixed(0)} ms of CPU`);
  }
});
