import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { setMfaEnrolmentListener, setReauthHandler, setUnauthenticatedListener } from './api/client'
import { useReauthStore } from './stores/reauth'
import { useSessionStore } from './stores/session'
import { resetAllStores } from './stores/reset'
import './styles/main.css'
import './styles/dark.css'
import { applyStoredTheme } from './composables/use-theme'

applyStoredTheme()
const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
const router = createAppRouter()
app.use(router)

// A session that expires mid-use: forget everything and ask to sign in again, then come back.
setUnauthenticatedListener(() => {
  const session = useSessionStore(pinia)
  if (!session.signedIn) return
  const current = router.currentRoute.value
  resetAllStores()
  void router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
})

// Sudo mode: an action refused with REAUTH_REQUIRED asks for the password, then is retried.
setReauthHandler(() => useReauthStore(pinia).ask())

// A workspace that now requires a second factor: learn it from /me, and enrol first.
setMfaEnrolmentListener(() => {
  void useSessionStore(pinia)
    .restore()
    .then(() => router.push({ name: 'security' }))
})

app.mount('#app')
