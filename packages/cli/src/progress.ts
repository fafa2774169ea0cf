// The progress bar on stderr (cli-progress): bytes read of the inputs' total, shown only on a terminal and when the total is known.
import cliProgress from 'cli-progress';

export interface ProgressBar {
  update(bytesRead: number): void;
  stop(): void;
}

/** Shown only when stderr is a terminal, the size of every input is known, and `--no-progress` was not given. */
export function shouldShowProgress(options: { noProgress: boolean; stderrIsTTY: boolean; totalBytes: number | null }): boolean {
  return !options.noProgress && options.stderrIsTTY && options.totalBytes !== null && options.totalBytes > 0;
}

const MB = 1024 * 1024;

export function startProgressBar(stream: NodeJS.WritableStream, totalBytes: number): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'reading |{bar}| {percentage}% | {readMb}/{totalMb} MB | ETA {eta_formatted}',
      clearOnComplete: true,
      hideCursor: null,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const totalMb = (totalBytes / MB).toFixed(1);
  bar.start(totalBytes, 0, { readMb: '0.0', totalMb });
  return {
    update: (bytesRead) => bar.update(Math.min(bytesRead, totalBytes), { readMb: (bytesRead / MB).toFixed(1), totalMb }),
    stop: () => bar.stop(),
  };
}
