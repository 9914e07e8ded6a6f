/**
 * Child processes for the benchmark: wall time, exit status, the tail of their output, the
 * peak resident memory of the whole process tree (the child and every descendant, such as
 * the pg_dump a restore spawns, or every stage of a shell pipeline) and CPU use.
 *
 * Memory is sampled every ~50 ms: the tree is found from the parent pid in /proc/<pid>/stat
 * and VmRSS from /proc/<pid>/status is summed over it. A peak shorter than one interval can
 * be missed; the number is a lower bound on the true peak, never more.
 *
 * CPU, so that a number taken next to someone else's build says so: the machine's busy time
 * from /proc/stat, minus our own (this process and its reaped children, plus the process
 * trees registered in `ownTrees`, i.e. our PostgreSQL server), is the load of others.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export type Run = {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  /** Peak summed VmRSS of the tree, in MiB. */
  peakRssMb: number;
  samples: number;
  /** [ms since spawn, MiB] of every sample, to tell which phase the peak belongs to. */
  rssSamples: [number, number][];
  stdout: string;
  stderr: string;
  /** stderr lines with the milliseconds since spawn at which each arrived. */
  stderrLines: { ms: number; line: string }[];
  /** Average cores used while it ran: by us (the child, the bench, our PostgreSQL server) and by everyone else. */
  cpu: { ours: number; others: number };
};

export type RunOptions = {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep at most this many characters of stdout. */
  maxStdout?: number;
  intervalMs?: number;
};

/** Roots of process trees whose CPU counts as ours (the benchmark's PostgreSQL postmaster). */
export const ownTrees: number[] = [];

/** Fields after `pid (comm) `; comm may hold spaces and parentheses. */
function statFields(pid: number | "self"): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** utime + stime + cutime + cstime, in clock ticks (fields 14–17 of stat). */
function cpuTicks(pid: number | "self"): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) : 0;
}

function rssKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // gone between listing and reading
  }
}

/** `root` and all its descendants alive right now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1] ?? NaN);
    if (Number.isNaN(ppid)) continue;
    const list = children.get(ppid);
    if (list) list.push(Number(entry));
    else children.set(ppid, [Number(entry)]);
  }
  const out: number[] = [];
  const todo = [root];
  const seen = new Set<number>();
  while (todo.length) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

export const treeRssKb = (root: number) => processTree(root).reduce((sum, pid) => sum + rssKb(pid), 0);

/** Our CPU so far, in ticks: this process with its reaped children, and the registered trees. */
function ownTicks(): number {
  let total = cpuTicks("self");
  for (const root of ownTrees) for (const pid of processTree(root)) total += cpuTicks(pid);
  return total;
}

/** [busy, total] ticks of all CPUs, from the first line of /proc/stat. */
function machineTicks(): [number, number] {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + fields[4]!; // idle + iowait
  return [total - idle, total];
}

const CORES = readFileSync("/proc/stat", "utf8")
  .split("\n")
  .filter((l) => /^cpu\d+ /.test(l)).length;

export function runMeasured(command: string, args: string[], options: RunOptions = {}): Promise<Run> {
  const maxStdout = options.maxStdout ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const machineStart = machineTicks();
    const oursStart = ownTicks();
    const started = performance.now();
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderrTail = "";
    let pending = "";
    const stderrLines: Run["stderrLines"] = [];
    let peakKb = 0;
    let samples = 0;
    const rssSamples: [number, number][] = [];
    const sample = () => {
      if (child.pid === undefined) return;
      const kb = treeRssKb(child.pid);
      samples++;
      if (rssSamples.length < 100_000)
        rssSamples.push([Math.round(performance.now() - started), Math.round(kb / 102.4) / 10]);
      if (kb > peakKb) peakKb = kb;
    };
    const timer = setInterval(sample, options.intervalMs ?? 50);
    sample();
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < maxStdout) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      const ms = performance.now() - started;
      const text = d.toString("utf8");
      stderrTail = (stderrTail + text).slice(-256 * 1024);
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      if (stderrLines.length < 10_000) for (const line of lines) stderrLines.push({ ms, line });
    });
    child.on("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearInterval(timer);
      const ms = performance.now() - started;
      // By now the child is reaped, so its CPU (and that of the children it waited for) is
      // in our cutime/cstime.
      const machineEnd = machineTicks();
      const ours = ownTicks() - oursStart;
      const busy = machineEnd[0] - machineStart[0];
      const ticksPerCore = Math.max(1, (machineEnd[1] - machineStart[1]) / CORES);
      const round = (x: number) => Math.round(Math.max(0, x) * 100) / 100;
      if (pending) stderrLines.push({ ms, line: pending });
      resolve({
        code,
        signal,
        ms,
        peakRssMb: Math.round((peakKb / 1024) * 10) / 10,
        samples,
        rssSamples,
        stdout,
        stderr: stderrTail,
        stderrLines,
        cpu: { ours: round(ours / ticksPerCore), others: round((busy - ours) / ticksPerCore) },
      });
    });
  });
}

/** Run a bash script (our own fixed pipelines, never user input). */
export function runShell(script: string, options: RunOptions = {}): Promise<Run> {
  return runMeasured("bash", ["-c", script], options);
}
