/** Light or dark: the user's choice (localStorage) or, unset, the system's. */
export type Theme = "light" | "dark";
const KEY = "spreadops.console.theme";

export function initialTheme(storage: Storage, prefersDark: boolean): Theme {
  const saved = storage.getItem(KEY);
  if (saved === "light" || saved === "dark") return saved;
  return prefersDark ? "dark" : "light";
}

export function applyTheme(theme: Theme, storage?: Storage): void {
  document.documentElement.dataset["theme"] = theme;
  storage?.setItem(KEY, theme);
}
