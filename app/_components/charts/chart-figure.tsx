// The frame every chart sits in: a heading that names it, a one-line summary in words, and the
// figures as a table for screen readers (the drawing itself is hidden from them: a list of
// coordinates says less than the table). A period without data says so instead of drawing
// empty axes. The test id and data attributes let a browser test check that the chart drew data:
// data-points is the number of points with data, data-buckets the number of points in all.
import { useId, type ReactNode } from "react";

export interface ChartFigureProps {
  title: string;
  /** What the chart shows, in one sentence (totals, peak). */
  summary: ReactNode;
  testId: string;
  /** Points with data. */
  dataPoints: number;
  /** Points in all (buckets of the period, quiet ones included). */
  buckets: number;
  /** Shown instead of the chart when no point has data, e.g. "No queries in this period". */
  emptyText: string;
  /** The figures as a table (rendered visually hidden). */
  table: ReactNode;
  height: number;
  /** The drawing; null until the browser has mounted it (a placeholder of its height meanwhile). */
  children: ReactNode;
}

export function ChartFigure({ title, summary, testId, dataPoints, buckets, emptyText, table, height, children }: ChartFigureProps) {
  const titleId = useId();
  const empty = dataPoints === 0;
  return (
    <figure aria-labelledby={titleId} data-testid={testId} data-points={dataPoints} data-buckets={buckets} data-empty={empty} className="m-0">
      <figcaption className="mb-2">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{summary}</p>
      </figcaption>
      {empty ? (
        <p
          role="status"
          className="flex items-center justify-center rounded-md border border-dashed border-slate-300 text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400"
          style={{ height }}
        >
          {emptyText}
        </p>
      ) : (
        <>
          <div aria-hidden="true" className="text-slate-500 dark:text-slate-400" style={{ height }}>
            {children}
          </div>
          <div className="sr-only">{table}</div>
        </>
      )}
    </figure>
  );
}
