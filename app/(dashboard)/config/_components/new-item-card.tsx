"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import { CONFIG_FORMATS, ZConfigKey, ZGroupName } from "@/lib/config/schemas";

const problemOf = (schema: z.ZodType<string>, value: string) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
};

/** Opens the editor on a key that does not exist yet; publishing there creates it. */
export function NewItemCard({ namespace, groups }: { namespace: string; groups: string[] }) {
  const router = useRouter();
  const [group, setGroup] = useState("");
  const [key, setKey] = useState("");
  const [format, setFormat] = useState("json");
  const groupError = group ? problemOf(ZGroupName, group) : undefined;
  const keyError = key ? problemOf(ZConfigKey, key) : undefined;
  return (
    <Card title="New item">
      <form
        className="flex flex-wrap items-end gap-3 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          router.push(`/config/${[namespace, group, key].map(encodeURIComponent).join("/")}?format=${format}`);
        }}
      >
        <Field
          label="Group"
          list="config-groups"
          value={group}
          onChange={(event) => setGroup(event.target.value.trim())}
          placeholder="orders"
          error={groupError}
          className="w-40"
        />
        <datalist id="config-groups">
          {groups.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <Field
          label="Key"
          value={key}
          onChange={(event) => setKey(event.target.value.trim())}
          placeholder="application.yaml"
          error={keyError}
          className="w-48"
        />
        <SelectField label="Format" value={format} onChange={(event) => setFormat(event.target.value)}>
          {CONFIG_FORMATS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </SelectField>
        <Button type="submit" disabled={!group || !key || Boolean(groupError || keyError)}>
          Open editor
        </Button>
      </form>
    </Card>
  );
}
