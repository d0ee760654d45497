/** `--name` as a whole number from 1 to max, or a clear error naming the option. */
export function intOption(opts, name, max) {
  const value = Number(opts[name])
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be an integer from 1 to ${max}`)
  return value
}
