"use client";

import { useState, useSyncExternalStore } from "react";

const noChange = () => () => {};

/** A shell command to copy and paste; `{origin}` becomes this console's address once the page runs in the browser. */
export function CopyCommand({ command, label }: { command: string; label: string }) {
  const origin = useSyncExternalStore(
    noChange,
    () => window.location.origin,
    () => "http://127.0.0.1:3000",
  );
  const text = command.replaceAll("{origin}", origin);
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div className="relative mx-auto mt-3 max-w-2xl text-left">
      <pre
        aria-label={label}
        tabIndex={0}
        className="overflow-x-auto rounded-md bg-zinc-900 p-3 pr-20 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-zinc-950 dark:ring-1 dark:ring-zinc-800"
      >
        {text}
      </pre>
      <button
        type="button"
        onClick={copy}
        className="absolute right-2 top-2 rounded border border-zinc-600 bg-zinc-800 px-2 py-0.5 text-xs font-medium text-zinc-100 hover:bg-zinc-700"
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

/** What an empty fleet says: the one command that registers a first instance. */
export function RegisterFirstService() {
  return (
    <div className="px-4 py-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
      <p>No service is registered yet. Create a token on the API tokens page, then register an instance:</p>
      <CopyCommand
        label="Command that registers an instance"
        command={[
          "export MESHDECK_TOKEN=mdk_...   # the token, shown once",
          "curl -X POST {origin}/api/v1/registry/instances \\",
          `  -H "Authorization: Bearer $MESHDECK_TOKEN" -H 'content-type: application/json' \\`,
          `  -d '{"service":"checkout","id":"checkout-1","host":"127.0.0.1","port":9090,"tags":["v1"]}'`,
        ].join("\n")}
      />
    </div>
  );
}
