/**
 * A person's answer names the process chain it was given from (`chain`),
 * and says whether that chain reaches pid 1 or a subreaper in a few steps
 * past no place a person types (`orphaned`: a double fork, `setsid`) and
 * whether a program that makes a terminal for another is in it
 * (`underScript`: `script -qc`, `expect`, `python -c` with `pty`). The MAC
 * covers them when present and an answer without them keeps the MAC it was
 * written with; the listing and `audit show` say them. Pure vectors: tables
 * as `ps -A -o pid=,ppid=,args=` prints them.
 */
import assert from "node:assert/strict";
import {
  CHAIN_MAX,
  chainFacts,
  givenForMac,
  parseAnswerGiven,
} from "../../src/approval/answer_given.ts";
import { AnswerMacKey } from "../../src/approval/answer_mac.ts";
import { describeAnswer } from "../../src/approval/describe_answer.ts";
import { parseProcessTable } from "../../src/approval/governed_caller.ts";
import type { QueueAnswer } from "../../src/approval/queue_record.ts";
import { formatRecordTable } from "../../src/audit/format_records.ts";

/** The chain facts of pid `pid` in the `ps` lines `lines`. */
function facts(pid: number, ...lines: string[]) {
  return chainFacts(parseProcessTable(lines.join("\n")), pid);
}

const INIT = "    1     0 /sbin/init splash";

Deno.test("chainFacts() of a person's ssh login: thoth, bash, sshd; neither flag", () => {
  assert.deepEqual(
    facts(
      702,
      INIT,
      "  500     1 sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
      "  600   500 sshd: ana [priv]",
      "  601   600 sshd: ana@pts/0",
      "  602   601 -bash",
      "  702   602 /usr/local/bin/thoth approvals approve k3f9x2qa",
    ),
    {
      chain: ["thoth", "bash", "sshd", "sshd", "sshd", "init"],
      orphaned: false,
      underScript: false,
    },
  );
});

Deno.test("chainFacts() of a terminal emulator and tmux on a desktop: neither flag", () => {
  const desktop = [
    INIT,
    "  300     1 /lib/systemd/systemd --user",
    "  310   300 /usr/libexec/gnome-terminal-server",
    "  320   310 bash",
  ];
  assert.equal(facts(330, ...desktop, "  330   320 thoth approvals deny x")?.orphaned, false);
  const tmux = [
    INIT,
    "  300     1 /lib/systemd/systemd --user",
    "  400   300 tmux",
    "  401   400 bash",
  ];
  assert.deepEqual(facts(402, ...tmux, "  402   401 thoth approvals watch"), {
    chain: ["thoth", "bash", "tmux", "systemd", "init"],
    orphaned: false,
    underScript: false,
  });
});

