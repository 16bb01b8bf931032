/**
 * Doctor check `intent_map`: `<thothHome>/intent_map.json` is a JSON object
 * mapping server names to intent names, as in
 * `{"gdrive": "calendar_management"}`.
 *
 * @example
 * ```ts
 * (await checkIntentMap(context)).message; // 'intent map "…/intent_map.json": 2 servers mapped'
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** Validates the intent map's shape. */
export async function checkIntentMap(context: DoctorContext): Promise<DoctorCheck> {
  const path = joinPath(context.thothHome, "intent_map.json");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        id: "intent_map",
        status: "warn",
        message: `no intent map at "${path}"`,
        hint: `create it with: echo '{}' > "${path}"`,
      };
    }
    return {
      id: "intent_map",
      status: "fail",
      message: `cannot read intent map "${path}": ${
        error instanceof Error ? error.message : error
      }`,
      hint: `check the owner and permissions of "${path}"`,
    };
  }
  const fail = (why: string): DoctorCheck => ({
    id: "intent_map",
    status: "fail",
    message: `intent map "${path}" is not valid: ${why}`,
    hint: `make it a JSON object of server name to intent, e.g. {"gdrive": "calendar_management"}`,
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(error instanceof SyntaxError ? error.message : "it is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("the top level must be an object");
  }
  for (const [server, intent] of Object.entries(value)) {
    if (server.trim() === "") return fail("a server name is empty");
    if (typeof intent !== "string" || intent.trim() === "") {
      return fail(`the intent for server ${JSON.stringify(server)} must be a non-empty string`);
    }
  }
  const count = Object.keys(value).length;
  return {
    id: "intent_map",
    status: "pass",
    message: `intent map "${path}": ${count} server${count === 1 ? "" : "s"} mapped`,
    hint: null,
  };
}
