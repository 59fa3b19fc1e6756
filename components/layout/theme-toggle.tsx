"use client";

import { useState, useTransition } from "react";
import { cn } from "@/components/ui/cn";
import type { TActionResult } from "@/lib/actions/action-result";
import { themeClass, themes, type TTheme } from "@/lib/auth/theme-names";

const labels: Record<TTheme, string> = { light: "Light", dark: "Dark", system: "System" };

// The page turns at once; the server renders every page after in the stored theme.
function showTheme(theme: TTheme) {
  document.documentElement.className = themeClass(theme);
}

/** Light, dark or the browser's choice; shown at once, kept on the user for every page after. */
export function ThemeToggle({ theme, setTheme }: { theme: TTheme; setTheme: (input: { theme: TTheme }) => Promise<TActionResult<TTheme>> }) {
  const [chosen, setChosen] = useState(theme);
  const [error, setError] = useState<string>();
  const [, startTransition] = useTransition();

  const choose = (next: TTheme) => {
    const previous = chosen;
    setChosen(next);
    showTheme(next);
    startTransition(async () => {
      const result = await setTheme({ theme: next });
      if (result.ok) return setError(undefined);
      setChosen(previous);
      showTheme(previous);
      setError(result.error);
    });
  };

  return (
    <div>
      <div role="group" aria-label="Theme" className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
        {themes.map((each) => (
          <button
            key={each}
            type="button"
            aria-pressed={chosen === each}
            onClick={() => choose(each)}
            className={cn(
              "rounded px-2 py-0.5 text-xs font-medium",
              chosen === each
                ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
            )}
          >
            {labels[each]}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="mt-1 text-xs text-rose-700 dark:text-rose-300">
          {error}
        </p>
      )}
    </div>
  );
}
