/**
 * The policy thoth writes to `~/.thoth/policy.jsonc` on first run: reads are
 * allowed, tools that declare themselves destructive or whose name says they
 * delete (a whole word of it, `delete_file`, `bulkDelete` or `docker_prune`,
 * or a lower-case name that starts with it, `deletefile` or `rmdir`; not
 * `dropbox_list` or `deleted_items`) or that run shell commands or code
 * (`run_command`, `shell`, `execute_code`, `ssh_exec`; not `execute_query`)
 * need a person's approval, secrets are blocked, PHI needs approval. The comments teach the format; every key shown is real.
 *
 * @example
 * ```ts
 * const policy = parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc");
 * policy.default; // "allow"
 * ```
 */
import { COMMAND_RUNNER_GLOBS } from "./command_runner_globs.ts";
import { DELETE_LIKE_GLOBS } from "./delete_like_globs.ts";

/**
 * The permission bits of a policy file thoth writes (the first run's default,
 * `thoth policy default --output`): its owner's alone.
 */
export const POLICY_FILE_MODE = 0o600;

/**
 * The bytes thoth writes for the default policy: {@linkcode DEFAULT_POLICY_JSONC}
 * as UTF-8, with no byte-order mark.
 *
 * @example
 * ```ts
 * await createExclusive(file, defaultPolicyBytes(), { mode: POLICY_FILE_MODE });
 * ```
 */
export function defaultPolicyBytes(): Uint8Array {
  return new TextEncoder().encode(DEFAULT_POLICY_JSONC);
}

