/**
 * `--profile`: a V8 CPU profile of the API process during the measured intake run, written as a
 * .cpuprofile (open it in Chrome DevTools or speedscope) and summarised here as CPU time per part:
 * each npm package and each folder of ours. Time in Node's internals, V8 builtins and WebAssembly
 * goes to the nearest caller that is a package or ours (a Buffer copy made by pg counts as pg);
 * time with no such caller stays `node internals`; V8's garbage collector and `(program)` stay apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  part: string;
  ms: number;
  share: number;
}

/** Starts the profiler in this process; the returned function stops it and writes `file`. */
export async function startProfiler(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async (file) => {
    const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
  };
}

const ROOT = path.join(__dirname, '..', '..');

/** The package or folder of ours a frame belongs to; undefined for Node, V8 and WebAssembly frames. */
function partOf(frame: ProfileNode['callFrame']): string | undefined {
  const { url } = frame;
  if (!url || url.startsWith('node:') || url.startsWith('wasm:')) return undefined;
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (packageMatch) return packageMatch[1]!;
  if (file.startsWith(ROOT)) return `${path.relative(ROOT, file).split(path.sep)[0]}/ (ours)`;
  return file;
}

/** Self time per part, largest first; `(idle)` is left out of the shares. */
export function summarizeProfile(file: string): SelfTime[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const partById = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = partById.get(id);
    if (known) return known;
    const node = byId.get(id);
    const name = node?.callFrame.functionName ?? '';
    let part: string;
    if (name === '(garbage collector)' || name === '(program)' || name === '(idle)' || name === '(root)') part = name;
    else {
      part = (node && partOf(node.callFrame)) ?? '';
      if (!part) {
        const parent = parentOf.get(id);
        const inherited = parent === undefined ? '(root)' : resolve(parent);
        part = inherited === '(root)' ? 'node internals' : inherited;
      }
    }
    partById.set(id, part);
    return part;
  };
  const micros = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const part = resolve(id);
    micros.set(part, (micros.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  micros.delete('(idle)');
  const busy = [...micros.values()].reduce((a, b) => a + b, 0);
  return [...micros.entries()]
    .map(([part, us]) => ({ part, ms: us / 1000, share: busy > 0 ? us / busy : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

export interface PartComparison {
  part: string;
  /** Microseconds of API process CPU per 2xx request. */
  intake: number;
  insertBaseline: number;
}

/** Each part's self time per request in both runs, largest difference first. */
export function compareProfiles(
  intake: { profile: SelfTime[]; requests: number },
  insertBaseline: { profile: SelfTime[]; requests: number },
): PartComparison[] {
  const perRequest = (run: { profile: SelfTime[]; requests: number }, part: string) =>
    ((run.profile.find((p) => p.part === part)?.ms ?? 0) * 1000) / Math.max(1, run.requests);
  const parts = new Set([...intake.profile, ...insertBaseline.profile].map((p) => p.part));
  return [...parts]
    .map((part) => ({ part, intake: perRequest(intake, part), insertBaseline: perRequest(insertBaseline, part) }))
    .sort((a, b) => b.intake - b.insertBaseline - (a.intake - a.insertBaseline));
}
