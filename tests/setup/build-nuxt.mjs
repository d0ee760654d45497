// Builds the production server for the e2e tests into node_modules/.cache/e2e, never into the
// developer's .nuxt/.output (someone may be running `nuxt dev` there at the same time).
// Runs as its own process (spawned by global-e2e.ts) so Nuxt's Vite/Nitro stack never shares a
// module graph with Vitest. Usage: node tests/setup/build-nuxt.mjs <rootDir> <buildDir> <outputDir>
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import process from 'node:process'

const [rootDir, buildDir, outputDir] = process.argv.slice(2)
if (!rootDir || !buildDir || !outputDir) {
  console.error('usage: build-nuxt.mjs <rootDir> <buildDir> <outputDir>')
  process.exit(2)
}

// `nuxt build` does the same: production mode for every plugin that reads NODE_ENV.
process.env.NODE_ENV = 'production'

// Use the @nuxt/kit that belongs to the installed nuxt (the hoisted one may be another version).
const require = createRequire(pathToFileURL(`${rootDir}/package.json`))
const nuxtPkg = require.resolve('nuxt/package.json')
const kitPath = createRequire(nuxtPkg).resolve('@nuxt/kit')
const { loadNuxt, buildNuxt } = await import(pathToFileURL(kitPath).href)

const nuxt = await loadNuxt({
  cwd: rootDir,
  dev: false,
  // The build must not depend on a developer's .env; servers get their env at start.
  dotenv: false,
  overrides: {
    buildDir,
    nitro: { output: { dir: outputDir } },
  },
})
let failed = false
nuxt.hook('build:error', (err) => {
  failed = true
  console.error('Nuxt build error:', err)
})
try {
  await buildNuxt(nuxt)
}
catch (err) {
  failed = true
  console.error(err)
}
finally {
  await nuxt.close()
}
process.exit(failed ? 1 : 0)
