// What `npm run bench` prints: one line per ratio, measured in this run, with its goal,
//   ratio <name>: <value, two decimals> (goal >= N | <= N | A..B)
// then `bench: N met, M missed`. A quick run (`--quick`, what `npm test` does) prints the
// same lines from tiny samples and judges nothing: it proves the bench still runs.
export type Goal = { atLeast: number } | { atMost: number } | { from: number; to: number };

export interface Ratio {
  name: string;
  value: number;
  goal: Goal;
}

export function goalText(goal: Goal): string {
  if ('atLeast' in goal) return `goal >= ${goal.atLeast}`;
  if ('atMost' in goal) return `goal <= ${goal.atMost}`;
  return `goal ${goal.from}..${goal.to}`;
}

export function meets(ratio: Ratio): boolean {
  const { goal, value } = ratio;
  if (!Number.isFinite(value)) return false;
  if ('atLeast' in goal) return value >= goal.atLeast;
  if ('atMost' in goal) return value <= goal.atMost;
  return value >= goal.from && value <= goal.to;
}

export class Report {
  readonly ratios: Ratio[] = [];

  constructor(private readonly quick: boolean) {}

  /** Prints the ratio at once (a long bench shows progress) and keeps it for the summary. */
  ratio(name: string, value: number, goal: Goal): void {
    this.ratios.push({ name, value, goal });
    console.log(`ratio ${name}: ${value.toFixed(2)} (${goalText(goal)})`);
  }

  /** A measured figure behind a ratio, indented so a reader tells it from the ratios. */
  info(line: string): void {
    console.log(`  ${line}`);
  }

  summary(): string {
    if (this.quick) return `bench: quick run, ${this.ratios.length} ratios measured on tiny samples, goals not judged`;
    const met = this.ratios.filter(meets).length;
    return `bench: ${met} met, ${this.ratios.length - met} missed`;
  }
}

/** The p-th percentile (0..100) of some samples, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Runs `fn` from `parallel` loops until `ms` have passed; returns calls completed per second. */
export async function throughput(ms: number, parallel: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  const until = start + ms;
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < until) {
        await fn(next++);
        done += 1;
      }
    }),
  );
  return (done / (performance.now() - start)) * 1000;
}
