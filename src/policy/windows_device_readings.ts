/**
 * Windows object-manager spellings of a path that the long-path and device
 * prefixes of `rawAlias` do not cover, read lexically: `\\?\GLOBALROOT\??\C:\x`
 * (also `\DosDevices\`, `\GLOBAL??\`) is `C:\x`; `\\?\GLOBALROOT\Device\Mup\host\share`
 * is `\\host\share`, and so are the SMB redirector's own spellings
 * (`\Device\LanmanRedirector\;Z:0000…\host\share`,
 * `\Device\Mup\;LanmanRedirector\host\share`); and a volume named by its
 * device or GUID (`\\?\GLOBALROOT\Device\HarddiskVolume3\x`,
 * `\\.\HarddiskVolume3\x`, `\\?\Volume{…}\x`, a shadow copy) is some drive
 * thoth cannot tell, so it is read once as that path on any drive (the
 * drive written {@linkcode ANY_DRIVE}: a glob or prefix that accepts it on
 * some drive letter matches) and as unreadable (`undefined`), which no allow
 * rule accepts and every "outside of" rule refuses. Any other path under
 * `GLOBALROOT` is unreadable. {@linkcode windowsDevicePaths} reads any
 * device path: `Global\` (`\\.\Global\C:\x`), `\\.\` paths climbing out of
 * their device (`\\.\pipe\..\C:\x`), drives, `UNC\`, and the above; any
 * other device (`\\.\pipe\x`) is unreadable, never a folder of the current
 * drive.
 *
 * Paths arrive as `compilePredicate` reads them on Windows: `\` as `/`, in
 * lower case.
 *
 * @example
 * ```ts
 * windowsDeviceReadings("//?/globalroot/??/c:/users/ana"); // ["c:/users/ana"]
 * windowsDeviceReadings("//?/globalroot/device/mup/srv/share/x"); // ["//srv/share/x"]
 * windowsDeviceReadings("//?/globalroot/device/harddiskvolume3/x"); // [undefined, "\u0000:/x"]
 * windowsDeviceReadings("c:/users/ana"); // []
 * ```
 */

import { normalizePath } from "./normalize_path.ts";

/** `\\?\`, `\\.\` or `\??\`, as read on Windows. */
const DEVICE_PREFIX = /^(?:\/\/[?.]\/|\/\?\?\/)/;
const GLOBALROOT = /^globalroot(?=\/|$)/;
/** A DOS device folder under GLOBALROOT and the drive or `UNC` after it. */
const DOS_DEVICES =
  /^\/(?:\?\?|dosdevices|global\?\?)\/(?:global\/)*(?:([a-z]:)(?=\/|$)|unc(?=\/))/;
/**
 * The network redirectors under `\Device`, with the SMB redirector's own
 * name and its connection (`;Z:0000…`) where written: what follows is
 * `host\share`.
 */
const REDIRECTOR = /^\/device\/(?:mup(?:\/;lanmanredirector)?|lanmanredirector)(?:\/;[^/]*)?(?=\/)/;
/** A volume's own name: a disk volume, a partition, a shadow copy, a volume GUID. */
const VOLUME =
  /^(?:harddiskvolume(?:shadowcopy)?\d+|harddisk\d+partition\d+|harddisk\d+\/partition\d+|volume\{[0-9a-f-]+\})(?=\/|$)/;

/** The longest path Windows opens, in UTF-16 code units (with the `\\?\` prefix). */
const MAX_WINDOWS_PATH = 32767;

/**
 * The drive of a volume whose drive letter is unknown, in place of `c:`: a
 * glob or prefix that accepts the path on some drive letter matches it (see
 * `compilePredicate`). No path a server opens starts with it.
 */
export const ANY_DRIVE = "\u0000:";

