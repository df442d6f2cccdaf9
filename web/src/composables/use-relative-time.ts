import { onMounted, onUnmounted, readonly, ref, type Ref } from 'vue'
import { t } from '@/locales'

const now = ref(Date.now())
let subscribers = 0
let timer: ReturnType<typeof setInterval> | null = null

/** A clock shared by every component that shows "3 h ago", ticking while any of them is mounted. */
export function useNow(): Readonly<Ref<number>> {
  onMounted(() => {
    now.value = Date.now()
    subscribers += 1
    timer ??= setInterval(() => (now.value = Date.now()), 30_000)
  })
  onUnmounted(() => {
    subscribers -= 1
    if (subscribers <= 0 && timer) {
      clearInterval(timer)
      timer = null
    }
  })
  return readonly(now)
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago"; a date after a week. */
export function formatRelative(iso: string, nowMs: number = Date.now()): string {
  const then = Date.parse(iso)
  if (Number.isNaN(then)) return iso
  const seconds = Math.round((nowMs - then) / 1000)
  if (seconds < 45) return t('time.justNow')
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return t('time.minutesAgo', { n: minutes })
  const hours = Math.round(minutes / 60)
  if (hours < 24) return t('time.hoursAgo', { n: hours })
  const days = Math.round(hours / 24)
  if (days < 7) return t('time.daysAgo', { count: days })
  return formatDate(iso)
}

/** "in 5 min", "in 3 h", "in 12 days" for a time ahead; a time already past reads as formatRelative. */
export function formatFromNow(iso: string, nowMs: number = Date.now()): string {
  const then = Date.parse(iso)
  if (Number.isNaN(then)) return iso
  if (then <= nowMs) return formatRelative(iso, nowMs)
  const minutes = Math.max(1, Math.round((then - nowMs) / 60_000))
  const hours = Math.round(minutes / 60)
  const text =
    minutes < 60
      ? t('time.minutes', { n: minutes })
      : hours < 24
        ? t('time.hours', { n: hours })
        : t('time.days', { count: Math.round(hours / 24) })
  return t('time.inFuture', { text })
}

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' })
const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })

export const formatDate = (iso: string): string => dateFormat.format(new Date(iso))
export const formatDateTime = (iso: string): string => dateTimeFormat.format(new Date(iso))
