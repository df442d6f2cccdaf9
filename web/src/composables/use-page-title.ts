import { toValue, watchEffect, type MaybeRefOrGetter } from 'vue'
import { t } from '@/locales'

/** Sets the tab title ("Members · Cloudlink") while the calling view is shown. */
export function usePageTitle(title: MaybeRefOrGetter<string>): void {
  watchEffect(() => {
    const page = toValue(title)
    document.title = page ? `${page} · ${t('app.name')}` : t('app.name')
  })
}
