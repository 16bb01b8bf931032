/**
 * What `thoth run` resolves before the sandbox starts: the intent from the
 * intent map (own entries only), unknown intents refused up front, and the
 * environment and policy checked, each failure an AppError with its code.
 */
import assert from "node:assert/strict";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { isAppError } from "../../src/errors.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { passwdHomeOfUser } from "../_os_user.ts";

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  intents: { calendar: { tools: ["list_*"] } },
});

async function home(intentMap: string, policy = POLICY): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-prepare-" });
  await Deno.writeTextFile(`${dir}/policy.jsonc`, policy);
  await Deno.writeTextFile(`${dir}/intent_map.json`, intentMap);
  return dir;
}

function flags(server: string) {
  return { server, mode: "block" as const };
}

Deno.test("the intent map gives a server its intent, and only its own entry counts", async () => {
  const dir = await home('{ "fs": "calendar" }');
  try {
    const io = fakeCliIo(dir, { PATH: "" });
    const fs = await prepareSession(io, flags("fs"));
    assert.equal(fs.enforcer.kind === "local" && fs.enforcer.intent, "calendar");
    // A server named like an Object property has no entry: no intent, not a crash.
    const odd = await prepareSession(io, flags("constructor"));
    assert.equal(odd.enforcer.kind === "local" && odd.enforcer.intent, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an intent the policy lacks is refused before anything starts", async () => {
  const dir = await home('{ "fs": "mail" }');
  try {
    await assert.rejects(
      () => prepareSession(fakeCliIo(dir, { PATH: "" }), flags("fs")),
      (error: unknown) => {
        assert.ok(isAppError(error) && error.code === "policy.unknown_intent");
        assert.match(error.message, /intent "mail" is not in the policy/);
        assert.ok(error.hints.some((h) => h.includes("use one of: calendar")));
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the refusal of an intent map entry's unknown intent names the entry and the intent meant", async () => {
  const dir = await home('{ "fs": "calender" }');
  try {
    await assert.rejects(
      () => prepareSession(fakeCliIo(dir, { PATH: "" }), flags("fs")),
      (error: unknown) => {
        assert.ok(isAppError(error, "policy.unknown_intent"));
        assert.equal(error.message, 'intent "calender" is not in the policy');
        assert.deepEqual(error.hints.slice(1, 3), [
          'did you mean "calendar"?',
          'it comes from the intent map entry for "fs"',
        ]);
        return true;
      },
    );
    // Given with --intent, the refusal says so.
    await assert.rejects(
      () => prepareSession(fakeCliIo(dir, { PATH: "" }), { ...flags("fs"), intent: "calendr" }),
      (error: unknown) => isAppError(error) && error.hints.includes("it comes from --intent"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unknown intent that looks like a key is named by fingerprint, never in clear", async () => {
  const dir = await home("{}");
  try {
    const key = "sk_live_51HxQabcdefghijklmnop";
    await assert.rejects(
      () => prepareSession(fakeCliIo(dir, { PATH: "" }), { ...flags("fs"), intent: key }),
      (error: unknown) => {
        assert.ok(isAppError(error) && error.code === "policy.unknown_intent");
        assert.match(error.message, /^intent \(value hidden: it looks like a key or token/);
        assert.doesNotMatch([error.message, ...error.hints].join("\n"), /sk_live|51HxQ/);
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bad environment, policy or intent map is an AppError naming it", async () => {
  const cases: [Record<string, string>, string, string, string][] = [
    [{ THOTH_ENV: "Prod!" }, "{}", POLICY, "identity.invalid_env"],
    [{}, "{}", '{ "version": 1, "default": "maybe" }', "policy.invalid"],
    [{}, '{ "fs": "not a name" }', POLICY, "intent_map.invalid"],
  ];
  for (const [env, intentMap, policy, code] of cases) {
    const dir = await home(intentMap, policy);
    try {
      await assert.rejects(
        () => prepareSession(fakeCliIo(dir, { PATH: "", ...env }), flags("fs")),
        (error: unknown) => isAppError(error) && error.code === code,
        code,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test({
  name: "a policy path that is a FIFO is refused at once instead of blocking the read",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await home("{}");
    try {
      const fifo = `${dir}/policy-fifo`;
      const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      assert.equal(made.code, 0);
      await assert.rejects(
        () => prepareSession(fakeCliIo(dir, { PATH: "" }), { ...flags("fs"), policy: fifo }),
        (error: unknown) =>
          isAppError(error, "policy.unreadable") && /it is not a regular file/.test(error.message),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("an intent map entry that differs from the agent id only by case refuses the server", async () => {
  const dir = await home('{"FS": "calendar"}');
  try {
    const io = fakeCliIo(dir, { PATH: "" });
    await assert.rejects(
      () => prepareSession(io, flags("fs")),
      (error: unknown) =>
        isAppError(error, "intent_map.inexact") &&
        /no entry for agent id "fs", but its entry "FS" differs from it only by case/.test(
          error.message,
        ) &&
        error.hints.some((h) => h.startsWith('rename the entry "FS" to "fs"')),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the server's working folder and the folders on its command line become its path bases", async () => {
  const dir = await home("{}");
  try {
    await Deno.mkdir(`${dir}/data`);
    await Deno.mkdir(`${dir}/user/docs`, { recursive: true });
    await Deno.writeTextFile(`${dir}/server.js`, "");
    const io = fakeCliIo(dir, { PATH: "", HOME: `${dir}/user` });
    await Deno.mkdir(`${io.cwd}/sub`, { recursive: true });
    const prepared = await prepareSession(io, {
      ...flags("fs"),
      serverArgs: [
        `${dir}/server.js`,
        `${dir}/data`,
        `--root=~/docs`,
        `${dir}/missing`,
        "relative",
        `${dir}/data`,
        "sub",
      ],
    });
    assert.deepEqual(
      prepared.enforcer.kind === "local" ? prepared.enforcer.bases : undefined,
      [io.cwd, `${dir}/data`, `${dir}/user/docs`, `${io.cwd}/sub`],
      "files, missing folders and repeats are left out; a relative folder is in the working folder",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "without HOME the home folder is the one the password file gives, as servers fall back to",
  {
    ignore: Deno.build.os === "windows",
  },
  async () => {
    const dir = await home("{}");
    try {
      const expected = passwdHomeOfUser();
      const prepared = await prepareSession(fakeCliIo(dir, { PATH: "" }), flags("fs"));
      assert.equal(prepared.enforcer.kind === "local" ? prepared.enforcer.home : "", expected);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("a tenant is said to be decided locally, and none of its hosts is handed to the core", async () => {
  const dir = await home("{}");
  try {
    const io = fakeCliIo(dir, {
      PATH: "",
      THOTH_TENANT_ID: "acme",
      THOTH_USER_ID: "ana@example.com",
      THOTH_APEX_DOMAIN: "example.com",
    });
    const prepared = await prepareSession(io, flags("fs"));
    assert.equal(prepared.enforcer.kind, "local");
    assert.match(
      io.stderr,
      /thoth: notice: tenant "acme" is set, but this build decides every call with the local policy/,
    );
    // Nothing connects to the tenant's hosts yet, so the sandboxed core is handed none to reach.
    assert.deepEqual(Object.keys(prepared).filter((key) => key !== "dialog"), ["enforcer"]);
    const quiet = fakeCliIo(dir, { PATH: "" });
    await prepareSession(quiet, flags("fs"));
    assert.doesNotMatch(quiet.stderr, /tenant/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an intent map keyed by a server name refuses the servers it may stand for, and says how to fix it", async () => {
  // wrap-config numbers ids whose names collide ("notes café" and "notes-cafe"
  // become notes-cafe and notes-cafe-2): a server name cannot say which server
  // it means, and a guessed intent, or none, would widen what a server may do.
  const cases: [string, string][] = [
    ['{"Everything Server": "calendar"}', "Everything-Server"],
    ['{"My Notes (work)": "calendar"}', "My-Notes-work"],
    ['{"gdrive\\u200b": "calendar"}', "gdrive"],
    ['{"notes café": "calendar"}', "notes-cafe"],
    ['{"notes café": "calendar"}', "notes-cafe-2"],
  ];
  for (const [map, server] of cases) {
    const dir = await home(map);
    try {
      const io = fakeCliIo(dir, { PATH: "" });
      await assert.rejects(
        () => prepareSession(io, flags(server)),
        (error: unknown) =>
          isAppError(error, "intent_map.inexact") &&
          error.message.includes(`no entry for agent id "${server}"`) &&
          error.hints.some((h) => h.includes(`this one is "${server}"`)),
        map,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("an exact intent map entry governs, and an entry written as a server name is warned about", async () => {
  const policy = JSON.stringify({
    version: 1,
    default: "allow",
    intents: { calendar: { tools: ["list_*"] }, mail: { tools: ["send_*"] } },
  });
  const dir = await home('{"gdrive\\u200b": "mail", "gdrive": "calendar", "fs": "mail"}', policy);
  try {
    const io = fakeCliIo(dir, { PATH: "" });
    const prepared = await prepareSession(io, flags("gdrive"));
    assert.equal(prepared.enforcer.kind === "local" ? prepared.enforcer.intent : "", "calendar");
    const other = fakeCliIo(dir, { PATH: "" });
    const fs = await prepareSession(other, flags("fs"));
    assert.equal(fs.enforcer.kind === "local" ? fs.enforcer.intent : "", "mail");
    assert.match(
      other.stderr,
      /thoth: warning: intent map ".+": the entry "gdrive\\u200b" is a server name, not an agent id/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "an intent map that is a FIFO is refused at once instead of blocking the read",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await home("{}");
    const map = `${dir}/intent_map.json`;
    try {
      await Deno.remove(map);
      const made = await new Deno.Command("mkfifo", { args: [map] }).output();
      assert.equal(made.code, 0);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<"hung">((resolve) => {
        timer = setTimeout(() => resolve("hung"), 5_000);
      });
      const prepared = prepareSession(fakeCliIo(dir, { PATH: "" }), flags("fs")).then(
        () => "started",
        (error: unknown) => error,
      );
      const outcome = await Promise.race([prepared, hung]);
      clearTimeout(timer);
      if (outcome === "hung") {
        // Release the blocked read (a writer's close is its end of file) before failing.
        (await Deno.open(map, { write: true })).close();
        await prepared;
      }
      assert.ok(
        isAppError(outcome, "intent_map.unreadable") &&
          /it is not a regular file/.test(outcome.message),
        `expected a refusal, got ${String(outcome)}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
