import type { InputHTMLAttributes, SelectHTMLAttributes } from "react";
import { cn } from "./cn";

const control =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200 dark:border-zinc-700 dark:bg-zinc-950 dark:focus:ring-zinc-800";

export function Field({ label, error, className, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  return (
    <label className={cn("block text-sm font-medium", className)}>
      {label}
      <input className={cn(control, error && "border-rose-400")} aria-invalid={Boolean(error)} {...props} />
      {error && <span className="mt-1 block text-xs font-normal text-rose-600 dark:text-rose-400">{error}</span>}
    </label>
  );
}

/** The reason a governance change gives, which the audit log keeps. */
export function ReasonField({ value, onChange, className }: { value: string; onChange: (reason: string) => void; className?: string }) {
  return (
    <Field
      label="Reason"
      name="reason"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      placeholder="why, for the audit log"
      maxLength={500}
      className={cn("flex-1", className)}
    />
  );
}

export function SelectField({ label, error, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string }) {
  return (
    <label className="block text-sm font-medium">
      {label}
      <select className={control} {...props}>
        {children}
      </select>
      {error && <span className="mt-1 block text-xs font-normal text-rose-600 dark:text-rose-400">{error}</span>}
    </label>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700 dark:bg-rose-950 dark:text-rose-300">
      {message}
    </p>
  );
}
