/**
 * A lock file in closedloop's cache, so two processes (two `npm start`s, `npm test` beside `npm start`)
 * never make the Temporal CLI at the same time. The file holds its owner's pid: a process killed
 * mid-build leaves a lock that the next process sees as stale (pid gone) and takes over.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface LockOwner {
  pid: number;
  host: string;
  since: number;
  token: string;
}

export interface CacheLockDeps {
  pid: number;
  isAlive: (pid: number) => boolean;
  now: () => number;
  /** A lock older than this is stale even when its pid is alive: the pid may have been reused. */
  staleAfterMs: number;
  say: (line: string) => void;
}

export type LockAttempt = { acquired: true; release: () => void } | { acquired: false; owner: LockOwner | undefined };

/** Whether a process with this pid exists (EPERM: it exists, it is only not ours to signal). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A takeover guard older than this belonged to a process that died within its few milliseconds. */
const TAKEOVER_GUARD_STALE_MS = 30_000;

export class CacheLock {
  constructor(
    readonly file: string,
    private readonly deps: CacheLockDeps,
  ) {}

  /** Takes the lock if it is free or stale; never waits. */
  tryAcquire(): LockAttempt {
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner: LockOwner = { pid: this.deps.pid, host: os.hostname(), since: this.deps.now(), token: randomUUID() };
      // Written in full under a private name, then linked: the lock file never exists half-written, and
      // link() fails when the name is taken, which makes it the atomic test-and-set.
      const draft = `${this.file}.${owner.token}`;
      writeFileSync(draft, JSON.stringify(owner));
      try {
        linkSync(draft, this.file);
        return { acquired: true, release: () => this.release(owner.token) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        rmSync(draft, { force: true });
      }

      const raw = readRaw(this.file);
      if (raw === undefined) continue; // released meanwhile: try again
      const holder = parseOwner(raw);
      if (!holder) {
        this.takeOver(raw, 'an unreadable lock');
        continue;
      }
      const isAlive = this.deps.isAlive(holder.pid);
      if (isAlive && this.deps.now() - holder.since < this.deps.staleAfterMs) return { acquired: false, owner: holder };
      this.takeOver(
        raw,
        `a stale lock from process ${holder.pid} (${isAlive ? 'held too long' : 'no longer running'})`,
      );
    }
    return { acquired: false, owner: parseOwner(readRaw(this.file) ?? '') };
  }

  /**
   * Removes a stale lock, but only the one we judged stale: two waiters may both see it dead, and the
   * slower one must not delete the fresh lock the faster one has taken meanwhile. A short-lived guard
   * file lets one of them at a time compare and remove.
   */
  private takeOver(staleRaw: string, what: string): void {
    const guard = `${this.file}.takeover`;
    try {
      writeFileSync(guard, String(this.deps.pid), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - mtimeOf(guard) > TAKEOVER_GUARD_STALE_MS) rmSync(guard, { force: true });
      return;
    }
    try {
      if (readRaw(this.file) === staleRaw) {
        unlinkSync(this.file);
        this.deps.say(`removed ${what} on the Temporal CLI cache`);
      }
    } finally {
      rmSync(guard, { force: true });
    }
  }

  private release(token: string): void {
    // Someone who judged us stale may own the file by now; only our own lock is ours to remove.
    if (parseOwner(readRaw(this.file) ?? '')?.token === token) rmSync(this.file, { force: true });
  }
}

function readRaw(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.since === 'number' && typeof value.token === 'string')
      return value as LockOwner;
  } catch {
    // unreadable: treated as stale by the caller
  }
  return undefined;
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}
