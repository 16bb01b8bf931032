/**
 * Help ends with examples, as the README says: every help of thoth and
 * thothctl, a group's (`audit`, `auth`, `policy`, the programs' own) as a
 * leaf's, has an "Examples:" section, and nothing but examples follows it
 * (the profile line and the notes come before). `auth` says it is not
 * available in this build, and its examples start with what works. The
 * commands whose exit codes are more than 0/1 say them in an "Exit status:"
 * section before their examples: `run`, `set-api-key`, `policy check`,
 * `explain` and `default`, `approvals watch`, `status`, `wrap-config` and
 * `unwrap-config` (the table of where each client keeps its config comes
 * before it too).
 */
import assert from "node:assert/strict";
import { everyHelp, type Help, helpSection } from "./_every_help.ts";

let helps: Promise<Help[]> | undefined;
const allHelps = (): Promise<Help[]> => helps ??= everyHelp("thoth-help-sections-");

/** The help shown by `name` (`thoth auth login`). */
async function helpOf(name: string): Promise<string> {
  const help = (await allHelps()).find((h) => h.name === name);
  assert.ok(help !== undefined, name);
  return help.text;
}

/** The unindented lines after the last "Examples:" heading: another section's. */
function afterExamples(text: string): string[] {
  const lines = text.trimEnd().split("\n");
  const at = lines.lastIndexOf("Examples:");
  return at < 0 ? ["(no Examples: section)"] : lines.slice(at + 1).filter((l) => /^\S/.test(l));
}

Deno.test("every help, groups and the programs' own included, ends with an Examples section", async () => {
  const all = await allHelps();
  const missing = all.filter((h) => helpSection(h.text, "Examples:") === undefined)
    .map((h) => h.name);
  assert.deepEqual(missing, []);
  const notLast = all.filter((h) => afterExamples(h.text).length > 0).map((h) => h.name).sort();
  assert.deepEqual(notLast, []);
  for (const name of ["thoth", "thothctl"]) {
    const text = await helpOf(name);
    // The profile line is still there, before the examples.
    assert.ok(text.indexOf("\nProfile: ") < text.indexOf("\nExamples:\n"), text);
  }
});

Deno.test("group helps show real commands of their own group", async () => {
  for (const program of ["thoth", "thothctl"]) {
    for (const group of ["audit", "policy", "auth"]) {
      const examples = helpSection(await helpOf(`${program} ${group}`), "Examples:")!.join("\n");
      assert.match(examples, new RegExp(`^ {2}${program} ${group} \\S`, "m"), group);
    }
  }
  const ctl = helpSection(await helpOf("thothctl"), "Examples:")!.join("\n");
  assert.match(ctl, /^ {2}thothctl audit verify$/m);
  assert.match(ctl, /^ {2}thothctl policy check$/m);
});

Deno.test("auth and auth login say they are not available in this build, and show what works first", async () => {
  const top = (await helpOf("thoth")).replace(/\s+/g, " ");
  assert.match(top, / auth sign in to your Thoth tenant \(not available in this build\) /);
  for (const program of ["thoth", "thothctl"]) {
    const login = await helpOf(`${program} auth login`);
    assert.match(login.replace(/\s+/g, " "), /session \(not available in this build: it needs/);
    const commands = helpSection(login, "Examples:")!.filter((l) => /^ {2}[^ #]/.test(l));
    // The first runs in this build; auth login itself comes last.
    assert.match(commands[0]!, /THOTH_RUNTIME_BEARER_TOKEN|set-api-key/, commands.join("\n"));
    assert.match(commands.at(-1)!, new RegExp(`^ {2}${program} auth login --tenant-id`));
    assert.match(
      (await helpOf(`${program} auth`)).replace(/\s+/g, " "),
      / login \[options\] sign in with SSO \(not available in this build\) /,
    );
  }
});

Deno.test("run, set-api-key, the policy, approvals watch and config commands say their exit status before their examples", async () => {
  const codes: Record<string, RegExp[]> = {
    "thoth run": [
      /^ {2}N {6}the server's own exit code/m,
      /^ {2}2 {6}a run flag/m,
      /^ {2}126 /m,
      /^ {2}127 /m,
      /^ {2}128\+N /m,
    ],
    "thoth set-api-key": [
      /^ {2}0 {4}saved/m,
      /^ {2}1 {4}not saved/m,
      /^ {2}2 {4}not saved: the key/m,
      /^ {2}130 /m,
    ],
    "thoth policy check": [/^ {2}0 {2}the policy is valid/m, /^ {2}1 {2}it is not/m, /^ {2}2 /m],
    "thoth policy explain": [
      /^ {2}0 {2}the call was explained, whatever the verdict/m,
      /^ {2}1 /m,
      /^ {2}2 {2}a command line it cannot read: --args/m,
    ],
    "thoth policy default": [/^ {2}0 /m, /^ {2}1 {2}nothing was written/m, /^ {2}2 /m],
    "thothctl policy check": [/^ {2}1 {2}it is not/m],
    "thoth approvals watch": [
      /^ {2}0 {4}stopped with Ctrl-D/m,
      /^ {2}1 {4}the approvals queue could not be read or used/m,
      /^ {2}2 {4}standard input is not a terminal/m,
      /^ {2}130 {2}stopped with Ctrl-C/m,
    ],
    "thothctl approvals watch": [/^ {2}130 {2}stopped with Ctrl-C/m],
    "thoth status": [
      /^ {2}0 {2}the servers were shown/m,
      /^ {2}1 {2}a config or the profile could not be read/m,
      /with --strict, also a\s+server with a URL/,
      /^ {2}2 {2}a command line it cannot read \(an unknown flag, --strict without --check\)/m,
    ],
    "thoth wrap-config": [
      /^ {2}0 {2}every stdio server of the config written runs through thoth/m,
      /^ {2}1 {2}the rest was written, but a server was left as it was or will not start/m,
      /config\.servers_left, config\.servers_will_not_start in\s+--json "failures"/,
      /^ {2}2 {2}a command line it cannot read or will not write/m,
    ],
    "thoth unwrap-config": [
      /^ {2}0 {2}every thoth-wrapped server was restored/m,
      /^ {2}1 {2}the rest was written, but an entry could not be restored/m,
      /config\.servers_not_restored in --json "failures"/,
      /^ {2}2 {2}a command line it cannot read or will not write/m,
    ],
  };
  for (const [name, expected] of Object.entries(codes)) {
    const text = await helpOf(name);
    const status = helpSection(text, "Exit status:");
    assert.ok(status !== undefined, name);
    for (const line of expected) assert.match(status.join("\n"), line, name);
    assert.ok(text.indexOf("\nExit status:\n") < text.indexOf("\nExamples:\n"), name);
  }
});

Deno.test("status and wrap-config say where each client keeps its config before their exit status", async () => {
  for (const name of ["thoth status", "thoth wrap-config"]) {
    const text = await helpOf(name);
    const places = text.indexOf("\nWhere each client keeps its config on this machine");
    assert.ok(places >= 0, name);
    assert.ok(places < text.indexOf("\nExit status:\n"), name);
  }
  // The approvals threat model is read before the examples, not after them.
  for (const program of ["thoth", "thothctl"]) {
    const text = await helpOf(`${program} approvals`);
    const threat = text.indexOf("\nAny process running as your OS user can read and answer");
    assert.ok(threat >= 0 && threat < text.indexOf("\nExamples:\n"), program);
  }
});
