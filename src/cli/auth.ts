/**
 * `thoth auth login [--tenant-id ID] [--admin-email EMAIL]`: accepted, but
 * signing in needs the Thoth control plane, which this build does not talk to
 * yet (it arrives with the fleet work). It says so, names where the session
 * would go, and exits 1 with the ways to authenticate today. Its help and the
 * list of commands say "(not available in this build)", and its examples put
 * those ways first.
 *
 * Its messages name the program it runs under (`thoth` or `thothctl`); the
 * break-glass key is saved with `thoth set-api-key`, which `thothctl` lacks.
 *
 * @example
 * ```sh
 * thoth auth login --tenant-id acme --admin-email ana@acme.example
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { sessionFilePath } from "../identity/session_file_path.ts";
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";
import type { CliIo } from "./cli_io.ts";

/** Builds the `auth` subcommand with `login`. */
export function authCommand(io: CliIo) {
  const auth = new Command("auth")
    .description("sign in to your Thoth tenant (not available in this build)")
    .addHelpText("after", ({ command }) =>
      `${WORKING_WAYS}

  # what login takes
  ${rootName(command)} auth login --help`);
  auth.command("login")
    .summary("sign in with SSO (not available in this build)")
    .description(
      "sign in with SSO and save a tenant session (not available in this build: it needs " +
        "the Thoth control plane, and exits 1 saying so)",
    )
    .option("--tenant-id <id>", "the tenant (default: THOTH_TENANT_ID)")
    .option("--admin-email <email>", "your email (default: THOTH_USER_ID)")
    .addHelpText("after", ({ command }) => {
      const program = rootName(command);
      return `${WORKING_WAYS}

  # says where it would sign in (with THOTH_APEX_DOMAIN set), then exits 1
  ${program} auth login --tenant-id acme --admin-email ana@example.com`;
    })
    .action((flags, command) => {
      const program = rootName(command);
      const tenant = flags.tenantId ?? io.env["THOTH_TENANT_ID"] ?? null;
      const apex = io.env["THOTH_APEX_DOMAIN"] ?? null;
      // A tenant that is a key (thoth run refuses it) is not echoed, not even inside a path.
      if (
        tenant !== null && tenant !== "" && !flaggedAsKey(tenant) && apex !== null &&
        apex !== ""
      ) {
        try {
          const urls = deriveTenantUrls(tenant, apex);
          io.err(
            `${program}: login would sign you in at ${urls.controlPlane} and save the session to ` +
              `"${sessionFilePath(io.thothHome, tenant, urls.govapiHost)}"\n`,
          );
        } catch {
          // An invalid tenant or apex is reported by "thoth doctor"; the answer below stands.
        }
      }
      throw new AppError(
        "credentials.login_unavailable",
        `${program} auth login needs the Thoth control plane, and this build cannot sign in to it yet`,
        {
          hints: [
            "export THOTH_RUNTIME_BEARER_TOKEN with a token from your Thoth admin",
            "or save a break-glass API key: thoth set-api-key --api-key -",
          ],
        },
      );
    });
  return auth;
}

/**
 * The "Examples:" section's start for `auth` and `auth login`: the ways to
 * authenticate that work in this build, first (`set-api-key` is thoth's own).
 */
const WORKING_WAYS = `
Examples:
  # what works in this build: a token from your Thoth admin, or a saved API key
  export THOTH_RUNTIME_BEARER_TOKEN=<token>
  thoth set-api-key --api-key - < key.txt

  # then see which credential thoth uses
  thoth doctor`;

/** The name of the program `command` belongs to (`thoth` or `thothctl`). */
function rootName(command: Command<unknown[], Record<string, unknown>>): string {
  let root = command;
  while (root.parent !== null) root = root.parent as typeof root;
  return root.name();
}
