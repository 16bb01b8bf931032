/**
 * Where `thoth auth login` keeps a tenant's session:
 * `<thothHome>/sessions/<tenant>--<govapi-host>--admin-token.jwt`. Pure.
 *
 * @example
 * ```ts
 * sessionFilePath("/home/ana/.thoth", "acme", "acme.example.com");
 * // "/home/ana/.thoth/sessions/acme--acme.example.com--admin-token.jwt"
 * ```
 */
import { joinPath } from "../platform/join_path.ts";

/** The session file path for a tenant and control-plane host. */
export function sessionFilePath(thothHome: string, tenantId: string, govapiHost: string): string {
  return joinPath(thothHome, "sessions", `${tenantId}--${govapiHost}--admin-token.jwt`);
}
