"use client";

import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { roles, type TRole } from "@/lib/auth/roles";
import { createUser } from "./actions";

type TUser = { id: string; email: string; name: string; role: string; createdAt: string };

const roleHelp: Record<TRole, string> = { admin: "everything", operator: "governance changes", viewer: "read-only" };

export function UsersClient({ users, canManage }: { users: TUser[]; canManage: boolean }) {
  const [state, action, pending] = useActionState(createUser, undefined);
  const fields = state?.ok === false ? (state.fieldErrors ?? {}) : {};
  const values = state?.ok === false ? state.values : undefined;

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
        <Table head={["Name", "Email", "Role", "Added"]}>
          {users.map((user) => (
            <tr key={user.id}>
              <Td className="font-medium">{user.name}</Td>
              <Td>{user.email}</Td>
              <Td>
                <Badge tone={user.role === "admin" ? "info" : "neutral"}>{user.role}</Badge>
              </Td>
              <Td className="text-xs">
                <TimeAgo at={user.createdAt} />
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
