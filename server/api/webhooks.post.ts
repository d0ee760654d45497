// Public, signature-gated: Clerk (via Svix) posts user events here.
export default defineEventHandler(event => handleWebhook(event))
