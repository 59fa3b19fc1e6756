// A series as a small line, its own scale (the figure beside it gives the value); nothing drawn under two points.
export function Sparkline({ values, label, className = "text-sky-600 dark:text-sky-400" }: { values: (number | null)[]; label: string; className?: string }) {
  const points = values.map((value, i) => [i, value] as const).filter((point): point is readonly [number, number] => point[1] !== null);
  const [width, height] = [64, 18];
  if (points.length < 2) return <span className="inline-block w-16" aria-hidden />;
  const max = Math.max(...points.map(([, value]) => value)) || 1;
  const step = width / Math.max(1, values.length - 1);
  const path = points.map(([i, value]) => `${(i * step).toFixed(1)},${(height - 1 - (value / max) * (height - 2)).toFixed(1)}`).join(" ");
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className={className}>
      <polyline points={path} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}
