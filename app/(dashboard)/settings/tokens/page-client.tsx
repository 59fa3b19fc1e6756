"use client";

import { useActionState, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { NumberedPager } from "@/components/ui/pager";
import { EmptyState, Table, Td } from "@/components/ui/table";
import type { TPaging } from "@/lib/pagination/numbered";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TGrant, TPermission, TScopeKind } from "@/lib/auth/permissions";
import { createToken, revokeToken } from "./actions";

type TGrantable = { permission: TPermission; scope: TScopeKind | null; checked: boolean };

const scopeHint: Record<TScopeKind, string> = { services: "services: orders*, billing (empty: all)", namespaces: "namespaces: dev, staging (empty: all)" };

// One grant as the list shows it: the permission and, when narrowed, where it reaches.
const grantText = ({ permission, services, namespaces }: TGrant) =>
  services ? `${permission} (${services.join(", ")})` : namespaces ? `${permission} (${namespaces.join(", ")})` : permission;

type TToken = {
  id: string;
  name: string;
  prefix: string;
  permissions: TGrant[];
  expiresAt: string | null;
  expired: boolean;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export function TokensClient({ tokens, paging, canManage, grantable }: { tokens: TToken[]; paging: TPaging; canManage: boolean; grantable: TGrantable[] }) {
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
      <PageHeader
        title="API tokens"
        description="A token carries the permissions it is granted, some narrowed to services or namespaces (docs/api-tokens.md). It is shown once, when it is created."
      />
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
            <SelectField label="Expires" name="expiresIn" defaultValue="" className="w-40">
              <option value="">never</option>
              <option value="1d">in 1 day</option>
              <option value="7d">in 7 days</option>
              <option value="30d">in 30 days</option>
              <option value="90d">in 90 days</option>
              <option value="365d">in 365 days</option>
            </SelectField>
            <fieldset className="w-full text-sm">
              <legend className="mb-1 font-medium">Permissions</legend>
              {grantable.map(({ permission, scope, checked }) => (
                <div key={permission} className="flex flex-wrap items-center gap-3 py-0.5">
                  <label className="flex w-52 items-center gap-2 font-mono text-xs">
                    <input type="checkbox" name={`grant:${permission}`} defaultChecked={checked} />
                    {permission}
                  </label>
                  {scope && (
                    <input
                      name={`scope:${permission}`}
                      aria-label={`${permission} scope`}
                      placeholder={scopeHint[scope]}
                      maxLength={2000}
                      className="w-80 rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
                    />
                  )}
                </div>
              ))}
            </fieldset>
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
        <Table
          head={["Name", "Token", "Permissions", "Created", "Last used", "State", ""]}
          empty={tokens.length === 0 && <EmptyState>No API token yet.</EmptyState>}
        >
          {tokens.map((token) => (
            <tr key={token.id}>
              <Td className="font-medium">{token.name}</Td>
              <Td className="font-mono text-xs">{token.prefix}…</Td>
              <Td className="font-mono text-xs">{token.permissions.map(grantText).join(", ") || "none"}</Td>
              <Td className="text-xs">
                <TimeAgo at={token.createdAt} /> <span className="text-zinc-500 dark:text-zinc-400">by {token.createdBy}</span>
              </Td>
              <Td className="text-xs">
                <TimeAgo at={token.lastUsedAt} />
              </Td>
              <Td>
                {token.revokedAt ? <Badge tone="bad">revoked</Badge> : token.expired ? <Badge tone="bad">expired</Badge> : <Badge tone="good">active</Badge>}
                {!token.revokedAt && token.expiresAt && (
                  <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">until {token.expiresAt.slice(0, 16).replace("T", " ")} UTC</span>
                )}
              </Td>
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
        <NumberedPager path="/settings/tokens" paging={paging} label="Token pages" />
      </Card>
    </>
  );
}
