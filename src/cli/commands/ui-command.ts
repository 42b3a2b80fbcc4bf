import { spawn } from 'node:child_process';
import { startUi } from '../../ui/server/start-ui.ts';

export interface UiFlags {
  cwd: string;
  config?: string;
  store?: string;
  port?: number;
  open?: boolean;
}

/**
 * `assay ui`: serves the local web app on 127.0.0.1 until Ctrl-C or SIGTERM, then closes the server and
 * the store and exits 0 (stopping the server is its normal end).
 */
export async function uiCommand(flags: UiFlags): Promise<number> {
  const ui = await startUi({
    cwd: flags.cwd,
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.config !== undefined ? { config: flags.config } : {}),
    ...(flags.store !== undefined ? { store: flags.store } : {}),
  });
  process.stdout.write(`Assay UI: ${ui.url}\n`);
  process.stdout.write(
    'The token in this address is the only key to your runs: do not share it. Ctrl-C stops.\n',
  );
  if (flags.open) openBrowser(ui.url);
  await new Promise<void>((res) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      res();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await ui.close();
  process.stderr.write('assay ui: stopped\n');
  return 0;
}

/** Opens the URL in the default browser, detached; a failure only prints a message (the URL is shown). */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const failed = (why: string) =>
    process.stderr.write(`assay ui: could not open a browser (${why}): open the address above yourself\n`);
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', (e) => failed(e.message));
    child.unref();
  } catch (e) {
    failed((e as Error).message);
  }
}