/** The readings of `text` (see the module doc); none when it has no such prefix. */
export function windowsDeviceReadings(text: string): (string | undefined)[] {
  const prefix = DEVICE_PREFIX.exec(text);
  if (prefix === null) return [];
  let rest = text.slice(prefix[0].length);
  if (GLOBALROOT.test(rest)) {
    rest = rest.slice("globalroot".length);
    const dos = DOS_DEVICES.exec(rest);
    if (dos !== null) {
      const after = rest.slice(dos[0].length);
      return [dos[1] !== undefined ? dos[1] + (after === "" ? "/" : after) : `/${after}`];
    }
    const redirector = REDIRECTOR.exec(rest);
    if (redirector !== null) return [`/${rest.slice(redirector[0].length)}`];
    if (!rest.startsWith("/device/")) return [undefined];
    rest = rest.slice("/device/".length);
    // Any other device under GLOBALROOT is one thoth cannot read.
    if (!VOLUME.test(rest)) return [undefined];
  }
  const volume = VOLUME.exec(rest);
  if (volume === null) return [];
  // Longer than Windows opens: unreadable only.
  if (text.length > MAX_WINDOWS_PATH) return [undefined];
  const after = rest.slice(volume[0].length) || "/";
  return [undefined, ANY_DRIVE + after];
}

/** `Global\`, the link to the global DOS device folder, as read on Windows. */
const GLOBAL = /^global(?:\/|$)/;
/** A drive (`c:`) or its administrative share's name (`c$`) at the start of a device path's rest. */
const DEVICE_DRIVE = /^([a-z])[:$](?=\/|$)/;

/**
 * What a Windows device path (`\\?\…`, `\\.\…`, `\??\…`, as read on
 * Windows) opens, each reading read as any path is, or `undefined` where
 * thoth cannot tell; `undefined` when `text` is no device path. `\\.\`
 * paths are normalized first with `\\.\` as their root, as Windows does
 * (`\\.\pipe\..\C:\x` is `\\.\C:\x`); then `Global\` (once or more) is
 * the same folder of devices (`\\?\Global\C:\x` is `C:\x`); a drive is
 * that drive (`C$` too), `UNC\host\share` that share, and `GLOBALROOT` and
 * volumes what {@linkcode windowsDeviceReadings} reads. Any other device
 * (`\\.\pipe\x`, `\\.\PhysicalDrive0`) is unreadable: no allow rule accepts
 * it, every "outside of" rule refuses it.
 *
 * @example
 * ```ts
 * windowsDevicePaths("//./global/c:/x"); // ["c:/x"]
 * windowsDevicePaths("//./pipe/../c:/x"); // ["c:/x"]
 * windowsDevicePaths("//?/unc/srv/share/x"); // ["//srv/share/x"]
 * windowsDevicePaths("//./pipe/x"); // [undefined]
 * windowsDevicePaths("c:/x"); // undefined
 * ```
 */
export function windowsDevicePaths(text: string): (string | undefined)[] | undefined {
  const prefix = DEVICE_PREFIX.exec(text);
  if (prefix === null) return undefined;
  let rest = text.slice(prefix[0].length);
  // Win32 normalizes `\\.\` paths, with `\\.\` as the root; `\\?\` and `\??\` are kept as written.
  if (prefix[0] === "//./") rest = normalizePath(`/${rest}`).slice(1);
  while (GLOBAL.test(rest)) rest = rest.slice("global/".length);
  const drive = DEVICE_DRIVE.exec(rest);
  if (drive !== null) {
    const after = rest.slice(drive[0].length);
    const path = `${drive[1]}:${after === "" ? "/" : after}`;
    // `c$` is no name Windows gives a drive here: read as that drive, and as unreadable.
    return drive[0].endsWith("$") ? [path, undefined] : [path];
  }
  if (/^unc\/[^/]/.test(rest)) return [`//${rest.slice("unc/".length)}`];
  const device = windowsDeviceReadings(prefix[0] + rest);
  return device.length === 0 ? [undefined] : device;
}

/**
 * A UNC path (`//host/share/x`, as read on Windows) normalized with its
 * share as its root, so `..` stops there and the leading `//` stays
 * (`normalizePath` reads `//host` as `/host`, a folder on the current
 * drive); `undefined` for any other text, a device path (`//?/`, `//./`)
 * included.
 *
 * @example
 * ```ts
 * uncForm("//srv/share/a/../../x"); // "//srv/share/x"
 * uncForm("/srv/share/x"); // undefined
 * ```
 */
export function uncForm(text: string): string | undefined {
  const m = UNC.exec(text);
  if (m === null) return undefined;
  const rest = m[2] === undefined ? "" : normalizePath(m[2]);
  return `//${m[1]}${rest === "/" ? "" : rest}`;
}

/** `//host/share`, each a name that is no device prefix, then the rest from its `/`. */
const UNC = /^\/\/((?![?.]\/)[^/]+(?:\/[^/]+)?)(\/.*)?$/s;
