/**
 * Providers whose plugins have not landed yet, as `id: defineProvider(pendingProvider({…}))`
 * (see pending.ts); each is replaced by its own folder when it does. None are pending now.
 */
export const pendingPlugins = {}
