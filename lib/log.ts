/** One line per step, `[MODULE] message`, on stderr (stdout is the CLI's JSON channel). */
export function log(module: string, message: string): void {
  if (process.env.WIMM_QUIET === "1") return;
  console.error(`[${module}] ${message}`);
}
