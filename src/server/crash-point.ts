/**
 * Deterministic kill points for the crash tests (issue 12): with `KAOHE_CRASH_AT=<point>` the process
 * kills itself with SIGKILL where the code names that point — no clean-up, no handler, as `kill -9`
 * would. Read at each call, so a test sets it per child process; unset (production) it costs a lookup.
 * Points: `restore:<table>` after that table is loaded, before the restore commits.
 */
export function crashPoint(point: string): void {
  if (process.env.KAOHE_CRASH_AT === point) process.kill(process.pid, "SIGKILL");
}
