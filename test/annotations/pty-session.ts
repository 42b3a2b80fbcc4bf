import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Runs a command under a real pseudo-terminal (Python's standard `pty` module, no native Node addon):
 * keystrokes written with `send` reach the command as typed keys, and everything it draws is collected
 * in `screen` (raw, escape sequences included).
 */
const RELAY = `
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
stdin_open = True
while True:
    r, _, _ = select.select([fd] + ([0] if stdin_open else []), [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if stdin_open and 0 in r:
        data = os.read(0, 1024)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

export interface PtySession {
  child: ChildProcess;
  /** Everything drawn so far. */
  screen: () => string;
  send: (keys: string) => void;
  /** Resolves once `pattern` shows up in what was drawn after `from` (default: since the last send). */
  waitFor: (pattern: string | RegExp, timeoutMs?: number) => Promise<void>;
  exited: Promise<number | null>;
}

export function startPty(command: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): PtySession {
  const child = spawn('/usr/bin/python3', ['-c', RELAY, ...command], {
    cwd: opts.cwd,
    env: { ...opts.env, TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let mark = 0;
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    for (const l of listeners) l();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  return {
    child,
    screen: () => out,
    send: (keys) => {
      mark = out.length;
      child.stdin?.write(keys);
    },
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((res, rej) => {
        const from = mark;
        const test = () => {
          const tail = out.slice(from);
          return typeof pattern === 'string' ? tail.includes(pattern) : pattern.test(tail);
        };
        if (test()) return res();
        const check = () => {
          if (!test()) return;
          clearTimeout(timer);
          listeners.delete(check);
          res();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          rej(new Error(`timed out waiting for ${String(pattern)}; screen so far:\n${out.slice(-2000)}`));
        }, timeoutMs);
        listeners.add(check);
      }),
    exited,
  };
}
