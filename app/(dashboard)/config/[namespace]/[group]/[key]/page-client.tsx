"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteItem } from "@/app/(dashboard)/config/actions";
import { EditorCard } from "./_components/editor-card";
import { GrayCard } from "./_components/gray-card";
import { HistoryCard } from "./_components/history-card";
import { ListenersCard } from "./_components/listeners-card";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TConfigItemDetail } from "@/lib/config/queries";
import type { TConfigFormat, TConfigRef } from "@/lib/config/schemas";

function Title({ itemRef, children }: { itemRef: TConfigRef; children?: React.ReactNode }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Link
        href={`/config?namespace=${encodeURIComponent(itemRef.namespace)}`}
        prefetch={false}
        className="text-zinc-500 dark:text-zinc-400 hover:text-zinc-600"
      >
        Config / {itemRef.namespace} /
      </Link>
      <span className="text-zinc-500 dark:text-zinc-400">{itemRef.group} /</span>
      <span className="font-mono">{itemRef.key}</span>
      {children}
    </span>
  );
}

/** A key not published yet: the editor alone, and the full page once it is. */
function NewItem({ itemRef, format, managesSecrets }: { itemRef: TConfigRef; format: TConfigFormat; managesSecrets: boolean }) {
  const router = useRouter();
  return (
    <>
      <PageHeader
        title={
          <Title itemRef={itemRef}>
            <Badge tone="info">new</Badge>
          </Title>
        }
        description="Nothing is published under this key yet: the first publish makes version 1."
      />
      <EditorCard
        itemRef={itemRef}
        base={{ version: 0, content: "", format }}
        latestVersion={0}
        canEdit
        managesSecrets={managesSecrets}
        secret={false}
        grayVersion={null}
        onPublished={() => router.refresh()}
      />
    </>
  );
}

function DeleteItem({ itemRef, version }: { itemRef: TConfigRef; version: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string>();
  const remove = async () => {
    // A server action rejects only when the request itself fails (network, server down); say so instead of nothing.
    const result = await deleteItem({ ref: itemRef, input: { message: message.trim(), baseVersion: version } }).catch(() => ({
      ok: false as const,
      error: "Could not reach the server; try again.",
    }));
    if (result.ok) router.push(`/config?namespace=${encodeURIComponent(itemRef.namespace)}`);
    else setError(result.error);
  };
  if (!open)
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete…
      </Button>
    );
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field label="Delete for every client? Why:" value={message} onChange={(event) => setMessage(event.target.value)} className="w-64" />
      <Button variant="danger" disabled={!message.trim()} onClick={() => void remove()}>
        Confirm delete
      </Button>
      <Button variant="secondary" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      <FormError message={error} />
    </div>
  );
}

export function ConfigItemClient({
  itemRef,
  initialDetail,
  newFormat,
  canEdit,
  managesSecrets,
}: {
  itemRef: TConfigRef;
  initialDetail: TConfigItemDetail | null;
  newFormat: TConfigFormat;
  canEdit: boolean;
  managesSecrets: boolean;
}) {
  if (!initialDetail) return <NewItem itemRef={itemRef} format={newFormat} managesSecrets={managesSecrets} />;
  return <ItemView itemRef={itemRef} initialDetail={initialDetail} canEdit={canEdit} managesSecrets={managesSecrets} />;
}

function ItemView({
  itemRef,
  initialDetail,
  canEdit,
  managesSecrets,
}: {
  itemRef: TConfigRef;
  initialDetail: TConfigItemDetail;
  canEdit: boolean;
  managesSecrets: boolean;
}) {
  const live = useLiveQuery({ url: apiUrls.configHistory(itemRef), initialData: initialDetail, intervalMs: 2000 });
  const { data: detail, refetch } = live;
  const latest = Math.max(...detail.history.map((row) => row.version), 0);
  const changed = () => void refetch();
  return (
    <>
      <PageHeader
        title={
          <Title itemRef={itemRef}>
            <Badge>{detail.format}</Badge>
            {detail.deleted ? <Badge tone="bad">deleted</Badge> : <Badge tone="good">v{detail.version}</Badge>}
            {detail.secret && <Badge tone="warn">secret</Badge>}
            {detail.gray && <Badge tone="info">gray v{detail.gray.version}</Badge>}
          </Title>
        }
        description={
          detail.deleted
            ? "Deleted: clients no longer get it. Its history is kept; publishing again brings it back."
            : `Clients read it at ${apiUrls.configItem(itemRef)} and watch it live.`
        }
        action={
          <div className="flex items-center gap-4">
            <LiveIndicator live={live} />
            {canEdit && !detail.deleted && (!detail.secret || managesSecrets) && <DeleteItem itemRef={itemRef} version={detail.version} />}
          </div>
        }
      />
      <EditorCard
        itemRef={itemRef}
        base={{ version: detail.version, content: detail.content, format: detail.format }}
        latestVersion={latest}
        canEdit={canEdit}
        managesSecrets={managesSecrets}
        secret={detail.secret}
        grayVersion={detail.gray?.version ?? null}
        onPublished={changed}
      />
      <GrayCard itemRef={itemRef} detail={detail} currentContent={detail.content} canEdit={canEdit && (!detail.secret || managesSecrets)} onChanged={changed} />
      <ListenersCard listeners={detail.listeners} />
      <HistoryCard itemRef={itemRef} detail={detail} canEdit={canEdit && (!detail.secret || managesSecrets)} onChanged={changed} />
    </>
  );
}
