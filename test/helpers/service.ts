/** Test helper: the service as operators run it (`tsx server.ts` in a child process), on a free loopback port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface Service {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/**
 * Starts `tsx server.ts` with a minimal environment. tsx is run from node_modules/.bin rather than through npx so
 * that SIGTERM reaches the service directly (npx adds a process in between and prints npm warnings).
 */
export function start(env: Record<string, string>): Service {
  let out = '';
  let err = '';
  const child = spawn(TSX, ['server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** JSON log records printed on stdout so far. */
export function logRecords(s: Service): Array<Record<string, unknown>> {
  return s.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Polls /readyz until 200; fails early if the process exits. Returns the seconds it took. */
export async function waitReady(s: Service, port: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let exit: number | string | undefined;
  void s.exited.then((c) => (exit = c));
  for (let i = 0; Date.now() - started < timeoutMs; i++) {
    if (exit !== undefined) throw new Error(`service exited (${exit}) before ready:\n${s.stderr()}\n${s.stdout()}`);
    const status = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
    if (status === 200) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`/readyz not 200 after ${timeoutMs} ms:\n${s.stderr()}\n${s.stdout()}`);
}

/** SIGTERM, then the exit code; SIGKILL if it hangs (so a failing test never leaves a process behind). */
export async function stop(s: Service, graceMs = 15_000): Promise<number | string> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return s.exited;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
  const code = await s.exited;
  clearTimeout(timer);
  return code;
}

