import { ref } from 'vue'

/**
 * Light or dark: the system's choice (`prefers-color-scheme`) unless the person picked one, which
 * this browser remembers. The choice is an attribute on <html> that the stylesheet reads (no inline
 * style: the CSP allows none).
 */
export const THEMES = ['system', 'light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

const KEY = 'cloudlink.theme'

function stored(): Theme {
  try {
    const value = localStorage.getItem(KEY)
    return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system'
  } catch {
    return 'system'
  }
}

const theme = ref<Theme>(stored())

function apply(value: Theme): void {
  const root = document.documentElement
  if (value === 'system') delete root.dataset.theme
  else root.dataset.theme = value
}

/** Sets the remembered theme on the page; main.ts calls it before the first paint. */
export const applyStoredTheme = (): void => apply(theme.value)

export function useTheme() {
  function set(value: Theme): void {
    theme.value = value
    apply(value)
    try {
      if (value === 'system') localStorage.removeItem(KEY)
      else localStorage.setItem(KEY, value)
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
  return { theme, set }
}