/** The commented default policy (JSONC). */
export const DEFAULT_POLICY_JSONC =
  `// thoth policy: governs every tools/call of every server thoth wraps.
// JSON with comments. Check it after editing:   thoth policy check
// Try a call against it:   thoth policy explain --server S --tool T --args '{"path":"/x"}'
{
  "version": 1,

  // The verdict when no rule below matches: "allow", "step_up" (ask a person) or "block".
  // A stricter rollout sets "step_up" here and adds "allow" rules for known-good tools.
  "default": "allow",

  // Session intents (HIPAA minimum necessary). intent_map.json maps a server to an intent
  // ({"gdrive": "calendar_management"}), or pass --intent NAME to thoth run. A call to a tool
  // outside the intent's "tools" (globs) is a violation: "block" unless "onViolation" says
  // "step_up". An intent never grants anything; rules and detectors still apply.
  "intents": {
    "calendar_management": {
      "tools": ["list_events", "get_event", "create_event", "update_event"],
      "description": "scheduling only: no mail, no files"
    },
    // Insurance eligibility checks on PHI: nothing else. Change the globs to the
    // names your eligibility server's tools have (thoth status shows the server).
    "phi_eligibility_check": {
      "tools": ["*eligibility*", "*coverage*", "*benefits*"],
      "description": "eligibility, coverage and benefits checks only: no clinical records, no exports"
    }
  },

  // Rules: every rule whose "match" fits the call contributes its decision; the most
  // restrictive one wins (block > step_up > allow). In "match" everything is optional and
  // all given fields must hold:
  //   "server": glob of the server's agent id     "tool": glob of the tool name
  //   "listed": false for tools the server never announced in tools/list
  //   "annotations": hints the server declared, e.g. { "readOnlyHint": true }
  //   "args": { "<path>": { predicates } } with paths like "path", "options.path", "files[*]"
  //     predicates: equals, notEquals, glob, notGlob, regex, notRegex (anchored), prefix,
  //     oneOf, notOneOf, exists, min, max ("5000" counts as 5000). glob and prefix resolve
  //     ".", ".." and "//" first ("/tmp/../etc/x" is inside "/etc/**"); a path that still
  //     climbs with ".." matches neither. With "files[*]", an "allow" rule needs every
  //     element to match; a "block" or "step_up" rule needs one, and there a text in
  //     equals, oneOf, regex, prefix or glob also matches a number or boolean with that text
  //     ("22" matches 22) and a regex's "." also matches line breaks.
  // Globs are anchored (the whole name must match): * (not across /), ** (across /), ?, [a-z], {a,b}.
  // In a rule that blocks or steps up, * also crosses / in a tool or server name (a name is no path).
  "rules": [
    {
      "id": "reads",
      "match": { "annotations": { "readOnlyHint": true } },
      "decision": "allow",
      "reason": "the tool declares it only reads"
    },
    {
      "id": "destructive",
      "match": { "annotations": { "destructiveHint": true } },
      "decision": "step_up",
      "reason": "the tool declares it may destroy data"
    },
    {
      "id": "delete-like",
      // A tool whose name says it deletes. Globs are case-sensitive and match the whole name;
      // {,x} is nothing or x. The first three take delete, remove, drop, destroy, purge, rm,
      // shred, expunge, flushdb, flushall and hdel as a whole word: at the start or end of the
      // name or beside a separator (_ . - /) or a camelCase capital (delete_file, files/delete,
      // bulkDelete, DROP_TABLE, Remove-Item, imap_expunge). The next seven take prune, terminate,
      // uninstall, erase, wipe, trash, unlink and del only as the whole name (and TRUNCATE);
      // before an object word (image, instance, helm, disk, device, email, file, workflow, all
      // and the others listed), at once or after a qualifier that says which ones, all before
      // another (unused, old, ec2 and the others listed: prune_images, TerminateInstances,
      // terminate_ec2_instances, prune_all_unused_images, pruneOldImages, gmail_trashmessage);
      // or last after an object or tool word (docker_prune, helm_uninstall, move_to_trash,
      // empty_trash, gdrive_trash, redis_del); so list_trash, getWipeStatus, prune_preview,
      // trash_list_items, getTrashMetadata and get_wipe_history (history, log, event and token
      // after the word are its record) stay out. The next three take rmi and rb last after
      // their tool (docker_rmi, s3_rb), the next three empty and flush last before what they
      // clear (empty_bucket, flush_cache; not is_empty or flush_logs). The next two take the
      // word last in a lower-case word after bulk, batch, soft, force, hard, git or mass, alone
      // or before an object word (bulkdelete, gitrm; not undelete or gitrm_dry_run). The next
      // eight take a lower-case word, first in the name or after a separator, that starts with
      // the word run together with what it deletes (deletefile, s3_deletefile, purgecache,
      // deletedbinstance, purgedlq, droptable, rmdir; not deleted, deleteditems, deletedbuckets,
      // remover, deletes, destroyed, droplet or purgeable); the last two, truncate last before
      // table or file (truncate_table, truncateFile; not truncate_text or truncate_file_name).
      // dropbox_list_folder, backdrop_image, list_deleted_files, undelete_file and swipe do not
      // match: a name that mentions deleted things is not one that deletes (a tool that declares
      // destructiveHint is asked about by "destructive" above whatever its name).
      // Asked though they delete nothing, an approval away (a glob has no "unless"):
      // removebackground as remove_background is, and list_trash_items and check_empty_queue,
      // whose first word reads or asks.
      "match": { "tool": [
${DELETE_LIKE_GLOBS.map((glob) => `        ${JSON.stringify(glob)}`).join(",\n")}
      ] },
      "decision": "step_up",
      "reason": "the tool name says it deletes"
    },
    {
      "id": "command-runners",
      // A tool whose name says it runs a shell or OS command, a script or code: it can do
      // anything you can, answering thoth's own approval requests too. The first two take
      // such a word as the whole name (shell, bash, sh, zsh, powershell, pwsh, cmd, exec,
      // execute, run, eval, command, terminal, repl, python, ssh, sudo, osascript, spawn,
      // computer, and the agents codex and claude_code), also after an aggregator's prefix
      // (developer__shell, my-server.shell); the third a shell after a "-" (my-server-shell).
      // The next ten take run, exec, execute, invoke, spawn, start, launch or interact before
      // what it runs: a command, shell, script, code, file, process, program, REPL, notebook cell
      // or a language, at once or after one word that says which (run_command, runCommand,
      // Start-Process, execute_shell_command, run_python_code, run_terminal_cmd,
      // run_in_terminal, interact_with_process); then run, exec and execute before node,
      // deno, bun or go (run_node), and before code, a script or a command after any one
      // word (execute_blender_code, run_houdini_script, run_vscode_command). Then eval and
      // evaluate before code (eval_js, evaluate_script; not evaluate_model); open, create,
      // write and send to a terminal or shell (open_terminal, write_to_terminal); send a
      // command or keys (send_command, send-keys); run, exec and execute in a container, pod,
      // sandbox, VM or host (exec_in_pod); exec or run a container or pod (run_container runs
      // an image's command); Invoke-Expression; a browser's evaluate (browser_evaluate,
      // puppeteer_evaluate): page JavaScript runs in the browser's sandbox, not on the
      // machine, but with the pages you are signed in to, and no name tells it from
      // evaluate_script or run_javascript, so all are asked. Then a word that says whose or
      // what kind before a shell or terminal, as the whole name (local_shell, mcp_shell,
      // secure_shell; not get_shell or default_shell); a terminal word before send, write or
      // paste, or type and what is typed (terminal_send_text, tmux_send, pty_write; not
      // terminal_type), and send, write, type or paste, any words, then to or into a terminal
      // (send_text_to_terminal); send, write, type or paste before a terminal word and what is
      // typed, or before stdin (send_terminal_input, write_stdin); a terminal word before input
      // or keys, and send or write before input, as the whole name (terminal_input, tmux_keys,
      // send_input); a library call that runs a command line (os_system,
      // subprocess_check_output, child_process_exec). Then what runs before an execution,
      // executor or runner, as the whole name (code_execution, command_execution; not
      // workflow_execution or test_runner); a process before exec or spawn (process_exec);
      // create or new before a process (create_process); AppleScript's do_shell_script;
      // Windows-MCP's Type-Tool, which types into any window and presses Enter (spawn and
      // Anthropic's computer-use tool, computer, are among the whole names above; Lisp and
      // Emacs among the languages and tool words: eval_elisp, nrepl_eval, emacs_eval). The
      // last three take a tool word before
      // run, exec, execute, eval, command, shell, terminal, repl or interpreter (ssh_exec,
      // docker_exec, pods_exec, terminal_execute, shell_command, code_interpreter, python_repl,
      // adb_shell, kubectl_generic).
      // After what runs may come a plural and a word that says how or where (run_commands,
      // execute_command_async, run_command_with_timeout, bash_tool, run_command_v2); any other
      // word makes another name, so get_terminal_output, read_terminal, command_palette,
      // shell_history_search, shell_info, list_processes and run_code_review are not asked.
      // Neither is a query language (execute_query, run_sql, execute_sql: a database, not the
      // machine), run_tests, run_workflow or git_* tools. Asked though it may only read, an approval
      // away: a name with another word before such a pair (get_shell_command). To let such
      // tools through unasked, add "enabled": false to this rule rather than deleting it.
      "match": { "tool": [
${COMMAND_RUNNER_GLOBS.map((glob) => `        ${JSON.stringify(glob)}`).join(",\n")}
      ] },
      "decision": "step_up",
      "reason": "the tool name says it runs commands or code"
    }
    // An example to adapt: keep a filesystem server's writes inside /data.
    // {
    //   "id": "fs-outside-data",
    //   "match": { "server": "filesystem", "tool": "write_file",
    //              "args": { "path": { "notGlob": "/data/**" } } },
    //   "decision": "block",
    //   "reason": "writes must stay inside /data"
    // }
  ],

  // Detectors look inside argument values. Per family: "off" (do not scan), "allow" (record
  // findings only), "step_up" or "block". Findings name the detector and the argument path,
  // never the value. phi: SSN, Medicare MBI, NPI, DEA, MRN, ICD-10, date of birth;
  // pii: email, phone, payment card; secrets: cloud and provider keys, tokens, passwords
  // (assigned, or in URLs and curl), private keys, JWTs.
  // "risk" turns the 0-100 risk score (detector weights plus destructive/unlisted tool
  // points) into a verdict: a call carrying several kinds of identifiers at once is riskier.
  "detectors": {
    "secrets": "block",
    "phi": "step_up",
    "pii": "allow",
    "risk": { "stepUpAt": 50, "blockAt": 90 }
  },

  // Progressive mode (thoth run --enforcement-mode progressive): per server, user and rule within
  // "window", the first violations warn, after "stepUpAfter" earlier ones they need approval,
  // after "blockAfter" earlier ones they are blocked.
  "progressive": { "window": "24h", "stepUpAfter": 1, "blockAfter": 3 },

  // Argument fields whose values the audit log may keep verbatim, in the decision's args.clear
  // (everything else, and every tool result, is kept only as a keyed digest and its shape).
  // An approval prompt shows the values of these fields too. Without being listed here, a
  // prompt (the client's form; every dialog) also shows the values of
  // the top-level fields that name a file or URL, so you see which file a call writes: path,
  // paths, source, destination, url, uri, file, filename, file_path, filePath, directory, dir,
  // cwd; one a secret detector flags is shown by its shape only. The values of the fields that
  // hold the command a call runs (command, cmd, commands, script, shell_command, program; for a tool
  // whose name says it runs commands also code, args, argv, input, keys) are shown everywhere,
  // the approval queue's files, "thoth approvals list" and every dialog included,
  // so no one approves a command blind, unless a secret, PII or PHI detector flags one (a
  // command that runs is listed by ps anyway). Every other argument is shown by its shape
  // (names, types, lengths). The approval queue's files, "thoth approvals list" and the model
  // get the other fields by shape only. kdialog shows the question in a window first, from a file
  // only you can read; its choice (its text is on a command line any user can list) shows no
  // argument at all. To see another field's value in prompts, list it here.
  "audit": { "safeToLog": [] }
}
`;
