// Timing and memory helpers. Wall time is what a user waits; CPU time (user + system of
// this process) is what the work costs, and stays meaningful when other processes load
// the machine. Figures are medians over several runs after warm-up runs.
import { loadavg } from "node:os";

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Timing {
  runs: number;
  warmups: number;
  wallMs: Spread;
  cpuMs: Spread;
  /** Load average (1 minute) when the runs started and ended. */
  load: [number, number];
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median: round(median), min: round(sorted[0] ?? 0), max: round(sorted[sorted.length - 1] ?? 0) };
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function loadAverage(): number {
  return round(loadavg()[0] ?? 0, 2);
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** One run of `work`: wall and CPU milliseconds, and what it returned. */
export async function timeOnce<T>(work: () => T | Promise<T>): Promise<{ wallMs: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  return { wallMs: round(performance.now() - start), cpuMs: round(cpuMsSince(cpu)), value };
}

/** `warmups` discarded runs, then `runs` measured ones. */
export async function timeRuns(work: () => unknown, runs: number, warmups: number): Promise<Timing> {
  for (let index = 0; index < warmups; index++) await work();
  const load = loadAverage();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let index = 0; index < runs; index++) {
    const { wallMs, cpuMs } = await timeOnce(work);
    walls.push(wallMs);
    cpus.push(cpuMs);
  }
  return { runs, warmups, wallMs: spread(walls), cpuMs: spread(cpus), load: [load, loadAverage()] };
}

export function rssMb(): number {
  return round(process.memoryUsage().rss / 1_048_576);
}

/** The process's peak resident set since it started, as the kernel counts it (getrusage). */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Samples the resident set every `intervalMs` while asynchronous work runs (a burst of
 * webhooks); the kernel's peak (`peakRssMb`) also covers synchronous stretches no timer sees.
 */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 5) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return round(this.peak / 1_048_576);
  }
}
