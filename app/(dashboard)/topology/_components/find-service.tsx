"use client";

import { useId, useState } from "react";

// Suggestions are the names that hold what was typed: a list a person reads, not the fleet.
const suggestionsShown = 50;

/** A search that centres the graph on one service: typed or picked, then Enter (or "Find"). */
export function FindService({ names, onFind, className }: { names: string[]; onFind: (name: string) => string | null; className: string }) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const listId = useId();
  const needle = text.trim().toLowerCase();
  const suggestions = needle ? names.filter((name) => name.toLowerCase().includes(needle)).slice(0, suggestionsShown) : [];
  const submit = () => {
    const wanted = text.trim();
    if (!wanted) return;
    // An exact name first, else the only one (or the first) that holds the text.
    const name = names.find((each) => each === wanted) ?? names.find((each) => each.toLowerCase() === needle) ?? suggestions[0];
    setProblem(name ? onFind(name) : `no service named like '${wanted}' in this view`);
  };
  return (
    <form
      role="search"
      className="flex items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <input
        type="search"
        value={text}
        list={listId}
        onChange={(event) => {
          setText(event.target.value);
          setProblem(null);
        }}
        placeholder="Find a service"
        aria-label="Find a service"
        aria-invalid={problem ? true : undefined}
        className={`${className} w-48`}
      />
      <datalist id={listId}>
        {suggestions.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <button
        type="submit"
        className="rounded-md border border-zinc-300 px-2 py-1 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Find
      </button>
      {problem && (
        <span role="alert" className="text-xs text-rose-700 dark:text-rose-400">
          {problem}
        </span>
      )}
    </form>
  );
}