Deno.test("chainFacts() of a terminal in an editor or IDE: not orphaned", () => {
  /** Whether `thoth` under a shell under `host` (under the user's systemd) reads as orphaned. */
  const under = (host: string, shell = "/bin/bash") =>
    facts(
      500,
      INIT,
      "  100     1 /usr/lib/systemd/systemd --user",
      `  300   100 ${host}`,
      `  400   300 ${shell}`,
      "  500   400 thoth approvals approve k3f9x2qa",
    )?.orphaned;
  // VS Code on Linux: its pty host is another `code` under the window's `code`.
  assert.deepEqual(
    facts(
      500,
      INIT,
      "  100     1 /usr/lib/systemd/systemd --user",
      "  200   100 /usr/share/code/code --unity-launch",
      "  300   200 /usr/share/code/code --type=utility --utility-sub-type=node.mojom.NodeService",
      "  400   300 /usr/bin/bash",
      "  500   400 deno run -A thoth approvals approve k3f9x2qa",
    ),
    {
      chain: ["deno", "bash", "code", "code", "systemd", "init"],
      orphaned: false,
      underScript: false,
    },
  );
  for (
    const host of [
      "/usr/share/code-insiders/code-insiders",
      "/usr/lib/code-oss/code-oss",
      "/usr/share/codium/codium",
      "/opt/cursor/cursor --no-sandbox",
      "/usr/share/windsurf/windsurf",
      "/usr/lib/zed/zed-editor",
      "zed",
      "/usr/bin/emacs",
      "emacs --daemon",
      "/usr/bin/emacs-gtk",
      "/usr/bin/nvim",
      "vim notes.md",
      "/opt/pycharm/bin/pycharm",
      "/usr/bin/kitty",
      "/usr/bin/alacritty",
      "/usr/bin/wezterm-gui",
      "/usr/bin/foot",
      "/usr/bin/konsole",
      "/usr/bin/python3 /usr/bin/terminator",
      "/usr/bin/tilix --gapplication-service",
      "/usr/bin/ghostty",
      "/opt/warpdotdev/warp-terminal/warp",
    ]
  ) {
    assert.equal(under(host), false, host);
  }
  // JetBrains: `java` only with an IDE in its arguments.
  assert.equal(under("/opt/idea-IU-241/jbr/bin/java -Xms128m -cp lib/app.jar"), false);
  assert.equal(under("/home/ana/.local/share/JetBrains/Toolbox/apps/goland/jbr/bin/java"), false);
  assert.equal(under("/usr/bin/java -jar server.jar"), true, "a Java program that is no IDE");
  // VS Code Remote-SSH: the server daemonizes, its pty host is `node`.
  const remote = [
    INIT,
    "  200     1 /home/ana/.vscode-server/bin/abc/node /home/ana/.vscode-server/bin/abc/out/server-main.js",
    "  300   200 /home/ana/.vscode-server/bin/abc/node /home/ana/.vscode-server/bin/abc/out/bootstrap-fork --type=ptyHost",
    "  400   300 /bin/bash --init-file /home/ana/.vscode-server/bin/abc/shellIntegration-bash.sh",
    "  500   400 thoth approvals approve k3f9x2qa",
  ];
  assert.deepEqual(facts(500, ...remote), {
    chain: ["thoth", "bash", "node", "node", "init"],
    orphaned: false,
    underScript: false,
  });
  assert.equal(under("node server.js"), true, "a Node program that is no pty host");
  // A tool's `setsid script -qc … &` double fork is still detached (and under script).
  assert.deepEqual(
    facts(
      902,
      INIT,
      "  900     1 script -qc sh -c thoth\\ approvals\\ approve\\ k3f9x2qa /dev/null",
      "  901   900 sh -c thoth approvals approve k3f9x2qa",
      "  902   901 thoth approvals approve k3f9x2qa",
    ),
    { chain: ["thoth", "sh", "script", "init"], orphaned: true, underScript: true },
  );
});

Deno.test("chainFacts() of a double-forked process: orphaned under pid 1 or a subreaper", () => {
  // `(setsid sh -c "thoth approvals approve ID" &)` from a tool: sh's parent ended.
  assert.deepEqual(
    facts(901, INIT, "  900     1 sh -c thoth approvals approve k3f9x2qa", "  901   900 thoth"),
    { chain: ["thoth", "sh", "init"], orphaned: true, underScript: false },
  );
  // On a desktop the user's systemd adopts it.
  assert.equal(
    facts(
      902,
      INIT,
      "  300     1 /lib/systemd/systemd --user",
      "  901   300 /bin/sh -c thoth approvals approve k3f9x2qa",
      "  902   901 thoth approvals approve k3f9x2qa",
    )?.orphaned,
    true,
  );
  // Started right under pid 1, as a container's init adopts it.
  assert.equal(facts(50, "    1     0 /sbin/tini -- node", "   50     1 thoth")?.orphaned, true);
  // A parent that table does not list (another pid namespace) says nothing.
  assert.equal(facts(50, "   49     0 bash", "   50    49 thoth")?.orphaned, false);
});

Deno.test("chainFacts() of an answer under script, expect or python pty: underScript", () => {
  const under = (args: string) =>
    facts(
      803,
      INIT,
      "  800     1 sh -c x",
      `  801   800 ${args}`,
      "  802   801 sh -c thoth approvals approve k3f9x2qa",
      "  803   802 thoth approvals approve k3f9x2qa",
    );
  assert.deepEqual(under("script -qc thoth approvals approve k3f9x2qa /dev/null"), {
    chain: ["thoth", "sh", "script", "sh", "init"],
    orphaned: true,
    underScript: true,
  });
  assert.equal(under("/usr/bin/expect -f answer.exp")?.underScript, true);
  assert.equal(under("unbuffer thoth")?.underScript, true);
  assert.equal(under("socat - EXEC:thoth,pty")?.underScript, true);
  assert.equal(under("python3 -c import pty; pty.spawn(['thoth'])")?.underScript, true);
  assert.equal(under("python3 -m http.server")?.underScript, false);
  // A person who records a session with script, at a login shell: under script, not orphaned.
  assert.deepEqual(
    facts(
      603,
      INIT,
      "  500     1 /usr/sbin/sshd -D",
      "  601   500 -bash",
      "  602   601 script session.log",
      "  603   602 thoth",
    ),
    { chain: ["thoth", "script", "bash", "sshd", "init"], orphaned: false, underScript: true },
  );
});

