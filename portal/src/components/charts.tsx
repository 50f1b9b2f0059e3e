/**
 * Charts as plain SVG drawn by React: no chart library. Each is a <figure> whose picture has a text
 * alternative, and whose numbers are also given as a table (the accessible equivalent, and the exact values).
 */
import { useId, type ReactNode } from 'react';

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

// Drawn at about the width the page gives a chart, so that 13px text stays about 13px on screen.
const WIDTH = 520;
const niceMax = (value: number): number => {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
};

/**
 * The value axis: its top and up to five gridlines from 0. Counts (whole values) get whole-number gridlines
 * only, a step of 1, 2 or 5 times a power of ten (no "0.5 declarations"); measures get quarters of a round top.
 */
export function valueAxis(largest: number, whole: boolean): { readonly max: number; readonly ticks: readonly number[] } {
  if (!whole) {
    const max = niceMax(largest);
    return { max, ticks: [0, 1, 2, 3, 4].map((index) => (max / 4) * index) };
  }
  const top = Math.max(1, Math.ceil(largest));
  const magnitude = 10 ** Math.floor(Math.log10(top / 4 || 1));
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate * 4 >= top) ?? 10 * magnitude);
  const max = Math.ceil(top / step) * step;
  return { max, ticks: Array.from({ length: max / step + 1 }, (_, index) => index * step) };
}
const short = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

interface FigureProps {
  readonly title: string;
  readonly summary: string;
  readonly legend?: readonly string[];
  readonly table: ReactNode;
  readonly tableLabel: string;
  readonly children: (ids: { readonly title: string; readonly desc: string }) => ReactNode;
}

/** A chart with its title, a legend in text, and its table (open on small screens via the disclosure). */
export function ChartFigure({ title, summary, legend, table, tableLabel, children }: FigureProps) {
  const id = useId();
  const ids = { title: `${id}-title`, desc: `${id}-desc` };
  return (
    <figure className="chart card">
      <figcaption>
        <h2 id={ids.title}>{title}</h2>
        <p id={ids.desc} className="muted">
          {summary}
        </p>
      </figcaption>
      {children(ids)}
      {legend !== undefined && legend.length > 1 && (
        <ul className="legend" aria-hidden="true">
          {legend.map((name, index) => (
            <li key={name}>
              <span className={`swatch series-${index}`} /> {name}
            </li>
          ))}
        </ul>
      )}
      <details className="chart-table">
        <summary>{tableLabel}</summary>
        {table}
      </details>
    </figure>
  );
}

/** Values over days, one line per series; a dot on every value so that a single day still shows. */
export function LineChart({ labels, series, ids }: { readonly labels: readonly string[]; readonly series: readonly Series[]; readonly ids: { readonly title: string; readonly desc: string } }) {
  const height = 220;
  const left = 36;
  const right = 26;
  const top = 10;
  const bottom = 28;
  const values = series.flatMap((item) => item.values);
  const whole = values.every((value) => Number.isInteger(value));
  const axis = valueAxis(Math.max(0, ...values), whole);
  const { max } = axis;
  const plotWidth = WIDTH - left - right;
  const plotHeight = height - top - bottom;
  const x = (index: number) => left + (labels.length <= 1 ? plotWidth / 2 : (plotWidth * index) / (labels.length - 1));
  const y = (value: number) => top + plotHeight - (plotHeight * value) / max;
  const every = Math.max(1, Math.ceil(labels.length / 6));
  // The last day is always named; a regular label too close before it gives way.
  const labelled = (index: number) => index === labels.length - 1 || (index % every === 0 && labels.length - 1 - index >= every / 2);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={ids.title} aria-describedby={ids.desc} className="chart-svg">
      {axis.ticks.map((tick) => (
        <g key={tick}>
          <line x1={left} x2={WIDTH - right} y1={y(tick)} y2={y(tick)} className="grid-line" />
          <text x={left - 6} y={y(tick) + 4} className="axis-label" textAnchor="end">
            {short(tick)}
          </text>
        </g>
      ))}
      {labels.map((label, index) =>
        labelled(index) ? (
          <text key={label} x={x(index)} y={height - 8} className="axis-label" textAnchor="middle">
            {label}
          </text>
        ) : null,
      )}
      {series.map((item, seriesIndex) => (
        <g key={item.name} className={`series-${seriesIndex}`}>
          <polyline fill="none" className="series-line" points={item.values.map((value, index) => `${x(index)},${y(value)}`).join(' ')} />
          {item.values.map((value, index) => (value > 0 ? <circle key={index} cx={x(index)} cy={y(value)} r={3} /> : null))}
        </g>
      ))}
    </svg>
  );
}

export interface BarRow {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/** Horizontal bars per row: side by side for comparable measures, or stacked for parts of a whole. */
export function BarChart({ rows, seriesCount, stacked = false, format = short, ids }: { readonly rows: readonly BarRow[]; readonly seriesCount: number; readonly stacked?: boolean; readonly format?: (value: number) => string; readonly ids: { readonly title: string; readonly desc: string } }) {
  const labelWidth = 70;
  const valueWidth = 56;
  const barHeight = stacked ? 20 : 16;
  const rowHeight = stacked ? 32 : seriesCount * (barHeight + 3) + 12;
  const height = Math.max(rowHeight * rows.length + 8, 40);
  const total = (row: BarRow) => row.values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
  const max = niceMax(Math.max(0, ...rows.map((row) => (stacked ? total(row) : Math.max(0, ...row.values.map((value) => value ?? 0))))));
  const plotWidth = WIDTH - labelWidth - valueWidth;
  const width = (value: number) => (plotWidth * value) / max;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={ids.title} aria-describedby={ids.desc} className="chart-svg">
      {rows.map((row, rowIndex) => {
        const rowTop = 4 + rowIndex * rowHeight;
        let offset = 0;
        return (
          <g key={row.label}>
            <text x={labelWidth - 8} y={rowTop + rowHeight / 2} className="axis-label" textAnchor="end" dominantBaseline="middle">
              {row.label}
            </text>
            {row.values.map((value, index) => {
              if (value === null) return null;
              if (stacked) {
                const start = offset;
                offset += value;
                return <rect key={index} className={`series-${index}`} x={labelWidth + width(start)} y={rowTop + (rowHeight - barHeight) / 2} width={width(value)} height={barHeight} />;
              }
              const barTop = rowTop + 6 + index * (barHeight + 3);
              return (
                <g key={index} className={`series-${index}`}>
                  <rect x={labelWidth} y={barTop} width={Math.max(width(value), value > 0 ? 1 : 0)} height={barHeight} />
                  <text x={labelWidth + width(value) + 4} y={barTop + barHeight / 2} className="value-label" dominantBaseline="middle">
                    {format(value)}
                  </text>
                </g>
              );
            })}
            {stacked && (
              <text x={labelWidth + width(total(row)) + 4} y={rowTop + rowHeight / 2} className="value-label" dominantBaseline="middle">
                {format(total(row))}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
