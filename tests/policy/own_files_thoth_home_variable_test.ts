// thoth's profile named by the variable that moves it, `THOTH_HOME`, which a
// governed server inherits: a command can reach the profile as `$THOTH_HOME/…`
// without naming its folder.
import assert from "node:assert/strict";
import { OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { ALLOWED, ownFilesSession, rulesOf, type Session } from "./_own_files_policies.ts";

// A profile moved out of the home folder, as `THOTH_HOME=/srv/thoth-profile` puts it.
const LINUX = ownFilesSession("linux", { HOME: "/home/u" }, { ownFolders: ["/srv/thoth-profile"] });
const MAC = ownFilesSession("darwin", { HOME: "/Users/u" }, { ownFolders: ["/opt/thoth"] });
const WINDOWS = ownFilesSession("windows", { USERPROFILE: "C:\\Users\\u" }, {
  ownFolders: ["D:\\profiles\\thoth"],
});

function blocked(session: Session, args: Record<string, unknown>) {
  assert.equal(rulesOf(session, args, "run"), OWN_FILES_RULE, JSON.stringify(args));
}

function passes(session: Session, args: Record<string, unknown>) {
  assert.equal(rulesOf(session, args, "run"), ALLOWED, JSON.stringify(args));
}

Deno.test("own files: the profile named by $THOTH_HOME is reached as its path is", () => {
  for (
    const command of [
      "cat $THOTH_HOME/keys/audit-hmac.key",
      "cat ${THOTH_HOME}/keys/audit-hmac.key",
      'cat "$THOTH_HOME"/keys/audit-hmac.key',
      "cat ${THOTH_HOME:-/tmp/x}/keys/audit-hmac.key",
      "cd $THOTH_HOME; cat keys/audit-hmac.key",
      "rm -rf $THOTH_HOME",
      "cat $THOTH''_HOME/state/progressive.json",
    ]
  ) {
    blocked(LINUX, { command });
  }
  blocked(LINUX, { command: "cat keys/audit-hmac.key", cwd: "$THOTH_HOME" });
  blocked(MAC, { command: "cat $THOTH_HOME/keys/audit-hmac.key" });
  for (
    const command of [
      "type %THOTH_HOME%\\keys\\audit-hmac.key",
      "Get-Content $env:THOTH_HOME\\keys\\audit-hmac.key",
      "Get-Content ${env:THOTH_HOME}\\keys\\audit-hmac.key",
      "cat $THOTH_HOME/keys/audit-hmac.key",
    ]
  ) {
    blocked(WINDOWS, { command });
  }
});

Deno.test("own files: another variable, or THOTH_HOME as a word, is not the profile", () => {
  for (
    const command of [
      "echo $THOTH_HOME_OLD/keys",
      "export THOTH_HOME=/tmp/other",
      "THOTH_HOME is where thoth keeps its files",
      "cat $THOTH_HOMES/x",
    ]
  ) {
    passes(LINUX, { command });
  }
  passes(WINDOWS, { command: "echo %THOTH_HOME_OLD%\\keys" });
});
