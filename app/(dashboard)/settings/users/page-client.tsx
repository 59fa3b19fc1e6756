"use client";

import { useActionState, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { NumberedPager } from "@/components/ui/pager";
import { Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { roles, type TRole } from "@/lib/auth/roles";
import type { TActionResult } from "@/lib/actions/action-result";
import type { TPaging } from "@/lib/pagination/numbered";
import { createUser, deleteUser, setUserPassword, updateUser } from "./actions";

type TUser = { id: string; email: string; name: string; role: TRole; createdAt: string; disabled: boolean; mustChangePassword: boolean; sso: boolean };

const roleHelp: Record<TRole, string> = { admin: "everything", operator: "governance changes", viewer: "read-only" };

export function UsersClient({ users, paging, canManage, selfId }: { users: TUser[]; paging: TPaging; canManage: boolean; selfId: string }) {
  const [state, action, pending] = useActionState(createUser, undefined);
  const fields = state?.ok === false ? (state.fieldErrors ?? {}) : {};
  const values = state?.ok === false ? state.values : undefined;
  const [rowError, setRowError] = useState<string>();
  const [busy, startTransition] = useTransition();
  const [settingPassword, setSettingPassword] = useState<string>();

  const run = (question: string | null, change: () => Promise<TActionResult<unknown>>) =>
    startTransition(async () => {
      if (question && !window.confirm(question)) return;
      const result = await change();
      setRowError(result.ok ? undefined : result.error);
      if (result.ok) setSettingPassword(undefined);
    });

  return (
    <>
      <PageHeader title="Users" description="Who may sign in, and what each role may do." />
      {canManage && (
        <Card title="Add a user" className="mb-6">
          <form className="grid gap-3 p-4 md:grid-cols-5 md:items-start" action={action} key={JSON.stringify(values ?? {})}>
            <Field label="Email" name="email" type="email" required error={fields.email} defaultValue={values?.email} />
            <Field label="Name" name="name" required error={fields.name} defaultValue={values?.name} />
            <Field label="Password" name="password" type="password" required minLength={12} error={fields.password} />
            <SelectField label="Role" name="role" defaultValue={values?.role ?? "viewer"} error={fields.role}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role} ({roleHelp[role]})
                </option>
              ))}
            </SelectField>
            <Button type="submit" disabled={pending} className="md:mt-6">
              Add user
            </Button>
          </form>
          <div className="px-4 pb-4 empty:hidden">{state?.ok === false && <FormError message={state.error} />}</div>
        </Card>
      )}
      <Card title="Users">
        <div className="px-4 pt-3 empty:hidden">{rowError && <FormError message={rowError} />}</div>
        <Table head={canManage ? ["Name", "Email", "Role", "Status", "Added", ""] : ["Name", "Email", "Role", "Status", "Added"]}>
          {users.map((user) => {
            const self = user.id === selfId;
            return (
              <tr key={user.id}>
                <Td className="font-medium">
                  {user.name}
                  {self && <span className="ml-1 text-xs font-normal text-zinc-500 dark:text-zinc-400">(you)</span>}
                </Td>
                <Td>{user.email}</Td>
                <Td>
                  {canManage && !self ? (
                    <select
                      aria-label={`Role of ${user.email}`}
                      className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                      value={user.role}
                      disabled={busy}
                      onChange={(event) =>
                        run(`Make ${user.email} ${event.target.value}? Their sessions end at once.`, () =>
                          updateUser({ id: user.id, change: { role: event.target.value as TRole } }),
                        )
                      }
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <Badge tone={user.role === "admin" ? "info" : "neutral"}>{user.role}</Badge>
                  )}
                </Td>
                <Td>
                  {user.disabled ? (
                    <Badge tone="bad">disabled</Badge>
                  ) : user.mustChangePassword ? (
                    <Badge tone="warn">must change password</Badge>
                  ) : (
                    <Badge tone="good">active</Badge>
                  )}
                  {user.sso && (
                    <span className="ml-1" title="Signs in through single sign-on; the role follows the provider's groups at each sign-in">
                      <Badge tone="info">SSO</Badge>
                    </span>
                  )}
                </Td>
                <Td className="text-xs">
                  <TimeAgo at={user.createdAt} />
                </Td>
                {canManage && (
                  <Td>
                    {!self && settingPassword !== user.id && (
                      <div className="flex gap-2">
                        <Button
                          variant="secondary"
                          disabled={busy}
                          onClick={() =>
                            run(user.disabled ? null : `Disable ${user.email}? Their sessions end at once.`, () =>
                              updateUser({ id: user.id, change: { disabled: !user.disabled } }),
                            )
                          }
                        >
                          {user.disabled ? "Enable" : "Disable"}
                        </Button>
                        {!user.sso && (
                          <Button variant="secondary" disabled={busy} onClick={() => setSettingPassword(user.id)}>
                            Set password
                          </Button>
                        )}
                        <Button
                          variant="danger"
                          disabled={busy}
                          aria-label={`Delete ${user.email}`}
                          onClick={() => run(`Delete ${user.email}? The audit log keeps their name.`, () => deleteUser({ id: user.id }))}
                        >
                          Delete
                        </Button>
                      </div>
                    )}
                    {settingPassword === user.id && (
                      <form
                        className="flex items-center gap-2"
                        onSubmit={(event) => {
                          event.preventDefault();
                          const password = new FormData(event.currentTarget).get("password");
                          run(null, () => setUserPassword({ id: user.id, password: typeof password === "string" ? password : "" }));
                        }}
                      >
                        <input
                          name="password"
                          type="password"
                          autoComplete="new-password"
                          required
                          minLength={12}
                          aria-label={`New password for ${user.email}`}
                          placeholder="new password"
                          className="w-40 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                        />
                        <Button type="submit" disabled={busy}>
                          Set
                        </Button>
                        <Button variant="secondary" type="button" onClick={() => setSettingPassword(undefined)}>
                          Cancel
                        </Button>
                      </form>
                    )}
                  </Td>
                )}
              </tr>
            );
          })}
        </Table>
        <NumberedPager path="/settings/users" paging={paging} label="User pages" />
      </Card>
    </>
  );
}
