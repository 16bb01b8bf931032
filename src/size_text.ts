/**
 * Sizes and counts as people read them: bytes in binary units with one
 * decimal, integers with their thousands grouped. Pure.
 *
 * @example
 * ```ts
 * formatBytes(1_395_864_371); // "1.3 GiB"
 * groupDigits(1234567);       // "1,234,567"
 * ```
 */

/**
 * `bytes` in binary units with one decimal ("512 B", "1.3 GiB").
 *
 * @example
 * ```ts
 * formatBytes(1_395_864_371); // "1.3 GiB"
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * An integer with its thousands grouped by commas, whatever the locale.
 *
 * @example
 * ```ts
 * groupDigits(1234567); // "1,234,567"
 * ```
 */
export function groupDigits(n: number): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }).format(n);
}