Deno.test("chainFacts() keeps at most CHAIN_MAX names, safe characters only", () => {
  const lines = [INIT];
  for (let pid = 2; pid <= 20; pid++) lines.push(`  ${pid}  ${pid - 1} bash`);
  lines.push("   21    20 /opt/my tool\u001b[2J/thoth approve");
  const got = facts(21, ...lines);
  assert.equal(got?.chain.length, CHAIN_MAX);
  assert.equal(got?.chain[0], "my");
  assert.equal(got?.orphaned, false, "pid 1 is more than a few steps up");
  assert.equal(facts(99, INIT), undefined, "a table that does not list the process");
  const odd = facts(7, INIT, "    7     1 [evil\u202e]")?.chain[0];
  assert.equal(odd, "_evil__");
  assert.ok(parseAnswerGiven({ via: "cli", terminal: true, chain: [odd] }) !== null);
});

Deno.test("parseAnswerGiven() takes chain, orphaned and underScript only of their shape", () => {
  const given = {
    via: "cli",
    terminal: true,
    chain: ["thoth", "bash", "sshd"],
    orphaned: false,
    underScript: false,
  };
  assert.deepEqual(parseAnswerGiven(given), given);
  assert.equal(parseAnswerGiven({ ...given, chain: [] }), null);
  assert.equal(parseAnswerGiven({ ...given, chain: "thoth" }), null);
  assert.equal(parseAnswerGiven({ ...given, chain: Array(CHAIN_MAX + 1).fill("sh") }), null);
  assert.equal(parseAnswerGiven({ ...given, chain: ["thoth\u001b[2J"] }), null);
  assert.equal(parseAnswerGiven({ ...given, chain: ["a b"] }), null);
  assert.equal(parseAnswerGiven({ ...given, orphaned: "no" }), null);
  assert.equal(parseAnswerGiven({ ...given, underScript: 0 }), null);
});

const ANSWER: QueueAnswer = {
  v: 3,
  id: "abcdefgh",
  digest: "a".repeat(64),
  decision: "approve",
  by: "root",
  at: 1,
};

Deno.test("the answer MAC covers the chain and its flags, and keeps an older answer's MAC", () => {
  const older = { via: "cli" as const, terminal: true, tty: "pts/0", treeChecked: true };
  // What an answer written before the chain was recorded was MAC'd over.
  assert.deepEqual(givenForMac(older), ["cli", true, "pts/0", true]);
  const given = { ...older, chain: ["thoth", "sh", "script"], orphaned: false, underScript: true };
  const key = new AnswerMacKey(new Uint8Array(32).fill(7));
  const mac = key.mac({ ...ANSWER, given });
  assert.notEqual(mac, key.mac({ ...ANSWER, given: older }));
  assert.notEqual(mac, key.mac({ ...ANSWER, given: { ...given, underScript: false } }));
  assert.notEqual(mac, key.mac({ ...ANSWER, given: { ...given, orphaned: true } }));
  assert.notEqual(mac, key.mac({ ...ANSWER, given: { ...given, chain: ["thoth", "bash"] } }));
});

Deno.test("describeAnswer() and audit show say an answer came from a detached process or under script", () => {
  const given = { via: "cli" as const, terminal: true, chain: ["thoth", "sh"] };
  assert.equal(
    describeAnswer({ ...ANSWER, given: { ...given, orphaned: true, underScript: false } }),
    "approved by root from a detached process",
  );
  assert.equal(
    describeAnswer({ ...ANSWER, given: { ...given, orphaned: false, underScript: true } }),
    "approved by root under script",
  );
  assert.equal(
    describeAnswer({ ...ANSWER, given: { ...given, orphaned: false, underScript: false } }),
    "approved by root",
  );
  const record = (extra: Record<string, unknown>) => ({
    seq: 1,
    ts: "2026-01-01T00:00:01.000Z",
    type: "approval",
    session: "s",
    decisionId: "d-1",
    channel: "queue",
    approver: "root",
    outcome: "approved",
    given: { ...given, orphaned: false, underScript: false, ...extra },
  });
  const table = formatRecordTable([record({ orphaned: true }), record({ underScript: true })]);
  assert.match(table, /answered from a detached process/);
  assert.match(table, /answered under script/);
  assert.doesNotMatch(formatRecordTable([record({})]), /detached|under script/);
});
