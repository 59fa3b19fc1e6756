"use client";

import { useSyncExternalStore } from "react";

const darkQuery = "(prefers-color-scheme: dark)";

// The theme lives in <html>'s class (the user's choice) and, for "system", in the browser's colour scheme: watch both.
function watchTheme(notify: () => void): () => void {
  const query = matchMedia(darkQuery);
  query.addEventListener("change", notify);
  const observer = new MutationObserver(notify);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => {
    query.removeEventListener("change", notify);
    observer.disconnect();
  };
}

function isDark(): boolean {
  const root = document.documentElement.classList;
  return root.contains("dark") || (root.contains("theme-system") && matchMedia(darkQuery).matches);
}

/** Whether the page is dark now, for widgets that draw their own colours (charts, the editor, the graph). */
export function useDarkTheme(): boolean {
  return useSyncExternalStore(watchTheme, isDark, () => false);
}
