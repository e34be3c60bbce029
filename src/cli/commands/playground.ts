// `jetcurve playground`: serves the browser playground (dist/playground/, built if missing) from
// 127.0.0.1 and prints its address; --open opens it in the default browser. Runs until Ctrl-C.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { checkPort, playgroundFolder, servePlayground } from '../../playground/server.js';

interface PlaygroundOptions { port: string; open?: boolean }

function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => console.error(`jetcurve: could not start ${command as string}; open ${url} yourself`));
  child.unref();
}

export function register(program: Command): void {
  program.command('playground')
    .description('serve the browser playground (live Two Moons training on WebGPU, λ maps, jet explorer, model panel) from 127.0.0.1')
    .option('--port <P>', 'port on 127.0.0.1 (0: any free port)', '8080')
    .option('--open', 'open the page in the default browser')
    .action(async (options: PlaygroundOptions) => {
      const port = checkPort(options.port);
      const dir = playgroundFolder(undefined, (line) => console.error(line));
      const served = await servePlayground(dir, port);
      console.log(`jetcurve playground: ${served.url}`);
      console.log('open it in a browser with WebGPU (Chrome or Edge 113+, Safari 26, Firefox 141+ on Windows); Ctrl-C stops the server');
      if (options.open) openInBrowser(served.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => { void served.close().then(() => { console.log('jetcurve playground: stopped'); resolve(); }); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
