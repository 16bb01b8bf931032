import assert from "node:assert/strict";
import {
  atOrUnder,
  sessionFolderError,
  type SessionFolderFacts,
  sessionFolderProblem,
} from "../../src/proxy/session_folder_problem.ts";

/** Ana's audit folder on Linux, a plain folder in its place; `over` changes what the case needs. */
function facts(over: Partial<SessionFolderFacts>): SessionFolderFacts {
  return {
    folder: "/home/ana/.thoth/audit",
    name: "audit",
    real: "/home/ana/.thoth/audit",
    isFolder: true,
    owner: 1000,
    mode: 0o40700,
    self: 1000,
    profile: "/home/ana/.thoth",
    profileReal: "/home/ana/.thoth",
    home: "/home/ana",
    homeReal: "/home/ana",
    otherParts: [],
    clientConfigs: ["/home/ana/.config/Claude/claude_desktop_config.json"],
    os: "linux",
    ...over,
  };
}

Deno.test("sessionFolderProblem() lets a folder in its own place be, whatever its mode", () => {
  assert.equal(sessionFolderProblem(facts({})), undefined);
  assert.equal(sessionFolderProblem(facts({ mode: 0o40755, owner: 0 })), undefined);
  // The profile reached through a link (macOS's /tmp): its own place is in the real profile.
  assert.equal(
    sessionFolderProblem(facts({
      folder: "/tmp/p/audit",
      real: "/private/tmp/p/audit",
      profile: "/tmp/p",
      profileReal: "/private/tmp/p",
      os: "darwin",
    })),
    undefined,
  );
});

Deno.test("sessionFolderProblem() refuses the root, the home folder and what holds the profile", () => {
  assert.deepEqual(sessionFolderProblem(facts({ real: "/" })), { why: "root" });
  assert.deepEqual(sessionFolderProblem(facts({ real: "/home/ana" })), {
    why: "holds_profile",
  });
  const elsewhere = {
    profile: "/srv/thoth",
    profileReal: "/srv/thoth",
    folder: "/srv/thoth/audit",
  };
  assert.deepEqual(sessionFolderProblem(facts({ ...elsewhere, real: "/home/ana" })), {
    why: "home",
    home: "/home/ana",
  });
  assert.deepEqual(sessionFolderProblem(facts({ ...elsewhere, real: "/home" })), {
    why: "home",
    home: "/home/ana",
  });
  assert.deepEqual(sessionFolderProblem(facts({ ...elsewhere, real: "/srv" })), {
    why: "holds_profile",
  });
});

Deno.test("sessionFolderProblem() refuses the profile itself and its other parts", () => {
  assert.deepEqual(sessionFolderProblem(facts({ real: "/home/ana/.thoth" })), { why: "profile" });
  assert.deepEqual(sessionFolderProblem(facts({ real: "/home/ana/.thoth/keys/x" })), {
    why: "part",
    part: "/home/ana/.thoth/keys",
  });
  assert.deepEqual(sessionFolderProblem(facts({ real: "/home/ana/.thoth/approvals" })), {
    why: "part",
    part: "/home/ana/.thoth/approvals",
  });
  // keys/ is itself a link elsewhere: a folder that holds where it leads is refused.
  const keys = { path: "/home/ana/.thoth/keys", real: "/vault/thoth-keys" };
  assert.deepEqual(sessionFolderProblem(facts({ real: "/vault", otherParts: [keys] })), {
    why: "part",
    part: "/home/ana/.thoth/keys",
  });
  assert.deepEqual(
    sessionFolderProblem(facts({ real: "/vault/thoth-keys/sub", otherParts: [keys] })),
    { why: "part", part: "/home/ana/.thoth/keys" },
  );
});

Deno.test("sessionFolderProblem() refuses a folder holding a client config, a file, and a folder that is not private", () => {
  assert.deepEqual(sessionFolderProblem(facts({ real: "/home/ana/.config" })), {
    why: "client_config",
    file: "/home/ana/.config/Claude/claude_desktop_config.json",
  });
  assert.deepEqual(sessionFolderProblem(facts({ real: "/etc/shadow", isFolder: false })), {
    why: "not_folder",
  });
  assert.deepEqual(sessionFolderProblem(facts({ real: "/etc", owner: 0, mode: 0o40755 })), {
    why: "not_private",
    owner: 0,
    mode: 0o40755,
    mine: false,
  });
  assert.deepEqual(sessionFolderProblem(facts({ real: "/srv/audit", mode: 0o40750 })), {
    why: "not_private",
    owner: 1000,
    mode: 0o40750,
    mine: true,
  });
  // A private folder of Ana's elsewhere is hers to keep the log in.
  assert.equal(sessionFolderProblem(facts({ real: "/srv/audit" })), undefined);
  // Root's own 0700 folder, for root.
  assert.equal(
    sessionFolderProblem(facts({ real: "/var/lib/audit", owner: 0, self: 0 })),
    undefined,
  );
});

Deno.test("sessionFolderProblem() compares Windows paths without case, by either separator", () => {
  const windows = {
    folder: "C:\\Users\\Ana\\.thoth\\audit",
    profile: "C:\\Users\\Ana\\.thoth",
    profileReal: "C:\\Users\\Ana\\.thoth",
    home: "C:\\Users\\Ana",
    homeReal: "C:\\Users\\Ana",
    clientConfigs: [],
    owner: null,
    mode: null,
    self: null,
    os: "windows",
  };
  assert.equal(
    sessionFolderProblem(facts({ ...windows, real: "c:\\users\\ana\\.thoth\\AUDIT" })),
    undefined,
  );
  assert.deepEqual(sessionFolderProblem(facts({ ...windows, real: "C:\\" })), { why: "root" });
  assert.deepEqual(sessionFolderProblem(facts({ ...windows, real: "c:/users/ana/.thoth/keys" })), {
    why: "part",
    part: "C:\\Users\\Ana\\.thoth\\keys",
  });
  assert.equal(sessionFolderProblem(facts({ ...windows, real: "D:\\audit" })), undefined);
});

Deno.test("atOrUnder() matches whole names only", () => {
  assert.equal(atOrUnder("/home/ana/.thoth2", "/home/ana/.thoth", "linux"), false);
  assert.equal(atOrUnder("/home/ana/.thoth/", "/home/ana/.thoth", "linux"), true);
  assert.equal(atOrUnder("/anything", "/", "linux"), true);
});

Deno.test("sessionFolderError() names where the folder leads, what the core could reach, and the remedy", () => {
  const error = sessionFolderError(
    { folder: "/home/ana/.thoth/audit", real: "/", link: true, os: "linux" },
    { why: "root" },
  );
  assert.equal(error.code, "io.unsafe_session_folder");
  assert.match(
    error.message,
    /the session folder "\/home\/ana\/\.thoth\/audit" leads to "\/", the root of the file system; .* every file on this machine \(io\.unsafe_session_folder\)$/,
  );
  assert.equal(
    error.hints[0],
    "replace the link with a folder (what it leads to is kept): rm '/home/ana/.thoth/audit' && " +
      "mkdir -m 700 '/home/ana/.thoth/audit'",
  );
});
