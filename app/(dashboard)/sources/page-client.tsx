"use client";

import { useState, useTransition } from "react";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { AddSourceForm } from "./_components/add-source-form";
import { SourceSkips } from "./_components/source-skips";
import { SourceStatus } from "./_components/source-status";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { NumberedPager } from "@/components/ui/pager";
import { Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { apiUrls } from "@/lib/clients/api-urls";
import type { listSources } from "@/lib/sources/queries";
import { pauseSource, removeSource } from "./actions";

type TSources = Awaited<ReturnType<typeof listSources>>;

export function SourcesClient({ initial, query, canManage }: { initial: TSources; query: string; canManage: boolean }) {
  const live = useLiveQuery({ url: apiUrls.sources(query), initialData: initial, intervalMs: 2000 });
  const { data } = live;
  const [actionError, setActionError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const run = (work: () => Promise<{ ok: boolean; error?: string }>) =>
    startTransition(async () => {
      const result = await work();
      setActionError(result.ok ? undefined : result.error);
    });
  const remove = (name: string) => {
    if (!window.confirm(`Remove source "${name}"? Meshdeck forgets its instances; the registry itself is not touched.`)) return;
    run(() => removeSource({ name }));
  };

  return (
    <>
      <PageHeader
        title="Sources"
        description="The registries Meshdeck reads instances from. Each is listed and watched by one collector; weights and drains are written back in the form its clients read."
        action={<LiveIndicator live={live} />}
      />
      {canManage ? <AddSourceForm /> : <p className="mb-6 text-sm text-zinc-500 dark:text-zinc-400">Only administrators can add or remove sources.</p>}
      <FormError message={actionError} />
      <Card title="Sources">
        <Table head={["Name", "Kind", "Endpoints / prefix", "State", "Last sync", "Lag", "Instances", "Skipped", "Synced by", ""]}>
          <tr data-testid="source-builtin">
            <Td className="font-medium">builtin</Td>
            <Td>
              <Badge>built-in registry</Badge>
            </Td>
            <Td className="text-xs text-zinc-500 dark:text-zinc-400">this database, through the registry API</Td>
            <Td>
              <Badge tone="good">connected</Badge>
            </Td>
            <Td className="text-xs text-zinc-500 dark:text-zinc-400">live</Td>
            <Td className="text-xs text-zinc-500 dark:text-zinc-400">0 ms</Td>
            <Td className="tabular-nums">{data.builtin.instances}</Td>
            <Td className="text-xs text-zinc-500 dark:text-zinc-400">–</Td>
            <Td className="text-xs text-zinc-500 dark:text-zinc-400">every app</Td>
            <Td />
          </tr>
          {data.sources.map((source) => (
            <tr key={source.name} data-testid={`source-${source.name}`}>
              <Td className="whitespace-nowrap font-medium">{source.name}</Td>
              <Td className="whitespace-nowrap">
                <Badge tone="info">{source.kind}</Badge> <span className="text-xs text-zinc-500 dark:text-zinc-400">{source.convention}</span>
              </Td>
              <Td className="font-mono text-xs">
                {source.endpoints.join(", ")}
                <div className="text-zinc-500 dark:text-zinc-400">
                  {source.kind === "consul" ? source.prefix && `datacenter ${source.prefix}` : source.prefix}
                </div>
              </Td>
              <Td>
                <SourceStatus source={source} />
              </Td>
              <Td className="whitespace-nowrap text-xs">
                <TimeAgo at={source.lastSyncAt} />
              </Td>
              <Td className="whitespace-nowrap text-xs tabular-nums" title="the last change's time from etcd's or ZooKeeper's watch event to its commit here">
                {source.lagMs === null ? "–" : `${source.lagMs} ms`}
              </Td>
              <Td className="tabular-nums" data-testid="source-instances">
                {source.instances}
              </Td>
              <Td>
                <SourceSkips skipped={source.skipped} />
              </Td>
              <Td className="max-w-40 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={source.syncedBy ?? undefined}>
                {source.syncedBy ?? "–"}
              </Td>
              <Td className="whitespace-nowrap text-right">
                {canManage && (
                  <span className="inline-flex gap-2">
                    <Button variant="secondary" disabled={pending} onClick={() => run(() => pauseSource({ name: source.name, enabled: !source.enabled }))}>
                      {source.enabled ? "Pause" : "Resume"}
                    </Button>
                    <Button variant="danger" disabled={pending} onClick={() => remove(source.name)}>
                      Remove
                    </Button>
                  </span>
                )}
              </Td>
            </tr>
          ))}
        </Table>
        <NumberedPager path="/sources" paging={{ ...data, query }} label="Source pages" />
      </Card>
    </>
  );
}
