import { SingleBar, Presets } from 'cli-progress';

/** A progress bar with an ETA on a terminal; silent lines every 10% when output is piped. */
export function progressBar(label: string) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
        stream: process.stderr,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done: number, total: number) {
        if (!started) {
          bar.start(Math.max(total, 1), 0);
          started = true;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(Math.min(done, total));
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastDecile = -1;
  return {
    update(done: number, total: number) {
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${label}: ${Math.min(100, decile * 10)}% (${done}/${total})\n`);
      }
    },
    stop: () => undefined,
  };
}
