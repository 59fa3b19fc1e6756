"use client";

import { useState, type RefObject } from "react";
import { useFormatTime } from "@/components/time/time-zone";
import { Table, Td } from "@/components/ui/table";
import { chartPointsCsv } from "@/lib/metrics/chart/chart-csv";
import type { TChartPoint } from "@/lib/metrics/views";
import { formatMs, formatPercent, formatRate } from "@/components/charts/chart-format";

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  // The click has started the download by the time the next task runs.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function loadImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  // Grid and axis lines are drawn in currentColor and the text in the page's font: carried over as they are on screen.
  const style = getComputedStyle(svg);
  copy.setAttribute("style", `color: ${style.color}; font-family: ${style.fontFamily}`);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const image = new Image();
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: "image/svg+xml" }));
  return new Promise((resolve, reject) => {
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve(image);
    };
    image.onerror = () => reject(new Error("the chart could not be drawn as an image"));
    image.src = url;
  });
}

/** The charts on screen, one under the other with their titles, as one PNG at twice the screen's pixels. */
async function chartsPng(root: HTMLElement): Promise<Blob> {
  const figures = [...root.querySelectorAll("figure")].flatMap((figure) => {
    const svg = figure.querySelector<SVGSVGElement>("svg.recharts-surface");
    return svg ? [{ title: figure.querySelector("figcaption span")?.textContent ?? "", svg }] : [];
  });
  const images = await Promise.all(figures.map(({ svg }) => loadImage(svg)));
  const width = Math.max(1, ...images.map((image) => image.width));
  const titleHeight = 20;
  const height = images.reduce((sum, image) => sum + titleHeight + image.height, 0);
  const scale = 2;
  const canvas = document.createElement("canvas");
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("this browser cannot draw a PNG");
  context.scale(scale, scale);
  const page = getComputedStyle(root.closest("section") ?? root);
  context.fillStyle = page.backgroundColor;
  context.fillRect(0, 0, width, height);
  let y = 0;
  images.forEach((image, index) => {
    context.fillStyle = page.color;
    context.font = `600 12px ${page.fontFamily}`;
    context.fillText(figures[index]?.title ?? "", 8, y + 14);
    context.drawImage(image, 0, y + titleHeight);
    y += titleHeight + image.height;
  });
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png"));
}

const buttonStyle = "underline-offset-2 hover:underline";

/** The chart's points as a table (its text alternative), a CSV and a PNG of what is drawn. */
export function ChartExport({ points, name, charts }: { points: TChartPoint[]; name: string; charts: RefObject<HTMLElement | null> }) {
  const formatTime = useFormatTime();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const savePng = async () => {
    if (!charts.current) return;
    try {
      download(await chartsPng(charts.current), `${name}.png`);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const measured = points.filter((point) => point.rps !== null || point.p99 !== null);
  return (
    <div className="px-4 pb-3 text-xs">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonStyle} aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Hide the table of points" : "Table of points"}
        </button>
        <button type="button" className={buttonStyle} onClick={() => download(new Blob([chartPointsCsv(points)], { type: "text/csv" }), `${name}.csv`)}>
          Download CSV
        </button>
        <button type="button" className={buttonStyle} onClick={() => void savePng()}>
          Download PNG
        </button>
        {problem && <span className="text-rose-600 dark:text-rose-400">{problem}</span>}
      </div>
      {open && (
        <div className="mt-2 max-h-96 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800" data-testid="chart-points">
          <Table head={["Time", "Requests", "Errors", "p50", "p95", "p99"]}>
            {measured.map((point) => (
              <tr key={point.t}>
                <Td className="whitespace-nowrap">{formatTime(point.t)}</Td>
                <Td className="tabular-nums">{point.rps === null ? "–" : formatRate(point.rps)}</Td>
                <Td className="tabular-nums">{point.errorRate === null ? "–" : formatPercent(point.errorRate)}</Td>
                <Td className="tabular-nums">{point.p50 === null ? "–" : formatMs(point.p50)}</Td>
                <Td className="tabular-nums">{point.p95 === null ? "–" : formatMs(point.p95)}</Td>
                <Td className="tabular-nums">{point.p99 === null ? "–" : formatMs(point.p99)}</Td>
              </tr>
            ))}
          </Table>
        </div>
      )}
    </div>
  );
}
