/**
 * The text `thoth status --help` shows after its options: what each mark
 * and note of the table means, how VS Code's and the projects' configs are
 * read, the `--json` document's fields, where each client keeps its config
 * (given), how status exits, and examples, last.
 *
 * @example
 * ```ts
 * new Command("status").addHelpText("after", () => statusHelp(formatConfigPlaces(facts)));
 * ```
 */

const STATUS_NOTES = `
Governed ✓: the server runs through thoth ("thoth run [flags] -- <command>"). ✗: a stdio
server that runs without thoth, including one thoth cannot wrap as it is written (an "args"
item or "env" value that is not a string, an "env" that is not an object, "command" beside
"url" without "type": "stdio"); its note says what to change. ?: the command names thoth but not in that shape, so thoth
cannot tell whether it is governed; the note says why, fix it by hand. —: not applicable
(remote servers, entries with no command). A disabled server counts as if it were enabled:
Claude Code ignores "disabled", and other clients enable it with one toggle. Notes show drift:
a thoth path or script that is not a file on this machine (the client cannot start the server,
so --check fails on it), an older flag set (such as --enforcer-url in args, or THOTH_ENFORCER_URL
in "env": deprecated and ignored), an API key in args, a credential (THOTH_API_KEY,
THOTH_AUTH_TOKEN, THOTH_RUNTIME_BEARER_TOKEN) in "env" in plain text, and anything thoth run
would refuse to start with ("thoth run will refuse to start: …", each with its fix): a flag value, a flag given twice, a THOTH_*
value in the server's "env", a tenant whose "env" does not set THOTH_USER_ID (or sets it to
""), an intent map thoth run cannot use, a session intent the policy does not define, a flag
with no value, -h. Two servers with one agent id are drift too. The flags are read with thoth
run's own reader. The user id is judged from the server's "env" only: this shell's environment
is not the client's (a GUI client does not get it), so a tenant's THOTH_USER_ID must be in
"env". A server with no --intent takes its intent from intent_map.json in its profile (the
THOTH_HOME of its "env", else this profile), read as thoth run reads it; the Session Intent
column then reads "NAME (intent map)", and a map thoth run refuses (unreadable, invalid, an
entry that is a server name) is a refusal. The intent is checked against the policy that
server's thoth run reads (--policy, else policy.jsonc under the same profile); when that policy
cannot be read, the note says so. Fix drift with "thoth wrap-config" given the same --client
and the file given to --config: notes and hints name that command. The line "Profile judged"
(--json: "profile") names the profile judged: this user's, THOTH_HOME's when it is set, or, run
as another user than the config's owner (root), the owner's ~/.thoth, read only as far as root
may trust it as the owner's own (what it cannot is named, and fails --check). A client passes
its servers its own environment, not this shell's: when THOTH_HOME names another folder than
the profile their thoth run finds without it (~/.thoth of the client's user), a governed server
whose "env" sets no THOTH_HOME runs with the profile judged only if the client gets THOTH_HOME
(set system-wide). Status warns, naming those servers and both profiles (--check: an error,
exit 1; --json: "profile" gets "notPassedToServers": {"defaultProfile", "servers"}); "thoth
wrap-config --env THOTH_HOME=PATH" writes it into each entry's "env".
--check also looks each governed server's commands up on the PATH its client gives it, as thoth
doctor's upstream_path check does: one not found (an upstream command, or a thoth written as a
bare name) is a warning, and --check still passes, as that PATH is thoth's model of the
client's (for Claude Code, the PATH status runs with: root's, run as root); --strict fails on
an upstream one (and checks thoth's own command as doctor does).

--client vscode without --config reads every file VS Code reads user servers from: its mcp.json
and, when it names MCP servers ("mcp": {"servers": …} or "mcp.servers": {…}), its settings.json,
the same two of VS Code Insiders and VSCodium, and of each profile (User/profiles/*/) of the
three; each gets its own table, --check fails on a server in either and names its file, and the hint's
"thoth wrap-config --client vscode" wraps both. A settings.json whose servers are ambiguous (both
"mcp" and "mcp.servers", or a key such as "mcp.servers.NAME") is not understood, nor is one
that cannot be read: status still shows mcp.json's table, names the settings.json problem on
stderr, and exits 1 (with or without --check).
Two servers of one agent id in the two files are drift too.

--client claude-code, cursor or vscode without --config also reads that client's config in
each project folder ~/.claude.json lists (.mcp.json, .cursor/mcp.json, .vscode/mcp.json), as
thoth doctor does: each one found with servers gets its own table, --check fails on a server
in it as on any other, naming its file and the "thoth wrap-config" for that file. One that
cannot be read or parsed is named on stderr (a warning; an error with --check) and fails
--check only: without --check status exits 0, as a stale project folder is no reason to fail.
The lines under the tables say which were found, which cannot be read or understood, which
listed folders are gone (not a failure), and where status did not look (system folders such
as /proc/self are not looked in).
When the client's user config (such as ~/.cursor/mcp.json) does not exist but a project config
of it does (read or not, understood or not), status says so (a note on stderr, and "No such
file" under its path) and reports the project configs as it would beside it, and --check fails
only on what they hold; with no project config either, the missing file is an error.

--json prints {"schemaVersion": 1, "config", "configs", "userConfigMissing", "servers": [{"name",
"project", "transport", "disabled", "governed", "state", "agentId", "tenantId", "tenantIdSource",
"intent", "intentSource", "warnings", "decisions",
"enforcementMode", "enforcementModeUsed", "enforcementModeSource", "command",
"upstreamCommand", "drift", "refusals", "cannotStart", "notStartable", "note", "config"}],
"summary": {"servers", "governed", "ungoverned", "notUnderstood", "notApplicable", "drifted",
"refused", "cannotStart", "notStartable"}}; "configs" lists every file read ("config" is the first), each server's "config"
names the file it is in; "decisions" is "local" for a server thoth runs (this build decides
every call with the machine's policy, also with a tenant), null for one it does not;
"userConfigMissing" is null, or the client's user config path when
that file does not exist and only project configs were read ("config" is then that path too);
and "summary" counts over all of them, plus, when
"projectConfigs" is not null, "projectConfigProblems" (project configs that cannot be read or
parsed); "state" is "governed",
"not_understood", "ungoverned" or "not_applicable"; "intentSource" is "--intent", "intent_map"
or null; "tenantId" is the tenant thoth run would use, from "--tenant-id" or else the server's
"env" (THOTH_TENANT_ID), as "tenantIdSource" says ("--tenant-id", "env" or null); "refusals"
lists what thoth run would refuse to start the server with, "cannotStart" why the client cannot
start it at all (a thoth path or script that is not a file here; both also in "drift");
"notStartable" lists each command of a governed server not found where its client looks for it
(what --check warns about and --strict fails on, as thoth doctor's upstream_path), as
{"command", "upstream" (true: the command after "thoth run --"; false: a thoth written as a bare
name), "problem", "remedy"}, empty when each is found (a server not governed is not looked up),
and the summary's "notStartable" counts the servers with one;
"enforcementMode" is the
--enforcement-mode written (null without one), "enforcementModeUsed" the mode thoth run will
use: that one, else its default (block), as "enforcementModeSource" says ("--enforcement-mode",
"default" or null when not governed; the table shows "block (default)"); "warnings" what thoth run
warns about as it starts it (an intent map key that differs from the agent id only by case;
also in "note"). "scope" is "user" (the client's own file) or "project" (a project folder's);
"projectConfigs" is null, or {"listedIn", "places": [{"client", "folder", "path", "state",
"problem"}], "notChecked"}: each project config place, "state" "found", "none",
"folder_missing" (gone, or not a folder), "not_looked_at" (a system folder thoth does not
read in), "unreadable" or "invalid" (found but not parsed or understood; "problem" says why,
else null). "notLookedIn" lists, in words, where the client may read servers that status did
not look; "profile" is {"path", "source" ("THOTH_HOME", "self" or "owner"), "ownerUid",
"config", "notRead"}, plus "notPassedToServers" when THOTH_HOME may not reach some servers (see
above). A tenant, agent id or intent that looks like a key is shown
by fingerprint.
`;

