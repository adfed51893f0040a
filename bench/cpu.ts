// CPU time by process, read from /proc: where a figure's cost went (the server, PostgreSQL,
// Redis, this process). CPU seconds, not wall time, so other work on the machine skews it little.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by the server (all its threads, and its main thread alone: the
 * event loop, which no other thread can relieve), every postgres and redis-server process,
 * and this one.
 */
export function cpuSeconds(serverPid: number): { server: number; serverMain: number; postgres: number; redis: number; self: number } {
  const tick = 100; // USER_HZ on Linux
  const of = (pid: string) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      return 0;
    }
  };
  const named = (name: string) =>
    readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return readFileSync(`/proc/${d}/comm`, 'utf8').trim().startsWith(name);
        } catch {
          return false;
        }
      })
      .reduce((sum, d) => sum + of(d), 0);
  const usage = process.resourceUsage();
  return { server: of(String(serverPid)), serverMain: of(`${serverPid}/task/${serverPid}`), postgres: named('postgres'), redis: named('redis-server'), self: (usage.userCPUTime + usage.systemCPUTime) / 1e6 };
}
