/** Relative times (`time.<key>` in en.ts). */
export const time = {
  justNow: 'just now',
  minutesAgo: '{n} min ago',
  hoursAgo: '{n} h ago',
  daysAgo: { one: 'yesterday', other: '{count} days ago' },
  inFuture: 'in {text}',
  minutes: '{n} min',
  hours: '{n} h',
  days: { one: '{count} day', other: '{count} days' },
}
