// The OS user the tests run as, learned from the shell rather than from the
// code under test: its login name, and the home the password file gives it.

const decoder = new TextDecoder();

/** The login name of this process's user (`id -un`). */
export function osUserName(): string {
  return decoder.decode(
    new Deno.Command("id", { args: ["-un"], stdout: "piped" }).outputSync().stdout,
  ).trim();
}

/** The home the password file gives this user, as a shell without HOME expands `~user`. */
export function passwdHomeOfUser(): string {
  const shell = new Deno.Command("sh", {
    args: ["-c", 'eval echo "~$(id -un)"'],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin" },
    stdout: "piped",
  }).outputSync();
  return decoder.decode(shell.stdout).trim().replace(/\/+$/, "") || "/";
}
