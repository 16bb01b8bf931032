import assert from "node:assert/strict";
import { denoMachineIdAccess, readMachineId } from "../../src/platform/machine_id.ts";
import {
  parseIoregPlatformUuid,
  parseLinuxMachineId,
  parseRegMachineGuid,
} from "../../src/platform/_machine_id_parse.ts";

const IOREG = `+-o J316sAP  <class IOPlatformExpertDevice, id 0x100000220>
    {
      "IOPlatformSerialNumber" = "C02XXXXXXX"
      "IOPlatformUUID" = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
    }`;
const REG = `
HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography
    MachineGuid    REG_SZ    6f1b4c2a-9e3d-4d7b-8a21-5c0e9f3b7d44
`;

Deno.test("parseLinuxMachineId() accepts 32 hex digits and rejects an uninitialized id", () => {
  assert.equal(
    parseLinuxMachineId("3D1219C7C4C5404AAA1F6D2A48ADFDA4\n"),
    "3d1219c7c4c5404aaa1f6d2a48adfda4",
  );
  assert.equal(parseLinuxMachineId(""), null);
  assert.equal(parseLinuxMachineId("uninitialized\n"), null);
  assert.equal(parseLinuxMachineId("0".repeat(32)), null);
});

Deno.test("parseIoregPlatformUuid() finds IOPlatformUUID", () => {
  assert.equal(parseIoregPlatformUuid(IOREG), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  assert.equal(parseIoregPlatformUuid('"IOPlatformSerialNumber" = "x"'), null);
});

Deno.test("parseRegMachineGuid() finds MachineGuid", () => {
  assert.equal(parseRegMachineGuid(REG), "6f1b4c2a-9e3d-4d7b-8a21-5c0e9f3b7d44");
  assert.equal(
    parseRegMachineGuid("ERROR: The system was unable to find the specified registry key"),
    null,
  );
});

Deno.test("readMachineId() reads /etc/machine-id on Linux without running anything", async () => {
  const reading = await readMachineId("linux", {
    readTextFile: (path) =>
      path === "/etc/machine-id"
        ? Promise.resolve("ab".repeat(16) + "\n")
        : Promise.reject(new Error()),
    runCommand: () => Promise.reject(new Error("must not run")),
  });
  assert.deepEqual(reading, { value: "ab".repeat(16), origin: "/etc/machine-id" });
});

Deno.test("readMachineId() falls back to the dbus machine id", async () => {
  const reading = await readMachineId("linux", {
    readTextFile: (path) =>
      path === "/var/lib/dbus/machine-id"
        ? Promise.resolve("cd".repeat(16))
        : Promise.reject(new Error()),
    runCommand: () => Promise.reject(new Error("must not run")),
  });
  assert.equal(reading?.origin, "/var/lib/dbus/machine-id");
});

Deno.test("readMachineId() runs ioreg on macOS and reg on Windows", async () => {
  const ran: string[] = [];
  const access = {
    readTextFile: () => Promise.reject(new Error("no files")),
    runCommand: (command: string) => {
      ran.push(command);
      return Promise.resolve(command.endsWith("ioreg") ? IOREG : REG);
    },
  };
  assert.equal((await readMachineId("darwin", access))?.origin, "IOPlatformUUID");
  assert.equal((await readMachineId("windows", access))?.origin, "MachineGuid");
  // reg by its full path, never looked up through PATH.
  assert.deepEqual(ran, ["/usr/sbin/ioreg", "C:\\Windows\\System32\\reg.exe"]);
  ran.length = 0;
  await readMachineId("windows", { ...access, systemRoot: () => "D:\\Win" });
  assert.deepEqual(ran, ["D:\\Win\\System32\\reg.exe"]);
});

Deno.test("readMachineId() returns null when the source fails", async () => {
  const failing = {
    readTextFile: () => Promise.reject(new Error("no")),
    runCommand: () => Promise.reject(new Error("no")),
  };
  assert.equal(await readMachineId("darwin", failing), null);
  assert.equal(await readMachineId("linux", failing), null);
});

Deno.test("an ioreg or reg that never answers is killed after the wait, not left running", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-machine-id-" });
  try {
    const pidFile = `${dir}/pid`;
    // Stands in for a hung ioreg: writes its pid, then sleeps far past the wait.
    const hung = {
      readTextFile: () => Promise.reject(new Error("no files")),
      runCommand: (_command: string, _args: readonly string[], signal: AbortSignal) =>
        denoMachineIdAccess.runCommand(
          "/bin/sh",
          ["-c", `echo $$ > '${pidFile}'; exec sleep 600`],
          signal,
        ),
    };
    // The stand-in sleeps 10 minutes: a caller that waits for it is still waiting when the
    // 60 s here (which only guards a hang, not how soon the 300 ms wait ends) run out.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = await Promise.race([
      readMachineId("darwin", hung, 300),
      new Promise<"still waiting">((resolve) =>
        timer = setTimeout(resolve, 60_000, "still waiting")
      ),
    ]).finally(() => clearTimeout(timer));
    assert.equal(read, null, "the caller waited past the bound");
    const pid = Number((await Deno.readTextFile(pidFile)).trim());
    assert.ok(pid > 0, "the stand-in did not start");
    let alive = true;
    for (let tries = 0; tries < 50 && alive; tries++) {
      alive = new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" })
        .outputSync().success;
      if (alive) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(alive, false, `the hung process ${pid} is still running after the wait`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a machine-id runner that ignores its signal still gives way after the wait", async () => {
  const deaf = {
    readTextFile: () => Promise.reject(new Error("no files")),
    runCommand: () => new Promise<string>(() => {}),
  };
  assert.equal(await readMachineId("windows", deaf, 50), null);
});
