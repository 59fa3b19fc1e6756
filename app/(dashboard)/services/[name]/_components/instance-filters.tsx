"use client";

import { useEffect, useEffectEvent, useState } from "react";
import { healthStates } from "@/lib/health/health";
import type { TInstanceFilter } from "@/lib/registry/instance-page";

const control =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200 dark:border-zinc-700 dark:bg-zinc-950 dark:focus:ring-zinc-800";

// A search waits this long after the last key, so typing a host asks the server once.
const typingMs = 250;

/** The instance table's filters: a search over id, host and tags, health, enabled or drained, and a tag. */
export function InstanceFilters({ filter, tags, onChange }: { filter: TInstanceFilter; tags: string[]; onChange: (filter: TInstanceFilter) => void }) {
  const [text, setText] = useState(filter.q ?? "");
  const search = useEffectEvent((q: string | undefined) => onChange({ ...filter, q }));
  useEffect(() => {
    const q = text.trim() || undefined;
    if (q === filter.q) return;
    const timer = setTimeout(() => search(q), typingMs);
    return () => clearTimeout(timer);
  }, [text, filter.q]);

  return (
    <div role="search" aria-label="Filter instances" className="flex flex-wrap items-center gap-2">
      <input
        type="search"
        aria-label="Search instances"
        placeholder="Search id, host or tag"
        value={text}
        maxLength={128}
        onChange={(event) => setText(event.target.value)}
        className={`${control} w-full sm:w-64`}
      />
      <select
        aria-label="Health"
        value={filter.health ?? ""}
        onChange={(event) => onChange({ ...filter, health: (event.target.value || undefined) as TInstanceFilter["health"] })}
        className={control}
      >
        <option value="">any health</option>
        {healthStates.map((health) => (
          <option key={health} value={health}>
            {health}
          </option>
        ))}
      </select>
      <select
        aria-label="Traffic"
        value={filter.enabled === undefined ? "" : String(filter.enabled)}
        onChange={(event) => onChange({ ...filter, enabled: event.target.value === "" ? undefined : event.target.value === "true" })}
        className={control}
      >
        <option value="">enabled or drained</option>
        <option value="true">enabled</option>
        <option value="false">drained</option>
      </select>
      {tags.length > 0 && (
        <select
          aria-label="Tag"
          value={filter.tag ?? ""}
          onChange={(event) => onChange({ ...filter, tag: event.target.value || undefined })}
          className={control}
        >
          <option value="">any tag</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              tag {tag}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
