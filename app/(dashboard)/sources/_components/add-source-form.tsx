"use client";

import { useActionState, useState } from "react";
import { addSource } from "../actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { conventionsByKind, defaultPrefixes, type TConvention, type TSourceKind } from "@/lib/sources/types";

const conventionLabels: Record<TConvention, string> = {
  url: "key -> URL",
  "go-micro": "go-micro registry",
  grpc: "gRPC-Go naming",
  kratos: "Kratos",
  dubbo: "Dubbo providers",
  curator: "Curator discovery",
  catalog: "Consul catalog + health",
};

const textarea = "mt-1 block h-20 w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950";

/** An administrator's form for a new etcd, ZooKeeper or Consul source; the server validates it all again. */
export function AddSourceForm() {
  const [state, submit, pending] = useActionState(addSource, undefined);
  const [kind, setKind] = useState<TSourceKind>("etcd");
  const [convention, setConvention] = useState<TConvention>("url");
  const [fields, setFields] = useState({ name: "", endpoints: "", prefix: "", username: "", password: "", ca: "", cert: "", key: "" });
  const set = (key: keyof typeof fields) => (event: { target: { value: string } }) => setFields((current) => ({ ...current, [key]: event.target.value }));
  const errors = state?.ok === false ? (state.fieldErrors ?? {}) : {};
  const changeKind = (next: TSourceKind) => {
    setKind(next);
    setConvention(conventionsByKind[next][0]);
  };

  return (
    <Card title="Add a source" className="mb-6">
      <form action={submit} className="space-y-4 p-4">
        <div className="grid gap-4 md:grid-cols-3">
          <Field label="Name" name="name" value={fields.name} onChange={set("name")} required maxLength={64} placeholder="prod-etcd" error={errors.name} />
          <SelectField label="Kind" aria-label="Kind" name="kind" value={kind} onChange={(event) => changeKind(event.target.value as TSourceKind)}>
            <option value="etcd">etcd v3</option>
            <option value="zookeeper">ZooKeeper</option>
            <option value="consul">Consul</option>
          </SelectField>
          <SelectField
            label="Convention"
            aria-label="Convention"
            name="convention"
            value={convention}
            onChange={(event) => setConvention(event.target.value as TConvention)}
            error={errors.convention}
          >
            {conventionsByKind[kind].map((each) => (
              <option key={each} value={each}>
                {conventionLabels[each]}
              </option>
            ))}
          </SelectField>
          <Field
            label="Endpoints"
            name="endpoints"
            value={fields.endpoints}
            onChange={set("endpoints")}
            required
            placeholder={kind === "etcd" ? "10.0.0.5:2379, 10.0.0.6:2379" : kind === "consul" ? "10.0.0.5:8500" : "10.0.0.5:2181"}
            error={errors.endpoints ?? errors["endpoints.0"]}
          />
          <Field
            label={kind === "etcd" ? "Key prefix" : kind === "consul" ? "Datacenter (optional)" : "Base path"}
            name="prefix"
            value={fields.prefix}
            onChange={set("prefix")}
            placeholder={defaultPrefixes[convention]}
            error={errors.prefix}
          />
          <div className="grid grid-cols-2 gap-2">
            {kind !== "consul" && (
              <Field label="Username" name="username" value={fields.username} onChange={set("username")} autoComplete="off" error={errors.username} />
            )}
            <Field
              label={kind === "consul" ? "ACL token" : "Password"}
              type="password"
              name="password"
              value={fields.password}
              onChange={set("password")}
              autoComplete="new-password"
              error={errors.password}
            />
          </div>
        </div>
        <details className="text-sm">
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">TLS (etcd, Consul): CA, client certificate and key in PEM</summary>
          <div className="mt-2 grid gap-3 md:grid-cols-3">
            {(["ca", "cert", "key"] as const).map((key) => (
              <label key={key} className="block text-sm font-medium">
                {key === "ca" ? "CA certificate" : key === "cert" ? "Client certificate" : "Client key"}
                <textarea className={textarea} name={key} value={fields[key]} onChange={set(key)} placeholder="-----BEGIN ...-----" />
                {errors[`tls.${key}`] && <span className="mt-1 block text-xs text-rose-600 dark:text-rose-400">{errors[`tls.${key}`]}</span>}
              </label>
            ))}
          </div>
        </details>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Adding…" : "Add source"}
          </Button>
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            A collector connects within a second or two; its instances then appear under Services.
          </span>
        </div>
        {state?.ok === false && <FormError message={state.error} />}
        {state?.ok && <p className="text-sm text-emerald-700 dark:text-emerald-400">Source &ldquo;{state.data.name}&rdquo; added.</p>}
      </form>
    </Card>
  );
}
