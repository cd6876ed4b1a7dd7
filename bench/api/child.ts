/**
 * A child process of the benchmark that talks over IPC: one request, one answer (the children answer
 * in order). It runs with this process's exec arguments, so the TypeScript loader that runs the
 * benchmark (tsx) loads the child too. An unexpected exit rejects `failed` and every pending wait.
 */
import { fork, type ChildProcess } from 'node:child_process';

export class ChildProcessHandle<In extends { type: string }, Out extends { type: string }> {
  readonly failed: Promise<never>;
  private readonly child: ChildProcess;
  private readonly inbox: Out[] = [];
  private readonly waiters: { resolve: (message: Out) => void; reject: (error: Error) => void }[] = [];
  private exitError: Error | undefined;
  private isStopping = false;

  constructor(
    readonly name: string,
    file: string,
  ) {
    this.child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: Out) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(message);
      else this.inbox.push(message);
    });
    this.failed = new Promise<never>((_, reject) => {
      this.child.once('exit', (code, signal) => {
        this.exitError = new Error(`the ${name} process exited (${signal ?? `code ${code}`})`);
        for (const waiter of this.waiters.splice(0)) waiter.reject(this.exitError);
        if (!this.isStopping) reject(this.exitError);
      });
    });
    this.failed.catch(() => undefined); // observed through Promise.race by callers
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `message` and resolves with the next answer; an answer of type `failed` rejects. */
  async request(message: In, timeoutMs = 300_000): Promise<Out> {
    this.send(message);
    const answer = await this.next(timeoutMs);
    if (answer.type === 'failed')
      throw new Error(`${this.name}: ${(answer as unknown as { message: string }).message}`);
    return answer;
  }

  send(message: In): void {
    if (this.exitError) throw this.exitError;
    this.child.send(message);
  }

  private next(timeoutMs: number): Promise<Out> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise<Out>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no answer within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      this.waiters.push({
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Asks the child to stop and waits for it to exit; kills it (by its pid) after `graceMs`. */
  async stop(stopMessage: In, graceMs = 15_000): Promise<void> {
    this.isStopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.child.send(stopMessage);
    } catch {
      // the IPC channel is already closed: the kill below ends it
    }
    const force = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(force);
  }
}
