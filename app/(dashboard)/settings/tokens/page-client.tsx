"use client";

import { useActionState, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { createToken, revokeToken } from "./actions";

type TToken = {
  id: string;
  name: string;
  prefix: string;
  readsSecrets: boolean;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export function TokensClient({ tokens, canManage }: { tokens: TToken[]; canManage: boolean }) {
  const [created, create, creating] = useActionState(createToken, undefined);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  const revoke = (token: TToken) =>
    startTransition(async () => {
      if (!window.confirm(`Revoke "${token.name}"? Services using it will be refused at once.`)) return;
      const result = await revokeToken({ id: token.id });
      setError(result.ok ? undefined : result.error);
    });

  return (
    <>
      <PageHeader title="API tokens" description="Services use a token to register, heartbeat and discover. A token is shown once, when it is created." />
      {canManage ? (
        <Card title="New token" className="mb-6 p-0">
          <form className="flex flex-wrap items-end gap-3 p-4" action={create}>
            <Field
              label="Name"
              name="name"
              required
              maxLength={64}
              placeholder="orders-service"
              className="w-72"
              error={created?.ok === false ? created.error : undefined}
            />
            <label className="flex items-center gap-2 pb-2 text-sm">
              <input type="checkbox" name="readsSecrets" />
              May read secret config items
            </label>
            <Button type="submit" disabled={creating}>
              Create token
            </Button>
          </form>
          <div className="px-4 pb-4 empty:hidden">
            <FormError message={error} />
            {created?.ok && (
              <div className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950">
                <p className="font-medium">Token &ldquo;{created.data.name}&rdquo; created. Copy it now: it will not be shown again.</p>
                <code data-testid="new-token" className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">
                  {created.data.token}
                </code>
              </div>
            )}
          </div>
        </Card>
      ) : (
        <p className="mb-6 text-sm text-zinc-500 dark:text-zinc-400">Only administrators can create or revoke tokens.</p>
      )}
      <Card title="Tokens">
        <Table head={["Name", "Token", "Created", "Last used", "State", ""]} empty={tokens.length === 0 && <EmptyState>No API token yet.</EmptyState>}>
          {tokens.map((token) => (
            <tr key={token.id}>
              <Td className="font-medium">
                {token.name} {token.readsSecrets && <Badge tone="warn">reads secrets</Badge>}
              </Td>
              <Td className="font-mono text-xs">{token.prefix}…</Td>
              <Td className="text-xs">
                <TimeAgo at={token.createdAt} /> <span className="text-zinc-500 dark:text-zinc-400">by {token.createdBy}</span>
              </Td>
              <Td className="text-xs">
                <TimeAgo at={token.lastUsedAt} />
              </Td>
              <Td>{token.revokedAt ? <Badge tone="bad">revoked</Badge> : <Badge tone="good">active</Badge>}</Td>
              <Td className="text-right">
                {canManage && !token.revokedAt && (
                  <Button variant="danger" onClick={() => revoke(token)} disabled={pending} aria-label={`Revoke ${token.name}`}>
                    Revoke
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
