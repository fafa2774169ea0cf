// How numbers read in the text and HTML reports: USD, counts, rates and milliseconds.

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  return `$${abs >= 100 ? value.toFixed(2) : abs >= 0.01 ? value.toFixed(4) : value.toFixed(6)}`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatRate(value: number): string {
  return `${(value * 100).toFixed(value > 0 && value < 0.001 ? 3 : 1)}%`;
}

export function formatMs(value: number | null): string {
  if (value === null) return '-';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${value >= 100 ? Math.round(value) : Number(value.toPrecision(3))} ms`;
}
