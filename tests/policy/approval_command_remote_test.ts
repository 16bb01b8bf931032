/**
 * thoth.approval_command reads what ssh-like programs run on the other
 * machine (which may be this one): `autossh` and `mosh` as ssh, and a call
 * that names ssh by `name` or `tool`, or gives its argument list nested in
 * options. A list beside a loose `name` is ssh's only under a key such as
 * `args`, so that a package's keywords or tags stay data.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { assertRuns } from "./_approval_runs.ts";
import {
  remoteCommand,
  remoteCommands,
  remoteCommandStart,
  remoteShell,
  remoteShellCall,
} from "../../src/policy/ssh_remote_command.ts";

const APPROVE = ["host", "thoth", "approvals", "approve", "k3f9x2qa"];

Deno.test("runsApprovalCommand() reads ssh named by name or tool, or its list nested in options", () => {
  for (
    const args of [
      { name: "ssh", args: APPROVE },
      { tool: "ssh", argv: APPROVE },
      { name: "/usr/bin/ssh", arguments: ["-p", "22", "host", "thoth approvals", "list"] },
      { command: "ssh", options: { args: APPROVE } },
      { command: "ssh", options: { args: ["host", "thoth approvals", "approve x"] } },
      { name: "ssh", options: { argv: APPROVE } },
      { program: "ssh", spec: { process: { args: APPROVE } } },
      { tool: "ssh", params: ["-t", "host", "--", "true", "&&", "thoth", "approvals", "list"] },
    ]
  ) assert.equal(runsApprovalCommand(args), true, JSON.stringify(args));
});

Deno.test("runsApprovalCommand() passes lists beside ssh's name that are no arguments", () => {
  for (
    const args of [
      // A package's or a tool's description: its keywords and tags are data.
      { name: "ssh", keywords: ["see", "thoth", "approvals", "list"] },
      { tool: "ssh", tags: ["host", "thoth", "approvals", "approve", "x"] },
      { name: "ssh", args: ["host", "ls", "approvals"] },
      { name: "ssh", args: ["host", "echo", "thoth", "approvals", "list"] },
      { command: "ssh", options: { args: ["host", "ls", "approvals"] } },
      // Nested deeper than two objects: some other list.
      { command: "ssh", a: { b: { c: { args: ["host", "thoth", "approvals", "list"] } } } },
      { command: "scp", options: { args: APPROVE } },
      { name: "ssh-keygen", args: APPROVE },
    ]
  ) assert.equal(runsApprovalCommand(args), false, JSON.stringify(args));
});

Deno.test("runsApprovalCommand() reads what autossh and mosh run, as ssh", () => {
  for (
    const command of [
      "autossh -M 0 host thoth approvals approve x",
      "autossh -M 20000 -f -N -o X=y host thoth approvals list",
      "/usr/bin/autossh -M0 -p 2222 localhost 'thoth approvals approve x'",
      "mosh host -- thoth approvals approve x",
      "mosh --ssh 'ssh -p 2222' host -- thoth approvals approve x",
      "mosh --ssh='ssh -p 2222' -p 60001 ana@host thoth approvals list",
      "mosh --predict always host -- sh -c 'thoth approvals approve x'",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
  for (
    const args of [
      { command: "autossh", args: ["-M", "0", "host", "thoth", "approvals", "approve", "x"] },
      { command: ["mosh", "host", "--", "thoth", "approvals", "approve", "x"] },
      { cmd: "mosh", args: ["--ssh", "ssh -p 22", "host", "--", "thoth approvals list"] },
    ]
  ) assert.equal(runsApprovalCommand(args), true, JSON.stringify(args));
});

Deno.test("runsApprovalCommand() reads mosh's options as Getopt::Long does, and its words from any", () => {
  for (
    const command of [
      'mosh -ssh "ssh -p 22" host thoth approvals approve x',
      "mosh -server mosh-server host thoth approvals approve x",
      "mosh --serv mosh-server host thoth approvals approve x",
      "mosh --pred=always host thoth approvals list",
      "mosh -predict always host thoth approvals approve x",
      "mosh host -ssh ssh thoth approvals approve x",
      "mosh host --port 60001 thoth approvals list --json",
      "mosh -4 --no-init -a host -- /usr/local/bin/thoth approvals deny x",
      // A `--` before the host ends mosh's options: `-u` is sudo's and env's, not mosh's.
      "mosh -- host sudo -u a thoth approvals list",
      "mosh -- host env -u X thoth approvals list",
      "mosh --ssh=ssh -- host sudo -u root thoth approvals list",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
  for (
    const args of [
      { command: "mosh", args: ["host", "-ssh", "ssh", "thoth", "approvals", "approve", "x"] },
      { command: "mosh", args: ["-server", "mosh-server", "host", "thoth", "approvals", "list"] },
    ]
  ) assert.equal(runsApprovalCommand(args), true, JSON.stringify(args));
  for (
    const command of [
      "mosh -ssh 'ssh -p 22' host ls approvals",
      "mosh --serv mosh-server host thoth approvals approve a b",
      "mosh host thoth status",
    ]
  ) assert.equal(runsApprovalCommand({ command }), false, command);
});

Deno.test("runsApprovalCommand() reads ssh's and mosh's plain words as the same command run here", () => {
  // What ssh runs is read as the text the other machine's shell reads, and mosh's words after
  // `--` as a command's (before it, mosh reads the options): the same verdict as the command
  // typed here, for words that need no quoting and for those that do.
  for (
    const command of [
      "thoth approvals list",
      "thoth approvals approve k3f9x2qa",
      "thoth approvals approve a b",
      "thoth approvals watch --interval 5",
      "ls approvals",
      "sudo -u root thoth approvals list",
      "env A=1 thoth approvals deny x",
      "echo thoth approvals list",
      "grep approvals notes.txt",
      "true && thoth approvals list",
      "sh -c 'thoth approvals list'",
      "thoth approvals list > out.txt",
      "git commit -m 'thoth approvals list'",
      "timeout 5 thoth approvals approve x",
      "xargs thoth approvals approve",
      "grep thoth approvals list",
      "man thoth approvals list",
    ]
  ) {
    const here = runsApprovalCommand({ command });
    const remotes = [
      `ssh host ${command}`,
      `autossh -M 0 host ${command}`,
      `mosh host -- ${command}`,
    ];
    for (const remote of remotes) {
      assert.equal(runsApprovalCommand({ command: remote }), here, remote);
    }
    const words = command.split(" ");
    for (
      const args of [
        { command: "ssh", args: ["-p", "22", "host", ...words] },
        { command: "mosh", args: ["-p", "22", "host", "--", ...words] },
      ]
    ) assert.equal(runsApprovalCommand(args), here, JSON.stringify(args));
  }
});

Deno.test("runsApprovalCommand() passes autossh and mosh that run nothing of thoth's", () => {
  for (
    const command of [
      "autossh -M 0 host ls approvals",
      "autossh -M 0 approvals",
      "mosh --ssh 'ssh -p 22' host",
      "mosh -p 60001 approvals",
      "mosh host -- git log --oneline approvals",
      "echo mosh host thoth approvals approve x >> notes.md",
    ]
  ) assert.equal(runsApprovalCommand({ command }), false, command);
});

Deno.test("remoteCommandStart() finds ssh's remote command past options and the destination", () => {
  assert.equal(
    remoteCommandStart("ssh", ["ssh", "-o", "X=y", "ana@localhost", "thoth", "x"], 0),
    4,
  );
  assert.equal(remoteCommandStart("ssh", ["ssh", "-vp22", "localhost", "thoth"], 0), 3);
  assert.equal(
    remoteCommandStart("ssh", ["ssh", "-p", "22", "-t", "localhost", "-l", "a", "ls"], 0),
    7,
  );
  assert.equal(remoteCommandStart("ssh", ["ssh", "localhost", "--", "ls"], 0), 3);
  assert.equal(remoteCommandStart("ssh", ["ssh", "-p", "22", "localhost"], 0), -1);
  assert.equal(remoteCommandStart("ssh", ["ssh"], 0), -1);
  assert.equal(remoteCommandStart("ssh", ["-l", "ana", "localhost", "thoth"], -1), 3);
});

Deno.test("remoteCommandStart() reads autossh's -M and mosh's long options", () => {
  assert.equal(remoteCommandStart("autossh", ["autossh", "-M", "0", "h", "ls"], 0), 4);
  assert.equal(remoteCommandStart("autossh", ["autossh", "-M0", "-f", "h", "ls"], 0), 4);
  // ssh's -M takes no value.
  assert.equal(remoteCommandStart("ssh", ["ssh", "-M", "h", "ls"], 0), 3);
  assert.equal(remoteCommandStart("mosh", ["mosh", "--ssh", "ssh -p 2", "h", "--", "ls"], 0), 5);
  assert.equal(remoteCommandStart("mosh", ["mosh", "--port=6000", "h", "ls"], 0), 3);
  assert.equal(remoteCommandStart("mosh", ["mosh", "-p", "6000", "h", "ls"], 0), 4);
  assert.equal(remoteCommandStart("mosh", ["mosh", "--no-init", "h"], 0), -1);
  assert.equal(remoteCommandStart("mosh", ["h", "--", "ls"], -1), 2);
  // Getopt::Long: one dash or two, a name's start, options after the host.
  assert.equal(remoteCommandStart("mosh", ["mosh", "-ssh", "ssh -p 2", "h", "ls"], 0), 4);
  assert.equal(remoteCommandStart("mosh", ["mosh", "--serv", "x", "h", "ls"], 0), 4);
  assert.equal(remoteCommandStart("mosh", ["mosh", "-predict", "always", "h", "ls"], 0), 4);
  assert.equal(remoteCommandStart("mosh", ["mosh", "h", "-ssh", "ssh", "ls"], 0), 4);
  assert.equal(remoteCommandStart("mosh", ["mosh", "--serv=x", "h", "ls"], 0), 3);
  assert.equal(remoteCommandStart("mosh", ["mosh", "-a", "h", "ls"], 0), 3);
});

Deno.test("remoteShellCall() names the program by a program key, or loosely by name or tool", () => {
  assert.deepEqual(remoteShellCall({ command: "ssh" }), {
    shell: "ssh",
    argvOnly: false,
    depth: 0,
  });
  assert.deepEqual(remoteShellCall({ name: "MOSH.EXE" }), {
    shell: "mosh",
    argvOnly: true,
    depth: 0,
  });
  // A program key wins over a loose name.
  assert.equal(remoteShellCall({ name: "ssh", command: "autossh" })?.shell, "autossh");
  assert.equal(remoteShellCall({ query: "ssh" }), undefined);
  assert.equal(remoteShellCall({ command: "ssh-agent" }), undefined);
  assert.equal(remoteShell("/usr/local/bin/autossh"), "autossh");
  assert.equal(remoteShell("sshpass"), undefined);
});

Deno.test("runsApprovalCommand() reads mosh's remote command as a command here, past its options", () => {
  for (
    const command of [
      "mosh host -- grep thoth approvals list",
      "mosh host -- echo thoth approvals list",
      "mosh host -- man thoth approvals list",
      "mosh host echo thoth approvals list",
      "mosh host -a grep -- thoth approvals list",
      "mosh --ssh 'ssh -p 22' host man thoth approvals list",
    ]
  ) assert.equal(runsApprovalCommand({ command }), false, command);
  for (
    const args of [
      { command: "mosh", args: ["host", "--", "echo", "thoth", "approvals", "list"] },
      { command: "mosh", args: ["host", "-ssh", "ssh", "grep", "thoth", "approvals", "list"] },
    ]
  ) assert.equal(runsApprovalCommand(args), false, JSON.stringify(args));
  for (
    const command of [
      "mosh -PORT 60001 host thoth approvals list",
      "mosh --experimental local host thoth approvals list",
      "mosh --bind 127.0.0.1 host -- thoth approvals approve x",
      "mosh host --no-ssh-pty thoth approvals list",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});

Deno.test("remoteCommand() leaves mosh's options out of its remote command", () => {
  assert.deepEqual(remoteCommand("mosh", ["mosh", "h", "-ssh", "ssh", "ls", "-a", "x"], 0), [
    "ls",
    "x",
  ]);
  assert.deepEqual(remoteCommand("mosh", ["mosh", "h", "ls", "--", "-a", "--", "x"], 0), [
    "ls",
    "-a",
    "--",
    "x",
  ]);
  assert.deepEqual(remoteCommand("mosh", ["mosh", "h", "--", "ls", "-p", "1"], 0), [
    "ls",
    "-p",
    "1",
  ]);
  // A start that names no option alone is none of mosh's (`-pr`: predict or predict-overwrite).
  assert.deepEqual(remoteCommand("mosh", ["mosh", "--fam=inet", "h", "ls", "--loc"], 0), ["ls"]);
  assert.equal(remoteCommand("mosh", ["mosh", "h", "-p", "1"], 0), undefined);
  assert.deepEqual(remoteCommand("ssh", ["ssh", "h", "ls", "-a"], 0), ["ls", "-a"]);
});

Deno.test("runsApprovalCommand() reads mosh's words after the host as POSIXLY_CORRECT leaves them", () => {
  // With POSIXLY_CORRECT set, Getopt::Long ends mosh's options at the host: `-u` is sudo's. The
  // environment may hold it without the text showing it, so both readings are always tried,
  // whether an assignment shows it or not.
  assertRuns(
    [
      "POSIXLY_CORRECT=1 mosh host sudo -u a thoth approvals list",
      "env POSIXLY_CORRECT=1 mosh host sudo -u a thoth approvals list",
      "export POSIXLY_CORRECT=1; mosh host env -u X thoth approvals approve x",
      "mosh host sudo -u root thoth approvals list",
      "mosh --ssh=ssh host sudo -g wheel thoth approvals deny x",
      { command: "mosh", args: ["host", "sudo", "-u", "a", "thoth", "approvals", "list"] },
      { command: "mosh", args: ["h", "env", "-u", "X", "thoth", "approvals", "list"] },
      // In a mosh's or ssh's command too.
      "ssh h mosh h2 sudo -u a thoth approvals list",
      "mosh h true ';' sudo -u a thoth approvals list",
    ],
    true,
  );
  assertRuns(
    [
      "POSIXLY_CORRECT=1 mosh host sudo -u a ls approvals",
      "POSIXLY_CORRECT=1 mosh host -a grep -- thoth approvals list",
      "POSIXLY_CORRECT=1 mosh host sudo -u a thoth approvals approve a b",
    ],
    false,
  );
  assert.deepEqual(remoteCommands("mosh", ["mosh", "h", "sudo", "-u", "a", "ls"], 0), [
    ["sudo", "a", "ls"],
    ["sudo", "-u", "a", "ls"],
  ]);
  assert.deepEqual(remoteCommands("mosh", ["mosh", "h", "-a", "ls"], 0), [["ls"]]);
  // `-l` is mosh's `--local` when options may follow the host, `ls`'s when they may not.
  assert.deepEqual(remoteCommands("mosh", ["mosh", "h", "ls", "-l"], 0), [["ls"], ["ls", "-l"]]);
  assert.deepEqual(remoteCommands("mosh", ["mosh", "h", "--", "ls", "-l"], 0), [["ls", "-l"]]);
  assert.deepEqual(remoteCommands("ssh", ["ssh", "h", "ls", "-l"], 0), [["ls", "-l"]]);
});

Deno.test("runsApprovalCommand() reads chains of mosh and ssh, and counts one deeper than it reads", () => {
  assertRuns(
    [
      "mosh a -- mosh b -- mosh c -- thoth approvals list",
      "ssh a mosh b -- ssh c thoth approvals list",
      // mosh's words as POSIXLY_CORRECT leaves them, the other reading going on to no mosh.
      "mosh a sudo -u x mosh b sudo -u y mosh c thoth approvals list",
      "mosh a env -u X mosh b env -u Y ssh c thoth approvals approve k3f9x2qa",
      // Deeper than the reading goes, `approvals` and thoth's name still ahead: counted.
      "ssh a ssh b ssh c ssh d ssh e ssh f thoth approvals list",
      "mosh a -- mosh b -- mosh c -- mosh d -- mosh e -- mosh f -- mosh g -- thoth approvals list",
      "mosh a sudo -u x mosh b sudo -u y mosh c sudo -u z thoth approvals list",
      "mosh a env ssh -v b ssh c thoth approvals list",
      "ssh a ssh b ssh c ssh d ssh e ssh f /opt/thoth approvals approve k3f9x2qa",
      // Fail closed: deeper than the reading goes, a quoted or `$` word may name thoth.
      'ssh a ssh b ssh c ssh d ssh e ssh f grep -r approvals "$HOME"',
    ],
    true,
  );
  assertRuns(
    [
      "mosh a -- mosh b -- mosh c -- grep approvals notes.md",
      "mosh a sudo -u x mosh b sudo -u y mosh c ls approvals",
      "mosh a sudo -u x mosh b sudo -u y mosh c thoth approvals lisst",
      // Deeper than the reading goes, but nothing ahead names thoth.
      "ssh a ssh b ssh c ssh d ssh e ssh f ls approvals",
      "mosh a env ssh -v b ssh c ls approvals",
    ],
    false,
  );
});
