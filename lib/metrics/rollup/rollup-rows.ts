import { decodeBuckets, encodeBuckets, type TRollupScope } from "@/lib/db/codecs";
import { histogramQuantile } from "./quantile";
import type { TBuckets, TQuantiles, TSignals } from "../types";

/** Rollup windows, in seconds: 10 s rows kept for hours, 1 min for days, 1 h for months. */
export const resolutions = [10, 60, 3600] as const;
export type TResolution = (typeof resolutions)[number];

export type { TRollupScope };

/** Which series a rollup row belongs to. An edge's service is the caller and its peer the callee. */
export type TRollupKey = { scope: TRollupScope; service: string; instanceId: string; peer: string };

/** A row as stored: buckets as their JSON text (lib/db/codecs). */
export type TRollupRow = TRollupKey & {
  resolution: number;
  at: Date;
  requests: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  buckets: string | null;
};

export function rollupKeyOf(row: TRollupKey): string {
  return `${row.scope}\u0000${row.service}\u0000${row.instanceId}\u0000${row.peer}`;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Latency quantiles in ms: from the buckets (as histogram_quantile), else from a summary. */
export function quantilesOf(signals: TSignals): TQuantiles {
  const { buckets } = signals;
  if (buckets && signals.requests > 0) {
    const ms = (q: number) => {
      const seconds = finiteOrNull(histogramQuantile(q, buckets));
      return seconds === null ? null : seconds * 1000;
    };
    return { p50: ms(0.5), p95: ms(0.95), p99: ms(0.99) };
  }
  return signals.summary ?? { p50: null, p95: null, p99: null };
}

export function toRollupRow({ key, resolution, atMs, signals }: { key: TRollupKey; resolution: number; atMs: number; signals: TSignals }): TRollupRow {
  const { p50, p95, p99 } = quantilesOf(signals);
  return {
    ...key,
    resolution,
    at: new Date(atMs),
    requests: signals.requests,
    errors: signals.errors,
    p50Ms: p50,
    p95Ms: p95,
    p99Ms: p99,
    buckets: encodeBuckets(signals.buckets),
  };
}

/** A stored row, its buckets decoded, back as signals, so windows and instances can be merged exactly. */
export function signalsOfRow(row: Pick<TRollupRow, "requests" | "errors" | "p50Ms" | "p95Ms" | "p99Ms"> & { buckets: TBuckets | null }): TSignals {
  const { buckets } = row;
  return {
    requests: row.requests,
    errors: row.errors,
    buckets,
    summary: buckets ? null : { p50: row.p50Ms, p95: row.p95Ms, p99: row.p99Ms },
  };
}

/** A rollup row as one JSON array from an aggregating query (json_group_array / json_agg): at is ms (PostgreSQL) or ISO text (SQLite). */
export type TRowValues = [
  at: string | number,
  requests: number,
  errors: number,
  p50Ms: number | null,
  p95Ms: number | null,
  p99Ms: number | null,
  buckets: string | null,
];

export function atMsOfValues([at]: TRowValues): number {
  return typeof at === "number" ? at : Date.parse(at);
}

export function signalsOfValues([, requests, errors, p50Ms, p95Ms, p99Ms, buckets]: TRowValues): TSignals {
  return signalsOfRow({ requests, errors, p50Ms, p95Ms, p99Ms, buckets: decodeBuckets(buckets) });
}