const STATUS_EXIT_STATUS = `
Exit status:
  0  the servers were shown; without --check, whatever they are
  1  a config or the profile could not be read or understood (a VS Code
     settings.json too); with --check, also what it names as an error: a stdio
     server that runs without thoth, is not understood or will not start, a
     project config that cannot be read or parsed, a profile (or a file of it)
     not read, a THOTH_HOME the servers may not get; with --strict, also a server with a
     URL, an entry whose command is not proven to be thoth, or an upstream
     command not found on the client's PATH
  2  a command line it cannot read (an unknown flag, --strict without --check)
`;

const STATUS_EXAMPLES = `
Examples:
  thoth status                # Claude Desktop
  thoth status --client cursor
  thoth status --client vscode --check   # mcp.json and settings.json
  thoth status --config .mcp.json --json
  thoth status --check        # exit 1 unless every stdio server (disabled ones
                              # too) is governed and thoth would start it (MDM)

  # also exit 1 on servers with a URL (remote, or local over http), on entries
  # whose command is not proven to be thoth, checked as "thoth doctor" checks
  # it, and on upstream commands not found on the client's PATH (a warning
  # with --check alone)
  thoth status --check --strict
`;

/** The help after the options, `configPlaces` (`formatConfigPlaces`) before its exit status. */
export function statusHelp(configPlaces: string): string {
  return `${STATUS_NOTES}\n${configPlaces}${STATUS_EXIT_STATUS}${STATUS_EXAMPLES}`;
}
