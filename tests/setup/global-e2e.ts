/**
 * Global setup of the `e2e` Vitest project. Runs once per `vitest run`, before any e2e file:
 *  0. makes sure Debian's Chromium is there for the browser tests (tests/setup/chromium.ts);
 *  1. builds the production server ONCE (tests/setup/build-nuxt.mjs, in a child process) into
 *     node_modules/.cache/e2e/.output, leaving the developer's .nuxt/.output alone;
 *  2. generates the test-only secrets and hands everything to the test files through
 *     Vitest's provide/inject:
 *       inject('e2eOutputDir')       absolute path of the built .output (server at server/index.mjs)
 *       inject('clerkPrivateKeyPem') RSA-2048 private key (PKCS#8 PEM): signs session tokens
 *       inject('clerkPublicKeyPem')  its public key (SPKI PEM): the servers' NUXT_CLERK_JWT_KEY
 *       inject('webhookSecret')      a `whsec_...` signing secret: the servers' default secret
 * Set E2E_REUSE_BUILD=1 to skip the build when an output already exists (for iterating on tests
 * only; CI and `npm test` always build).
 */
import { spawn } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { ensureChromium } from './chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    e2eOutputDir: string
    clerkPrivateKeyPem: string
    clerkPublicKeyPem: string
    webhookSecret: string
  }
}

const rootDir = resolve(import.meta.dirname, '../..')
const cacheDir = join(rootDir, 'node_modules/.cache/e2e')
const buildDir = join(cacheDir, '.nuxt')
const outputDir = join(cacheDir, '.output')
const buildLog = join(cacheDir, 'build.log')

function buildOnce(): Promise<void> {
  mkdirSync(cacheDir, { recursive: true })
  const log = createWriteStream(buildLog)
  const started = Date.now()
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'build-nuxt.mjs'), rootDir, buildDir, outputDir], {
      cwd: rootDir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.pipe(log, { end: false })
    child.stderr.pipe(log, { end: false })
    child.on('error', fail)
    child.on('exit', (code) => {
      log.end(() => {
        const seconds = ((Date.now() - started) / 1000).toFixed(0)
        if (code === 0) {
          console.log(`[e2e] production build ready in ${seconds}s: ${outputDir}`)
          return done()
        }
        const tail = readFileSync(buildLog, 'utf8').split('\n').slice(-60).join('\n')
        fail(new Error(`[e2e] nuxt build failed (exit ${code}) after ${seconds}s; last lines of ${buildLog}:\n${tail}`))
      })
    })
  })
}

export default async function setup(project: TestProject): Promise<void> {
  ensureChromium()
  const reuse = process.env.E2E_REUSE_BUILD === '1' && existsSync(join(outputDir, 'server/index.mjs'))
  if (!reuse) await buildOnce()

  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  project.provide('e2eOutputDir', outputDir)
  project.provide('clerkPrivateKeyPem', privateKey)
  project.provide('clerkPublicKeyPem', publicKey)
  project.provide('webhookSecret', `whsec_${randomBytes(24).toString('base64')}`)
}
