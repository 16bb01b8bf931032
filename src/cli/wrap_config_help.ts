/**
 * The text `thoth wrap-config --help` shows after its options: what a
 * wrapped server runs, what --env, --thoth-path, --client vscode, --json and
 * the safety rules do, where each client keeps its config (given), how
 * wrap-config exits, and examples, last.
 *
 * @example
 * ```ts
 * new Command("wrap-config").addHelpText("after", () => wrapConfigHelp(formatConfigPlaces(facts)));
 * ```
 */

const WRAP_CONFIG_NOTES = `
What a wrapped server runs:
  <thoth> run --agent-id NAME [--tenant-id ID] --enforcement-mode MODE [--intent INTENT] \\
    -- <original command> <original args…>
  "env" keeps the server's variables and adds the --env pairs. Running wrap-config again changes
  only what you select (thoth path, tenant, mode, intent, env); "thoth unwrap-config" restores
  the original. Remote (url) servers are left alone. Disabled servers are wrapped too and stay
  disabled: Claude Code ignores "disabled", and other clients enable a server with one toggle.
  An explicit "type": "stdio" (any case) is a local server even beside a "url".

--env: variables go into each wrapped server's "env", where thoth run reads them. THOTH_*
variables are thoth's; any other variable given with --env reaches thoth run only, not the
server: thoth run takes what wrap-config added out of the server's environment again, so the
server gets the environment it had without thoth (a warning says so). Give a key once: a key
repeated is a usage error (exit 2) and nothing is written. A credential (THOTH_API_KEY,
THOTH_AUTH_TOKEN, THOTH_RUNTIME_BEARER_TOKEN) is refused the same way: it would sit in the
config in plain text. Save an API key with "thoth set-api-key --api-key -"; for a token, point
--env THOTH_AUTH_TOKEN_FILE at a file only its owner may read. THOTH_ENFORCER_URL is deprecated
and ignored (thoth run derives the enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN), so
--env THOTH_ENFORCER_URL is not written (a warning says so); one an earlier --env added is taken
out of the server's "env" again, and one the entry has of its own is kept with a warning (remove
it by hand), as "thoth status" shows it. One tenant per server: a --tenant-id (or this shell's
THOTH_TENANT_ID, its default) and an --env THOTH_TENANT_ID of another value are a usage error
(exit 2), since thoth run would use the flag and "thoth health" and "thoth doctor", reading the
server's "env", the variable; so is a --tenant-id beside another THOTH_TENANT_ID in a server's
own "env" (pass --env THOTH_TENANT_ID with the same tenant, or remove it by hand). An entry that
already had two is a warning. The same value in both is fine.

--thoth-path must name a file on this machine: a path that is not there (a typo) would leave
every server unable to start, so it is a usage error (exit 2). When the config is for other
machines where thoth lives at that path, pass --thoth-path-elsewhere as well.

--client vscode without INPUT wraps every file VS Code reads user servers from: its mcp.json
and, when it names MCP servers ("mcp": {"servers": …} or "mcp.servers": {…}), its settings.json,
the same two of VS Code Insiders and VSCodium, and of each profile (User/profiles/*/) of the
three (status --help lists the places), each with its own backup. A settings.json whose servers
are ambiguous (both "mcp" and "mcp.servers", or a key such as "mcp.servers.NAME") is refused:
move them into one place by hand. Agent ids are handed out over all the files, so no two
servers share one. All are read, planned and checked (read-only, --output) before any is
written; a write that still fails after another file was written (a file changed meanwhile)
says which were written and which were not. --output then takes one file only, so it is
refused when more than one holds servers: pass INPUT to choose one.

Servers left without thoth: a server the client starts as a local command that thoth cannot
rewrite as written (an "args" item or "env" value that is not a string, an "env" that is not
an object, "command" beside "url" without "type": "stdio") or that it skips (a thoth entry it
does not understand, a flag thoth run refuses) is named on stderr with what to fix; the other
servers are still wrapped and written, and wrap-config exits 1 (also with --dry-run), so an
MDM script sees it. "thoth status --check" fails on the same servers.

Safety: the file is checked first (nothing is written if it does not parse), backed up once to
<file>.thoth-backup, and replaced atomically with its mode kept; a config no one may write (mode
0444, perhaps locked on purpose), or one its owner may write but the user running thoth may
not (run as root: a file owned by root in another user's folder), is refused unless you pass
--replace-read-only. --output must name a file, not a directory. --dry-run checks the write
without making it (the file, and that its folder exists and lets this user make the new file
there): what the write would refuse fails the dry run the same way, with the same error. An --output file that exists
and holds anything else than what would be written is refused (exit 2) unless you pass
--replace-output; then its old content is backed up first, each time, to the first free
<output>.thoth-backup, .thoth-backup.2, .3, … (an older backup is never replaced); --dry-run
shows the diff against that file. Secrets never go into args: an --api-key found in an entry's args
is taken out and not saved anywhere; save it with "thoth set-api-key --api-key -" (it goes to
THOTH_API_KEY_FILE, else THOTH_HOME/proxy_api_key.json; run as root on another user's config,
to proxy_api_key.json in the owner's profile, so the hint says to run it as the owner). The
backup of such a config still holds the key, so it is made readable by its owner only (0600):
delete it once the key is saved. When the backup kept from an earlier run does not hold the key,
a new one does (<file>.thoth-backup.2, .3, …; the first backup is never replaced); the warning
names the file that holds it.
Nothing thoth run would refuse to start with is written: a --tenant-id that is not a DNS label,
an --env THOTH_* value that breaks its rule, or a tenant whose env sets THOTH_USER_ID to "" is a
usage error (exit 2), and what an entry already had is a warning ("thoth status" shows it as
drift). A tenant needs a user id: wrap-config has no --user-id; pass --env THOTH_USER_ID=…, or
thoth run refuses those servers unless the client's own environment sets THOTH_USER_ID. Only
that environment could still supply it (a THOTH_USER_ID in the shell that runs wrap-config does
not reach a GUI client, and an MDM may set it system-wide), so this is a warning, never exit 1;
"thoth status --check" fails on those servers.
Servers written that thoth run will refuse to start (an intent the policy does not define, a
policy it cannot use, an intent map it cannot use, a refusal the entry already had) are written
all the same, named on stderr with why (a reason several share, such as a broken policy, once
after all their names; --json keeps each server's), and wrap-config exits 1 (also with
--dry-run) with a line naming the file written (the --output file when given) and how many:
"thoth status --check" fails on them too. With --thoth-path-elsewhere, what only this machine's
profile makes thoth run refuse (its policy, its intent map, a --policy file as it is here, or
missing here) is a warning that says so, not exit 1: the machines the config is for have their
own; every other refusal still exits 1.

--json prints {"schemaVersion": 1, "command", "ok", "exitCode", "dryRun", "error", "failures",
"files": [{"path", "output", "outcome", "backup", "keyBackup", "reason", "servers": [{"name",
"project", "action", "reason", "reasons", "tenantId", "intent", "decisions", "problems": [{"code",
"severity", "message", "remedy"}]}], "error"}], "profile"}. "error" is what stopped the command
({"code", "message", "hints", "exitCode"}, null when nothing did), "failures" what made it exit
1 after it went on ({"code", "message"}). A file's "outcome" is "written", "unchanged",
"would_write" (--dry-run), "failed" (its "error" says why: it could not be written, or read
and planned, when its "servers" is empty), "not_written" or "left" (a project config not
named); a server's "action" is "wrapped", "updated", "unchanged", "skipped" or "left"; its "intent" is
the session intent its entry runs with (--intent, as --intent or --intent-map wrote it), null
when it runs without one or not through thoth. "problems" lists
why a server is not governed as asked, one item each, for a script to act on: "code" is
config.remote_server, config.invalid_entry, config.unwrappable_entry, config.malformed_entry,
config.run_flag_refused, config.stray_wrap_record, config.bad_wrap_record,
config.will_not_start, config.profile_will_not_start, config.deprecated_setting (an --env
THOTH_ENFORCER_URL not written, or one the server's "env" keeps) or config.conflicting_tenant
(two tenants the entry already had); "severity" is "error" (it makes the command exit 1),
"warning" or "note" (a remote server, left alone by design); "remedy" says
what to do (null when nothing needs doing). "profile" names the profile the servers were judged
by, as status --json does: {"path", "source" ("THOTH_HOME", "self" or "owner"), "ownerUid",
"config", "notRead"}, plus "notPassedToServers" ({"defaultProfile", "servers"}) when
THOTH_HOME may not reach some servers (below). Run as another user than the config's owner
(root), wrap-config judges by the owner's profile and says so in a line on stderr.

THOTH_HOME set for wrap-config names the profile the servers are judged by, but is not written
into their "env" unless --env THOTH_HOME=PATH says so, and a client passes its servers its own
environment, not this shell's. When it names another folder than the profile their thoth run
finds without it (~/.thoth of the client's user), wrap-config warns, naming the servers whose
"env" sets no THOTH_HOME and both profiles: they run with the one judged only if the client gets
THOTH_HOME (set system-wide). --env THOTH_HOME=PATH writes it (unwrap-config takes it out).

`;

