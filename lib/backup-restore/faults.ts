/**
 * Test faults and crash points, in one leaf that every layer of the wing may call: the
 * tests prove that a killed restore, a failed verification or a full disk each end with the
 * live data intact, by asking for the fault here. Nothing else in the app can trigger one.
 */

/**
 * The test-only fault requested, if any: `WIMM_FAULT` counts only together with
 * `WIMM_TEST_FAULTS=1`, so a stray variable on a production box can never trigger one.
 */
export function testFault(): string {
  return process.env.WIMM_TEST_FAULTS === "1" ? (process.env.WIMM_FAULT ?? "") : "";
}

/**
 * Test-only crash points: `WIMM_FAULT=kill:<point>` (with WIMM_TEST_FAULTS=1) makes this
 * process SIGKILL itself there, the way a power cut or the OOM killer would.
 */
export function crashPoint(point: string): void {
  if (testFault() === `kill:${point}`) process.kill(process.pid, "SIGKILL");
}
