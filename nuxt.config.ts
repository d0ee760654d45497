// https://nuxt.com/docs/api/configuration/nuxt-config
const devAllowedHosts = (process.env.NUXT_DEV_ALLOWED_HOSTS ?? '')
  .split(',')
  .map(host => host.trim())
  .filter(Boolean)

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  srcDir: '.',
  modules: ['@nuxt/ui'],
  // Clerk's module is always part of a production build (keys arrive at runtime).
  // In `nuxt dev` without a publishable key it is left out, so local mode runs with no Clerk at all.
  $production: { modules: ['@clerk/nuxt'] },
  $development: { modules: process.env.NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY ? ['@clerk/nuxt'] : [] },
  clerk: {
    // We authorize with our own helper (server/utils/access.ts), so Clerk's global middleware
    // never touches the public webhook route.
    skipServerMiddleware: true,
    signInUrl: '/sign-in',
    // Development instances would otherwise post telemetry to Clerk from the admin's browser.
    telemetry: false,
  },
  css: ['~/assets/main.css'],
  devtools: { enabled: false },
  telemetry: false,
  // Font providers may be unreachable (offline, firewalls); icons ship in the bundle from @iconify-json/lucide.
  ui: { fonts: false },
  icon: { serverBundle: 'local', clientBundle: { scan: true }, fallbackToApi: false },
  runtimeConfig: {
    storageDriver: 'fs',
    storageBase: '.data/clerk',
    redisUrl: '',
    adminUserIds: '',
    webhookAllowedIps: '',
    trustProxy: '0',
    clerk: {
      secretKey: '',
      jwtKey: '',
      webhookSigningSecret: '',
    },
    public: {
      clerk: {
        publishableKey: '',
      },
    },
  },
  nitro: {
    experimental: {
      // @ts-expect-error Nitro 2's option, which socket.io needs (crossws); Nuxt 4.4's config types only list options common to every Nitro major.
      websocket: true,
    },
  },
  vite: {
    server: { allowedHosts: devAllowedHosts.length ? devAllowedHosts : undefined },
    // Found late otherwise, and the dev server reloads the page mid-navigation to /admin.
    optimizeDeps: { include: ['socket.io-client'] },
  },
  typescript: { strict: true },
})