const WRAP_CONFIG_EXIT_STATUS = `
Exit status:
  0  every stdio server of the config written runs through thoth (or, with
     --dry-run, would); nothing to change is 0 too, and so are warnings
  1  the rest was written, but a server was left as it was or will not start
     (named on stderr; config.servers_left, config.servers_will_not_start in
     --json "failures"), also with --dry-run; or a config could not be read
     or written (a read-only one, or one in a folder this user may not
     write, included), also with --dry-run, which checks the write first
  2  a command line it cannot read or will not write, and nothing is written:
     an unknown flag, an --env or --tenant-id it refuses, a --thoth-path not
     on this machine, --output a folder, or an --output file with other
     content (without --replace-output)
`;

const WRAP_CONFIG_EXAMPLES = `
Examples:
  # see what would change in Claude Desktop's config, without writing
  thoth wrap-config --dry-run --tenant-id acme \\
    --env THOTH_USER_ID=ana@example.com

  # wrap it in place, observe-only while you baseline
  thoth wrap-config --tenant-id acme --env THOTH_USER_ID=ana@example.com \\
    --enforcement-mode observe

  # session intents per server, written to a new file (again: --replace-output)
  thoth wrap-config --tenant-id acme --env THOTH_USER_ID=ana@example.com \\
    --intent-map intent_map.json --output governed_config.json base_config.json

  # a config for other machines, with thoth at /opt/thoth/bin/thoth there
  thoth wrap-config --thoth-path /opt/thoth/bin/thoth --thoth-path-elsewhere \\
    --output fleet_config.json base_config.json

  # other clients
  thoth wrap-config --client cursor
  thoth wrap-config --client vscode   # every user mcp.json, settings.json
  thoth wrap-config --client vscode .vscode/mcp.json
  thoth wrap-config --client claude-code   # ~/.claude.json: user and projects
  thoth wrap-config .mcp.json               # Claude Code project scope
`;

/** The help after the options, `configPlaces` (`formatConfigPlaces`) before its exit status. */
export function wrapConfigHelp(configPlaces: string): string {
  return `${WRAP_CONFIG_NOTES}${configPlaces}${WRAP_CONFIG_EXIT_STATUS}${WRAP_CONFIG_EXAMPLES}`;
}
