export * from './users'
export * from './deliveries'
export * from './realtime'
export * from './status'
