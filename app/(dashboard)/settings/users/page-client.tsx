"use client";

import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { roles, type TRole } from "@/lib/auth/roles";
import { createUserAction } from "./actions";

type TUser = { id: string; email: string; name: string; role: string; createdAt: string };

const roleHelp: Record<TRole, string> = { admin: "everything", operator: "governance changes", viewer: "read-only" };

export function UsersClient({ users, canManage }: { users: TUser[]; canManage: boolean }) {
  const [errors, setErrors] = useState<{ form?: string; fields: Record<string, string> }>({ fields: {} });
  const [pending, startTransition] = useTransition();

  const submit = (form: HTMLFormElement) =>
    startTransition(async () => {
      const data = new FormData(form);
      const result = await createUserAction({
        email: String(data.get("email")),
        name: String(data.get("name")),
        password: String(data.get("password")),
        role: String(data.get("role")) as TRole,
      });
      if (!result.ok) return setErrors({ form: result.error, fields: result.fieldErrors ?? {} });
      setErrors({ fields: {} });
      form.reset();
    });

  return (
    <>
      <PageHeader title="Users" description="Who may sign in, and what each role may do." />
      {canManage && (
        <Card title="Add a user" className="mb-6">
          <form
            className="grid gap-3 p-4 md:grid-cols-5 md:items-end"
            onSubmit={(event) => {
              event.preventDefault();
              submit(event.currentTarget);
            }}
          >
            <Field label="Email" name="email" type="email" required error={errors.fields.email} />
            <Field label="Name" name="name" required error={errors.fields.name} />
            <Field label="Password" name="password" type="password" required minLength={12} error={errors.fields.password} />
            <SelectField label="Role" name="role" defaultValue="viewer" error={errors.fields.role}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role} ({roleHelp[role]})
                </option>
              ))}
            </SelectField>
            <Button type="submit" disabled={pending}>Add user</Button>
          </form>
          <div className="px-4 pb-4 empty:hidden">{errors.form && <FormError message={errors.form} />}</div>
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
