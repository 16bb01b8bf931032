/**
 * One entry of `clients` in the `thoth health --json` report: what one MCP
 * client config holds and how thoth governs each of its servers (governed,
 * ungoverned, remote, refused, not startable), as one zod schema. Part of
 * `HealthReportSchema` (`health_report_schema.ts`).
 *
 * @example
 * ```ts
 * const client = HealthClientSchema.parse(report.clients[0]);
 * client.governed; // ["files"]
 * ```
 */
import { z } from "zod";

const nullableString = z.string().nullable();

/** The schema of one client config in the health report. */
export const HealthClientSchema = z.object({
  client: z.string().describe(
    'Client id as "thoth status --client" takes it, e.g. claude-desktop',
  ),
  config_path: z.string(),
  scope: z.enum(["user", "project"]).nullable().describe(
    'Whose config: "user" (the client\'s own), "project" (a project folder\'s, such as ' +
      ".mcp.json); null when discovery does not say",
  ),
  governed: z.array(z.string()).describe(
    "Server names started through thoth run, judged from the entry (its command is named " +
      "thoth, is this thoth, or has a THOTH_WRAP record naming it); the command is not run " +
      "here: thoth doctor checks that it answers as thoth. A server whose thoth command is not " +
      "found is here too, and in not_startable: it will not start",
  ),
  ungoverned: z.array(z.string()).describe(
    "Local (stdio) server names not started through thoth run: running without thoth, " +
      'or listed in not_understood; an entry that says "disabled": true is listed too (Claude ' +
      "Code ignores disabled, other clients start it again with one switch)",
  ),
  disabled: z.array(z.string()).describe(
    'Server names whose entry says "disabled": true; each is also in governed, ungoverned ' +
      "or not_applicable, as if enabled",
  ),
  remote: z.array(z.string()).describe(
    "Remote server names (url, serverUrl, type http/sse): not governed, thoth governs stdio " +
      "servers only; each is also in not_applicable, and in neither governed nor ungoverned",
  ),
  not_applicable: z.array(z.object({
    name: z.string(),
    kind: z.enum(["remote", "invalid"]).describe(
      '"remote": reached over the network; "invalid": the entry has no command to start',
    ),
    note: z.string().describe("Why, in words"),
  })).describe("Servers the client does not start as local commands"),
  not_understood: z.array(z.object({
    name: z.string(),
    note: z.string().describe(
      'Why, as thoth status words it: "thoth entry not understood: <reason>"',
    ),
  })).describe(
    "Servers whose command names thoth in a shape thoth status cannot read " +
      '("state": "not_understood"); each is also in ungoverned',
  ),
  refused: z.array(z.object({
    name: z.string(),
    reasons: z.array(z.string()).describe("What thoth run would say, naming the fix"),
  })).describe(
    "Servers that run through thoth but that thoth run would refuse to start (a flag, the " +
      "environment, the policy, the intent map); each is also in governed",
  ),
  warnings: z.array(z.object({
    name: z.string(),
    warnings: z.array(z.string()).describe("What thoth run would warn, as thoth status words it"),
  })).describe(
    "Servers that run through thoth and start, but that thoth run warns about as it starts " +
      "them (an intent map key that differs from the agent id only by case: it runs without " +
      "a session intent); each is also in governed",
  ),
  not_startable: z.array(z.object({
    name: z.string(),
    command: z.string().describe(
      "The command that is not there: the entry's command (thoth itself for a governed " +
        "entry), or the upstream command after thoth run --",
    ),
    problem: z.string().describe(
      "Why, in words: an absolute path that is no executable file, or a name not found on the " +
        "PATH the client starts the entry with (thoth doctor's lookup; nothing is started)",
    ),
  })).describe(
    "Servers that cannot start because a command they run is not found; a governed entry " +
      "whose thoth command is not found stays in governed (thoth wrap-config writes this " +
      "thoth's path into it)",
  ),
  problem: nullableString.describe(
    "Why the config cannot be read as the client reads it (not a regular file, invalid JSON, " +
      'a key such as "mcpServers" given twice), so its servers are unknown and the lists above ' +
      "are empty; null when it was read",
  ),
  hint: nullableString.describe("What to do about problem; null when there is none"),
});
